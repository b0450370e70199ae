"""The indicator library a region picks from when it builds its plan.

- ARRICOD's impact indicators (6) and internationalisation indicators (12), named as in
  ARRICOD's guide *L'action internationale économique des collectivités territoriales*
  (table "indicateurs d'impact", source UA 2014), each with the guide's two ratings from 1 to 5:
  how easy the data is to get ("accès") and how relevant the indicator is ("pertinence").
- Activity indicators that the PAREX 1 report (seed 000), the Auvergne one-stop desk agreement
  (seed 002) and the answer to written question no. 2524 on the competitiveness clusters
  (seed 003) put forward. These sources give no rating: their "accès" says whether the
  platform computes the figure from its own records (5) or it must be entered by hand (2 or 3),
  and their "pertinence" is the team's own reading of how central the source makes them.
  Their source line says so.

`computation` suggests the key of the computation library that measures the entry (empty when
the platform holds no record of it: the indicator is then entered by hand).

Pure data plus `install`, which the data migration 0002_library and the demo both call: a
migration cannot import models, so `install` takes the model class it is given.
"""

from __future__ import annotations

from decimal import Decimal

ARRICOD_SOURCE = "ARRICOD, indicateurs d'impact (UA 2014)"
PAREX_SOURCE = (
    "Bilan du PAREX 1 (Conseil régional de Bourgogne, 2014), cité par le CESER de Bourgogne ; "
    "notes d'accès et de pertinence : estimation de Guichet Export"
)
DESK_SOURCE = (
    "Protocole du guichet unique export d'Auvergne (objectifs des partenaires) ; "
    "notes d'accès et de pertinence : estimation de Guichet Export"
)
POLES_SOURCE = (
    "Réponse à la question écrite n° 2524 (pôles de compétitivité et international) ; "
    "notes d'accès et de pertinence : estimation de Guichet Export"
)

IMPACT = "impact"
INTERNATIONALISATION = "internationalisation"
ACTIVITY = "activity"

