"""UN Comtrade bulk CSV files: exports only, partner World left out.

Accepted headers (matched without case, accents or punctuation):
- classic bulk files: Year, Trade Flow Code / Trade Flow, Reporter ISO / Reporter Code,
  Partner ISO / Partner Code, Commodity Code, Trade Value (US$), Netweight (kg);
- current bulk files: refYear (or period), flowCode, reporterISO / reporterCode, partnerISO /
  partnerCode, cmdCode, primaryValue, netWgt; rows broken down by second partner, customs
  procedure or transport mode (partner2Code, customsCode, motCode) are kept only at their
  totals, so that nothing is counted twice;
- the reduced Comtrade extracts of the zerotradeflow package: ano, ido, idd, HS4, exp_value
  (exports in thousand USD).
Values in USD (thousand USD for the reduced layout, converted); net weight in kg -> tonnes.
Product codes keep their digits (HS2/HS4/HS6); a file mixing levels keeps its finest level and
leaves the aggregates out (counted as skipped).
"""

from __future__ import annotations

from guichet.markets import countries, storage
from guichet.markets.loaders.baci import code_list, country_expr, year_reason
from guichet.markets.loaders.base import CsvFile, LoadError, csv_params, read_csv_sql
from guichet.markets.loaders.years import Target
from guichet.markets.models import DatasetKind, TradeSource

YEAR = ("refyear", "year", "ano", "period", "yr")
FLOW_CODE = ("flowcode", "trade_flow_code", "rgcode")
FLOW_TEXT = ("flowdesc", "trade_flow", "rgdesc")
REPORTER_ISO = ("reporteriso", "reporter_iso", "rt3iso", "ido")
REPORTER_CODE = ("reportercode", "reporter_code", "rtcode")
PARTNER_ISO = ("partneriso", "partner_iso", "pt3iso", "idd")
PARTNER_CODE = ("partnercode", "partner_code", "ptcode")
COMMODITY = ("cmdcode", "commodity_code", "hs6", "hs4", "hs2")
VALUE = ("primaryvalue", "trade_value_us", "tradevalue", "fobvalue")
REDUCED_VALUE = ("exp_value",)
WEIGHT = ("netwgt", "netweight_kg", "netweight")
TOTAL_ONLY = {"partner2code": "0", "customscode": "C00", "motcode": "0"}
WORLD_ISO = ("WLD", "W00")


def _find(source: CsvFile, aliases, label: str, required=True) -> str | None:
    found = source.find(*aliases)
    if found is None and required:
        raise LoadError(
            f"Colonne {label} introuvable dans ce fichier Comtrade (en-tête lu : "
            f"{', '.join(source.columns)})."
        )
    return found


def _iso_expr(column: str) -> str:
    """The alpha-3 of an ISO column, NULL when not a known code (list parameter ?)."""
    code = f"upper(trim({column}))"
    return (
        f"CASE WHEN list_contains(?::VARCHAR[], {code}) THEN {code} "
        f"WHEN {code} = 'S19' THEN 'TWN' END"
    )


