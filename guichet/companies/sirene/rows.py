"""One SIRENE row → the values the registry stores, or the French reason it is rejected.

Rules kept here (see also docs/data-sources.md, "SIRENE import rules"):
- SIREN and SIRET are checked with python-stdnum (length, digits, Luhn key; La Poste's
  establishments, SIREN 356000000, use a digit sum multiple of 5 instead of Luhn).
- Activity codes in NAF rév. 2 (or with no nomenclature column) must exist in the reference
  table; codes of older nomenclatures (NAP, NAF 1993, NAF rév. 1) are kept as they are, with
  no link to the NAF rév. 2 table. "00.00Z" (activity not determined) is kept the same way.
- Size category: SIRENE's `categorieEntreprise` (PME, ETI, GE). A unit that SIRENE calls PME,
  or does not classify, and whose headcount band is under 10 employees (NN, 00, 01, 02, 03)
  is recorded as TPE (micro-enterprise, décret 2008-1354), as the turnover is not published.
- Fields that INSEE masks for partially diffusible units ("[ND]") are stored empty; the
  masking is done on the raw row before it is read (see `unmask`).
"""

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from operator import itemgetter
from zoneinfo import ZoneInfo

from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from guichet.companies.geography import locate
from guichet.companies.sirene.base import RowError
from guichet.companies.text import company_display_name, company_search_text

PARIS = ZoneInfo("Europe/Paris")
NOT_DIFFUSED = b"[ND]"
SMALL_BANDS = frozenset({"NN", "00", "01", "02", "03"})
SIZE_CATEGORIES = frozenset({"PME", "ETI", "GE"})
NAF_REV2 = "NAFRev2"
UNDETERMINED_ACTIVITY = "00.00Z"
HEADQUARTERS_TRUE = frozenset({"true", "t", "1", "o", "oui"})

# What is written, in this order (the digest of the source fields comes last).
COMPANY_COLUMNS = (
    "siren",
    "name",
    "denomination",
    "usual_names",
    "acronym",
    "first_name",
    "last_name",
    "usage_name",
    "search_text",
    "legal_category",
    "naf_id",
    "activity_code",
    "activity_nomenclature",
    "headcount_band_id",
    "headcount_year",
    "size_category",
    "size_category_year",
    "creation_date",
    "is_active",
    "ceased_on",
    "is_employer",
    "partially_diffusible",
    "headquarters_siret",
    "sirene_updated_at",
    "sirene_digest",
)
ESTABLISHMENT_COLUMNS = (
    "siret",
    "is_headquarters",
    "name",
    "address",
    "postal_code",
    "commune_code",
    "commune_name",
    "departement_id",
    "region_id",
    "country",
    "naf_id",
    "activity_code",
    "activity_nomenclature",
    "headcount_band_id",
    "headcount_year",
    "creation_date",
    "is_active",
    "closed_on",
    "latitude",
    "longitude",
    "sirene_digest",
)
COMPANY_ACTIVE = COMPANY_COLUMNS.index("is_active")
ESTABLISHMENT_ACTIVE = ESTABLISHMENT_COLUMNS.index("is_active")

# The SIRENE columns read, in the order the mapping functions unpack them.
UNIT_SOURCE = (
    "siren",
    "statutDiffusionUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "prenom1UniteLegale",
    "prenomUsuelUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "caractereEmployeurUniteLegale",
)
ESTABLISHMENT_SOURCE = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "etablissementSiege",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "complementAdresseEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "codeCommuneEtablissement",
    "libellePaysEtrangerEtablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "latitude",
    "longitude",
)


class Picker:
    """Takes the wanted columns out of a row of a file whose columns are known by name; a
    column the file lacks reads as empty."""

    def __init__(self, columns: tuple[str, ...], wanted: tuple[str, ...]):
        self.width = len(columns)
        self.pick = itemgetter(*(columns.index(c) if c in columns else -1 for c in wanted))

    def __call__(self, fields: list[str]) -> tuple[str, ...]:
        if len(fields) != self.width:
            raise RowError(f"nombre de champs incorrect : {len(fields)} au lieu de {self.width}")
        fields.append("")  # index -1: the missing columns
        return self.pick(fields)


def unmask(raw: bytes) -> bytes:
    """INSEE writes "[ND]" (non diffusible) in the fields it masks: the registry stores them
    empty, so that the platform never shows or stores what INSEE does not publish."""
    return raw.replace(NOT_DIFFUSED, b"") if NOT_DIFFUSED in raw else raw


