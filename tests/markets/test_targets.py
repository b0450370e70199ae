"""Target markets for the region: customs weighting, employment proxy, France's figures when
neither can be measured (each said), ranking by unrealised potential."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from guichet.companies.models import Establishment, Filiere
from guichet.markets import potential, storage
from guichet.markets.assumptions import no_growth
from guichet.markets.models import DatasetKind, TradeDataset
from guichet.markets.targets import filiere_targets, product_targets
from tests.companies.conftest import make_company

# Four exporters, five markets, wine (2204), spirits (2208), cars (8703), horses (0101).
FLOWS = {
    ("FRA", "2204"): {"USA": 900, "GBR": 700, "JPN": 300, "CHN": 200, "BRA": 20},
    ("ITA", "2204"): {"USA": 800, "GBR": 300, "JPN": 100, "CHN": 50, "BRA": 60, "FRA": 40},
    ("USA", "2204"): {"GBR": 100, "JPN": 200, "CHN": 100, "BRA": 5},
    ("FRA", "2208"): {"USA": 1200, "GBR": 200, "CHN": 600, "JPN": 90},
    ("GBR", "2208"): {"USA": 1500, "FRA": 300, "JPN": 250, "CHN": 300, "BRA": 50},
    ("ITA", "2208"): {"USA": 100, "BRA": 30},
    ("DEU", "8703"): {"USA": 5000, "CHN": 4000, "GBR": 3000, "FRA": 2500, "JPN": 500},
    ("JPN", "8703"): {"USA": 6000, "CHN": 1500, "GBR": 800, "BRA": 300},
    ("FRA", "8703"): {"GBR": 600, "ITA": 900, "CHN": 50},
    ("FRA", "0101"): {"USA": 80, "JPN": 40},
    ("USA", "0101"): {"GBR": 70, "JPN": 90},
}
ROWS = [
    (exporter, importer, product, value * 1000.0)
    for (exporter, product), markets in FLOWS.items()
    for importer, value in markets.items()
]


@pytest.fixture
def world(make_trade, reference):
    make_trade(ROWS, year=2022, level="hs4")
    filiere = Filiere.objects.create(name="Vins et spiritueux", slug="vins")
    filiere.naf_codes.set(["11.02A", "11.01"])
    return filiere


def france(products):
    table = potential.export_potential(exporter="FRA", products=products, assumptions=no_growth())
    per_market = {}
    for row in table.rows:
        entry = per_market.setdefault(row.market, {})
        entry[row.product] = row
    return per_market


def with_band(company, band):
    Establishment.objects.filter(company=company).update(headcount_band_id=band)


def write_customs(rows, year=2023):
    path = storage.customs_path(year)
    columns = list(zip(*rows, strict=True))
    table = pa.table(
        {
            "year": pa.array([year] * len(rows), pa.int32()),
            "region": pa.array(columns[0], pa.string()),
            "departement": pa.array(columns[1], pa.string()),
            "partner": pa.array(columns[2], pa.string()),
            "product": pa.array(columns[3], pa.string()),
            "flow": pa.array(columns[4], pa.string()),
            "value": pa.array([float(v) for v in columns[5]], pa.float64()),
        }
    )
    pq.write_table(table, path)
    TradeDataset.objects.create(
        kind=DatasetKind.CUSTOMS,
        source="customs-fr",
        year=year,
        path=storage.relative(path),
        checksum="x",
        currency="EUR",
    )


def test_without_establishments_outside_the_region_france_figures_are_used(world):
    make_company("100000001", "Domaine de Dijon", naf="11.02A")  # Dijon: région 27
    targets = filiere_targets(world, assumptions=no_growth())
    assert targets.subject == "Filière Vins et spiritueux"
    assert [code for code, _label in targets.products] == ["2204", "2208"]
    assert targets.weighting == "none"
    assert targets.exporter == "FRA"
    assert targets.exporter_label == "France"
    assert targets.weighting_label.startswith("Chiffres de la France, non pondérés")
    assert "aucun établissement hors de la région Bourgogne-Franche-Comté" in (
        targets.weighting_label
    )
    assert targets.weighting_label in targets.basis.notes
    expected = france(["2204", "2208"])
    assert {t.market for t in targets.rows} == set(expected)
    for target in targets.rows:
        rows = expected[target.market].values()
        assert target.potential == pytest.approx(sum(r.potential for r in rows))
        assert target.actual == pytest.approx(sum(r.actual for r in rows))
        assert target.unrealised == pytest.approx(sum(r.unrealised for r in rows))
        assert target.realised_share == pytest.approx(1 - target.unrealised / target.potential)
    usa = next(t for t in targets.rows if t.market == "USA")
    assert usa.name == "États-Unis"
    # Cars and horses are not wine: never in the filière's products.
    assert all(code in ("2204", "2208") for t in targets.rows for code, *_ in t.top_products)


def test_ranked_by_unrealised_potential_with_top_products(world):
    targets = filiere_targets(world, assumptions=no_growth())
    unrealised = [t.unrealised for t in targets.rows]
    assert unrealised == sorted(unrealised, reverse=True)
    assert unrealised[0] > 0
    first = targets.rows[0]
    expected = france(["2204", "2208"])[first.market]
    best = max(expected.values(), key=lambda r: r.unrealised)
    assert first.top_products[0][0] == best.product
    assert first.top_products[0][1].startswith(("Wine", "Undenatured ethyl alcohol"))
    assert first.top_products[0][2] == pytest.approx(best.unrealised)
    limited = filiere_targets(world, assumptions=no_growth(), limit=2)
    assert [t.market for t in limited.rows] == [t.market for t in targets.rows[:2]]


def test_employment_share_weights_each_product(world):
    dijon = make_company("100000001", "Domaine de Dijon", naf="11.02A")
    with_band(dijon, "12")  # 20 to 49: 34.5
    bordeaux = make_company("100000002", "Château Bordeaux", naf="11.02A", commune_code="33063")
    with_band(bordeaux, "21")  # 50 to 99: 74.5
    lyon = make_company("100000003", "Distillerie Lyon", naf="11.01Z", commune_code="69123")
    with_band(lyon, "11")  # 10 to 19: 14.5 — spirits are division 11 too
    software = make_company("100000004", "Logiciels", naf="62.01Z", commune_code="75056")
    with_band(software, "53")  # not in the filière's codes: not counted
    targets = filiere_targets(world, assumptions=no_growth())
    assert targets.weighting == "employment"
    assert targets.exporter == "R27"
    assert targets.exporter_label == "Bourgogne-Franche-Comté"
    assert "part de la région Bourgogne-Franche-Comté dans l'emploi salarié" in (
        targets.weighting_label
    )
    share = 34.5 / (34.5 + 74.5 + 14.5)
    expected = france(["2204", "2208"])
    for target in targets.rows:
        rows = expected[target.market].values()
        assert target.potential == pytest.approx(share * sum(r.potential for r in rows))
        assert target.unrealised == pytest.approx(share * sum(r.unrealised for r in rows))


def test_product_targets_use_the_products_naf_divisions(world):
    dijon = make_company("100000001", "Équipementier", naf="29.32Z")
    with_band(dijon, "22")  # 100 to 199: 149.5
    paris = make_company("100000002", "Constructeur", naf="29.10Z", commune_code="75056")
    with_band(paris, "41")  # 500 to 999: 749.5
    targets = product_targets("8703", assumptions=no_growth())
    assert targets.subject.startswith("SH 8703 — Motor cars")
    assert targets.products[0][0] == "8703"
    assert targets.weighting == "employment"
    share = 149.5 / (149.5 + 749.5)
    expected = france(["8703"])
    gbr = next(t for t in targets.rows if t.market == "GBR")
    assert gbr.potential == pytest.approx(share * expected["GBR"]["8703"].potential)
    # A chapter takes every product of the data under it.
    assert [c for c, _ in product_targets("22", assumptions=no_growth()).products] == [
        "2204",
        "2208",
    ]
    missing = product_targets("9701", assumptions=no_growth())
    assert missing.rows == []
    assert "n'apparaît pas dans les données chargées" in missing.basis.notes[-1]


def test_customs_share_takes_precedence(world):
    make_company("100000002", "Château Bordeaux", naf="11.02A", commune_code="33063")
    write_customs(
        [
            ("27", "", "USA", "220421", "X", 20),
            ("27", "", "JPN", "220410", "X", 10),
            ("75", "", "USA", "220421", "X", 70),
            ("27", "", "USA", "220830", "X", 10),
            ("84", "", "CHN", "220830", "X", 40),
            ("27", "", "USA", "220830", "M", 999),  # imports: not counted
            ("27", "21", "USA", "220421", "X", 500),  # a département breakdown: not doubled
        ]
    )
    targets = filiere_targets(world, assumptions=no_growth())
    assert targets.weighting == "customs"
    assert targets.exporter == "R27"
    assert "exportations françaises du produit (douanes, tableaux régionaux 2023)" in (
        targets.weighting_label
    )
    expected = france(["2204", "2208"])
    for target in targets.rows:
        rows = expected[target.market]
        wine, spirits = rows.get("2204"), rows.get("2208")
        value = (0.3 * wine.potential if wine else 0) + (0.2 * spirits.potential if spirits else 0)
        assert target.potential == pytest.approx(value)


def test_customs_by_departement_only(world):
    write_customs(
        [
            ("", "21", "USA", "2204", "X", 25),  # Côte-d'Or, région 27
            ("", "33", "USA", "2204", "X", 75),
        ]
    )
    targets = filiere_targets(world, assumptions=no_growth())
    assert targets.weighting == "customs"
    expected = france(["2204", "2208"])
    usa = next(t for t in targets.rows if t.market == "USA")
    # 2208 has no customs figure: it takes the région's share over the matched products.
    assert usa.potential == pytest.approx(
        0.25 * (expected["USA"]["2204"].potential + expected["USA"]["2208"].potential)
    )


def test_customs_without_the_region_falls_back_to_employment(world):
    make_company("100000002", "Château Bordeaux", naf="11.02A", commune_code="33063")
    write_customs([("75", "", "USA", "2204", "X", 75)])
    targets = filiere_targets(world, assumptions=no_growth())
    assert targets.weighting == "none"  # nobody in the registry is in the région here
    assert "aucun emploi salarié dans les codes NAF" in targets.weighting_label


def test_services_filiere_has_no_product(world):
    digital = Filiere.objects.create(name="Numérique", slug="numerique")
    digital.naf_codes.set(["62.01Z"])
    targets = filiere_targets(digital, assumptions=no_growth())
    assert targets.products == []
    assert targets.rows == []
    assert any("Aucun produit SH" in note for note in targets.basis.notes)
    assert targets.basis.year == 2022


def test_no_trade_data(reference):
    filiere = Filiere.objects.create(name="Vins", slug="vins")
    with pytest.raises(potential.NoTradeData, match="Aucune donnée de commerce mondial"):
        filiere_targets(filiere)


def test_a_coarser_level_than_the_data(world):
    targets = filiere_targets(world, assumptions=no_growth(), level="hs2")
    assert targets.products == [("22", "Beverages, spirits and vinegar")]
    detailed = filiere_targets(world, assumptions=no_growth())
    usa = next(t for t in targets.rows if t.market == "USA")
    usa_detailed = next(t for t in detailed.rows if t.market == "USA")
    assert all(code == "22" for t in targets.rows for code, *_ in t.top_products)
    assert usa.actual == pytest.approx(usa_detailed.actual)
