"""Loading UN Comtrade bulk files, French customs regional tables, CEPII GeoDist and macro
figures; the country code table."""

import duckdb
import pytest

from guichet.markets import countries, storage
from guichet.markets.loaders import LoadError, load_geodist, load_macro, load_trade
from guichet.markets.models import TradeDataset
from tests.markets.conftest import shared_data


def rows(path, key=None):
    found = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    return sorted(found, key=key or (lambda row: tuple("" if v is None else str(v) for v in row)))


CLASSIC = (
    '"Classification","Year","Trade Flow Code","Trade Flow","Reporter Code","Reporter",'
    '"Reporter ISO","Partner Code","Partner","Partner ISO","Commodity Code","Netweight (kg)",'
    '"Trade Value (US$)"\n'
    "H5,2019,2,Export,251,France,FRA,842,USA,USA,847130,2000,1500\n"
    "H5,2019,1,Import,251,France,FRA,842,USA,USA,847130,,999\n"  # import: left out
    "H5,2019,2,Export,251,France,FRA,0,World,WLD,847130,,5000\n"  # World: left out
    "H5,2019,2,Export,251,France,FRA,276,Germany,DEU,8471,,7000\n"  # HS4 aggregate: left out
    'H5,2019,2,Export,699,India,,757,"Switzerland, Liechtenstein",,847130,,250\n'
    "H5,2019,2,Export,251,France,FRA,276,Germany,DEU,847130,,-3\n"  # line 7: negative
    "H5,2019,2,Export,251,France,FRA,123,Nowhere,XXX,847130,,3\n"  # line 8: unknown partner
)
CURRENT = (
    "typeCode,freqCode,refYear,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,"
    "partner2Code,customsCode,motCode,cmdCode,netWgt,primaryValue\n"
    "C,A,2022,251,FRA,X,842,USA,0,C00,0,847130,,100.5\n"
    "C,A,2022,251,FRA,X,842,USA,0,C01,0,847130,,60\n"  # a customs-procedure breakdown
    "C,A,2022,251,FRA,M,842,USA,0,C00,0,847130,,70\n"
    "C,A,2022,490,S19,X,251,FRA,0,C00,0,847130,,20\n"
)


@pytest.mark.django_db
def test_comtrade_classic_headers(tmp_path):
    path = tmp_path / "comtrade.csv"
    path.write_text(CLASSIC, encoding="utf-8")
    outcome = load_trade(fmt="comtrade", path=path)
    assert (outcome.rows, outcome.skipped, outcome.rejected) == (2, 3, 2)
    assert [r[:2] for r in outcome.rejected_sample] == [
        (7, "valeur négative"),
        (8, "pays partenaire inconnu « XXX/123 »"),
    ]
    assert rows(storage.trade_path("comtrade", 2019)) == [
        (2019, "FRA", "USA", "847130", 1500.0, 2.0),
        (2019, "IND", "CHE", "847130", 250.0, None),
    ]
    dataset = TradeDataset.objects.get(source="comtrade")
    assert (dataset.year, dataset.product_level, dataset.currency) == (2019, "hs6", "USD")


@pytest.mark.django_db
def test_comtrade_current_headers_keep_totals_and_exports(tmp_path):
    path = tmp_path / "comtrade.csv"
    path.write_text(CURRENT, encoding="utf-8")
    outcome = load_trade(fmt="comtrade", path=path)
    assert (outcome.rows, outcome.skipped, outcome.rejected) == (2, 2, 0)
    assert rows(storage.trade_path("comtrade", 2022)) == [
        (2022, "FRA", "USA", "847130", 100.5, None),
        (2022, "TWN", "FRA", "847130", 20.0, None),
    ]


@pytest.mark.django_db
def test_comtrade_without_a_product_column_is_refused(tmp_path):
    path = tmp_path / "comtrade.csv"
    path.write_text("refYear,flowCode,reporterISO,partnerISO,primaryValue\n", encoding="utf-8")
    with pytest.raises(LoadError, match="cmdCode"):
        load_trade(fmt="comtrade", path=path)


