"""Product space page: the SVG (one circle per product with its title, colour by RCA class),
the diversification opportunities and every product as tables with their exports, the
choices of exporter, level and year, and the empty state."""

import csv
import io
import re

import pytest

from guichet.markets.views.product_space import rca_class, usd
from tests.markets.test_api import WORLD

URL = "/marches/espace-produits/"


@pytest.fixture
def world(reference, make_trade):
    make_trade(WORLD, year=2021, level="hs4")
    return make_trade(WORLD, year=2022, level="hs4", demo=True)


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(URL).status_code == 302


def test_france_by_default_with_svg_legend_and_tables(client_for, readonly_a, world):
    response = client_for(readonly_a).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Données de démonstration" in page  # the basis banner of a demo year
    assert '<option value="FRA" selected>France</option>' in page
    svg = page[page.index("<svg xmlns") : page.index("</svg>", page.index("<svg xmlns"))]
    circles = re.findall(r'<circle [^>]*fill="(#[0-9a-f]+)"[^>]*><title>([^<]*)</title>', svg)
    assert len(circles) == 4  # the four products of the world
    titles = {title.split(" — ")[0]: (fill, title) for fill, title in circles}
    # France's wine: RCA (1500/1900)/(1650/7950) = 3.80 → strong advantage, dark blue.
    assert titles["2204"][0] == "#000091"
    assert "RCA 3,80" in titles["2204"][1]
    assert "commerce mondial 1,6\u00a0k USD" in titles["2204"][1]
    # France does not export live animals: grey, RCA 0.
    assert titles["0101"][0] == "#eeeeee"
    assert "Pas d'exportation (RCA = 0)" in page.replace("&#x27;", "'")
    assert "<line " in svg  # the proximity links
    assert "Opportunités de diversification" in page
    assert "Tous les produits de l'espace (4)" in page


def test_exports_of_both_tables(client_for, advisor_a, world):
    client = client_for(advisor_a)
    rows = _csv(client.get(URL, {"table": "produits", "format": "csv"}))
    assert rows[0][0] == "Code SH"
    assert rows[0][3] == "RCA"
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == {"0101", "2204", "3004", "8703"}
    assert float(by_code["2204"][3]) == pytest.approx((1500 / 1900) / (1650 / 7950), abs=1e-4)
    assert by_code["2204"][4] == "oui"
    assert by_code["0101"][4] == "non"
    assert float(by_code["2204"][8]) == 1650
    opportunities = _csv(client.get(URL, {"format": "csv"}))
    assert opportunities[0] == rows[0]
    assert all(r[4] == "non" for r in opportunities[1:])
    xlsx = client.get(URL, {"table": "produits", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "espace-produits-produits-FRA-hs4-2022" in xlsx["Content-Disposition"]


def test_other_exporter_level_and_year(client_for, advisor_a, world):
    client = client_for(advisor_a)
    page = client.get(URL, {"exporter": "deu", "level": "hs2", "year": "2021"}).content.decode()
    assert '<option value="DEU" selected>Allemagne</option>' in page
    assert '<option value="hs2" selected>' in page
    assert '<option value="2021" selected>2021</option>' in page
    assert "Espace produits — Allemagne" in page
    assert re.search(r"<title>22 — [^<]*; RCA ", page)  # chapters, not headings


def test_bad_choices_fall_back_with_a_french_note(client_for, advisor_a, world):
    page = client_for(advisor_a).get(URL, {"exporter": "ZZZ", "level": "hs9", "year": "1900"})
    page = page.content.decode()
    assert "Pays exportateur inconnu : la France est affichée à la place." in page
    assert "Niveau de produit inconnu" in page
    assert "Année non chargée : 1900 ; 2022 est affichée à la place." in page
    assert "Espace produits — France" in page


def test_empty_state_without_trade_data(client_for, advisor_a, reference):
    page = client_for(advisor_a).get(URL).content.decode()
    assert "Aucune donnée de commerce mondial n'est chargée" in page
    assert "load_trade" in page
    assert "<svg xmlns" not in page


def test_rca_classes_and_usd():
    assert [rca_class(v) for v in (0, 0.4, 1, 1.99, 2, float("nan"))] == [
        "none",
        "low",
        "rca1",
        "rca1",
        "rca2",
        "none",
    ]
    assert usd(1_234_000_000) == "1,2\u00a0Md USD"
    assert usd(350e6) == "350,0\u00a0M USD"
    assert usd(12) == "12\u00a0USD"


def test_short_section_titles():
    from guichet.markets.views.product_space import short_section

    assert short_section("Machines et appareils ; appareils d'enregistrement") == (
        "Machines et appareils"
    )
    assert short_section("Matériel de transport") == "Matériel de transport"
