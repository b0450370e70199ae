"""Fictitious companies of Bourgogne-Franche-Comté for the demo (deterministic, idempotent).

The names are invented; SIREN and SIRET numbers carry a valid Luhn key but are drawn from the
range 990 000 000 – 999 999 999 so they are easy to recognise as demo data. Communes are real
INSEE codes (COG) so that the département and région are derived as for imported data.
"""

import random
from datetime import date

from stdnum import luhn

from guichet.companies.geography import locate
from guichet.companies.models import Company, Establishment
from guichet.companies.services import contact_create, export_profile_update
from guichet.companies.text import company_search_text, normalise

COMMUNES = [
    ("21231", "DIJON", "21000"),
    ("21054", "BEAUNE", "21200"),
    ("25056", "BESANCON", "25000"),
    ("25388", "MONTBELIARD", "25200"),
    ("25462", "PONTARLIER", "25300"),
    ("25411", "MORTEAU", "25500"),
    ("90010", "BELFORT", "90000"),
    ("71076", "CHALON-SUR-SAONE", "71100"),
    ("71270", "MACON", "71000"),
    ("71153", "LE CREUSOT", "71200"),
    ("89024", "AUXERRE", "89000"),
    ("89387", "SENS", "89100"),
    ("58194", "NEVERS", "58000"),
    ("70550", "VESOUL", "70000"),
    ("39300", "LONS-LE-SAUNIER", "39000"),
    ("39198", "DOLE", "39100"),
]

# (name words, NAF sub-class) per filière, to build plausible names.
TRADES = [
    (["Fromagerie", "Comté", "du Haut-Doubs"], "10.51C"),
    (["Moutarderie", "Bourguignonne"], "10.84Z"),
    (["Domaine", "des Coteaux", "de Beaune"], "11.02B"),
    (["Crémerie", "Liquoristerie", "du Cassis"], "11.01Z"),
    (["Biscuiterie", "de la Saône"], "10.72Z"),
    (["Décolletage", "Précision", "Jurassienne"], "25.62A"),
    (["Horlogerie", "Comtoise", "Manufacture"], "26.52Z"),
    (["Optique", "Instruments", "de Mesure"], "26.51B"),
    (["Équipements", "Automobiles", "du Pays de Montbéliard"], "29.32Z"),
    (["Carrosserie", "Industrielle", "Franc-Comtoise"], "29.20Z"),
    (["Hydrogène", "Énergies", "Nouvelles"], "20.11Z"),
    (["Piles à combustible", "de Belfort"], "27.20Z"),
    (["Dispositifs", "Médicaux", "de Franche-Comté"], "32.50A"),
    (["Laboratoires", "Pharmaceutiques", "de Bourgogne"], "21.20Z"),
    (["Scierie", "du Morvan"], "16.10A"),
    (["Menuiseries", "Bois", "du Jura"], "16.23Z"),
    (["Forges", "et Composants", "du Creusot"], "25.50A"),
    (["Composites", "Techniques", "de l'Yonne"], "22.29A"),
    (["Traitement", "de Surfaces", "Nivernais"], "25.61Z"),
    (["Transports", "Routiers", "Saônois"], "49.41A"),
]
LEGAL_FORMS = [("SAS", "5710"), ("SARL", "5499"), ("SA", "5599")]
FAMILIES = ["Martin", "Faivre", "Girard", "Bonnet", "Jacquot", "Courvoisier", "Vuillemin"]
FAMILIES += ["Perrin", "Morel", "Guyot", "Michaud", "Cuenot", "Tissot", "Bourgeois", "Maire"]
FAMILIES += ["Petitjean", "Barbier", "Gauthier", "Rousseau", "Bernard"]
STREETS = ["RUE DES ARTISANS", "RUE DE LA GARE", "QUAI DU PORT", "AVENUE PASTEUR"]
BANDS = ["01", "02", "03", "11", "12", "21", "22", "31", "32"]


