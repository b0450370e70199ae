"""Follow-up surveys: scheduling at +3/+6/+12 calendar months, sending with one reminder,
answers checked with French messages (fixed clock: every run is given its day)."""

import secrets
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from guichet.collective.links import survey_for_token
from guichet.collective.models import FollowUpSurvey, Registration
from guichet.collective.services.surveys import (
    add_months,
    survey_answer,
    surveys_schedule,
    surveys_schedule_missing,
    surveys_send_due,
)

ANSWER = {
    "contacts_made": 12,
    "meetings_held": 5,
    "quotes_sent": 3,
    "contracts_signed": 1,
    "contracts_value": "45000",
    "contract_countries": ["DE"],
    "expected_export_revenue": "120000",
    "satisfaction": 4,
    "comment": "Très bons contacts allemands.",
}


def attended(action, company, organisation, *, status="attended", **extra) -> Registration:
    return Registration.objects.create(
        action=action,
        company=company,
        organisation=organisation,
        status=status,
        contact_name="Claire Martin",
        contact_email=f"contact-{company.siren}@example.fr",
        # The model's default nonce (64 characters) overflows its 32-character column on
        # PostgreSQL.
        access_nonce=secrets.token_hex(16),
        **extra,
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 10, 22), 3, date(2027, 1, 22)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 1, 31), 12, date(2027, 1, 31)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
    ],
)
def test_calendar_months_are_clamped_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_an_attended_participant_gets_three_surveys_once(action, companies, org_a):
    action.starts_on, action.ends_on = date(2026, 8, 27), date(2026, 8, 31)
    action.save()
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)
    surveys_schedule(registration=registration)
    rows = FollowUpSurvey.objects.filter(registration=registration).order_by("wave")
    assert [(s.wave, s.due_on) for s in rows] == [
        (3, date(2026, 11, 30)),
        (6, date(2027, 2, 28)),
        (12, date(2027, 8, 31)),
    ]


def test_no_survey_for_absent_or_cancelled_companies(action, companies, org_a):
    absent = attended(action, companies[0], org_a, status="no_show")
    cancelled = attended(action, companies[1], org_a, status="cancelled")
    assert surveys_schedule(registration=absent) == []
    assert surveys_schedule(registration=cancelled) == []
    assert surveys_schedule_missing() == 0
    assert FollowUpSurvey.objects.count() == 0


def test_the_daily_job_schedules_what_attendance_did_not(action, companies, org_a):
    registration = attended(action, companies[0], org_a)
    FollowUpSurvey.objects.create(registration=registration, wave=3, due_on=date(2027, 1, 22))
    assert surveys_schedule_missing() == 2
    assert surveys_schedule_missing() == 0
    assert sorted(registration.surveys.values_list("wave", flat=True)) == [3, 6, 12]


def _sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_a_survey_is_sent_on_its_day_with_a_link_that_opens_it(action, companies, org_a):
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)  # action ends 22/10/2026 → +3 on 22/01/2027
    assert surveys_send_due(today=date(2027, 1, 21)) == {"sent": 0, "reminded": 0}
    assert surveys_send_due(today=date(2027, 1, 22)) == {"sent": 1, "reminded": 0}
    assert surveys_send_due(today=date(2027, 1, 22)) == {"sent": 0, "reminded": 0}
    [message] = _sent_to(registration.contact_email)
    assert "à 3 mois" in message.subject
    assert "SIAL Paris" in message.body
    token = message.body.split("/actions-collectives/enquete/")[1].split("/")[0]
    survey = survey_for_token(token)
    assert survey.registration == registration
    assert survey.wave == 3
    assert survey.sent_at is not None
    history = [e.title for e in registration.events.all()]
    assert "Enquête de suivi à 3 mois envoyée" in history


def test_one_reminder_only_fourteen_days_later_if_unanswered(action, companies, org_a):
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)
    surveys_send_due(today=date(2027, 1, 22))
    assert surveys_send_due(today=date(2027, 2, 4))["reminded"] == 0  # 13 days
    assert surveys_send_due(today=date(2027, 2, 5))["reminded"] == 1  # 14 days
    assert surveys_send_due(today=date(2027, 2, 6))["reminded"] == 0
    assert surveys_send_due(today=date(2027, 3, 30))["reminded"] == 0
    messages = _sent_to(registration.contact_email)
    assert [m.subject.startswith("Rappel") for m in messages] == [False, True]
    assert "votre réponse nous manque" in messages[1].body
    survey = registration.surveys.get(wave=3)
    assert survey.reminded_at is not None


def test_no_reminder_once_answered(action, companies, org_a):
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)
    surveys_send_due(today=date(2027, 1, 22))
    survey_answer(survey=registration.surveys.get(wave=3), data=ANSWER)
    assert surveys_send_due(today=date(2027, 2, 10)) == {"sent": 0, "reminded": 0}
    assert len(_sent_to(registration.contact_email)) == 1


def test_a_late_job_sends_only_the_latest_wave_due(action, companies, org_a):
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)  # +3: 22/01/2027, +6: 22/04/2027
    assert surveys_send_due(today=date(2027, 5, 1))["sent"] == 1
    sent = registration.surveys.filter(sent_at__isnull=False)
    assert list(sent.values_list("wave", flat=True)) == [6]
    assert surveys_send_due(today=date(2027, 5, 2))["sent"] == 0