# (family, name, access, relevance, unit, source, computation)
ENTRIES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    # ARRICOD — indicateurs d'impacts
    (
        IMPACT,
        "pourcentage des jeunes qui au retour d'une mobilité internationale trouvent un emploi",
        "1",
        "4",
        "%",
        ARRICOD_SOURCE,
        "vie_hired_share",
    ),
    (
        IMPACT,
        "niveau de satisfaction des bénéficiaires de la mobilité internationale sur des "
        "critères définis en amont",
        "3",
        "3",
        "note",
        ARRICOD_SOURCE,
        "",
    ),
    (
        IMPACT,
        "part de l'investissement d'origine d'un territoire partenaire / total des "
        "investissements étrangers sur le territoire",
        "3",
        "4",
        "%",
        ARRICOD_SOURCE,
        "",
    ),
    (
        IMPACT,
        "nombre de contrats obtenus par entreprises du territoire sur un territoire "
        "partenaire / an",
        "2",
        "4",
        "contrats",
        ARRICOD_SOURCE,
        "collective_contracts",
    ),
    (
        IMPACT,
        "pourcentage d'un public participant à une manifestation se déclarant non averti "
        "auparavant",
        "3",
        "3",
        "%",
        ARRICOD_SOURCE,
        "",
    ),
    (
        IMPACT,
        "nombre de sollicitations des acteurs du territoire pour intervenir dans des actions "
        "internationales et parler du territoire",
        "1",
        "2",
        "sollicitations",
        ARRICOD_SOURCE,
        "",
    ),
    # ARRICOD — indicateurs d'internationalisation des territoires
    (
        INTERNATIONALISATION,
        "mobilité des jeunes (accueil et envoi de jeunes)",
        "2",
        "5",
        "jeunes",
        ARRICOD_SOURCE,
        "vie_missions",
    ),
    (
        INTERNATIONALISATION,
        "montant des transferts financiers A/R",
        "2",
        "2.5",
        "€",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "nombre de nationalités et origines des habitants",
        "3",
        "5",
        "nationalités",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "nombre de structures du territoire engagées à l'international et leur diversité",
        "2",
        "5",
        "structures",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "nombre d'associations impliquées à l'international",
        "3",
        "5",
        "associations",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "cartographie linguistique du territoire",
        "2",
        "4",
        "langues",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "nombre d'entreprises du territoire impliquées à l'international",
        "2",
        "5",
        "entreprises",
        ARRICOD_SOURCE,
        "companies_accompanied",
    ),
    (
        INTERNATIONALISATION,
        "nombre d'entreprises étrangères impliquées sur le territoire",
        "2",
        "4",
        "entreprises",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "nombre de touristes sur le territoire par an",
        "3",
        "4",
        "touristes",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "chiffre d'affaires touristique",
        "2",
        "4",
        "€",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "nombre de partenariats étrangers des universités",
        "3",
        "5",
        "partenariats",
        ARRICOD_SOURCE,
        "",
    ),
    (
        INTERNATIONALISATION,
        "nombre de décisions de justice relatives aux reconduites à la frontière",
        "3",
        "2.5",
        "décisions",
        ARRICOD_SOURCE,
        "",
    ),
    # Activity indicators of the export plans (PAREX 1 report, one-stop desk, clusters)
    (
        ACTIVITY,
        "nombre d'entreprises différentes accompagnées",
        "5",
        "5",
        "entreprises",
        PAREX_SOURCE,
        "companies_accompanied",
    ),
    (
        ACTIVITY,
        "nombre d'entreprises nouvelles diagnostiquées",
        "5",
        "4",
        "diagnostics",
        PAREX_SOURCE,
        "diagnostics_done",
    ),
    (
        ACTIVITY,
        "nombre d'emplois liés à l'international financés, dont V.I.E.",
        "5",
        "5",
        "emplois",
        PAREX_SOURCE,
        "jobs_financed",
    ),
    (
        ACTIVITY,
        "nombre de V.I.E. en poste",
        "5",
        "4",
        "V.I.E.",
        PAREX_SOURCE,
        "vie_missions",
    ),
    (
        ACTIVITY,
        "part des V.I.E. embauchés à l'issue de leur mission",
        "5",
        "4",
        "%",
        PAREX_SOURCE,
        "vie_hired_share",
    ),
    (
        ACTIVITY,
        "nombre d'élèves de l'enseignement supérieur sensibilisés aux métiers de l'international",
        "5",
        "3",
        "élèves",
        PAREX_SOURCE,
        "students_made_aware",
    ),
    (
        ACTIVITY,
        "nombre d'étudiants ayant déposé leur candidature sur la plateforme V.I.E.",
        "2",
        "3",
        "candidatures",
        PAREX_SOURCE,
        "",
    ),
    (
        ACTIVITY,
        "retour sur chiffre d'affaires des entreprises innovantes aidées (Innov'export)",
        "5",
        "4",
        "€ par € d'aide",
        PAREX_SOURCE,
        "revenue_per_aid_euro",
    ),
    (
        ACTIVITY,
        "montant mobilisé par les acteurs publics pour accompagner les entreprises à "
        "l'international",
        "5",
        "4",
        "€",
        PAREX_SOURCE,
        "public_money",
    ),
    (
        ACTIVITY,
        "nombre d'entreprises identifiées",
        "5",
        "4",
        "entreprises",
        DESK_SOURCE,
        "journey_identified",
    ),
    (
        ACTIVITY,
        "nombre de demandes reçues par le guichet unique",
        "5",
        "3",
        "demandes",
        DESK_SOURCE,
        "needs_received",
    ),
    (
        ACTIVITY,
        "augmentation des effectifs dédiés à l'exportation",
        "3",
        "4",
        "emplois",
        DESK_SOURCE,
        "",
    ),
    (
        ACTIVITY,
        "nombre de V.I.E. recrutés par les PME des pôles de compétitivité",
        "3",
        "4",
        "V.I.E.",
        POLES_SOURCE,
        "",
    ),
)


def install(model) -> tuple[int, int]:
    """Create the entries that are missing and bring the others up to date, matched on
    (family, name); entries a region added itself are left alone. Returns (created, updated)."""
    created = updated = 0
    for order, (family, name, access, relevance, unit, source, computation) in enumerate(
        ENTRIES, start=1
    ):
        wanted = {
            "access": Decimal(access),
            "relevance": Decimal(relevance),
            "unit": unit,
            "source": source,
            "computation": computation,
            "order": order,
        }
        entry = model.objects.filter(family=family, name=name).first()
        if entry is None:
            model.objects.create(family=family, name=name, **wanted)
            created += 1
            continue
        changed = [field for field, value in wanted.items() if getattr(entry, field) != value]
        if changed:
            for field in changed:
                setattr(entry, field, wanted[field])
            entry.save(update_fields=changed)
            updated += 1
    return created, updated