def _with_key(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def _siren(rng: random.Random) -> str:
    return _with_key(f"99{rng.randrange(10**6):06d}")


def _siret(siren: str, index: int) -> str:
    return _with_key(f"{siren}{index:04d}")


def _size(band: str) -> str:
    return "TPE" if band in {"01", "02", "03"} else ("ETI" if band in {"31", "32"} else "PME")


def load_companies(*, count: int = 60, seed: int = 27) -> int:
    """Create the demo companies that don't exist yet; returns how many were created."""
    created = 0
    for index in range(count):
        rng = random.Random(seed * 1000 + index)  # noqa: S311 - one stream per company
        words, naf = TRADES[index % len(TRADES)]
        form, category = rng.choice(LEGAL_FORMS)
        rounds = index // len(TRADES)
        suffix = f"{FAMILIES[(index + 7 * rounds) % len(FAMILIES)]} " if rounds else ""
        name = f"{' '.join(words)} {suffix}{form}".upper()
        siren = _siren(rng)
        band = rng.choice(BANDS)
        commune = rng.choice(COMMUNES)
        active = index % 17 != 5
        if Company.objects.filter(siren=siren).exists():
            continue
        company = _create(siren, name, naf, category, band, commune, active, rng)
        if active and index % 3 != 2:
            _profile(company, index, rng)
        created += 1
    return created


PROFILES = [
    ("regular", 45, "10m_50m", ["DE", "BE", "CH", "US"], ["JP", "CA"]),
    ("occasional", 12, "2m_10m", ["CH", "BE"], ["DE", "IT"]),
    ("new", 3, "lt_2m", ["CH"], ["DE", "GB"]),
    ("never", 0, "lt_2m", [], ["CH", "BE"]),
]
FIRST_NAMES = ["Sophie", "Julien", "Camille", "Thomas", "Nathalie", "Pierre", "Élodie", "Marc"]
JOBS = ["Dirigeant", "Directrice générale", "Responsable export", "Directeur commercial"]


def _profile(company: Company, index: int, rng: random.Random) -> None:
    """A dated export profile and one contact, as an advisor would have entered them."""
    status, share, band, served, targeted = PROFILES[index % len(PROFILES)]
    export_profile_update(
        company=company,
        values={
            "status": status,
            "export_share": share,
            "turnover_band": band,
            "countries_served": served,
            "countries_targeted": targeted,
            "innovative": index % 4 == 0,
        },
        observed_on=date(2025, rng.randrange(1, 13), rng.randrange(1, 28)),
        source="advisor",
        by=None,
        comment="Données de démonstration",
    )
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = FAMILIES[(index * 3) % len(FAMILIES)]
    contact_create(
        company=company,
        by=None,
        first_name=first,
        last_name=last,
        job_title=JOBS[index % len(JOBS)],
        email=f"{normalise(first)[0]}.{normalise(last)}@demo.example",
        phone=f"03 80 {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
        legal_basis="public_task",
        source="advisor",
        last_contact_on=date(2026, rng.randrange(1, 11), rng.randrange(1, 28)),
    )


def _create(siren, name, naf, category, band, commune, active, rng) -> Company:
    hq = _siret(siren, 1)
    company = Company.objects.create(
        siren=siren,
        name=name,
        denomination=name,
        search_text=company_search_text(name),
        legal_category=category,
        naf_id=naf,
        activity_code=naf,
        activity_nomenclature="NAFRev2",
        headcount_band_id=band,
        headcount_year=2023,
        size_category=_size(band),
        size_category_year=2022,
        creation_date=date(rng.randrange(1950, 2022), rng.randrange(1, 13), 1),
        is_active=active,
        ceased_on=None if active else date(2024, 6, 30),
        headquarters_siret=hq,
    )
    sites = [(hq, commune, True)]
    for extra in range(rng.choice([0, 0, 0, 1, 2])):
        sites.append((_siret(siren, 2 + extra), rng.choice(COMMUNES), False))
    for siret, (code, city, postal), is_hq in sites:
        dep, region = locate(code)
        Establishment.objects.create(
            siret=siret,
            company=company,
            is_headquarters=is_hq,
            address=f"{rng.randrange(1, 120)} {rng.choice(STREETS)}",
            postal_code=postal,
            commune_code=code,
            commune_name=city,
            departement_id=dep,
            region_id=region,
            naf_id=naf,
            activity_code=naf,
            activity_nomenclature="NAFRev2",
            headcount_band_id=band if is_hq else "01",
            headcount_year=2023,
            is_active=company.is_active,
        )
    return company
