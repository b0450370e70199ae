"""A country's sheet: the figures of the explorer's subject, the demo banner, the partners'
presence (agreements, V.I.E. missions, collective actions), empty states and the 404."""

import html
from datetime import date

import pytest
from django.urls import reverse

from guichet.companies.models import Filiere
from guichet.markets import selectors
from guichet.markets.models import CooperationAgreement
from guichet.markets.results import DataBasis
from guichet.reference.models import Country
from tests.collective.conftest import make_action
from tests.companies.conftest import make_company
from tests.vie.conftest import make_mission


def _facts(*, demo=False) -> dict:
    return {
        "iso3": "DEU",
        "name": "Allemagne",
        "distance_km": 880.0,
        "imports": 250e6,
        "imports_trend": [(2020, 200e6), (2021, 230e6), (2022, 250e6)],
        "suppliers": [
            ("ITA", "Italie", 100e6, 0.4),
            ("FRA", "France", 75e6, 0.3),
            ("ESP", "Espagne", 25e6, 0.1),
        ],
        "france_share": 0.3,
        "france_share_trend": [(2020, 0.25), (2021, 0.28), (2022, 0.3)],
        "basis": DataBasis(
            source_label="Données de démonstration 2022" if demo else "CEPII BACI 2022",
            year=2022,
            years_used=[2020, 2021, 2022],
            is_demo=demo,
        ),
    }


@pytest.fixture
def loaded(make_trade, reference):
    return make_trade([("FRA", "DEU", "220421", 1000.0)], year=2022)


@pytest.fixture
def fake(monkeypatch, loaded):
    state = {"facts": _facts(), "calls": []}

    def facts_for(iso3, **kwargs):
        state["calls"].append((iso3, kwargs))
        return state["facts"]

    monkeypatch.setattr(selectors, "facts_for", facts_for)
    monkeypatch.setattr(selectors, "filiere_products", lambda filiere, **kw: ["2204", "2205"])
    return state


