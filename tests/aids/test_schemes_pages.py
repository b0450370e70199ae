"""Scheme pages: the list every member reads and exports, a scheme's page, and the form of
the provider's managers (validation in French, rows of categories, documents, envelopes)."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.aids.models import AidScheme
from tests.aids.conftest import make_scheme
from tests.conftest import make_user

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


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rate": "150"}, "Le taux va de 0 à 100 %."),
        ({"rate": "cinquante"}, "Saisissez un pourcentage (ex. 50 ou 12,5)."),
        ({"ceiling_per_aid": "-1000"}, "Le plafond par aide ne peut pas être négatif."),
        (
            {"opens_on": "2026-06-01", "closes_on": "2026-01-31"},
            "La date limite (31/01/2026) précède l&#x27;ouverture (01/06/2026).",
        ),
        (
            {"min_age_years": "5", "max_age_years": "2"},
            "L&#x27;âge maximum (2 ans) est inférieur à l&#x27;âge minimum (5 ans).",
        ),
        (
            {"regime": "not_aid"},
            "Expliquez pourquoi ce dispositif n&#x27;est pas une aide d&#x27;État",
        ),
        (
            {"categories-0-label": "", "categories-1-label": ""},
            "Indiquez au moins une catégorie de dépenses éligibles.",
        ),
        ({"enveloppes-0-amount": "-5"}, "Une enveloppe ne peut pas être négative."),
    ],
)
def test_a_scheme_with_bad_values_is_refused_with_what_was_typed(
    client_for, manager_a, org_a, overrides, message
):
    response = client_for(manager_a).post(
        "/aides/dispositifs/nouveau/", _scheme_post(provider=str(org_a.pk), **overrides)
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient" in text
    assert message in text
    assert 'value="Prospection export"' in text
    assert AidScheme.objects.count() == 0


def test_a_scheme_that_is_not_state_aid_keeps_its_justification(client_for, manager_a, org_a):
    client_for(manager_a).post(
        "/aides/dispositifs/nouveau/",
        _scheme_post(
            provider=str(org_a.pk),
            regime="not_aid",
            not_aid_justification="Bourse versée à des étudiants, pas à des entreprises.",
        ),
    )
    scheme = AidScheme.objects.get()
    assert scheme.is_state_aid is False
    assert scheme.not_aid_justification.startswith("Bourse versée")


def test_a_manager_cannot_create_for_another_organisation(client_for, manager_a, org_b):
    response = client_for(manager_a).post(
        "/aides/dispositifs/nouveau/", _scheme_post(provider=str(org_b.pk))
    )
    assert "Vous ne pouvez créer que les dispositifs de votre organisation." in (
        response.content.decode()
    )
    assert AidScheme.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("manager_a", 200), ("admin_user", 200), ("advisor_a", 403), ("readonly_a", 403)],
)
def test_who_may_edit_a_scheme(client_for, request, scheme, who, status):
    response = client_for(request.getfixturevalue(who)).get(
        f"/aides/dispositifs/{scheme.slug}/modifier/"
    )
    assert response.status_code == status


def test_a_manager_of_another_organisation_cannot_edit(client_for, org_b, scheme):
    other = make_user("marc.manager@cci.example", org_b, ["manager"])
    assert client_for(other).get(f"/aides/dispositifs/{scheme.slug}/modifier/").status_code == 403
    assert client_for(other).get("/aides/dispositifs/nouveau/").status_code == 200


def _edit_post(scheme, **overrides) -> dict:
    data = _scheme_post(
        name=scheme.name,
        slug=scheme.slug,
        provider=str(scheme.provider_id),
        **{
            # As the page's management forms say: the scheme's rows come first.
            "categories-INITIAL_FORMS": "2",
            "pieces-INITIAL_FORMS": "2",
            "enveloppes-INITIAL_FORMS": "1",
            "categories-TOTAL_FORMS": "2",
            "categories-0-label": "Indemnités du volontaire",
            "categories-0-code": "indemnite",
            "categories-1-label": "Frais de gestion Business France",
            "categories-1-code": "frais",
        },
    )
    data.update(overrides)
    return data


def test_the_edit_form_is_filled_with_the_scheme_and_its_rows(client_for, manager_a, scheme):
    text = client_for(manager_a).get(f"/aides/dispositifs/{scheme.slug}/modifier/").content.decode()
    assert 'value="Soutien au V.I.E."' in text
    assert 'name="rate" value="50"' in text
    assert 'value="Indemnités du volontaire"' in text
    assert 'value="Devis Business France"' in text
    assert 'value="500000"' in text


def test_a_category_used_by_applications_cannot_be_removed(client_for, manager_a, scheme, company):
    from tests.aids.conftest import make_application

    make_application(scheme, company, scheme.provider)  # uses "indemnite"
    response = client_for(manager_a).post(
        f"/aides/dispositifs/{scheme.slug}/modifier/",
        _edit_post(scheme, **{"categories-0-label": "", "categories-0-code": ""}),
    )
    assert "La catégorie « Indemnités du volontaire » figure dans des demandes" in (
        response.content.decode()
    )
    assert scheme.cost_categories.filter(code="indemnite").exists()


def test_editing_updates_rows_by_their_code(client_for, manager_a, scheme):
    response = client_for(manager_a).post(
        f"/aides/dispositifs/{scheme.slug}/modifier/",
        _edit_post(
            scheme,
            rate="25",
            **{"categories-1-label": "Frais de gestion (Business France)"},
        ),
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.rate == Decimal("0.2500")
    assert [c.label for c in scheme.cost_categories.all()] == [
        "Indemnités du volontaire",
        "Frais de gestion (Business France)",
    ]
    assert [d.label for d in scheme.required_documents.all()] == ["Plan de prospection"]
    assert [(e.year, e.amount) for e in scheme.envelopes.all()] == [(2026, Decimal("1200000"))]