@pytest.mark.django_db
def test_real_comtrade_reduced_extract():
    path = shared_data("trade/zerotradeflow_comtrade_bilateral_hs4_23ctry_1989_1990.csv")
    outcome = load_trade(fmt="comtrade", path=path)
    assert outcome.years == [1989, 1990]
    assert outcome.rejected == 0
    assert outcome.rows == 229585
    levels = set(TradeDataset.objects.values_list("product_level", flat=True))
    assert levels == {"hs4"}
    first = (
        duckdb.connect()
        .execute(
            "SELECT value FROM read_parquet(?) WHERE exporter = 'ARG' AND importer = 'BRA' "
            "AND product = '0101'",
            [str(storage.trade_path("comtrade", 1989))],
        )
        .fetchone()[0]
    )
    assert first == pytest.approx(438696.99, rel=1e-6)  # thousand USD in the file


CUSTOMS = (
    "Année;Code région;Code département;Pays;Produit;Flux;Valeur (euros)\n"
    "2023;84;69;US;84713000;E;1 234,5\n"
    "2023;84;;DE;847130;Exportations;100\n"
    "2023;84;;ZZ;847130;E;100\n"  # line 4: unknown country
    "2023;;;DE;847130;E;100\n"  # line 5: no territory
    "2023;84;01;DE;84;I;100\n"  # line 6: product too short
    "2023;84;01;XS;847130;X;-5\n"  # line 7: negative
    "2023;84;01;EL;847130;importations;7\n"
    "2023;84;01;DE;847130;Z;7\n"  # line 9: unknown flow
)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_customs_regional_tables(tmp_path, encoding):
    path = tmp_path / "douanes.csv"
    path.write_bytes(CUSTOMS.encode(encoding))
    outcome = load_trade(fmt="customs-fr", path=path)
    assert (outcome.rows, outcome.rejected) == (3, 5)
    assert [r[:2] for r in outcome.rejected_sample] == [
        (4, "code pays inconnu « ZZ » (ISO alpha-2 attendu)"),
        (5, "ni région ni département"),
        (6, "code produit trop court (4 chiffres au moins)"),
        (7, "valeur négative"),
        (9, "flux inconnu « Z » (E ou I)"),
    ]
    assert rows(storage.customs_path(2023), key=lambda row: row[6]) == [
        (2023, "84", "01", "GRC", "847130", "M", 7.0),
        (2023, "84", "", "DEU", "847130", "X", 100.0),
        (2023, "84", "69", "USA", "847130", "X", 1234.5),
    ]
    dataset = TradeDataset.objects.get(kind="customs")
    assert (dataset.source, dataset.currency, dataset.product_level) == ("customs-fr", "EUR", "hs6")


@pytest.mark.django_db
def test_customs_keep_four_digits_when_some_codes_have_four(tmp_path):
    path = tmp_path / "douanes.csv"
    path.write_text(
        "annee,departement,pays,code_sh,flux,valeur\n2022,69,US,8471,E,10\n2022,69,US,847130,E,5\n",
        encoding="utf-8",
    )
    load_trade(fmt="customs-fr", path=path)
    assert [r[4] for r in rows(storage.customs_path(2022))] == ["8471", "8471"]
    assert TradeDataset.objects.get().product_level == "hs4"


@pytest.mark.django_db
def test_customs_without_territory_column_is_refused(tmp_path):
    path = tmp_path / "douanes.csv"
    path.write_text("annee,pays,produit,flux,valeur\n", encoding="utf-8")
    with pytest.raises(LoadError, match="région"):
        load_trade(fmt="customs-fr", path=path)


