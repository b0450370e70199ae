"""French customs regional tables (DGDDI, « statistiques régionales du commerce extérieur »):
one row per year × région and/or département × partner country × product × flow, in euros.

Accepted headers (without case, accents or punctuation; separator , ; or tab; UTF-8 or
Latin-1):
- year: annee, an, year, periode (its first four digits);
- territory: code_region / region / reg, and/or code_departement / departement / dep;
- partner: pays, code_pays, pays_iso, partenaire (ISO alpha-2 as customs publish; EU
  geonomenclature codes XS, XK, XC, XL, EL, UK, XI mapped as in PARTNER_ALIASES);
- product: produit, code_produit, code_sh, sh, nc8, code_nc (a code of the SH/NC: the first 6
  digits are kept, or the first 4 when some code of the year has only 4 or 5);
- flow: flux, sens, type_flux (E, X, exportations, expéditions -> X; I, M, importations,
  introductions -> M);
- value: valeur, valeur_euros, valeur_eur, montant, value (euros; "1 234,5" accepted).
"""

from __future__ import annotations

from guichet.markets import countries, storage
from guichet.markets.loaders.baci import year_reason
from guichet.markets.loaders.base import CsvFile, LoadError, csv_params, read_csv_sql
from guichet.markets.loaders.years import Target
from guichet.markets.models import DatasetKind, TradeSource

YEAR = ("annee", "an", "year", "periode", "annee_reference")
REGION = ("code_region", "region", "reg", "code_reg", "region_code")
DEPARTEMENT = ("code_departement", "departement", "dep", "code_dep", "dept", "departement_code")
PARTNER = ("pays", "code_pays", "pays_iso", "code_pays_iso", "partenaire", "pays_partenaire")
PRODUCT = ("produit", "code_produit", "code_sh", "sh", "sh6", "sh4", "nc8", "code_nc", "nc")
FLOW = ("flux", "sens", "type_flux", "flow", "sens_flux")
VALUE = ("valeur", "valeur_euros", "valeur_en_euros", "valeur_eur", "montant", "value")
EXPORTS = (
    "E",
    "X",
    "EXP",
    "EXPORT",
    "EXPORTS",
    "EXPORTATION",
    "EXPORTATIONS",
    "EXPEDITION",
    "EXPEDITIONS",
    "EXPÉDITION",
    "EXPÉDITIONS",
)
IMPORTS = (
    "I",
    "M",
    "IMP",
    "IMPORT",
    "IMPORTS",
    "IMPORTATION",
    "IMPORTATIONS",
    "INTRODUCTION",
    "INTRODUCTIONS",
)
# EU geonomenclature codes that are not ISO alpha-2 (Commission Regulation (EU) 2020/1470;
# Eurostat country codes): their ISO alpha-3 equivalent.
PARTNER_ALIASES = {
    "XS": "SRB",  # Serbia
    "XC": "ESP",  # Ceuta
    "XL": "ESP",  # Melilla
    "EL": "GRC",  # Greece (Eurostat)
    "UK": "GBR",  # United Kingdom (Eurostat)
    "XI": "GBR",  # United Kingdom (Northern Ireland)
}
DEPARTEMENT_PATTERN = "0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6]"


def _find(source: CsvFile, aliases, label: str, required=True) -> str | None:
    found = source.find(*aliases)
    if found is None and required:
        raise LoadError(
            f"Colonne {label} introuvable dans ce tableau des douanes (en-tête lu : "
            f"{', '.join(source.columns)}). Colonnes attendues : année, région et/ou "
            "département, pays, produit, flux, valeur."
        )
    return found


