"""Tables without a trade year: CEPII GeoDist distances and GDP / population figures.

GeoDist (dist_cepii.csv: iso_o, iso_d, contig, comlang_off, colony, dist, distw, …) uses a few
codes that ISO 3166 has since changed; GEODIST_ALIASES maps them (source: ISO 3166-1 changes,
ISO 3166-3 withdrawn codes). Macro files: country (ISO alpha-3) × year with gdp (current USD)
and population, or the Gapminder layout (iso_alpha, year, pop, gdpPercap: gdp = gdpPercap ×
pop, in Gapminder's constant dollars).
"""

from __future__ import annotations

from guichet.markets import countries, storage
from guichet.markets.loaders.baci import year_reason
from guichet.markets.loaders.base import CsvFile, LoadError, csv_params, read_csv_sql
from guichet.markets.loaders.years import Target
from guichet.markets.models import DatasetKind, TradeSource

GEODIST_ALIASES = {
    "ROM": "ROU",  # Romania: ISO changed ROM to ROU in 2002
    "ZAR": "COD",  # Zaire, now the Democratic Republic of the Congo (1997)
    "TMP": "TLS",  # East Timor, now Timor-Leste (2002)
    "YUG": "SRB",  # Yugoslavia (Serbia and Montenegro in GeoDist), main city Belgrade
    "PAL": "PSE",  # Palestine: ISO code PSE
}


def _col(source: CsvFile, aliases, label: str | None) -> str | None:
    found = source.find(*aliases)
    if found is None and label:
        raise LoadError(f"Colonne {label} introuvable (en-tête lu : {', '.join(source.columns)}).")
    return found


def _number(column: str | None) -> str:
    if column is None:
        return "NULL::DOUBLE"
    return f"TRY_CAST(nullif(nullif(trim({column}), ''), 'NA') AS DOUBLE)"


def _iso(column: str) -> str:
    """Alpha-3 after GeoDist's old codes, NULL when unknown (two list parameters)."""
    return f"map_extract(MAP(?::VARCHAR[], ?::VARCHAR[]), upper(trim({column})))[1]"


def _iso_params() -> list:
    mapping = {code: code for code in countries.known_iso3()}
    mapping.update(GEODIST_ALIASES)
    return [list(mapping), list(mapping.values())]


def plan_geodist(source: CsvFile) -> tuple[Target, str, list]:
    origin = _col(source, ("iso_o", "origin", "iso3_o"), "« iso_o »")
    destination = _col(source, ("iso_d", "destination", "iso3_d"), "« iso_d »")
    dist = _col(source, ("dist",), "« dist »")
    distw = _col(source, ("distw",), None)
    flags = {
        name: f"TRY_CAST({_number(_col(source, (name,), None))} AS INTEGER)"
        for name in ("contig", "comlang_off", "colony")
    }
    sql = f"""
    WITH typed AS (
      SELECT *, {_iso(origin)} AS origin, {_iso(destination)} AS destination,
             {origin} AS o_raw, {destination} AS d_raw,
             {_number(dist)} AS dist, {_number(distw)} AS distw,
             {flags["contig"]} AS contig, {flags["comlang_off"]} AS comlang_off,
             {flags["colony"]} AS colony
      FROM {read_csv_sql()}
    ), checked AS (
      SELECT *, CASE
          WHEN origin IS NULL THEN 'code pays d''origine inconnu « ' || coalesce(o_raw, '') || ' »'
          WHEN destination IS NULL
            THEN 'code pays de destination inconnu « ' || coalesce(d_raw, '') || ' »'
          WHEN dist IS NULL THEN 'distance illisible'
          WHEN dist < 0 OR distw < 0 THEN 'distance négative'
        END AS reason
      FROM typed
    )
    SELECT 0 AS year, origin, destination, dist, distw, contig, comlang_off, colony,
           NULL::DOUBLE AS value, reason,
           CASE WHEN reason IS NOT NULL THEN {source.raw_sql()} END AS raw,
           false AS skipped
    FROM checked
    """  # noqa: S608 - columns named src_<n> by the reader, values are parameters
    params = [*_iso_params(), *_iso_params(), *csv_params(source)]
    target = Target(
        kind=DatasetKind.GEODIST,
        source=TradeSource.GEODIST,
        columns=["origin", "destination", "dist", "distw", "contig", "comlang_off", "colony"],
        path_for=lambda _year: storage.geodist_path(),
        currency="km",
        single=True,
    )
    return target, sql, params


def plan_macro(source: CsvFile) -> tuple[Target, str, list]:
    country = _col(
        source, ("iso3", "iso_alpha", "iso_3", "country_code", "code", "country"), "« iso3 » (pays)"
    )
    year = _col(source, ("year", "annee"), "« year »")
    population = _col(source, ("population", "pop"), "« population » ou « pop »")
    gdp = _col(source, ("gdp", "gdp_usd", "pib"), None)
    per_capita = _col(source, ("gdppercap", "gdp_per_capita"), None)
    if gdp is None and per_capita is None:
        raise LoadError("Colonne « gdp » (ou « gdpPercap » et « pop ») introuvable.")
    gdp_expr = _number(gdp) if gdp else f"{_number(per_capita)} * {_number(population)}"
    sql = f"""
    WITH typed AS (
      SELECT *, {_iso(country)} AS country, {country} AS c_raw,
             TRY_CAST(trim({year}) AS INTEGER) AS year, {year} AS t_raw,
             {gdp_expr} AS gdp, {_number(population)} AS population
      FROM {read_csv_sql()}
    ), checked AS (
      SELECT *, CASE
          WHEN country IS NULL
            THEN 'code pays inconnu « ' || coalesce(c_raw, '') || ' » (ISO alpha-3 attendu)'
          {year_reason("year", "t_raw")}
          WHEN gdp IS NULL AND population IS NULL THEN 'ni PIB ni population lisible'
          WHEN gdp < 0 OR population < 0 THEN 'valeur négative'
        END AS reason
      FROM typed
    )
    SELECT country, year, gdp, population, NULL::DOUBLE AS value, reason,
           CASE WHEN reason IS NOT NULL THEN {source.raw_sql()} END AS raw, false AS skipped
    FROM checked
    """  # noqa: S608 - columns named src_<n> by the reader, values are parameters
    params = [*_iso_params(), *csv_params(source)]
    target = Target(
        kind=DatasetKind.MACRO,
        source=TradeSource.MACRO,
        columns=["country", "year", "gdp", "population"],
        path_for=lambda _year: storage.macro_path(),
        currency="USD",
        single=True,
    )
    return target, sql, params
