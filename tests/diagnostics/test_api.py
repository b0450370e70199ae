"""The diagnostic in the API: published questionnaires, start, read, save answers, complete —
same checks and French messages as the pages; an API key acts for its organisation."""

import json

import pytest

from guichet.core.models import AuditEvent
from guichet.diagnostics.models import Diagnostic
from guichet.diagnostics.services import version_new_from
from guichet.journeys.models import Stage, TimelineEvent
from guichet.partners.services import api_key_create
from tests.diagnostics.filling_factory import SIREN, best_values


class Api:
    def __init__(self, client, organisation=None):
        self.client = client
        self.headers = {}
        if organisation is not None:
            _key, raw = api_key_create(organisation=organisation, name="Système partenaire")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path):
        return self.client.get(f"/api/v1{path}", **self.headers)

    def send(self, method, path, body=None):
        call = getattr(self.client, method)
        return call(
            f"/api/v1{path}",
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self.headers,
        )


@pytest.fixture
def api_a(client, org_a):
    return Api(client, org_a)


@pytest.fixture
def api_b(client, org_b):
    return Api(client, org_b)


@pytest.fixture
def started(api_a, company):
    response = api_a.send("post", f"/companies/{SIREN}/diagnostics")
    assert response.status_code == 201
    return response.json()


def test_published_questionnaires_with_their_scores(api_a, version):
    version_new_from(version=version)  # a draft is not listed
    data = api_a.get("/questionnaires").json()
    assert [(q["slug"], q["version"]) for q in data] == [("diagnostic-export", 1)]
    questionnaire = data[0]
    assert questionnaire["title"] == "Diagnostic export"
    assert "cocher une réponse de plus" in questionnaire["scoring_notes"]
    assert [d["code"] for d in questionnaire["dimensions"]][:2] == ["strategy", "offer"]
    question = questionnaire["dimensions"][0]["questions"][0]
    assert question["code"] == "strategy-place"
    assert question["kind"] == "single"
    assert question["options"][-1] == {
        "code": "written",
        "label": "L'export est un axe écrit de notre stratégie, chiffré",
        "score": 1.0,
        "recommendation": "",
    }
    share = next(
        q
        for d in questionnaire["dimensions"]
        for q in d["questions"]
        if q["code"] == "experience-share"
    )
    assert share["number_bands"][-1] == [None, 1]
    assert share["unit"] == "%"


def test_start_a_diagnostic_for_the_keys_organisation(started, org_a):
    assert started["status"] == "in_progress"
    assert started["organisation"] == "Région Test"
    assert started["questionnaire"] == "diagnostic-export"
    assert started["answers"] == []
    assert started["progress"]["total"] == 43
    assert started["results"] is None
    diagnostic = Diagnostic.objects.get(pk=started["id"])
    assert diagnostic.organisation == org_a
    assert diagnostic.advisor is None
    event = AuditEvent.objects.filter(object_type="diagnostics.Diagnostic", action="create").get()
    assert event.actor_label.startswith("Clé d'API « Système partenaire »")


@pytest.mark.parametrize(
    ("path", "body", "status", "field", "message"),
    [
        (
            "/companies/12345/diagnostics",
            {},
            422,
            "path.siren",
            "Le SIREN compte exactement 9 chiffres.",
        ),
        (
            "/companies/999999999/diagnostics",
            {},
            404,
            None,
            "Aucune entreprise de SIREN 999999999 dans le registre.",
        ),
        (
            f"/companies/{SIREN}/diagnostics",
            {"questionnaire": "autre"},
            422,
            "body.payload.questionnaire",
            "Aucun questionnaire publié « autre ».",
        ),
        (
            f"/companies/{SIREN}/diagnostics",
            {"filled_by": "robot"},
            422,
            "body.payload.filled_by",
            "Indiquez qui répond : « advisor » (le conseiller, en rendez-vous) ou « company » "
            "(l'entreprise, par lien).",
        ),
    ],
)
def test_start_errors_in_french(api_a, company, path, body, status, field, message):
    response = api_a.send("post", path, body)
    assert response.status_code == status
    data = response.json()
    if field:
        assert {"field": field, "message": message} in data["details"]
    else:
        assert data["message"] == message
    assert not Diagnostic.objects.exists()


