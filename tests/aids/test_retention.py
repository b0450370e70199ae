"""Contacts of finished aid files are erased 10 years after the file's last step."""

from datetime import date, datetime
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from guichet.aids.models import Application, ApplicationEvent
from guichet.aids.retention import applications_anonymise, applications_past_retention
from tests.aids.conftest import make_application


def _finished(scheme, company, org, *, status, last_step: date) -> Application:
    application = make_application(scheme, company, org, status=status)
    ApplicationEvent.objects.create(
        application=application,
        at=timezone.make_aware(datetime.combine(last_step, datetime.min.time())),
        title="Dernière étape",
    )
    return application


def test_finished_files_lose_their_contact_after_ten_years(scheme, company, org_a):
    old = _finished(scheme, company, org_a, status="closed", last_step=date(2015, 11, 1))
    recent = _finished(scheme, company, org_a, status="rejected", last_step=date(2016, 12, 1))
    ongoing = _finished(scheme, company, org_a, status="paying", last_step=date(2014, 1, 1))
    today = date(2026, 11, 26)
    assert list(applications_past_retention(today)) == [old]
    assert applications_anonymise(today=today) == 1
    old.refresh_from_db()
    assert (old.contact_name, old.contact_email, old.contact_phone) == ("", "", "")
    assert old.requested_amount == Decimal("12683")  # the file itself stays
    for kept in (recent, ongoing):
        kept.refresh_from_db()
        assert kept.contact_email == "claire.martin@example.fr"
    assert applications_anonymise(today=today) == 0


def test_the_purge_command_lists_the_aid_contacts(scheme, company, org_a, capsys):
    _finished(scheme, company, org_a, status="withdrawn", last_step=date(2010, 1, 1))
    call_command("purge_personal_data")
    assert "contact(s) de demandes d'aide" in capsys.readouterr().out
