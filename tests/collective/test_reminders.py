"""Reminders before the action with a fixed clock: the SIAL 2026 pavilion starts on Sunday 18
October with reminders 14 and 3 days before. Each kind is sent at most once; a missed day is
caught up by the next run; several kinds due at once make one e-mail."""

from datetime import date, timedelta

import pytest
from django.core import mail

from guichet.collective.models import ReminderLog
from guichet.collective.services import registrations as services
from guichet.collective.services.reminders import reminders_send_due
from tests.collective.conftest import register

STARTS = date(2026, 10, 18)


def before(days: int) -> date:
    return STARTS - timedelta(days=days)


@pytest.fixture
def participant(action, companies, org_a, advisor_a):
    registration = register(action, companies[0], org_a, advisor=advisor_a)
    services.registration_select(registration=registration)
    services.registration_confirm(registration=registration, today=date(2026, 7, 1))
    first = action.checklist.order_by("order").first()
    services.checklist_tick(registration=registration, item=first, done=True)
    mail.outbox.clear()
    return registration


def _subjects():
    return [(m.to, m.subject) for m in mail.outbox]


def test_fourteen_days_before_the_contact_and_the_advisor_get_the_steps_left(
    participant, advisor_a
):
    assert reminders_send_due(today=before(15)) == {"registrations": 0, "emails": 0}
    assert reminders_send_due(today=before(14)) == {"registrations": 1, "emails": 2}
    to_contact, to_advisor = mail.outbox
    assert to_contact.to == [participant.contact_email]
    assert to_contact.subject == (
        "« SIAL Paris — pavillon Bourgogne-Franche-Comté » commence dans 14 jour(s) : "
        "votre préparation"
    )
    assert "- Contacts cibles identifiés" in to_contact.body
    assert "- Objectifs de la participation fixés" not in to_contact.body  # ticked
    assert to_advisor.to == [advisor_a.email]
    assert "Étapes de préparation non cochées" in to_advisor.body
    assert f"/actions-collectives/inscriptions/{participant.pk}/" in to_advisor.body
    assert participant.events.filter(title="Rappel envoyé à J-14").exists()


def test_each_kind_is_sent_once_even_when_the_job_runs_again(participant):
    reminders_send_due(today=before(14))
    reminders_send_due(today=before(14))
    reminders_send_due(today=before(13))
    assert len(mail.outbox) == 2
    assert list(ReminderLog.objects.values_list("kind", flat=True)) == ["before-14"]
    reminders_send_due(today=before(3))
    assert len(mail.outbox) == 4
    assert "commence dans 3 jour(s)" in mail.outbox[-2].subject
    reminders_send_due(today=before(2))
    assert len(mail.outbox) == 4


def test_a_missed_day_is_caught_up_once_and_late_kinds_make_one_email(participant):
    # The job did not run from J-14 to J-3: on J-2 both kinds are due, one e-mail goes out.
    assert reminders_send_due(today=before(2)) == {"registrations": 1, "emails": 2}
    assert "commence dans 2 jour(s)" in mail.outbox[0].subject
    assert sorted(ReminderLog.objects.values_list("kind", flat=True)) == [
        "before-14",
        "before-3",
    ]
    assert reminders_send_due(today=before(1)) == {"registrations": 0, "emails": 0}


def test_no_reminder_for_applicants_cancelled_ones_or_after_the_start(
    action, companies, org_a, participant
):
    register(action, companies[1], org_a)  # applied only
    services.registration_cancel(registration=participant, reason="Empêchement", today=before(20))
    mail.outbox.clear()
    assert reminders_send_due(today=before(3)) == {"registrations": 0, "emails": 0}
    assert reminders_send_due(today=STARTS + timedelta(days=1)) == {
        "registrations": 0,
        "emails": 0,
    }
    assert mail.outbox == []


def test_with_everything_ticked_the_reminder_says_so(action, participant):
    for item in action.checklist.all():
        services.checklist_tick(registration=participant, item=item, done=True)
    reminders_send_due(today=before(3))
    assert "Toutes les étapes de préparation sont faites" in mail.outbox[0].body
