"""Country codes of trade data: BACI / UN Comtrade numeric codes, ISO 3166 alpha-3 (the code
every Parquet file and result uses) and French names.

BACI and Comtrade codes are ISO 3166-1 numeric codes except a few that cover a group of
territories or a former state; those are the fact table BACI_EXCEPTIONS below (source: the
CEPII BACI country table country_codes_V202201.csv and the UN Comtrade country list; see
docs/data-sources.md). Every other code goes through reference.Country.numeric, then pycountry
(current and withdrawn ISO codes). A BACI country table given with `--countries FILE` overrides
the mapping for the codes it lists with an alpha-3 code.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pycountry

# BACI/Comtrade numeric code -> ISO alpha-3, where the code is not (or no longer) the ISO
# numeric code of that alpha-3. Codes absent from ISO and from this table are rejected.
BACI_EXCEPTIONS: dict[int, str] = {
    58: "BEL",  # Belgium-Luxembourg, until 1998 (56 Belgium and 442 Luxembourg from 1999)
    200: "CSK",  # Czechoslovakia (withdrawn ISO code)
    251: "FRA",  # France and Monaco (ISO 250 is France alone)
    278: "DDR",  # former German Democratic Republic
    280: "DEU",  # Germany (former Federal Republic; ISO 276)
    381: "ITA",  # Italy and San Marino (ISO 380)
    490: "TWN",  # "Other Asia, not elsewhere specified": Taiwan's trade in UN statistics
    530: "ANT",  # Netherlands Antilles (withdrawn ISO code)
    579: "NOR",  # Norway, Svalbard and Jan Mayen (ISO 578)
    699: "IND",  # India (ISO 356)
    711: "ZAF",  # Southern African Customs Union, until 1999 (ISO 710 South Africa)
    736: "SDN",  # former Sudan, before South Sudan (ISO 729 today)
    757: "CHE",  # Switzerland and Liechtenstein (ISO 756)
    810: "SUN",  # former USSR (withdrawn ISO code)
    842: "USA",  # USA, Puerto Rico and US Virgin Islands (ISO 840)
    891: "SCG",  # Serbia and Montenegro (withdrawn ISO code)
}
# Numeric codes that name no country: kept out (their rows are rejected with this reason).
BACI_NO_COUNTRY: dict[int, str] = {
    0: "Monde (total)",
    697: "Europe AELE, non spécifié ailleurs",
    849: "Îles du Pacifique des États-Unis, non spécifiées ailleurs",
}
# Alpha-3 codes used by trade sources that are not ISO 3166 codes.
ISO3_ALIASES: dict[str, str] = {
    "S19": "TWN",  # UN Comtrade's "Other Asia, nes" (see 490 above)
}


def _pycountry_numeric() -> dict[int, str]:
    mapping = {
        int(c.numeric): c.alpha_3
        for c in pycountry.historic_countries
        if str(getattr(c, "numeric", "")).isdigit()
    }
    mapping.update({int(c.numeric): c.alpha_3 for c in pycountry.countries})
    return mapping


def _reference_numeric() -> dict[int, str]:
    """reference.Country's codes (empty when the table is not loaded or not reachable)."""
    from django.db import DatabaseError

    from guichet.reference.models import Country

    try:
        return {
            int(numeric): iso3
            for numeric, iso3 in Country.objects.values_list("numeric", "iso3")
            if numeric.isdigit()
        }
    except DatabaseError:
        return {}


def baci_mapping(countries_path: str | Path | None = None) -> dict[int, str]:
    """Every known BACI/Comtrade numeric code -> ISO alpha-3, with a country table's override."""
    mapping = _pycountry_numeric()
    mapping.update(_reference_numeric())
    mapping.update(BACI_EXCEPTIONS)
    for code in BACI_NO_COUNTRY:
        mapping.pop(code, None)
    if countries_path:
        mapping.update(load_country_codes(countries_path))
    return mapping


def baci_to_iso3(code: int | str, countries_path: str | Path | None = None) -> str | None:
    """251 -> "FRA", 842 -> "USA", 699 -> "IND"; None for a code that names no country."""
    try:
        number = int(str(code).strip())
    except ValueError:
        return None
    return baci_mapping(countries_path).get(number)


def known_iso3() -> set[str]:
    """Alpha-3 codes accepted in the data: ISO 3166-1, the withdrawn ones (older years)."""
    codes = {c.alpha_3 for c in pycountry.countries}
    codes.update(c.alpha_3 for c in pycountry.historic_countries)
    codes.update(BACI_EXCEPTIONS.values())
    return codes


def iso2_mapping() -> dict[str, str]:
    """ISO alpha-2 -> alpha-3 (French customs publish alpha-2 partner codes)."""
    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def iso3_name(iso3: str) -> str:
    """The French name of a country (reference.Country), else ISO's English name, else the code."""
    from guichet.reference.models import Country

    code = (iso3 or "").strip().upper()
    name = Country.objects.filter(iso3=code).values_list("name_fr", flat=True).first()
    if name:
        return name
    country = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(
        alpha_3=code
    )
    return country.name if country else code


def iso3_names(codes) -> dict[str, str]:
    """French names of several countries in one query (codes without a name map to themselves)."""
    from guichet.reference.models import Country

    wanted = {str(c).upper() for c in codes}
    names = dict(Country.objects.filter(iso3__in=wanted).values_list("iso3", "name_fr"))
    return {code: names.get(code) or iso3_name(code) for code in wanted}


def read_text(path: str | Path, limit: int | None = None) -> str:
    """A small text file in UTF-8, or Latin-1 when it is not UTF-8 (CEPII's country tables)."""
    data = Path(path).read_bytes()
    if limit is not None:
        data = data[:limit]
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


CODE_COLUMNS = ("country_code", "code", "i", "numeric")
ISO3_COLUMNS = ("iso_3digit_alpha", "country_iso3", "iso3", "iso_3")


class CountryTableError(ValueError):
    """A country table whose header does not name a code and an alpha-3 column."""


def load_country_codes(path: str | Path) -> dict[int, str]:
    """Read a BACI country table (country_codes_V*.csv: country_code, …, iso_3digit_alpha in
    V2022 files; country_code, country_iso3 in later ones): numeric code -> alpha-3. Rows
    without a usable alpha-3 ("N/A") are left to the built-in mapping."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    fields = {name.strip().lower(): name for name in (reader.fieldnames or [])}
    code_col = next((fields[c] for c in CODE_COLUMNS if c in fields), None)
    iso_col = next((fields[c] for c in ISO3_COLUMNS if c in fields), None)
    if code_col is None or iso_col is None:
        raise CountryTableError(
            "La table des pays doit avoir une colonne « country_code » et une colonne "
            "« iso_3digit_alpha » (ou « country_iso3 »), comme les tables de BACI."
        )
    mapping: dict[int, str] = {}
    for row in reader:
        code, iso3 = (row.get(code_col) or "").strip(), (row.get(iso_col) or "").strip().upper()
        if code.isdigit() and len(iso3) == 3 and iso3.isalpha():
            mapping[int(code)] = ISO3_ALIASES.get(iso3, iso3)
    return mapping