def plan(source: CsvFile, countries_path) -> tuple[Target, str, list]:
    year = _find(source, YEAR, "de l'année (« année »)")
    region = _find(source, REGION, "", required=False)
    departement = _find(source, DEPARTEMENT, "", required=False)
    if region is None and departement is None:
        raise LoadError(
            "Colonne de la région (« code région ») ou du département (« code département ») "
            f"introuvable (en-tête lu : {', '.join(source.columns)})."
        )
    partner = _find(source, PARTNER, "du pays partenaire (« pays »)")
    product = _find(source, PRODUCT, "du produit (« produit » ou « code SH »)")
    flow = _find(source, FLOW, "du flux (« flux » E/I)")
    value = _find(source, VALUE, "de la valeur en euros (« valeur »)")
    iso2 = countries.iso2_mapping()
    iso2.update(PARTNER_ALIASES)
    keys = list(iso2)
    values = [iso2[k] for k in keys]
    region_expr = (
        f"CASE WHEN coalesce(trim({region}), '') = '' THEN '' ELSE lpad(trim({region}), 2, '0') END"
        if region
        else "''"
    )
    dep_expr = (
        f"CASE WHEN coalesce(trim({departement}), '') = '' THEN '' "
        f"ELSE lpad(upper(trim({departement})), 2, '0') END"
        if departement
        else "''"
    )
    number = (
        f"TRY_CAST(replace(regexp_replace(coalesce({value}, ''), '[\\s\u00a0\u202f€]', '', 'g'), "
        "',', '.') AS DOUBLE)"
    )
    exports = ", ".join(f"'{w}'" for w in EXPORTS)
    imports = ", ".join(f"'{w}'" for w in IMPORTS)
    sql = f"""
    WITH typed AS (
      SELECT *, TRY_CAST(left(trim({year}), 4) AS INTEGER) AS year, {year} AS t_raw,
             {region_expr} AS region, {dep_expr} AS departement,
             map_extract(MAP(?::VARCHAR[], ?::VARCHAR[]), upper(trim({partner})))[1] AS partner,
             {partner} AS partner_raw,
             regexp_replace(coalesce({product}, ''), '[^0-9]', '', 'g') AS digits,
             CASE WHEN upper(trim({flow})) IN ({exports}) THEN 'X'
                  WHEN upper(trim({flow})) IN ({imports}) THEN 'M' END AS flow,
             {flow} AS flow_raw, {number} AS value
      FROM {read_csv_sql()}
    ), checked AS (
      SELECT *, CASE {year_reason("year", "t_raw")}
          WHEN region = '' AND departement = '' THEN 'ni région ni département'
          WHEN region <> '' AND NOT regexp_full_match(region, '[0-9]{{2}}')
            THEN 'code région invalide'
          WHEN departement <> '' AND NOT regexp_full_match(departement, '{DEPARTEMENT_PATTERN}')
            THEN 'code département invalide'
          WHEN partner IS NULL THEN 'code pays inconnu « '
            || coalesce(partner_raw, '') || ' » (ISO alpha-2 attendu)'
          WHEN length(digits) < 4 THEN 'code produit trop court (4 chiffres au moins)'
          WHEN flow IS NULL THEN 'flux inconnu « ' || coalesce(flow_raw, '') || ' » (E ou I)'
          WHEN value IS NULL THEN 'valeur illisible'
          WHEN value < 0 THEN 'valeur négative'
        END AS reason
      FROM typed
    )
    SELECT year, region, departement, partner, digits AS product,
           flow, value, reason, CASE WHEN reason IS NOT NULL THEN {source.raw_sql()} END AS raw,
           false AS skipped
    FROM checked
    """  # noqa: S608 - columns named src_<n> by the reader, values are parameters
    params = [keys, values, *csv_params(source)]
    target = Target(
        kind=DatasetKind.CUSTOMS,
        source=TradeSource.CUSTOMS_FR,
        columns=["year", "region", "departement", "partner", "product", "flow", "value"],
        path_for=storage.customs_path,
        currency="EUR",
        product_level="auto",
        after=[TRUNCATE_PRODUCTS],
    )
    return target, sql, params


# Once staged (rowid order untouched): 6 digits, or 4 for a year where some code has fewer.
TRUNCATE_PRODUCTS = """
UPDATE staged SET product = left(product, CASE WHEN year IN (
    SELECT year FROM staged WHERE reason IS NULL GROUP BY year HAVING min(length(product)) < 6
  ) THEN 4 ELSE 6 END)
WHERE reason IS NULL
"""
