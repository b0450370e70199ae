"""Where an establishment is: département and région derived from its INSEE commune code."""

from functools import lru_cache

from guichet.reference.models import Departement


def departement_code_of_commune(commune_code: str) -> str:
    """"21231" → "21", "2A004" → "2A", "97411" → "974". Empty for codes outside départements."""
    code = (commune_code or "").strip().upper()
    if len(code) != 5:
        return ""
    if code.startswith("97"):
        return code[:3]
    if code.startswith(("98", "99")):
        return ""  # collectivités d'outre-mer (Polynésie, Nouvelle-Calédonie, …), pays étrangers
    return code[:2]


@lru_cache(maxsize=1)
def departement_regions() -> dict[str, str]:
    """{département code: région code} for every département of the reference table."""
    return dict(Departement.objects.values_list("code", "region_id"))


def locate(commune_code: str) -> tuple[str | None, str | None]:
    """(département code, région code) of a commune, or (None, None) when not in a département."""
    dep = departement_code_of_commune(commune_code)
    region = departement_regions().get(dep)
    if region is None:
        return None, None
    return dep, region
