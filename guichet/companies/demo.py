"""Demo data of the registry: the filières of Bourgogne-Franche-Comté and fictitious companies
(idempotent)."""

from guichet.companies.demo_companies import load_companies
from guichet.companies.demo_filieres import FILIERES
from guichet.companies.services_filieres import filiere_upsert


def load(*, password: str, stdout) -> list:
    for slug, name, codes, description in FILIERES:
        filiere_upsert(slug=slug, name=name, naf_codes=codes, description=description)
    stdout.write(f"Filières : {len(FILIERES)}")
    created = load_companies()
    stdout.write(f"Entreprises de démonstration créées : {created}")
    return []
