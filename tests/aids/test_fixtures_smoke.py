from guichet.aids.models import Application
from guichet.aids.services.states import application_move
from tests.aids.conftest import make_application


def test_a_submitted_application_has_its_history_and_a_timeline_step(scheme, company, org_a):
    application = make_application(scheme, company, org_a)
    application_move(application=application, to="submitted", title="Demande déposée")
    saved = Application.objects.get(pk=application.pk)
    assert saved.status == "submitted"
    assert [e.title for e in saved.events.all()] == ["Demande déposée"]
    assert (
        company.timeline_events.filter(kind="aid", title__contains="Demande déposée").count() == 1
    )


def test_a_draft_cannot_jump_to_approved(scheme, company, org_a):
    import pytest
    from django.core.exceptions import ValidationError

    application = make_application(scheme, company, org_a)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        application_move(application=application, to="approved", title="x")
    assert Application.objects.get(pk=application.pk).status == "draft"
