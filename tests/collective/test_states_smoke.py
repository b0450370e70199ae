import pytest
from django.core.exceptions import ValidationError

from guichet.collective.models import Registration
from guichet.collective.services.states import registration_move


def _registration(action, company, org):
    return Registration.objects.create(
        action=action,
        company=company,
        contact_name="Claire Martin",
        contact_email="claire@example.fr",
        organisation=org,
    )


def test_a_selection_is_in_the_history_and_on_the_timeline(action, companies, org_a):
    registration = _registration(action, companies[0], org_a)
    registration_move(registration=registration, to="selected", title="Entreprise retenue")
    assert Registration.objects.get(pk=registration.pk).status == "selected"
    assert [e.title for e in registration.events.all()] == ["Entreprise retenue"]
    assert companies[0].timeline_events.filter(title__contains="Entreprise retenue").count() == 1


def test_an_applicant_cannot_be_marked_present(action, companies, org_a):
    registration = _registration(action, companies[0], org_a)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        registration_move(registration=registration, to="attended", title="x")
    assert Registration.objects.get(pk=registration.pk).status == "applied"
