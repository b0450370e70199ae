"""CEPII BACI year files: `t,i,j,k,v,q` (year, exporter and importer numeric codes, HS6
product, value in thousand USD, quantity in tonnes padded with spaces, "NA" when unknown)."""

from __future__ import annotations

from datetime import date

from guichet.markets import countries, storage
from guichet.markets.loaders.base import CsvFile, LoadError, csv_params, read_csv_sql
from guichet.markets.loaders.years import Target
from guichet.markets.models import DatasetKind, TradeSource

FIRST_YEAR = 1950
COLUMNS = ("t", "i", "j", "k", "v", "q")


def last_year() -> int:
    return date.today().year + 1


def code_list(countries_path) -> list[str | None]:
    """Numeric code n -> alpha-3 at index n (list parameter of the SQL: no join, no loop)."""
    mapping = countries.baci_mapping(countries_path)
    codes: list[str | None] = [None] * 1000
    for number, iso3 in mapping.items():
        if 0 <= number < 1000:
            codes[number] = iso3
    return codes


def country_expr(column: str) -> str:
    """SQL: the alpha-3 of a numeric code column, NULL when unknown (list parameter ?)."""
    number = f"TRY_CAST(trim({column}) AS INTEGER)"
    return f"CASE WHEN {number} BETWEEN 0 AND 999 THEN list_extract(?::VARCHAR[], {number} + 1) END"


def year_reason(year: str, raw: str) -> str:
    return (
        f"WHEN {year} IS NULL THEN 'année illisible « ' || coalesce({raw}, '') || ' »' "
        f"WHEN {year} NOT BETWEEN {FIRST_YEAR} AND {last_year()} "
        f"THEN 'année hors de la plage {FIRST_YEAR}–{last_year()}' "
    )


def plan(source: CsvFile, countries_path) -> tuple[Target, str, list]:
    cols = {}
    for name in COLUMNS:
        found = source.find(name)
        if found is None:
            raise LoadError(
                f"Colonne « {name} » absente : un fichier BACI a l'en-tête t,i,j,k,v,q "
                f"(en-tête lu : {', '.join(source.columns)})."
            )
        cols[name] = found
    t, i, j, k, v, q = (cols[n] for n in COLUMNS)
    codes = code_list(countries_path)
    sql = f"""
    WITH typed AS (
      SELECT *, TRY_CAST(trim({t}) AS INTEGER) AS year,
             {country_expr(i)} AS exporter,
             {country_expr(j)} AS importer,
             lpad(trim({k}), 6, '0') AS product,
             regexp_full_match(trim({k}), '[0-9]{{5,6}}') AS product_ok,
             TRY_CAST(trim({v}) AS DOUBLE) AS v_num,
             nullif(nullif(trim({q}), 'NA'), '') AS q_text,
             {t} AS t_raw, {i} AS i_raw, {j} AS j_raw
      FROM {read_csv_sql()}
    ), checked AS (
      SELECT *, TRY_CAST(q_text AS DOUBLE) AS quantity,
        CASE {year_reason("year", "t_raw")}
          WHEN exporter IS NULL
            THEN 'code pays exportateur inconnu « ' || coalesce(i_raw, '') || ' »'
          WHEN importer IS NULL
            THEN 'code pays importateur inconnu « ' || coalesce(j_raw, '') || ' »'
          WHEN NOT coalesce(product_ok, false) THEN 'code produit SH invalide (6 chiffres attendus)'
          WHEN v_num IS NULL THEN 'valeur illisible'
          WHEN v_num < 0 THEN 'valeur négative'
          WHEN q_text IS NOT NULL AND (TRY_CAST(q_text AS DOUBLE) IS NULL
               OR TRY_CAST(q_text AS DOUBLE) < 0) THEN 'quantité illisible ou négative'
        END AS reason
      FROM typed
    )
    SELECT year, exporter, importer, product, round(v_num * 1000, 3) AS value, quantity,
           reason, CASE WHEN reason IS NOT NULL THEN {source.raw_sql()} END AS raw, false AS skipped
    FROM checked
    """  # noqa: S608 - columns named src_<n> by the reader, values are parameters
    params = [codes, codes, *csv_params(source)]
    target = Target(
        kind=DatasetKind.TRADE,
        source=TradeSource.BACI,
        columns=["year", "exporter", "importer", "product", "value", "quantity"],
        path_for=lambda year: storage.trade_path(TradeSource.BACI, year),
        currency="USD",
        product_level="hs6",
        nomenclature=_nomenclature(source.path.name),
    )
    return target, sql, params


def _nomenclature(name: str) -> str:
    """'BACI_HS92_Y2021_V202301.csv' -> 'HS92' (empty when the name does not say)."""
    lowered = name.lower()
    for revision in ("hs92", "hs96", "hs02", "hs07", "hs12", "hs17", "hs22"):
        if revision in lowered:
            return revision.upper()
    return ""
