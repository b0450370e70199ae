"""Loading BACI year files: validation with a per-row report, thousand USD to USD, one
Parquet file and one dataset per year, idempotent reloads, dry runs that write nothing."""

import duckdb
import pytest

from guichet.markets import storage
from guichet.markets.loaders import LoadError, load_trade
from guichet.markets.models import TradeDataset
from tests.markets.conftest import shared_data

HEADER = '"t","i","j","k","v","q"\n'


def write(tmp_path, body: str, name="BACI_HS17_Y2021_V202401.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def parquet_rows(path):
    return (
        duckdb.connect()
        .execute(
            "SELECT year, exporter, importer, product, value, quantity FROM read_parquet(?) "
            "ORDER BY value",
            [str(path)],
        )
        .fetchall()
    )


GOOD_AND_BAD = (
    '2021,251,842,10121,1.5,"     13.235"\n'  # line 2: leading zero lost, padded quantity
    '2021,699,757,847130,2,"NA"\n'  # line 3: India, Switzerland, unknown quantity
    '2021,999,842,847130,2,"1"\n'  # line 4: unknown exporter
    '2021,251,842,847130,-2,"1"\n'  # line 5: negative value
    '1830,251,842,847130,2,"1"\n'  # line 6: implausible year
    '2021,251,842,12,2,"1"\n'  # line 7: not an HS6 code
    "2021,251\n"  # line 8: missing columns
    '2021,251,490,847130,3.25,"   "\n'  # line 9: Other Asia nes = Taiwan, blank quantity
)


@pytest.mark.django_db
def test_baci_rows_are_converted_and_bad_rows_reported(tmp_path):
    outcome = load_trade(fmt="baci", path=write(tmp_path, GOOD_AND_BAD))
    assert (outcome.rows, outcome.rejected, outcome.years) == (3, 5, [2021])
    dataset = TradeDataset.objects.get(kind="trade", source="baci", year=2021)
    assert (dataset.rows, dataset.rows_rejected, dataset.product_level) == (3, 5, "hs6")
    assert dataset.nomenclature == "HS17"
    assert dataset.value_total == pytest.approx(6750.0)
    assert dataset.path == "trade/baci/2021.parquet"
    assert parquet_rows(storage.trade_path("baci", 2021)) == [
        (2021, "FRA", "USA", "010121", 1500.0, 13.235),
        (2021, "IND", "CHE", "847130", 2000.0, None),
        (2021, "FRA", "TWN", "847130", 3250.0, None),
    ]
    report = outcome.report_path.read_text(encoding="utf-8").splitlines()
    assert report[0] == "ligne,motif,contenu"
    assert report[1:] == [
        '4,code pays exportateur inconnu « 999 »,"2021,999,842,847130,2,1"',
        '5,valeur négative,"2021,251,842,847130,-2,1"',
        f'6,année hors de la plage 1950–{outcome_last_year()},"1830,251,842,847130,2,1"',
        '7,code produit SH invalide (6 chiffres attendus),"2021,251,842,12,2,1"',
        '8,ligne incomplète : il manque des colonnes,"2021,251"',
    ]


def outcome_last_year():
    from guichet.markets.loaders.baci import last_year

    return last_year()


@pytest.mark.django_db
def test_dry_run_counts_the_same_and_writes_nothing(tmp_path):
    outcome = load_trade(fmt="baci", path=write(tmp_path, GOOD_AND_BAD), wet_run=False)
    assert (outcome.rows, outcome.rejected) == (3, 5)
    assert outcome.report_path is None
    assert not TradeDataset.objects.exists()
    assert not storage.trade_path("baci", 2021).exists()
    assert not list((storage.markets_dir()).glob("reports/*.csv"))


@pytest.mark.django_db
def test_same_file_twice_rewrites_nothing(tmp_path):
    path = write(tmp_path, GOOD_AND_BAD)
    load_trade(fmt="baci", path=path)
    parquet = storage.trade_path("baci", 2021)
    written = parquet.stat().st_mtime_ns
    loaded_at = TradeDataset.objects.get().loaded_at
    again = load_trade(fmt="baci", path=path)
    assert again.unchanged
    assert "Déjà chargé" in again.messages[0]
    assert parquet.stat().st_mtime_ns == written
    assert TradeDataset.objects.get().loaded_at == loaded_at


@pytest.mark.django_db
def test_a_changed_file_replaces_the_year(tmp_path):
    load_trade(fmt="baci", path=write(tmp_path, GOOD_AND_BAD))
    first = TradeDataset.objects.get()
    changed = write(tmp_path, '2021,251,842,847130,9,"1"\n', name="other.csv")
    outcome = load_trade(fmt="baci", path=changed)
    assert not outcome.unchanged
    dataset = TradeDataset.objects.get()
    assert dataset.pk == first.pk
    assert dataset.checksum != first.checksum
    assert (dataset.rows, dataset.rows_rejected, dataset.original_name) == (1, 0, "other.csv")
    assert parquet_rows(storage.trade_path("baci", 2021)) == [
        (2021, "FRA", "USA", "847130", 9000.0, 1.0)
    ]


@pytest.mark.django_db
def test_a_file_with_two_years_gives_two_datasets(tmp_path):
    body = '2020,251,842,847130,1,"1"\n2021,251,842,847130,2,"1"\n2021,4,842,847130,3,"1"\n'
    outcome = load_trade(fmt="baci", path=write(tmp_path, body))
    assert outcome.years == [2020, 2021]
    rows = dict(TradeDataset.objects.values_list("year", "rows"))
    assert rows == {2020: 1, 2021: 2}
    assert storage.trade_path("baci", 2020).exists()


@pytest.mark.django_db
def test_countries_file_overrides_the_mapping(tmp_path):
    countries = tmp_path / "country_codes.csv"
    countries.write_text(
        "country_code,country_name,country_iso2,country_iso3\n999,Testland,TL,TLS\n",
        encoding="utf-8",
    )
    path = write(tmp_path, '2021,999,842,847130,2,"1"\n')
    outcome = load_trade(fmt="baci", path=path, countries_path=countries)
    assert (outcome.rows, outcome.rejected) == (1, 0)
    assert parquet_rows(storage.trade_path("baci", 2021))[0][1] == "TLS"


@pytest.mark.django_db
def test_a_file_that_is_not_baci_is_refused_in_french(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LoadError, match="Colonne « t » absente"):
        load_trade(fmt="baci", path=path)
    assert not TradeDataset.objects.exists()


@pytest.mark.django_db
def test_gzip_file_is_read(tmp_path):
    import gzip

    path = tmp_path / "baci.csv.gz"
    path.write_bytes(gzip.compress((HEADER + '2021,251,842,847130,2,"1"\n').encode()))
    assert load_trade(fmt="baci", path=path).rows == 1


@pytest.mark.django_db
def test_real_baci_file(tmp_path):
    path = shared_data("trade/baci_hs92_2021_exports_AFG_ZAF_hs6.csv")
    outcome = load_trade(fmt="baci", path=path)
    assert outcome.rejected == 0
    assert outcome.rows == 71192
    dataset = TradeDataset.objects.get(source="baci", year=2021)
    assert dataset.nomenclature == "HS92"
    con = duckdb.connect()
    stats = con.execute(
        "SELECT count(DISTINCT exporter), min(length(product)), max(length(product)), "
        "count(*) FILTER (WHERE quantity IS NULL), sum(value) FROM read_parquet(?)",
        [str(storage.trade_path("baci", 2021))],
    ).fetchone()
    assert stats[:3] == (2, 6, 6)
    raw_total = con.execute(
        "SELECT sum(v::DOUBLE) FROM read_csv(?, all_varchar = true, quote = '\"')",
        [str(path)],
    ).fetchone()[0]
    assert stats[4] == pytest.approx(raw_total * 1000)