_DOUBLED_DIGIT = str.maketrans("0123456789", "0246813579")
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def luhn_valid(number: str) -> bool:
    """The Luhn check of an all-digit string, as python-stdnum computes it, ~20 times faster
    (the import checks every identifier it keeps; tests compare it with stdnum)."""
    digits = (number[-1::-2] + number[-2::-2].translate(_DOUBLED_DIGIT)).encode()
    return (sum(digits) - 48 * len(digits)) % 10 == 0  # 48 = ord("0")


def siren_valid(value: str) -> bool:
    return len(value) == 9 and value.isascii() and value.isdigit() and luhn_valid(value)


def siret_valid(value: str) -> bool:
    return siret_key_valid(value) and luhn_valid(value[:9])


def siret_key_valid(value: str) -> bool:
    """La Poste's establishments (SIREN 356000000, except the head office) do not follow
    Luhn: the sum of their digits is a multiple of 5 instead."""
    if len(value) != 14 or not (value.isascii() and value.isdigit()):
        return False
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        return sum(map(int, value)) % 5 == 0
    return luhn_valid(value)


def check_siren(value: str) -> str:
    if siren_valid(value):
        return value
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        raise RowError(f"SIREN invalide « {value} » : 9 chiffres attendus")
    if not siren_number.is_valid(value):  # python-stdnum has the last word on a rejection
        raise RowError(f"SIREN invalide « {value} » : clé de contrôle incorrecte")
    return value


def check_siret(value: str, siren: str) -> str:
    """`siren` has been checked already."""
    if value.startswith(siren) and siret_key_valid(value):
        return value
    if len(value) != 14 or not (value.isascii() and value.isdigit()):
        raise RowError(f"SIRET invalide « {value} » : 14 chiffres attendus")
    if not value.startswith(siren):
        raise RowError(f"SIRET « {value} » ne commence pas par son SIREN {siren}")
    if not siret_number.is_valid(value):
        raise RowError(f"SIRET invalide « {value} » : clé de contrôle incorrecte")
    return value


def establishment_identity(
    values: tuple[str, ...], known_sirens: Callable[[int], bool] = lambda number: False
) -> tuple[str, str]:
    """(SIREN, SIRET) of an establishment row: the `siret` column, or SIREN + NIC.
    `known_sirens(number)` tells a SIREN already checked (its key is not computed again)."""
    siren = values[0]
    if not (len(siren) == 9 and siren.isascii() and siren.isdigit() and known_sirens(int(siren))):
        check_siren(siren)
    siret = values[2] or (siren + values[1] if values[1] else "")
    if not siret:
        raise RowError("SIRET absent")
    return siren, check_siret(siret, siren)


# Change when the mapping rules change, so that the next import rewrites every row.
MAPPING_VERSION = "1"


def digest(values: tuple[str, ...]) -> str:
    """Fingerprint of the SIRENE fields a row is mapped from (and of the mapping version): an
    unchanged row is recognised, without mapping it again, by comparing this digest with the
    one stored on the row (`sirene_digest`)."""
    text = "\x1f".join((MAPPING_VERSION, *values))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def parse_date(value: str, column: str) -> date | None:
    if not value:
        return None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RowError(f"date invalide dans {column} : « {value} » (AAAA-MM-JJ attendu)")


def parse_datetime(value: str, column: str) -> datetime | None:
    """SIRENE's processing times are Paris local times without offset."""
    if not value:
        return None
    if len(value) >= 10 and value[4] == "-":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=PARIS)
    raise RowError(f"date invalide dans {column} : « {value} »")


def parse_year(value: str, column: str) -> int | None:
    if not value:
        return None
    if len(value) == 4 and value.isascii() and value.isdigit():
        return int(value)
    raise RowError(f"année invalide dans {column} : « {value} »")


def parse_float(value: str) -> float | None:
    """Coordinates are an optional enrichment: an unreadable one is left empty."""
    try:
        return float(value) if value else None
    except ValueError:
        return None


def joined(*parts: str, limit: int = 300) -> str:
    seen: list[str] = []
    for part in parts:
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return " / ".join(seen)[:limit]


def size_category(category: str, band: str | None) -> str:
    if category and category not in SIZE_CATEGORIES:
        raise RowError(f"catégorie d'entreprise inconnue : « {category} »")
    if category in ("", "PME") and band in SMALL_BANDS:
        return "TPE"
    return category


def _search_text(*parts: str) -> str:
    """company_search_text of the distinct non-empty parts (the name is often the
    denomination: normalising it once is enough)."""
    return company_search_text(*dict.fromkeys(p for p in parts if p))