@pytest.mark.django_db
def test_geodist_maps_old_cepii_codes(tmp_path):
    path = tmp_path / "dist_cepii.csv"
    path.write_text(
        "iso_o,iso_d,contig,comlang_off,colony,dist,distw\n"
        "FRA,ROM,0,1,0,1875.0,1758.8\n"
        "ZAR,BEL,0,1,1,6300.5,\n"
        "FRA,QQQ,0,0,0,10,10\n"
        "FRA,DEU,1,0,0,abc,10\n",
        encoding="utf-8",
    )
    outcome = load_geodist(path=path)
    assert (outcome.rows, outcome.rejected) == (2, 2)
    assert rows(storage.geodist_path()) == [
        ("COD", "BEL", 6300.5, None, 0, 1, 1),
        ("FRA", "ROU", 1875.0, 1758.8, 0, 1, 0),
    ]
    assert [r[1] for r in outcome.rejected_sample] == [
        "code pays de destination inconnu « QQQ »",
        "distance illisible",
    ]
    assert TradeDataset.objects.get().kind == "geodist"


@pytest.mark.django_db
def test_real_geodist():
    outcome = load_geodist(path=shared_data("geo/cepii_geodist_dist_cepii.csv"))
    assert (outcome.rows, outcome.rejected) == (50176, 0)
    codes = (
        duckdb.connect()
        .execute("SELECT list(DISTINCT origin) FROM read_parquet(?)", [str(storage.geodist_path())])
        .fetchone()[0]
    )
    assert {"ROU", "COD", "TLS", "PSE", "SRB"} <= set(codes)
    assert not {"ROM", "ZAR", "TMP", "PAL", "YUG"} & set(codes)


@pytest.mark.django_db
def test_macro_file(tmp_path):
    path = tmp_path / "macro.csv"
    path.write_text(
        "iso3,year,gdp,population\nFRA,2022,2.78e12,68000000\nXYZ,2022,1,1\nDEU,2022,-1,5\n",
        encoding="utf-8",
    )
    outcome = load_macro(path=path)
    assert (outcome.rows, outcome.rejected) == (1, 2)
    assert rows(storage.macro_path()) == [("FRA", 2022, 2.78e12, 68000000.0)]
    assert TradeDataset.objects.get().kind == "macro"


@pytest.mark.django_db
def test_real_gapminder_macro():
    outcome = load_macro(path=shared_data("macro/plotly_gapminder.csv.gz"))
    assert (outcome.rows, outcome.rejected) == (1704, 0)
    gdp, pop = (
        duckdb.connect()
        .execute(
            "SELECT gdp, population FROM read_parquet(?) WHERE country = 'FRA' AND year = 2007",
            [str(storage.macro_path())],
        )
        .fetchone()
    )
    assert pop == 61083916
    assert gdp == pytest.approx(30470.0167 * 61083916, rel=1e-6)


@pytest.mark.django_db
def test_baci_codes_and_exceptions():
    assert countries.baci_to_iso3(251) == "FRA"
    assert countries.baci_to_iso3("842") == "USA"
    assert countries.baci_to_iso3(699) == "IND"
    assert countries.baci_to_iso3(757) == "CHE"
    assert countries.baci_to_iso3(579) == "NOR"
    assert countries.baci_to_iso3(490) == "TWN"
    assert countries.baci_to_iso3(58) == "BEL"
    assert countries.baci_to_iso3(4) == "AFG"
    assert countries.baci_to_iso3(697) is None
    assert countries.baci_to_iso3("abc") is None


@pytest.mark.django_db
def test_real_baci_country_table_agrees_with_the_built_in_mapping():
    table = countries.load_country_codes(
        shared_data("nomenclatures/baci_country_codes_V202201.csv")
    )
    built_in = countries.baci_mapping()
    assert table[251] == "FRA"
    assert 490 not in table  # "N/A" in the file: the built-in mapping stays
    assert {code: iso for code, iso in table.items() if built_in.get(code) != iso} == {}


@pytest.mark.django_db
def test_french_names(reference):
    assert countries.iso3_name("DEU") == "Allemagne"
    assert countries.iso3_name("CSK").startswith("Czechoslovakia")  # withdrawn: ISO's name
    assert countries.iso3_names(["FRA", "ZZZ"]) == {"FRA": "France", "ZZZ": "ZZZ"}
