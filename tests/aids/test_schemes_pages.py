"""Scheme pages: the list every member reads and exports, a scheme's page, and the form of
the provider's managers (validation in French, rows of categories, documents, envelopes)."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.aids.models import AidScheme
from tests.aids.conftest import make_scheme

pytestmark = pytest.mark.django_db


def test_members_see_the_open_schemes_with_their_rate_ceiling_and_envelope(
    client_for, advisor_b, scheme
):
    make_scheme(scheme.provider, slug="ferme", name="Ancien salon", is_active=False)
    response = client_for(advisor_b).get("/aides/dispositifs/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Soutien au V.I.E." in text
    assert "50\u00a0%" in text
    assert "renouvellement 25\u00a0%" in text
    assert "25\u202f000\u202f€" in text  # ceiling per aid
    assert "500\u202f000\u202f€" in text  # this year's envelope
    assert "Ancien salon" not in text
    closed = client_for(advisor_b).get("/aides/dispositifs/?fermes=1").content.decode()
    assert "Ancien salon" in closed
    assert "Fermé" in closed


def test_anonymous_visitors_are_sent_to_the_login_page(client_for, scheme):
    from django.urls import reverse

    response = client_for(None).get("/aides/dispositifs/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:login"))


def test_the_list_exports_as_csv_with_every_rule(client_for, advisor_a, scheme):
    response = client_for(advisor_a).get("/aides/dispositifs/?format=csv")
    body = response.content.decode("utf-8-sig")
    header, line = body.splitlines()[:2]
    assert response["Content-Type"].startswith("text/csv")
    assert header.startswith("Dispositif;Identifiant;Financeur;Régime;Taux (%)")
    assert line.startswith("Soutien au V.I.E.;soutien-vie;Région Test;De minimis général")
    assert ";50.0;25.0;25000.00;" in line
    assert "Indemnités du volontaire ; Frais de gestion Business France" in line
    assert line.endswith(";oui;500000.00")


def test_a_scheme_page_shows_its_rules_documents_and_envelope(client_for, advisor_b, scheme):
    text = client_for(advisor_b).get(f"/aides/dispositifs/{scheme.slug}/").content.decode()
    assert "Prendre en charge une partie du coût" in text
    assert "Indemnités du volontaire" in text
    assert "Devis Business France" in text
    assert "De minimis général — règlement (UE) 2023/2831" in text
    assert "3 au plus" in text
    assert f"Enveloppe {date.today().year}" in text
    assert "Modifier le dispositif" not in text  # an advisor of another organisation


def _scheme_post(**overrides) -> dict:
    data = {
        "name": "Prospection export",
        "slug": "",
        "provider": "",
        "purpose": "Aider un programme de prospection sur deux ans.",
        "rate": "50",
        "extension_rate": "",
        "ceiling_per_aid": "75 000",
        "ceiling_per_company": "",
        "min_eligible_costs": "40000",
        "max_aids_per_company": "1",
        "max_duration_months": "24",
        "regime": "de_minimis",
        "not_aid_justification": "",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "is_active": "on",
        "sizes": ["PME"],
        "categories-TOTAL_FORMS": "3",
        "categories-INITIAL_FORMS": "0",
        "categories-0-label": "Salons et missions",
        "categories-0-code": "",
        "categories-1-label": "Supports de communication",
        "categories-1-code": "com",
        "categories-2-label": "",
        "categories-2-code": "",
        "pieces-TOTAL_FORMS": "3",
        "pieces-INITIAL_FORMS": "0",
        "pieces-0-label": "Plan de prospection",
        "pieces-0-mandatory": "on",
        "pieces-1-label": "",
        "pieces-2-label": "",
        "enveloppes-TOTAL_FORMS": "3",
        "enveloppes-INITIAL_FORMS": "0",
        "enveloppes-0-year": "2026",
        "enveloppes-0-amount": "1 200 000",
        "enveloppes-1-year": "",
        "enveloppes-1-amount": "",
        "enveloppes-2-year": "",
        "enveloppes-2-amount": "",
    }
    data.update(overrides)
    return data


def test_a_manager_creates_a_scheme_of_its_organisation_with_its_rows(client_for, manager_a, org_a):
    response = client_for(manager_a).post(
        "/aides/dispositifs/nouveau/", _scheme_post(provider=str(org_a.pk))
    )
    assert response.status_code == 302
    scheme = AidScheme.objects.get(name="Prospection export")
    assert response["Location"] == f"/aides/dispositifs/{scheme.slug}/"
    assert scheme.slug == "prospection-export"
    assert scheme.rate == Decimal("0.5000")
    assert scheme.ceiling_per_aid == Decimal("75000")
    assert scheme.provider == org_a
    assert scheme.sizes == ["PME"]
    assert [(c.code, c.label) for c in scheme.cost_categories.all()] == [
        ("salons-et-missions", "Salons et missions"),
        ("com", "Supports de communication"),
    ]
    assert [(d.label, d.mandatory) for d in scheme.required_documents.all()] == [
        ("Plan de prospection", True)
    ]
    assert [(e.year, e.amount) for e in scheme.envelopes.all()] == [(2026, Decimal("1200000"))]