def test_nothing_is_sent_for_a_no_show_or_a_cancelled_action(action, companies, org_a):
    absent = attended(action, companies[0], org_a, status="no_show")
    FollowUpSurvey.objects.create(registration=absent, wave=3, due_on=date(2027, 1, 22))
    present = attended(action, companies[1], org_a)
    surveys_schedule(registration=present)
    action.status = "cancelled"
    action.save()
    assert surveys_send_due(today=date(2027, 1, 22)) == {"sent": 0, "reminded": 0}
    assert mail.outbox == []


def test_a_failed_email_is_tried_again_next_day(action, companies, org_a, monkeypatch):
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("guichet.collective.services.surveys.send_mail", broken)
    assert surveys_send_due(today=date(2027, 1, 22))["sent"] == 0
    assert registration.surveys.get(wave=3).sent_at is None
    monkeypatch.undo()
    assert surveys_send_due(today=date(2027, 1, 23))["sent"] == 1


# --- answers -------------------------------------------------------------------------------


@pytest.fixture
def survey(action, companies, org_a):
    registration = attended(action, companies[0], org_a)
    return surveys_schedule(registration=registration)[0]


def test_an_answer_is_saved_and_on_the_timeline(survey):
    survey_answer(survey=survey, data=ANSWER)
    saved = FollowUpSurvey.objects.get(pk=survey.pk)
    assert saved.answered_at is not None
    assert saved.answered_by is None
    assert (saved.contacts_made, saved.meetings_held, saved.quotes_sent) == (12, 5, 3)
    assert saved.contracts_value == Decimal("45000.00")
    assert [c.iso2 for c in saved.contract_countries.all()] == ["DE"]
    assert saved.satisfaction == 4
    company = survey.registration.company
    event = company.timeline_events.get(title__contains="réponses enregistrées")
    assert "1 contrat(s) pour 45" in event.text


def test_answering_twice_replaces_the_answer(survey, advisor_a):
    survey_answer(survey=survey, data=ANSWER)
    survey_answer(
        survey=survey,
        data={
            **ANSWER,
            "contracts_signed": 2,
            "contracts_value": "60 000,50",
            "contract_countries": ["DE", "IT"],
        },
        by=advisor_a,
    )
    saved = FollowUpSurvey.objects.get(pk=survey.pk)
    assert saved.contracts_signed == 2
    assert saved.contracts_value == Decimal("60000.50")
    assert sorted(c.iso2 for c in saved.contract_countries.all()) == ["DE", "IT"]
    assert saved.answered_by == advisor_a
    titles = [e.title for e in survey.registration.events.all()]
    assert titles[-1] == "Enquête de suivi à 3 mois : réponses mises à jour"


def _errors(data) -> dict:
    with pytest.raises(ValidationError) as caught:
        survey_answer(survey=FollowUpSurvey.objects.get(wave=3), data=data)
    return caught.value.message_dict


def test_answers_are_checked_with_french_messages(survey):
    errors = _errors(
        {
            **ANSWER,
            "contacts_made": -1,
            "meetings_held": "beaucoup",
            "quotes_sent": "",
            "contract_countries": ["ZZ"],
            "satisfaction": 6,
            "expected_export_revenue": "-5",
        }
    )
    assert errors["contacts_made"] == ["Le nombre de contacts établis ne peut pas être négatif."]
    assert errors["meetings_held"] == ["Le nombre de rendez-vous tenus doit être un nombre entier."]
    assert errors["quotes_sent"] == ["Indiquez le nombre de devis envoyés (0 s'il n'y en a pas)."]
    assert errors["contract_countries"][0].startswith("Pays inconnu : ZZ")
    assert errors["satisfaction"] == [
        "La satisfaction se note de 1 (pas du tout) à 5 (tout à fait)."
    ]
    assert "ne peut pas être négatif" in errors["expected_export_revenue"][0]
    assert FollowUpSurvey.objects.get(wave=3).answered_at is None


def test_a_contract_needs_its_value_and_none_needs_none(survey):
    errors = _errors({**ANSWER, "contracts_value": ""})
    assert errors == {
        "contracts_value": [
            "Indiquez le montant total des contrats signés (une estimation suffit)."
        ]
    }
    errors = _errors({**ANSWER, "contracts_signed": 0, "contracts_value": "-3"})
    assert errors["contracts_value"] == ["Le montant des contrats ne peut pas être négatif."]
    errors = _errors({**ANSWER, "contracts_signed": 0, "contracts_value": "1000"})
    assert "Aucun contrat signé" in errors["contracts_value"][0]
    assert "Aucun contrat signé" in errors["contract_countries"][0]
    saved = survey_answer(
        survey=survey,
        data={**ANSWER, "contracts_signed": 0, "contracts_value": "", "contract_countries": []},
    )
    assert saved.contracts_value == Decimal("0")


def test_only_participants_answer(action, companies, org_a):
    absent = attended(action, companies[1], org_a, status="no_show")
    survey = FollowUpSurvey.objects.create(registration=absent, wave=3, due_on=date(2027, 1, 22))
    with pytest.raises(ValidationError, match="Seules les entreprises présentes"):
        survey_answer(survey=survey, data=ANSWER)


@pytest.mark.parametrize("typed", ["85\u00a0000", "85\u202f000 €", "85 000,00", "85000"])
def test_amounts_as_french_people_paste_them(survey, typed):
    survey_answer(survey=survey, data={**ANSWER, "contracts_value": typed})
    assert FollowUpSurvey.objects.get(pk=survey.pk).contracts_value == Decimal("85000")
