"""POST /api/v1/needs/{reference}/answer: a partner's CRM answers like the inbox does."""

from django.core import mail

from guichet.core.models import AuditEvent
from guichet.desk.models import NeedEvent
from guichet.desk.status import NeedStatus, need_status
from tests.desk.conftest import submit
from tests.desk.test_api_needs import bpi_api, cci, errors_of  # noqa: F401 (fixtures)

URL = "/api/v1/needs/{}/answer"


def test_taking_in_charge_then_closing_through_the_api(cci, desk):  # noqa: F811
    need = submit().need
    response = cci.post({"status": "taken"}, url=URL.format(need.reference))
    assert response.status_code == 200
    assert response.json()["status"] == NeedStatus.IN_PROGRESS
    assert mail.outbox[-1].subject == f"Votre demande {need.reference} est prise en charge"
    response = cci.post(
        {"status": "done", "comment": "Rendez-vous tenu."}, url=URL.format(need.reference)
    )
    assert response.json()["status_label"] == "Close avec aide"
    answered = need.events.filter(kind=NeedEvent.Kind.ANSWERED).last()
    assert answered.text == "Close avec aide : Rendez-vous tenu. (par l'API)"
    assert answered.organisation.name == "CCI Test"
    assert AuditEvent.objects.filter(action="view", object_type="desk.Need").exists()


def test_refusal_without_reason_is_a_french_422_and_changes_nothing(cci, desk):  # noqa: F811
    need = submit().need
    errors = errors_of(cci.post({"status": "refused"}, url=URL.format(need.reference)))
    assert "motif du refus" in errors["body.payload.refusal_reason"]
    assert need.matches.get().status == "pending"


def test_refusal_with_reason_goes_to_the_next_rank(cci, desk):  # noqa: F811
    need = submit().need
    response = cci.post(
        {"status": "refused", "refusal_reason": "out_of_territory"},
        url=URL.format(need.reference),
    )
    assert response.status_code == 200
    assert {m["organisation"]: m["status"] for m in response.json()["matches"]} == {
        "CCI Test": "refused",
        "Région Test": "pending",
    }


def test_a_need_not_routed_to_the_caller_is_a_404(bpi_api, desk):  # noqa: F811
    need = submit().need
    response = bpi_api.post({"status": "taken"}, url=URL.format(need.reference))
    assert response.status_code == 404
    assert "n'a été transmise à votre organisation" in response.json()["message"]
    assert need_status(need) == NeedStatus.WAITING


def test_closed_match_and_unknown_fields_are_refused(cci, desk):  # noqa: F811
    need = submit().need
    cci.post({"status": "done"}, url=URL.format(need.reference))
    errors = errors_of(cci.post({"status": "taken"}, url=URL.format(need.reference)))
    assert "déjà close" in errors["body.payload.status"]
    errors = errors_of(cci.post({"status": "taken", "x": 1}, url=URL.format(need.reference)))
    assert errors["body.payload.x"] == "Champ inconnu."
