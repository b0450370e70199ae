"""Contacts of registrations are erased 3 years after the end of the action."""

from datetime import date

from guichet.collective.models import Registration
from guichet.collective.retention import registrations_anonymise, registrations_past_retention
from tests.collective.conftest import make_action


def _registration(action, company, org):
    return Registration.objects.create(
        action=action,
        company=company,
        status="attended",
        contact_name="Claire Martin",
        contact_email="claire@example.fr",
        contact_phone="03 80 00 00 00",
        organisation=org,
    )


def test_contacts_are_erased_three_years_after_the_action(reference, org_a, companies):
    old = _registration(make_action(org_a, slug="sial-2022", year=2022), companies[0], org_a)
    recent = _registration(make_action(org_a, slug="sial-2024", year=2024), companies[0], org_a)
    today = date(2026, 11, 26)  # SIAL 2022 ended on 22 October 2022, SIAL 2024 in 2024
    assert list(registrations_past_retention(today)) == [old]
    assert registrations_anonymise(today=today) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact_name, old.contact_email, old.contact_phone) == ("", "", "")
    assert old.status == "attended"  # the participation stays, for the results
    assert recent.contact_email == "claire@example.fr"
