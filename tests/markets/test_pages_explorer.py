"""The market explorer page: the question, the ranked markets (table, chart, map), exports,
the demo banner and the empty states."""

import csv
import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guichet.companies.models import Filiere
from guichet.markets import selectors
from guichet.markets.results import DataBasis, MarketTarget, Targets
from tests.markets.conftest import write_trade

URL = "/marches/"


def _targets(*, demo=False, count=3, products=(("2204", "Vins"),)) -> Targets:
    names = [("DEU", "Allemagne"), ("USA", "États-Unis"), ("JPN", "Japon"), ("CHN", "Chine")]
    rows = [
        MarketTarget(
            market=code,
            name=name,
            potential=100e6 - i * 10e6,
            actual=40e6,
            realised_share=0.4,
            unrealised=60e6 - i * 10e6,
            distance_km=800.0 + i * 1000,
            demand_growth=0.12,
            top_products=[("2204", "Vins", 50e6 - i * 10e6)],
        )
        for i, (code, name) in enumerate(names[:count])
    ]
    return Targets(
        subject="Filière Vins",
        products=list(products),
        exporter="R27",
        exporter_label="Bourgogne-Franche-Comté",
        weighting="employment",
        weighting_label=(
            "Part de la région estimée par ses effectifs salariés "
            "(pas de données douanières chargées)."
        ),
        rows=rows,
        basis=DataBasis(
            source_label="Données de démonstration 2024" if demo else "CEPII BACI 2022",
            year=2022,
            years_used=[2018, 2019, 2020, 2021, 2022],
            is_demo=demo,
            notes=["Filtre des petits exportateurs appliqué."],
        ),
    )


@pytest.fixture
def filiere(db):
    return Filiere.objects.create(name="Vins", slug="vins")


@pytest.fixture
def loaded(make_trade):
    return make_trade([("FRA", "DEU", "220421", 1000.0)], year=2022)


@pytest.fixture
def fake(monkeypatch, loaded):
    """The computations answer with a fixed ranking (the page is what is tested here)."""
    state = {"targets": _targets(), "calls": []}

    def targets_for(**kwargs):
        state["calls"].append(kwargs)
        return state["targets"]

    monkeypatch.setattr(selectors, "targets_for", targets_for)
    monkeypatch.setattr(selectors, "filiere_products", lambda filiere, **kw: ["2204"])
    return state


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_no_data_says_what_to_do(client_for, advisor_a):
    body = html.unescape(client_for(advisor_a).get(URL).content.decode())
    assert "Aucune donnée de commerce mondial n'est chargée" in body
    assert "python manage.py load_trade" in body
    assert "make demo" in body
    assert "/marches/donnees/" in body