class RowMapper:
    """Maps rows with the reference codes of this database (NAF rév. 2, headcount bands)."""

    def __init__(self, *, naf_codes: set[str], headcount_bands: set[str]):
        self.naf_codes = naf_codes
        self.headcount_bands = headcount_bands

    def band(self, value: str) -> str | None:
        if not value:
            return None
        if value in self.headcount_bands:
            return value
        raise RowError(f"tranche d'effectifs inconnue : « {value} »")

    def activity(self, code: str, nomenclature: str) -> tuple[str | None, str, str]:
        """(NAF rév. 2 reference code or None, code as given, nomenclature)."""
        if not code:
            return None, "", nomenclature[:10]
        if len(code) > 8:
            raise RowError(f"code d'activité invalide : « {code} »")
        if nomenclature and nomenclature != NAF_REV2:
            return None, code, nomenclature[:10]
        if code in self.naf_codes:
            return code, code, NAF_REV2
        if code == UNDETERMINED_ACTIVITY:
            return None, code, NAF_REV2
        raise RowError(f"code NAF rév. 2 inconnu : « {code} »")

    def unit(self, v: tuple[str, ...], source_digest: str) -> tuple:
        """Values of COMPANY_COLUMNS for a unit row (picked with UNIT_SOURCE)."""
        (
            siren, status, created, acronym, first_name1, first_name, band, band_year,
            processed, category, category_year, period_start, state, last_name, usage_name,
            denomination, usual1, usual2, usual3, legal_category, activity, nomenclature,
            nic_hq, employer,
        ) = v  # fmt: skip
        check_siren(siren)
        if state not in ("A", "C", ""):
            raise RowError(f"état administratif inconnu : « {state} » (A ou C attendu)")
        if len(legal_category) > 4:
            raise RowError(f"catégorie juridique invalide : « {legal_category} »")
        naf, activity_code, nomenclature = self.activity(activity, nomenclature)
        band_code = self.band(band)
        size = size_category(category, band_code)
        if category:
            size_year = parse_year(category_year, "anneeCategorieEntreprise")
        else:
            size_year = parse_year(band_year, "anneeEffectifsUniteLegale") if size else None
        usual = joined(usual1, usual2, usual3)
        first_name = first_name or first_name1
        denomination = denomination.strip()[:300]
        name = company_display_name(
            denomination=denomination,
            first_name=first_name,
            last_name=last_name,
            usage_name=usage_name,
            usual_names=usual,
        )[:300]
        ceased = state == "C"
        values = (
            siren,
            name,
            denomination,
            usual,
            acronym[:60],
            first_name[:100],
            last_name[:100],
            usage_name[:100],
            _search_text(name, denomination, usual, acronym, usage_name, last_name),
            legal_category,
            naf,
            activity_code,
            nomenclature,
            band_code,
            parse_year(band_year, "anneeEffectifsUniteLegale"),
            size,
            size_year,
            parse_date(created, "dateCreationUniteLegale"),
            not ceased,
            parse_date(period_start, "dateDebut") if ceased else None,
            {"O": True, "N": False}.get(employer),
            status == "P",
            siren + nic_hq if len(nic_hq) == 5 and nic_hq.isdigit() else "",
            parse_datetime(processed, "dateDernierTraitementUniteLegale"),
        )
        return (*values, source_digest)

    def establishment(self, v: tuple[str, ...], siret: str, source_digest: str) -> tuple:
        """Values of ESTABLISHMENT_COLUMNS for an establishment row (ESTABLISHMENT_SOURCE)."""
        (
            _siren, _nic, _siret, _status, created, band, band_year, headquarters, number,
            repetition, street_type, street, complement, postal_code, commune_name,
            foreign_commune, commune_code, country, period_start, state, sign1, sign2, sign3,
            usual_name, activity, nomenclature, latitude, longitude,
        ) = v  # fmt: skip
        if state not in ("A", "F", ""):
            raise RowError(f"état administratif inconnu : « {state} » (A ou F attendu)")
        if len(postal_code) > 5:
            raise RowError(f"code postal invalide : « {postal_code} »")
        if len(commune_code) > 5:
            raise RowError(f"code commune invalide : « {commune_code} »")
        naf, activity_code, nomenclature = self.activity(activity, nomenclature)
        departement, region = locate(commune_code)
        street_line = " ".join(p for p in (number, repetition, street_type, street) if p)
        closed = state == "F"
        values = (
            siret,
            headquarters.lower() in HEADQUARTERS_TRUE,
            joined(sign1, sign2, sign3, usual_name),
            ", ".join(p for p in (street_line, complement.strip()) if p)[:300],
            postal_code,
            commune_code,
            (commune_name or foreign_commune)[:100],
            departement,
            region,
            country[:100],
            naf,
            activity_code,
            nomenclature,
            self.band(band),
            parse_year(band_year, "anneeEffectifsEtablissement"),
            parse_date(created, "dateCreationEtablissement"),
            not closed,
            parse_date(period_start, "dateDebut") if closed else None,
            parse_float(latitude),
            parse_float(longitude),
        )
        return (*values, source_digest)