def _page(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


URL = "/marches/pays/DEU/"


def test_anonymous_is_sent_to_login(client, reference):
    assert client.get(URL).status_code == 302


def test_unknown_country_is_a_french_404(client_for, advisor_a, reference):
    response = client_for(advisor_a).get("/marches/pays/XYZ/")
    assert response.status_code == 404
    body = html.unescape(response.content.decode())
    assert "Page introuvable" in body
    assert "Aucun pays ne porte ce code" in body


def test_figures_of_the_filiere(client_for, readonly_a, fake):
    filiere = Filiere.objects.create(name="Vins", slug="vins")
    body = _page(client_for(readonly_a), URL, {"filiere": filiere.pk, "annee": "2022"})
    assert "<h1>Allemagne</h1>" in body
    assert "Filière Vins" in body
    assert fake["calls"] == [("DEU", {"products": ["2204", "2205"], "year": 2022})]
    assert "250,0\u00a0M$" in body
    assert "30,0\u00a0%" in body  # France's share
    assert "880\u00a0km" in body
    assert "Italie" in body
    assert "<strong>France</strong>" in body
    assert "Importations des produits retenus — Allemagne (millions de dollars)" in body
    assert "Part de la France dans ces importations" in body
    assert "CEPII BACI 2022" in body
    assert "Données de démonstration" not in body
    # back to the ranking with the same subject
    assert f'href="/marches/?filiere={filiere.pk}&annee=2022"' in body


def test_product_subject(client_for, advisor_a, fake):
    body = _page(client_for(advisor_a), URL, {"produit": "2204"})
    assert "SH 2204" in body
    assert fake["calls"][0][1]["products"] == ["2204"]


def test_demo_banner(client_for, advisor_a, fake):
    fake["facts"] = _facts(demo=True)
    body = _page(client_for(advisor_a), URL)
    assert "Données de démonstration" in body
    assert "fr-alert--warning" in body


def test_no_data_loaded(client_for, advisor_a, reference):
    body = _page(client_for(advisor_a), URL)
    assert "Aucune donnée de commerce mondial n'est chargée" in body
    assert "make demo" in body
    # the partners' presence is still shown
    assert "Aucun accord de coopération enregistré avec Allemagne" in body
    assert "Aucune mission V.I.E. enregistrée dans ce pays" in body
    assert "Aucune action collective dans ce pays" in body


def test_partners_presence(client_for, advisor_a, org_a, org_b, fake):
    germany = Country.objects.get(iso3="DEU")
    CooperationAgreement.objects.create(
        country=germany,
        title="Accord Bourgogne–Rhénanie-Palatinat",
        counterpart="Land de Rhénanie-Palatinat",
        signed_on=date(2019, 5, 2),
        organisation=org_b,
    )
    CooperationAgreement.objects.create(
        country=Country.objects.get(iso3="JPN"), title="Accord japonais", organisation=org_a
    )
    company = make_company("552100554", "Fromagerie de Bourgogne")
    make_mission(company, org_a, starts_on=date(2024, 3, 1), ends_on=date(2025, 2, 28))
    make_mission(company, org_a, starts_on=date(2024, 9, 1), ends_on=date(2025, 8, 31))
    make_mission(company, org_b, starts_on=date(2023, 1, 2), ends_on=date(2023, 12, 31))
    make_mission(company, org_a, country=Country.objects.get(iso2="JP"), city="Tokyo")
    make_action(
        org_a, slug="anuga-2099", year=2099, country=germany, city="Cologne", title="Anuga 2099"
    )
    make_action(
        org_a,
        slug="prowein-2001",
        year=2001,
        country=germany,
        city="Düsseldorf",
        title="ProWein 2001",
    )
    make_action(org_a, slug="sial-2099", year=2099, title="SIAL 2099")  # in France
    body = _page(client_for(advisor_a), URL)
    assert "Accord Bourgogne–Rhénanie-Palatinat" in body
    assert "Land de Rhénanie-Palatinat" in body
    assert "Accord japonais" not in body
    assert "3 missions V.I.E. dans ce pays" in body
    assert "2 commencées en 2024" in body
    assert "1 commencée en 2023" in body
    assert "Fromagerie de Bourgogne" in body  # members may open company files
    upcoming, past = body.split("À venir ou en cours")[1].split("Passées")
    assert "Anuga 2099" in upcoming
    assert "ProWein 2001" in past
    assert reverse("collective:action_detail", args=["anuga-2099"]) in body
    assert "SIAL 2099" not in body


def test_agreement_link_only_for_those_who_may_record(client_for, readonly_a, manager_a, fake):
    create = reverse("markets:agreement_create") + "?pays=DEU"
    assert create not in _page(client_for(readonly_a), URL)
    assert create in _page(client_for(manager_a), URL)


def test_unknown_subject_falls_back_to_all_products(client_for, advisor_a, fake):
    body = _page(client_for(advisor_a), URL, {"filiere": "999999", "produit": "abc"})
    assert "Tous produits" in body
    assert fake["calls"][0][1]["products"] is None


def test_real_figures_from_a_loaded_year(client_for, advisor_a, make_trade, reference):
    make_trade(
        [
            ("ITA", "DEU", "2204", 600e6),
            ("FRA", "DEU", "2204", 300e6),
            ("ESP", "DEU", "2204", 100e6),
            ("FRA", "DEU", "8703", 5000e6),
        ],
        year=2022,
        level="hs4",
    )
    body = _page(client_for(advisor_a), URL, {"produit": "2204"})
    assert "1,0\u00a0Md$" in body  # imports of wine only
    assert "30,0\u00a0%" in body  # France's share
    suppliers = body.split("Principaux fournisseurs, du premier au dixième")[1]
    assert suppliers.index("Italie") < suppliers.index("France") < suppliers.index("Espagne")
    assert "60,0\u00a0%" in suppliers