def plan(source: CsvFile, countries_path) -> tuple[Target, str, list]:
    year = _find(source, YEAR, "« refYear » ou « Year »")
    product = _find(source, COMMODITY, "« cmdCode » ou « Commodity Code »")
    value = _find(source, VALUE, "", required=False)
    thousands = False
    if value is None:
        value = _find(source, REDUCED_VALUE, "« primaryValue » ou « Trade Value (US$) »")
        thousands = True
    weight = _find(source, WEIGHT, "", required=False)
    flow_code = _find(source, FLOW_CODE, "", required=False)
    flow_text = _find(source, FLOW_TEXT, "", required=False)
    if flow_code is None and flow_text is None and not thousands:
        raise LoadError(
            "Colonne du sens des échanges introuvable (« flowCode » ou « Trade Flow »)."
        )
    params: list = []
    known = sorted(countries.known_iso3())
    codes = code_list(countries_path)

    def country(iso_aliases, code_aliases, label):
        iso = _find(source, iso_aliases, "", required=False)
        code = _find(source, code_aliases, "", required=False)
        if iso is None and code is None:
            raise LoadError(f"Colonne du pays {label} introuvable (code ISO ou code numérique).")
        parts, raw = [], []
        if iso:
            parts.append(_iso_expr(iso))
            params.append(known)
            raw.append(iso)
        if code:
            parts.append(country_expr(code))
            params.append(codes)
            raw.append(code)
        return "coalesce(" + ", ".join(parts) + ", NULL)", raw

    reporter, reporter_raw = country(REPORTER_ISO, REPORTER_CODE, "déclarant")
    partner, partner_raw = country(PARTNER_ISO, PARTNER_CODE, "partenaire")
    world = _world_condition(partner_raw, source)
    skip = [f"({world})", _flow_skip(flow_code, flow_text)]
    for alias, total in TOTAL_ONLY.items():
        column = source.find(alias)
        if column:
            skip.append(f"coalesce(trim({column}), '') NOT IN ('', '{total}')")
    scale = "1000" if thousands else "1"
    quantity = f"TRY_CAST(trim({weight}) AS DOUBLE) / 1000" if weight else "NULL::DOUBLE"
    sql = f"""
    WITH typed AS (
      SELECT *, TRY_CAST(left(trim({year}), 4) AS INTEGER) AS year, {year} AS t_raw,
             {reporter} AS exporter, {partner} AS importer,
             {" || '/' || ".join(f"coalesce({c}, '')" for c in reporter_raw)} AS i_raw,
             {" || '/' || ".join(f"coalesce({c}, '')" for c in partner_raw)} AS j_raw,
             trim({product}) AS product,
             TRY_CAST(trim({value}) AS DOUBLE) AS v_num, {quantity} AS quantity,
             coalesce({" OR ".join(s for s in skip if s)}, false) AS skipped
      FROM {read_csv_sql()}
    ), checked AS (
      SELECT *, CASE WHEN skipped THEN NULL {year_reason("year", "t_raw")}
          WHEN exporter IS NULL THEN 'pays déclarant inconnu « ' || i_raw || ' »'
          WHEN importer IS NULL THEN 'pays partenaire inconnu « ' || j_raw || ' »'
          WHEN NOT regexp_full_match(coalesce(product, ''), '[0-9]{{2}}|[0-9]{{4}}|[0-9]{{6}}')
            THEN 'code produit SH invalide (2, 4 ou 6 chiffres attendus)'
          WHEN v_num IS NULL THEN 'valeur illisible'
          WHEN v_num < 0 THEN 'valeur négative'
          WHEN quantity < 0 THEN 'poids négatif'
        END AS reason
      FROM typed
    )
    SELECT year, exporter, importer, product, v_num * {scale} AS value, quantity, reason,
           CASE WHEN reason IS NOT NULL THEN {source.raw_sql()} END AS raw, skipped
    FROM checked
    """  # noqa: S608 - columns named src_<n> by the reader, values are parameters
    params.extend([*csv_params(source)])
    target = Target(
        kind=DatasetKind.TRADE,
        source=TradeSource.COMTRADE,
        columns=["year", "exporter", "importer", "product", "value", "quantity"],
        path_for=lambda y: storage.trade_path(TradeSource.COMTRADE, y),
        currency="USD",
        product_level="auto",
        after=[SKIP_AGGREGATES],
    )
    return target, sql, params


# Once staged (rowid order untouched): a file mixing levels keeps its finest one.
SKIP_AGGREGATES = """
UPDATE staged SET skipped = true
WHERE reason IS NULL AND NOT skipped AND length(product) < (
  SELECT max(length(product)) FROM staged WHERE reason IS NULL AND NOT skipped)
"""


def _world_condition(partner_raw: list[str], source: CsvFile) -> str:
    """Partner World: ISO WLD/W00, code 0 or the name 'World'."""
    tests = []
    for column in partner_raw:
        tests.append(f"upper(trim({column})) IN ('WLD', 'W00', '0')")
    name = source.find("partnerdesc", "partner", "pttitle")
    if name:
        tests.append(f"lower(trim({name})) = 'world'")
    return " OR ".join(tests) or "false"


def _flow_skip(flow_code: str | None, flow_text: str | None) -> str:
    """Everything but exports: imports, re-exports, re-imports."""
    if flow_code:
        return f"upper(trim({flow_code})) NOT IN ('X', '2')"
    if flow_text:
        return f"lower(trim({flow_text})) NOT IN ('export', 'exports', 'exportations')"
    return "false"  # the reduced layout holds exports only
