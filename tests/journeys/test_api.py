"""The journeys API: journey (stage, lead, history), timeline (confidentiality for the key's
organisation), next actions; French 404/422; the key acts for its organisation."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.core.models import AuditEvent
from guichet.journeys.models import Journey, NextAction, StageChange, TimelineEvent
from guichet.journeys.services import (
    journey_set_stage,
    journey_start,
    next_action_create,
    timeline_event_record,
)
from guichet.partners.services import api_key_create
from tests.conftest import make_user

API = "/api/v1/"


@pytest.fixture
def api(client, org_b):
    """A client calling with the API key of org B (the CCI)."""
    _key, raw = api_key_create(organisation=org_b, name="CRM de la CCI")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    class Caller:
        def get(self, url, params=None):
            return client.get(API + url, params or {}, **headers)

        def send(self, method, url, body):
            call = getattr(client, method)
            return call(API + url, json.dumps(body), content_type="application/json", **headers)

    return Caller()


def fields_of(response) -> dict[str, str]:
    body = response.json()
    assert response.status_code == 422
    assert body["error"] == "validation"
    return {d["field"].split(".")[-1]: d["message"] for d in body["details"]}


def test_journey_of_a_company_not_followed_is_404_in_french(api, company):
    response = api.get("companies/552100554/journey")
    assert response.status_code == 404
    assert response.json()["message"] == (
        "L'entreprise de SIREN 552100554 n'est pas suivie (aucun parcours)."
    )
    assert api.get("companies/999999999/journey").status_code == 404
    assert fields_of(api.get("companies/12/journey")) == {
        "siren": "Le SIREN compte exactement 9 chiffres."
    }


def test_get_journey_with_history(api, company, advisor_a):
    journey_start(
        company=company,
        lead_advisor=advisor_a,
        by=advisor_a,
        at=timezone.now() - timedelta(days=9),
    )
    journey_set_stage(company=company, stage="contacted", by=advisor_a)
    body = api.get("companies/552100554/journey").json()
    assert body["stage"] == "contacted"
    assert body["stage_label"] == "Contactée"
    assert body["lead_advisor"] == {"name": "Claire Conseil", "organisation": "Région Test"}
    assert body["organisation"] == "Région Test"
    assert [(h["from_stage"], h["to_stage"], h["by"]) for h in body["history"]] == [
        ("identified", "contacted", "Claire Conseil"),
        (None, "identified", "Claire Conseil"),
    ]


def test_put_starts_the_journey_with_a_lead_of_the_keys_organisation(api, company, advisor_b):
    response = api.send(
        "put",
        "companies/552100554/journey",
        {"stage": "contacted", "lead_advisor_email": "Bruno.Autre@test.example"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["stage"], body["lead_advisor"]["name"]) == ("contacted", "Bruno Autre")
    journey = Journey.objects.get(company=company)
    assert journey.lead_advisor == advisor_b
    assert [(c.from_stage, c.to_stage, c.by) for c in StageChange.objects.order_by("pk")] == [
        ("", "identified", None),
        ("identified", "contacted", None),
    ]
    event = TimelineEvent.objects.filter(title="Étape : Contactée").get()
    assert (event.author, event.organisation.name) == (None, "CCI Test")
    audit = AuditEvent.objects.filter(object_type="journeys.Journey").last()
    assert audit.actor_label.startswith("Clé d'API « CRM de la CCI »")
    assert audit.organisation_label == "CCI Test"


def test_put_refusals_are_422_in_french(api, company, advisor_a):
    assert fields_of(api.send("put", "companies/552100554/journey", {})) == {
        "stage": "Indiquez l'étape (stage) ou le conseiller référent."
    }
    fields = fields_of(
        api.send(
            "put",
            "companies/552100554/journey",
            {"lead_advisor_email": "claire.conseil@test.example"},
        )
    )
    assert fields["lead_advisor_email"].startswith("Aucun membre actif de votre organisation")
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    fields = fields_of(api.send("put", "companies/552100554/journey", {"stage": "dropped"}))
    assert fields == {
        "reason": "Indiquez pourquoi l'entreprise sort du parcours (motif de sortie)."
    }
    fields = fields_of(
        api.send("put", "companies/552100554/journey", {"stage": "diagnosed", "at": "hier"})
    )
    assert fields["at"].startswith("Date invalide")
    fields = fields_of(api.send("put", "companies/552100554/journey", {"stage": "volé"}))
    assert fields["stage"].startswith("L'étape « volé » n'existe pas.")
    response = api.send("put", "companies/552100554/journey", {"stage": "x", "colour": "red"})
    assert fields_of(response)["colour"] == "Champ inconnu."
    assert Journey.objects.get().stage == "identified"


def test_timeline_hides_other_organisations_confidential_notes(api, company, advisor_a, advisor_b):
    now = timezone.now()
    timeline_event_record(
        company=company,
        kind="note",
        title="Secret de la Région",
        author=advisor_a,
        confidential=True,
        occurred_at=now - timedelta(hours=3),
    )
    timeline_event_record(
        company=company,
        kind="note",
        title="Secret de la CCI",
        author=advisor_b,
        confidential=True,
        occurred_at=now - timedelta(hours=2),
    )
    timeline_event_record(
        company=company,
        kind="call",
        title="Appel",
        author=advisor_a,
        occurred_at=now - timedelta(hours=1),
    )
    titles = [e["title"] for e in api.get("companies/552100554/timeline").json()]
    assert titles == ["Appel", "Secret de la CCI"]
    calls = api.get("companies/552100554/timeline", {"kind": "call"}).json()
    assert [(e["title"], e["author"], e["organisation"]) for e in calls] == [
        ("Appel", "Claire Conseil", "Région Test")
    ]
    assert [
        e["title"]
        for e in api.get("companies/552100554/timeline", {"limit": 1, "offset": 1}).json()
    ] == ["Secret de la CCI"]
    assert fields_of(api.get("companies/552100554/timeline", {"kind": "x"})) == {
        "kind": "Le type d'échange « x » n'existe pas."
    }
    assert api.get("companies/552100554/timeline", {"limit": 0}).status_code == 422


def test_post_a_note_in_the_name_of_the_organisation(api, company):
    response = api.send(
        "post",
        "companies/552100554/timeline",
        {
            "kind": "meeting",
            "occurred_at": "2024-05-02",
            "title": "Rendez-vous au salon",
            "text": "Intéressée par le Japon",
            "confidential": True,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind_label"], body["organisation"], body["author"]) == (
        "Rendez-vous",
        "CCI Test",
        None,
    )
    event = TimelineEvent.objects.get()
    assert event.confidential
    assert timezone.localtime(event.occurred_at).date().isoformat() == "2024-05-02"
    fields = fields_of(
        api.send("post", "companies/552100554/timeline", {"kind": "aid", "title": ""})
    )
    assert fields["title"] == "Donnez un titre à l'échange."
    assert fields["kind"].startswith("Choisissez un type d'échange parmi")
    assert fields["occurred_at"] == "Indiquez la date de l'échange."
    fields = fields_of(
        api.send(
            "post",
            "companies/552100554/timeline",
            {"kind": "call", "title": "x", "occurred_at": "0001-01-01"},
        )
    )
    assert fields["occurred_at"] == "Date hors de la plage acceptée (1900–2100)."


def test_actions_list_create_and_complete(api, company, advisor_a, advisor_b):
    next_action_create(
        company=company,
        title="Action de la Région",
        due_on=timezone.localdate() + timedelta(days=1),
        assignee=advisor_a,
        by=advisor_a,
    )
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = api.send(
        "post",
        "companies/552100554/actions",
        {"title": "Envoyer l'offre", "due_on": due, "assignee_email": "bruno.autre@test.example"},
    )
    assert response.status_code == 201
    created = response.json()
    assert (created["title"], created["due_on"], created["assignee"]["name"], created["done"]) == (
        "Envoyer l'offre",
        due,
        "Bruno Autre",
        False,
    )
    assert NextAction.objects.get(pk=created["id"]).source == "api"
    listed = api.get("companies/552100554/actions").json()
    assert [a["title"] for a in listed] == ["Action de la Région", "Envoyer l'offre"]
    response = api.send("patch", f"actions/{created['id']}", {"done": True})
    assert response.json()["done"] is True
    assert [
        a["title"] for a in api.get("companies/552100554/actions", {"state": "done"}).json()
    ] == ["Envoyer l'offre"]
    response = api.send("patch", f"actions/{created['id']}", {"done": False, "title": "Renvoyer"})
    assert (response.json()["done"], response.json()["title"]) == (False, "Renvoyer")


def test_action_refusals(api, company, advisor_a, advisor_b):
    region_action = next_action_create(
        company=company,
        title="Action de la Région",
        due_on=timezone.localdate(),
        assignee=advisor_a,
        by=advisor_a,
    )
    response = api.send("patch", f"actions/{region_action.pk}", {"done": True})
    assert response.status_code == 403
    region_action.refresh_from_db()
    assert region_action.done_at is None
    response = api.send("patch", "actions/987654", {"done": True})
    assert (response.status_code, response.json()["message"]) == (404, "Aucune action n° 987654.")
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    fields = fields_of(
        api.send(
            "post",
            "companies/552100554/actions",
            {"title": "", "due_on": past, "assignee_email": "bruno.autre@test.example"},
        )
    )
    assert fields == {
        "title": "Indiquez l'action à mener.",
        "due_on": "L'échéance est passée : choisissez aujourd'hui ou une date à venir.",
    }
    fields = fields_of(
        api.send(
            "post",
            "companies/552100554/actions",
            {"title": "x", "due_on": past, "assignee_email": "claire.conseil@test.example"},
        )
    )
    assert "assignee_email" in fields
    assert fields_of(api.get("companies/552100554/actions", {"state": "later"})) == {
        "state": "Valeurs possibles : open, done ou all."
    }


def test_readonly_member_cannot_be_assignee(api, company, org_b):
    make_user("rita.lecture@test.example", org_b, ["readonly"])
    fields = fields_of(
        api.send(
            "post",
            "companies/552100554/actions",
            {
                "title": "x",
                "due_on": timezone.localdate().isoformat(),
                "assignee_email": "rita.lecture@test.example",
            },
        )
    )
    assert fields["assignee_email"].startswith("Aucun membre actif de votre organisation")


def test_without_key_401(client, company):
    assert client.get(API + "companies/552100554/journey").status_code == 401
    assert client.get(API + "companies/552100554/timeline").status_code == 401
