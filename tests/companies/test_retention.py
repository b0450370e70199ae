"""Contacts are deleted 3 years after the last contact, as the personal-data page promises."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.companies.models import Contact
from guichet.core.models import AuditEvent
from tests.companies.conftest import make_company

pytestmark = pytest.mark.django_db


def _contact(company, last_name, last_contact_on):
    return Contact.objects.create(
        company=company,
        first_name="Anne",
        last_name=last_name,
        email=f"{last_name.lower()}@entreprise.example",
        legal_basis="public_task",
        source="advisor",
        last_contact_on=last_contact_on,
    )


@pytest.fixture
def contacts(reference):
    company = make_company("100000001", "FROMAGERIE DU JURA")
    today = timezone.localdate()
    old = _contact(company, "Ancienne", today - timedelta(days=3 * 366 + 2))
    recent = _contact(company, "Recente", today - timedelta(days=400))
    never = _contact(company, "Jamais", None)
    return old, recent, never


def test_dry_run_counts_and_deletes_nothing(contacts):
    out = StringIO()
    call_command("purge_personal_data", stdout=out)

    assert "Simulation : 1 contact(s) à supprimer" in out.getvalue()
    assert Contact.objects.count() == 3


def test_wet_run_deletes_only_contacts_past_retention_and_audits_it(contacts):
    old, _recent, _never = contacts
    out = StringIO()
    call_command("purge_personal_data", "--wet-run", stdout=out)

    assert "1 contact(s) supprimé(s)." in out.getvalue()
    assert sorted(Contact.objects.values_list("last_name", flat=True)) == ["Jamais", "Recente"]
    deletion = AuditEvent.objects.get(action="delete", object_type="companies.Contact")
    assert deletion.object_id == str(old.pk)
    assert deletion.path == "purge_personal_data"


def test_contact_without_date_is_judged_on_its_last_change(contacts):
    _old, _recent, never = contacts
    Contact.objects.filter(pk=never.pk).update(
        updated_at=timezone.now() - timedelta(days=3 * 366 + 2)
    )
    call_command("purge_personal_data", "--wet-run", stdout=StringIO())

    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Recente"]


def test_retention_limit_on_29_february():
    from guichet.companies.retention import retention_limit

    assert retention_limit(date(2028, 2, 29)) == date(2025, 2, 28)