def test_save_answers_then_read_them(api_a, started):
    response = api_a.send(
        "put",
        f"/diagnostics/{started['id']}/answers",
        {
            "answers": {
                "strategy-place": "written",
                "offer-materials": ["brochure"],
                "experience-share": 12.5,
            }
        },
    )
    assert response.status_code == 200
    data = api_a.get(f"/diagnostics/{started['id']}").json()
    answers = {a["question"]: a for a in data["answers"]}
    assert answers["strategy-place"]["options"] == ["written"]
    assert answers["offer-materials"]["options"] == ["brochure"]
    assert answers["experience-share"]["number"] == 12.5
    assert data["progress"]["answered"] == 3
    response = api_a.send(
        "put", f"/diagnostics/{started['id']}/answers", {"answers": {"strategy-place": None}}
    )
    assert [a["question"] for a in response.json()["answers"]] == [
        "offer-materials",
        "experience-share",
    ]


def test_wrong_answers_are_refused_in_french_and_none_is_saved(api_a, started):
    response = api_a.send(
        "put",
        f"/diagnostics/{started['id']}/answers",
        {"answers": {"strategy-place": "written", "strategy-commitment": 9, "nope": 1}},
    )
    assert response.status_code == 422
    details = response.json()["details"]
    assert {
        "field": "body.payload.answers.strategy-commitment",
        "message": "Choisissez un nombre entier de 1 à 5.",
    } in details
    assert {
        "field": "body.payload.answers.nope",
        "message": "Aucune question « nope » dans ce questionnaire.",
    } in details
    assert not Diagnostic.objects.get().answers.exists()


def test_complete_lists_what_is_missing_then_computes_the_results(api_a, started, company):
    url = f"/diagnostics/{started['id']}"
    values = best_values(Diagnostic.objects.get().version)
    values.pop("compliance-ip")
    api_a.send("put", f"{url}/answers", {"answers": values})
    response = api_a.send("post", f"{url}/complete")
    assert response.status_code == 422
    assert response.json()["details"] == [
        {
            "field": "body.answers.compliance-ip",
            "message": "Question obligatoire sans réponse (Conformité (normes, douane, propriété "
            "intellectuelle)) : « Vos marques, brevets ou dessins sont-ils protégés dans les pays "
            "visés ? »",
        }
    ]
    api_a.send("put", f"{url}/answers", {"answers": {"compliance-ip": "yes"}})
    response = api_a.send("post", f"{url}/complete")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results["overall_score"] == 100.0
    assert results["level"] == "advanced"
    assert results["level_label"] == "Exportateur confirmé"
    assert results["scores"]["strategy"] == 100.0
    assert TimelineEvent.objects.filter(company=company, kind="diagnostic").exists()
    company.journey.refresh_from_db()
    assert company.journey.stage == Stage.DIAGNOSED
    response = api_a.send("put", f"{url}/answers", {"answers": {"compliance-ip": "no"}})
    assert response.status_code == 422
    assert "Ce diagnostic est terminé" in response.json()["details"][0]["message"]


def test_another_organisation_reads_the_results_not_the_answers(api_a, api_b, started):
    url = f"/diagnostics/{started['id']}"
    api_a.send("put", f"{url}/answers", {"answers": best_values(Diagnostic.objects.get().version)})
    data = api_b.get(url).json()
    assert data["answers"] is None
    assert data["progress"] is None
    assert data["results"] is None
    assert (
        api_b.send("put", f"{url}/answers", {"answers": {"strategy-place": "none"}}).status_code
        == 403
    )
    assert api_b.send("post", f"{url}/complete").status_code == 403
    api_a.send("post", f"{url}/complete")
    data = api_b.get(url).json()
    assert data["results"]["level_label"] == "Exportateur confirmé"
    assert data["answers"] is None


def test_unknown_diagnostics_and_missing_keys(api_a, client, db):
    for diagnostic_id in (999, 2**70):
        response = api_a.get(f"/diagnostics/{diagnostic_id}")
        assert response.status_code == 404
        assert response.json()["message"] == f"Aucun diagnostic n° {diagnostic_id}."
    assert Api(client).get("/questionnaires").status_code == 401