def test_ranked_markets_table_chart_and_links(client_for, readonly_a, filiere, fake):
    response = client_for(readonly_a).get(URL, {"filiere": filiere.pk, "marches": "2"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Filière Vins" in body
    assert "Part de la région estimée par ses effectifs salariés" in body
    assert "CEPII BACI 2022" in body
    assert "Données de démonstration" not in body
    # two markets shown out of three, the first with its figures and a link to its sheet
    assert "2 premiers marchés sur 3" in body
    sheet = reverse("markets:country", args=["DEU"]) + f"?filiere={filiere.pk}"
    assert f'href="{sheet}"' in body
    assert "60,0\u00a0M$" in body
    assert "40,0\u00a0%" in body
    assert "+12,0\u00a0%" in body
    assert "800\u00a0km" in body
    assert "Japon" not in body.split("<tbody>")[1].split("</tbody>")[0]
    # the bar chart with its table alternative, and the method note
    assert "Potentiel non réalisé, 3 premiers marchés" in body
    assert "Voir les données de ce graphique" in body
    assert "ITC" in body
    assert fake["calls"][0]["filiere"] == filiere


def test_world_map_links_to_country_sheets(client_for, advisor_a, filiere, fake):
    body = html.unescape(client_for(advisor_a).get(URL, {"filiere": filiere.pk}).content.decode())
    assert "<svg" in body.split("Carte du potentiel non réalisé")[1]
    assert reverse("markets:country", args=["USA"]) in body.split("Carte du potentiel")[1]


def test_demo_banner(client_for, advisor_a, filiere, fake):
    fake["targets"] = _targets(demo=True)
    body = html.unescape(client_for(advisor_a).get(URL, {"filiere": filiere.pk}).content.decode())
    assert "Données de démonstration" in body
    assert "fr-alert--warning" in body


def test_csv_export_has_the_whole_table(client_for, advisor_a, filiere, fake):
    response = client_for(advisor_a).get(
        URL, {"filiere": filiere.pk, "marches": "1", "format": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Rang", "Pays", "Code pays (ISO alpha-3)", "Potentiel non réalisé (USD)"]
    assert len(rows) == 4  # header + the three markets, not only the one shown
    assert rows[1][1] == "Allemagne"
    assert rows[1][2] == "DEU"
    assert rows[3][2] == "JPN"


def test_xlsx_export(client_for, advisor_a, filiere, fake):
    response = client_for(advisor_a).get(URL, {"filiere": filiere.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 2).value == "Allemagne"
    assert sheet.cell(2, 4).value == pytest.approx(60e6)


def test_product_code(client_for, advisor_a, fake):
    client_for(advisor_a).get(URL, {"produit": "2204", "annee": "2022"})
    assert fake["calls"][0]["product"] == "2204"
    assert fake["calls"][0]["year"] == 2022


def test_product_words_with_several_matches_offer_a_choice(
    client_for, advisor_a, fake, monkeypatch
):
    found = [("2204", "Vin de raisins frais"), ("2205", "Vermouths")]
    monkeypatch.setattr(selectors, "hs_search", lambda text, **kw: found)
    body = html.unescape(client_for(advisor_a).get(URL, {"produit": "vin"}).content.decode())
    assert "Plusieurs produits correspondent" in body
    assert 'href="?produit=2205"' in body
    assert "SH 2205 — Vermouths" in body
    assert not fake["calls"]


def test_product_words_with_one_match_rank_it(client_for, advisor_a, fake, monkeypatch):
    monkeypatch.setattr(selectors, "hs_search", lambda text, **kw: [("2204", "Vin")])
    client_for(advisor_a).get(URL, {"produit": "vin"})
    assert fake["calls"][0]["product"] == "2204"


def test_bad_inputs_in_french_and_kept(client_for, advisor_a, filiere, fake):
    body = html.unescape(
        client_for(advisor_a)
        .get(URL, {"produit": "22041", "annee": "1990", "marches": "0"})
        .content.decode()
    )
    assert "Un code SH a 2, 4 ou 6 chiffres" in body
    assert "Aucune donnée n'est chargée pour cette année." in body
    assert "Au moins 1 marché." in body
    assert 'value="22041"' in body
    assert not fake["calls"]


def test_both_filiere_and_product_refused(client_for, advisor_a, filiere, fake):
    body = html.unescape(
        client_for(advisor_a).get(URL, {"filiere": filiere.pk, "produit": "2204"}).content.decode()
    )
    assert "Choisissez une filière ou un produit, pas les deux" in body


def test_unknown_words(client_for, advisor_a, fake):
    body = html.unescape(client_for(advisor_a).get(URL, {"produit": "zzzqqq"}).content.decode())
    assert "Aucun produit SH ne correspond à « zzzqqq »" in body


def test_filiere_without_products_says_why(client_for, advisor_a, filiere, fake, monkeypatch):
    monkeypatch.setattr(selectors, "filiere_products", lambda filiere, **kw: [])
    body = html.unescape(client_for(advisor_a).get(URL, {"filiere": filiere.pk}).content.decode())
    assert "Aucun produit pour la filière « Vins »" in body
    assert "codes NAF" in body
    assert not fake["calls"]


def test_years_offered_are_the_loaded_ones(client_for, advisor_a, loaded):
    write_trade([("FRA", "DEU", "220421", 10.0)], year=2021)
    body = html.unescape(client_for(advisor_a).get(URL).content.decode())
    assert '<option value="2022">2022</option>' in body
    assert '<option value="2021">2021</option>' in body
    assert '<option value="2020">' not in body


# --- on real computations (a small generated world) ---------------------------------------

WORLD = [
    ("FRA", "USA", "2204", 900e3),
    ("FRA", "GBR", "2204", 700e3),
    ("FRA", "JPN", "2204", 300e3),
    ("ITA", "USA", "2204", 800e3),
    ("ITA", "GBR", "2204", 300e3),
    ("ITA", "CHN", "2204", 50e3),
    ("USA", "JPN", "2204", 200e3),
    ("USA", "CHN", "2204", 100e3),
    ("FRA", "CHN", "2208", 600e3),
    ("GBR", "USA", "2208", 1500e3),
    ("GBR", "CHN", "2208", 300e3),
    ("DEU", "USA", "8703", 5000e3),
    ("JPN", "CHN", "8703", 1500e3),
    ("FRA", "GBR", "8703", 600e3),
]


@pytest.fixture
def world(reference):
    write_trade(WORLD, year=2022, level="hs4")
    wine = Filiere.objects.create(name="Vins et spiritueux", slug="vins-spiritueux")
    wine.naf_codes.set(["11.02A", "11.01"])
    services = Filiere.objects.create(name="Conseil", slug="conseil")
    services.naf_codes.set(["70.22Z"])
    return wine, services


def test_real_ranking_of_a_filiere(client_for, advisor_a, world):
    wine, _ = world
    body = html.unescape(client_for(advisor_a).get(URL, {"filiere": wine.pk}).content.decode())
    assert "Filière Vins et spiritueux" in body
    table = body.split("<tbody>")[1].split("</tbody>")[0]
    assert "Chine" in table
    assert reverse("markets:country", args=["CHN"]) + f"?filiere={wine.pk}" in table
    assert "Voir les données de ce graphique" in body
    assert "Carte du potentiel non réalisé" in body
    assert "CEPII BACI 2022" in body


def test_real_export_matches_the_page(client_for, advisor_a, world):
    wine, _ = world
    response = client_for(advisor_a).get(URL, {"filiere": wine.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    markets = [row[2] for row in rows[1:]]
    assert markets
    assert set(markets) <= {"USA", "GBR", "JPN", "CHN", "ITA", "DEU"}
    unrealised = [float(row[3]) for row in rows[1:]]
    assert unrealised == sorted(unrealised, reverse=True)


def test_real_filiere_without_goods(client_for, advisor_a, world):
    _, services = world
    body = html.unescape(client_for(advisor_a).get(URL, {"filiere": services.pk}).content.decode())
    assert "Aucun produit pour la filière « Conseil »" in body


def test_real_product_absent_from_data(client_for, advisor_a, world):
    body = html.unescape(client_for(advisor_a).get(URL, {"produit": "0101"}).content.decode())
    assert "Aucun marché ne ressort pour ce choix" in body
