"""Where an establishment is: département and région derived from its INSEE commune code."""

from guichet.reference.models import Departement

_cache: dict[str, str] = {}


def departement_code_of_commune(commune_code: str) -> str:
    """ "21231" → "21", "2A004" → "2A", "97411" → "974". Empty for codes outside départements."""
    code = (commune_code or "").strip().upper()
    if len(code) != 5:
        return ""
    if code.startswith("97"):
        return code[:3]
    if code.startswith(("98", "99")):
        return ""  # collectivités d'outre-mer (Polynésie, Nouvelle-Calédonie, …), pays étrangers
    return code[:2]


def departement_regions() -> dict[str, str]:
    """{département code: région code} for every département of the reference table (cached
    once the table is loaded: the COG does not change while the process runs)."""
    if not _cache:
        _cache.update(Departement.objects.values_list("code", "region_id"))
    return _cache


def locate(commune_code: str) -> tuple[str | None, str | None]:
    """(département code, région code) of a commune, or (None, None) when not in a département."""
    dep = departement_code_of_commune(commune_code)
    region = departement_regions().get(dep)
    if region is None:
        return None, None
    return dep, region


def departement_code_of_postal_code(postal_code: str) -> str:
    """The département of a French postal code ("21000" → "21", "20090" → "2A", "20200" → "2B",
    "97400" → "974"); empty when the code is not a 5-digit French postal code."""
    code = (postal_code or "").strip()
    if len(code) != 5 or not code.isdigit() or code.startswith("00"):
        return ""
    if code.startswith("20"):
        return "2A" if code < "20200" else "2B"
    if code.startswith("97"):
        return code[:3]
    if code.startswith("98"):
        return ""
    return code[:2]
