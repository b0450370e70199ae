"""Demo partners of Bourgogne-Franche-Comté and one user per role (idempotent)."""

from guichet.partners import services
from guichet.partners.models import Organisation, User
from guichet.reference.models import Departement, Region

ORGANISATIONS = [
    ("region-bfc", "Région Bourgogne-Franche-Comté", "region", ["27"], []),
    ("cci-bfc", "CCI Bourgogne-Franche-Comté", "cci", ["27"], []),
    ("business-france", "Business France", "business_france", [], []),
    ("bpifrance-bfc", "Bpifrance Bourgogne-Franche-Comté", "bpifrance", ["27"], []),
    (
        "cce-bfc",
        "Conseillers du commerce extérieur — section Bourgogne-Franche-Comté",
        "cce",
        ["27"],
        [],
    ),
    ("vitagora", "Vitagora", "pole", [], ["21", "71", "89", "58"]),
    ("pole-vehicule-du-futur", "Pôle Véhicule du Futur", "pole", [], ["25", "90", "70", "39"]),
]

# (e-mail, first name, last name, organisation slug, roles)
USERS = [
    ("admin@demo.example", "Alice", "Administratrice", "region-bfc", ["admin"]),
    ("pilote@demo.example", "Paul", "Pilote", "region-bfc", ["manager"]),
    ("instructeur@demo.example", "Inès", "Instructrice", "region-bfc", ["instructor"]),
    ("lecture@demo.example", "Louis", "Lecteur", "region-bfc", ["readonly"]),
    ("conseiller.cci@demo.example", "Claire", "Conseillère", "cci-bfc", ["advisor"]),
    ("conseiller.bf@demo.example", "Bruno", "Conseiller", "business-france", ["advisor"]),
    ("expert.bpi@demo.example", "Émilie", "Experte", "bpifrance-bfc", ["expert"]),
    ("mentor.cce@demo.example", "Marc", "Mentor", "cce-bfc", ["expert"]),
    ("expert.vitagora@demo.example", "Valérie", "Experte", "vitagora", ["expert"]),
    ("expert.pvf@demo.example", "Victor", "Expert", "pole-vehicule-du-futur", ["expert"]),
]


def load(*, password: str, stdout) -> list[tuple[str, str]]:
    organisations = {}
    for slug, name, kind, regions, departements in ORGANISATIONS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = services.organisation_create(
                name=name,
                kind=kind,
                slug=slug,
                regions=Region.objects.filter(code__in=regions),
                departements=Departement.objects.filter(code__in=departements),
            )
        organisations[slug] = organisation
    accounts = []
    for email, first_name, last_name, slug, roles in USERS:
        if not User.objects.filter(email=email).exists():
            services.user_create(
                email=email,
                first_name=first_name,
                last_name=last_name,
                organisation=organisations[slug],
                roles=roles,
                password=password,
                invite=False,
            )
        accounts.append((email, f"{organisations[slug].name} — {', '.join(roles)}"))
    stdout.write(f"Organisations de démonstration : {len(organisations)}")
    return accounts
