"""Read helpers over the reference tables.

Lookups by code return None for an unknown code instead of raising: reference codes mostly
come from imported files (SIRENE, customs) where an unknown code is data to report, not a bug.
"""

import re

from django.db.models import QuerySet

from guichet.reference.models import Country, Departement, HeadcountBand, NafCode, Region

_NAF_COMPACT = re.compile(r"^(\d{2})(\d)(\d?)([A-Z]?)$")


def region_name(code: str) -> str | None:
    """'27' -> 'Bourgogne-Franche-Comté'."""
    return Region.objects.filter(code=code).values_list("name", flat=True).first()


def departements_of_region(code: str) -> QuerySet[Departement]:
    """The départements of a région, in code order ('27' -> 21, 25, 39, 58, 70, 71, 89, 90)."""
    return Departement.objects.filter(region_id=code).order_by("code")


def departement_name(code: str) -> str | None:
    """'21' -> "Côte-d'Or"."""
    return Departement.objects.filter(code=code).values_list("name", flat=True).first()


def region_of_departement(code: str) -> Region | None:
    """'25' -> the Bourgogne-Franche-Comté région."""
    departement = Departement.objects.select_related("region").filter(code=code).first()
    return departement.region if departement else None


def naf_normalize_code(code: str) -> str:
    """Accept the compact forms used in some files: '6201Z' -> '62.01Z', '620' -> '62.0'.

    Already dotted codes, divisions ('62') and sections ('J') are returned upper-cased.
    """
    value = code.strip().upper()
    match = _NAF_COMPACT.match(value)
    if match:
        division, group_digit, class_digit, letter = match.groups()
        return f"{division}.{group_digit}{class_digit}{letter}"
    return value


def naf_code(code: str) -> NafCode | None:
    """The NAF row for a code in dotted or compact form, or None."""
    return NafCode.objects.filter(code=naf_normalize_code(code)).first()


def naf_label(code: str) -> str | None:
    """'62.01Z' (or '6201Z') -> 'Programmation informatique'."""
    return (
        NafCode.objects.filter(code=naf_normalize_code(code))
        .values_list("label", flat=True)
        .first()
    )


def naf_ancestors(code: str) -> list[NafCode]:
    """The chain from the section down to the code itself: '62.01Z' -> J, 62, 62.0, 62.01,
    62.01Z. Empty for an unknown code."""
    node = naf_code(code)
    chain: list[NafCode] = []
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain[::-1]


def naf_section(code: str) -> NafCode | None:
    """The section (level 1) of any NAF code: '62.01Z' -> J."""
    chain = naf_ancestors(code)
    return chain[0] if chain else None


def naf_codes_of_level(level: int) -> QuerySet[NafCode]:
    """All codes of one level (NafCode.Level), in code order."""
    return NafCode.objects.filter(level=level).order_by("code")


def headcount_band_label(code: str) -> str | None:
    """'12' -> '20 à 49 salariés'."""
    return HeadcountBand.objects.filter(code=code).values_list("label", flat=True).first()


def country_name(iso2: str) -> str | None:
    """'DE' -> 'Allemagne' (case-insensitive on the code)."""
    return (
        Country.objects.filter(iso2=iso2.strip().upper()).values_list("name_fr", flat=True).first()
    )
