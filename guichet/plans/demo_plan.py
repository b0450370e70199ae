"""The content of the demo PAREX 2 plan: its axes, measures and indicators as seed 000 (the
CESER de Bourgogne's opinion on the regional export action plan) describes them, paraphrased,
with the PAREX 1 report's figures as baselines (2011-2013: 500 companies in the regional
programme, 344 companies diagnosed, 1,500 followed, 76 jobs financed of which 28 V.I.E.,
about 1,200 students made aware, 22 innovative companies helped by Innov'export for
€330,000 with €2.3m of turnover in return, 7 cluster operations).

Years are offsets from the year the demo is loaded (0 = the current year, -1 = last year…): the
other demos are dated from today, and so is the plan. Manual values are given per offset; the
automatic indicators' targets are set by guichet.plans.demo from what the records give.
"""

from dataclasses import dataclass, field

from guichet.plans import demo_plan_reports

PLAN_SLUG = "parex-2"
PLAN_NAME = "PAREX 2 – Plan régional d'actions pour l'export"
PLAN_DESCRIPTION = (
    "Deuxième plan régional d'actions pour l'export, construit sur le bilan du premier "
    "(PAREX 1, 2011-2014). Priorités : susciter des vocations à l'export, augmenter le nombre "
    "de primo-exportateurs et conforter les exportateurs existants. Trois axes, onze mesures, "
    "portés par les membres de l'équipe régionale de l'export (Région, CCI, Business France, "
    "Bpifrance, conseillers du commerce extérieur, pôles de compétitivité)."
)
# The plan starts three years before the current one and ends next year.
FIRST_OFFSET = -3
LAST_OFFSET = 1
OWNER = "region-bfc"

AXES = (
    (
        1,
        "Communication, formation, information",
        "Faire connaître l'export aux entreprises qui n'y pensent pas encore, les informer et "
        "les former, sensibiliser les étudiants aux métiers de l'international (mesures 1 à 4).",
    ),
    (
        2,
        "Coordination d'actions collectives",
        "Un programme régional unique de salons et de missions préparés en amont et suivis "
        "après coup, en lien avec la coopération décentralisée et les pôles (mesures 5 à 8).",
    ),
    (
        3,
        "Appui individuel aux entreprises",
        "Accompagner les PME dans la durée, aider au recrutement de compétences export et "
        "soutenir les entreprises innovantes (mesures 9 à 11).",
    ),
)

# (number, axis, title, description, lead organisation slug)
MEASURES = (
    (
        1,
        1,
        "Pré-détection d'entreprises ayant la capacité d'exporter",
        "Repérer, filière par filière, les entreprises qui pourraient exporter et ne le font pas "
        "encore, dans un but de diversification. Prolonge la pré-détection de projets naissants "
        "du PAREX 1 (mesure 4, confiée alors à l'IFORE et à ECTI). Des entreprises "
        "expérimentées témoignent auprès de celles qui n'exportent pas encore lors d'une "
        "journée de l'export.",
        "cci-bfc",
    ),
    (
        2,
        1,
        "Formation et information de l'entreprise",
        "Salon annuel de l'export, forums organisés par la CCI régionale et guide export repensé "
        "pour présenter l'ensemble des moyens financiers et d'accompagnement des membres de "
        "l'équipe régionale de l'export ; le guichet unique répond aux questions des "
        "entreprises.",
        "cci-bfc",
    ),
    (
        3,
        1,
        "Veille économique",
        "Mesure nouvelle : des fiches d'intelligence économique mises à disposition sur le "
        "portail régional des entreprises et un plan de veille à destination des filières.",
        "region-bfc",
    ),
    (
        4,
        1,
        "Sensibilisation d'étudiants aux métiers de l'international",
        "Interventions des conseillers du commerce extérieur et d'ECTI dans l'enseignement "
        "supérieur, promotion du V.I.E. auprès des établissements de formation et conseil sur "
        "l'évolution des formations. Indicateurs retenus : élèves sensibilisés et candidatures "
        "déposées sur la plateforme V.I.E.",
        "cce-bfc",
    ),
    (
        5,
        2,
        "Programmation régionale d'actions collectives",
        "Permettre à toute entreprise de participer à un salon ou à une mission à moindre coût, "
        "avec une préparation en amont. Dans la continuité du programme régional concerté du "
        "PAREX 1 (mesure 2).",
        "business-france",
    ),
    (
        6,
        2,
        "Renforcement du suivi des actions collectives",
        "Mieux suivre les entreprises après chaque action collective (enquêtes de suivi, "
        "contrats déclarés) et confier l'évaluation à un cabinet d'études extérieur sur un "
        "panel représentatif, comme le recommandait le bilan du PAREX 1.",
        "cci-bfc",
    ),
    (
        7,
        2,
        "Renforcement de la synergie avec les zones de coopération décentralisée",
        "Capitaliser sur les liens de la Région avec ses territoires de coopération "
        "décentralisée ; deux V.I.E., l'un à Hong Kong, l'autre au Chili, comme au PAREX 1 "
        "(mesure 3).",
        "region-bfc",
    ),
    (
        8,
        2,
        "Implication des pôles et clusters pour développer innovation et compétitivité",
        "Actions collectives propres aux entreprises innovantes et recherche de partenariats "
        "à l'étranger, portées par les pôles de compétitivité et les clusters (mesure 9 du "
        "PAREX 1).",
        "vitagora",
    ),
    (
        9,
        3,
        "Accompagnement export de l'entreprise sur la durée",
        "Accompagner les PME et PMI dans la durée, du diagnostic aux premières ventes puis à "
        "l'export régulier, avec le suivi proposé par Business France en partenariat avec "
        "Bpifrance et l'assureur-crédit public. Reprend les objectifs de la mesure 4 du PAREX 1 "
        "en ciblant les PME.",
        "business-france",
    ),
    (
        10,
        3,
        "Aides au recrutement",
        "Intégrer du personnel dédié à l'export dans les entreprises : aide au recrutement "
        "d'un cadre ou d'un assistant export, soutien au V.I.E. et promotion de ce statut "
        "(mesure 6 du PAREX 1).",
        "region-bfc",
    ),
    (
        11,
        3,
        "Innov'export (appui aux entreprises innovantes)",
        "Poursuite d'Innov'export, l'appui individuel aux entreprises innovantes qui exportent "
        "leur innovation (mesure 8 du PAREX 1 : 22 entreprises aidées en 2011-2013 pour "
        "330 000 €, 2,3 M€ de chiffre d'affaires en retour).",
        "region-bfc",
    ),
)

ALL = ("partner", "filiere", "departement", "size")
COMPANY = ("filiere", "departement", "size")


@dataclass(frozen=True)
class Spec:
    """One indicator of the demo plan, of the measure its code names. `computations`: the
    library keys to use, the first one registered wins (an empty tuple: entered by hand).
    `values`: manual values by year offset. `targets`: fixed targets for every year (else
    derived from the values)."""

    code: str  # "M<measure>-<n>"
    name: str
    definition: str
    unit: str
    owner: str
    computations: tuple[str, ...] = ()
    # Default: every dimension for a computed indicator, none for a manual one.
    breakdowns: tuple[str, ...] | None = None
    baseline: str | None = None
    baseline_year: int | None = None
    library: str = ""
    values: dict[int, str] = field(default_factory=dict)
    source: str = ""
    target: str | None = None
    # The target of a ratio for the years where it has no value yet.
    nominal: str | None = None

    def __post_init__(self):
        if self.breakdowns is None:
            object.__setattr__(self, "breakdowns", ALL if self.computations else ())

    @property
    def measure(self) -> int:
        """The measure's number, read from the code."""
        return int(self.code[1:].split("-")[0])


PAREX1 = "Bilan du PAREX 1, 2011-2013"

INDICATORS = (
    # Mesure 1
    Spec(
        "M1-1",
        "Entreprises repérées à potentiel export",
        "Entreprises entrées dans un parcours export au stade « repérée » dans l'année "
        "(historique des parcours).",
        "entreprises",
        "cci-bfc",
        ("journey_identified",),
    ),
    Spec(
        "M1-2",
        "Entreprises contactées",
        "Entreprises passées au stade « contactée » de leur parcours dans l'année.",
        "entreprises",
        "cci-bfc",
        ("journey_contacted",),
    ),
    Spec(
        "M1-3",
        "Diagnostics export réalisés",
        "Diagnostics export terminés dans l'année. Référence : 344 entreprises nouvelles "
        f"diagnostiquées sur les trois années 2011-2013 ({PAREX1}).",
        "diagnostics",
        "cci-bfc",
        ("diagnostics_done",),
        baseline="344",
        baseline_year=2013,
    ),
    Spec(
        "M1-4",
        "Entreprises exportatrices témoins aux journées de l'export",
        "Entreprises expérimentées venues partager leur expérience avec des entreprises qui "
        "n'exportent pas encore, lors des journées de l'export de l'année.",
        "entreprises",
        "cce-bfc",
        values={-3: "6", -2: "9", -1: "12", 0: "10"},
        source="Feuilles d'émargement des journées de l'export",
    ),
    # Mesure 2
    Spec(
        "M2-1",
        "Demandes reçues au guichet unique",
        "Demandes d'entreprises reçues par le guichet unique dans l'année, quel que soit leur "
        "objet.",
        "demandes",
        "region-bfc",
        ("needs_received",),
    ),
    Spec(
        "M2-2",
        "Part des demandes prises en charge dans le délai",
        "Part des demandes de l'année dont la première réponse est arrivée dans le délai du "
        "guichet (jours ouvrés).",
        "%",
        "region-bfc",
        ("needs_answered_in_time_share",),
        nominal="80",
    ),
    Spec(
        "M2-3",
        "Forums export organisés par la CCI régionale",
        "Forums d'information export (réglementation, financement, marchés) organisés dans "
        "l'année par la CCI régionale.",
        "forums",
        "cci-bfc",
        values={-3: "4", -2: "5", -1: "6", 0: "5"},
        source="Bilan d'activité export de la CCI régionale",
    ),
    Spec(
        "M2-4",
        "Entreprises présentes au salon régional de l'export",
        "Entreprises inscrites présentes au salon annuel de l'export.",
        "entreprises",
        "cci-bfc",
        values={-3: "140", -2: "165", -1: "182", 0: "176"},
        source="Registre des entrées du salon régional de l'export",
    ),
    Spec(
        "M2-5",
        "Guide export de l'équipe régionale édité",
        "Édition annuelle du guide présentant les aides et les accompagnements de tous les "
        "membres de l'équipe régionale de l'export (1 = l'édition de l'année est parue).",
        "édition",
        "region-bfc",
        values={-3: "1", -2: "1", -1: "1", 0: "0"},
        source="Service communication de la Région (dépôt légal du guide)",
        target="1",
    ),
    # Mesure 3
    Spec(
        "M3-1",
        "Fiches de veille publiées",
        "Fiches techniques d'intelligence économique mises en ligne dans l'année sur le "
        "portail régional des entreprises.",
        "fiches",
        "cci-bfc",
        values={-3: "18", -2: "26", -1: "31", 0: "24"},
        source="Portail régional des entreprises, rubrique veille (fiches mises en ligne)",
    ),
    Spec(
        "M3-2",
        "Filières couvertes par le plan de veille",
        "Filières régionales disposant d'un plan de veille actif à la fin de l'année.",
        "filières",
        "region-bfc",
        values={-3: "3", -2: "5", -1: "6", 0: "7"},
        source="Comité de pilotage du plan de veille filières",
    ),
    # Mesure 4
    Spec(
        "M4-1",
        "Étudiants sensibilisés aux métiers de l'international",
        "Élèves et étudiants présents aux séances de sensibilisation de l'année. Référence : "
        f"environ 1 200 élèves de l'enseignement supérieur sensibilisés ({PAREX1}).",
        "étudiants",
        "cce-bfc",
        ("students_made_aware",),
        ("partner", "departement"),
        baseline="1200",
        baseline_year=2013,
    ),
    Spec(
        "M4-2",
        "Candidatures V.I.E. déposées par des étudiants de la région",
        "Candidatures déposées dans l'année sur la plateforme V.I.E. de Business France par "
        "des étudiants des établissements de la région.",
        "candidatures",
        "business-france",
        values={-3: "212", -2: "245", -1: "268", 0: "231"},
        source="Business France, extraction régionale de la plateforme V.I.E.",
    ),
    # Mesure 5
    Spec(
        "M5-1",
        "Entreprises participant aux actions collectives",
        "Entreprises différentes ayant pris part à au moins une action collective de l'année. "
        f"Référence : 500 entreprises différentes au programme régional ({PAREX1}).",
        "entreprises",
        "business-france",
        ("collective_participants",),
        baseline="500",
        baseline_year=2013,
    ),
    # Mesure 6
    Spec(
        "M6-1",
        "Contrats déclarés après les actions collectives",
        "Contrats signés que les entreprises déclarent dans les enquêtes de suivi des actions "
        "collectives de l'année.",
        "contrats",
        "business-france",
        ("collective_contracts",),
    ),
    Spec(
        "M6-2",
        "Montant des contrats déclarés après les actions collectives",
        "Montant des contrats déclarés dans les enquêtes de suivi des actions de l'année.",
        "€",
        "business-france",
        ("collective_contracts_value",),
    ),
    Spec(
        "M6-3",
        "Vague d'évaluation externe réalisée",
        "Évaluation des actions collectives de l'année par un cabinet d'études extérieur, sur "
        "un panel représentatif d'entreprises (1 = réalisée).",
        "évaluation",
        "region-bfc",
        values={-3: "0", -2: "1", -1: "1", 0: "1"},
        source="Rapport d'évaluation du cabinet d'études",
        target="1",
    ),
    # Mesure 7
    Spec(
        "M7-1",
        "V.I.E. en poste à Hong Kong et au Chili",
        "Volontaires en poste au 31 décembre dans les deux zones de coopération décentralisée.",
        "V.I.E.",
        "region-bfc",
        values={-3: "1", -2: "2", -1: "2", 0: "2"},
        source="Direction des relations internationales de la Région, suivi des postes",
        target="2",
    ),
    Spec(
        "M7-2",
        "Contrats obtenus par des entreprises de la région dans les zones de coopération",
        "Contrats obtenus dans l'année par des entreprises de la région sur un territoire "
        "partenaire de la coopération décentralisée (indicateur d'impact de l'ARRICOD).",
        "contrats",
        "region-bfc",
        library="nombre de contrats obtenus par entreprises du territoire sur un territoire "
        "partenaire / an",
        values={-3: "2", -2: "3", -1: "5", 0: "4"},
        source="Enquête annuelle auprès des entreprises accompagnées dans les zones de coopération",
    ),
    # Mesure 8
    Spec(
        "M8-1",
        "Opérations collectives des pôles pour les entreprises innovantes",
        "Actions collectives à l'international montées dans l'année par les pôles de "
        "compétitivité et les clusters pour leurs entreprises innovantes. Référence : 7 "
        f"opérations ({PAREX1}).",
        "opérations",
        "vitagora",
        baseline="7",
        baseline_year=2013,
        values={-3: "3", -2: "4", -1: "5", 0: "4"},
        source="Bilans d'activité internationale des pôles et clusters",
    ),
    Spec(
        "M8-2",
        "Partenariats internationaux conclus par les pôles et clusters",
        "Accords de partenariat signés dans l'année avec des pôles, clusters ou centres de "
        "recherche étrangers.",
        "partenariats",
        "pole-vehicule-du-futur",
        values={-3: "2", -2: "4", -1: "3", 0: "3"},
        source="Bilans d'activité internationale des pôles et clusters",
    ),
    # Mesure 9
    Spec(
        "M9-1",
        "Entreprises accompagnées",
        "Entreprises différentes ayant reçu un appui dans l'année, tous partenaires et tous "
        "appuis confondus. Référence : 1 500 entreprises suivies par l'équipe régionale de "
        f"l'export ({PAREX1}).",
        "entreprises",
        "region-bfc",
        ("companies_accompanied",),
        baseline="1500",
        baseline_year=2013,
        library="nombre d'entreprises du territoire impliquées à l'international",
    ),
    Spec(
        "M9-2",
        "Entreprises passées au stade « accompagnée »",
        "Entreprises dont le parcours export a atteint le stade « accompagnée » dans l'année.",
        "entreprises",
        "business-france",
        ("journey_accompanied",),
    ),
    Spec(
        "M9-3",
        "Nouveaux exportateurs parmi les entreprises accompagnées",
        "Entreprises accompagnées devenues primo-exportatrices dans l'année (priorité du plan).",
        "entreprises",
        "business-france",
        ("new_exporters",),
    ),
    Spec(
        "M9-4",
        "Exportateurs réguliers parmi les entreprises accompagnées",
        "Entreprises accompagnées dans l'année qui exportent régulièrement (conforter les "
        "exportateurs existants).",
        "entreprises",
        "cci-bfc",
        ("regular_exporters",),
    ),
    Spec(
        "M9-5",
        "Demandes d'aides individuelles déposées",
        "Demandes déposées dans l'année, tous dispositifs d'aide individuelle confondus.",
        "demandes",
        "region-bfc",
        ("aid_applications",),
    ),
    Spec(
        "M9-6",
        "Montant des aides individuelles accordées",
        "Montant des aides individuelles accordées dans l'année, tous dispositifs.",
        "€",
        "region-bfc",
        ("aid_granted_amount",),
    ),
    Spec(
        "M9-7",
        "Argent public mobilisé pour l'export",
        "Aides individuelles accordées et prises en charge des participations aux actions "
        "collectives de l'année, par financeur.",
        "€",
        "region-bfc",
        ("public_money",),
        library="montant mobilisé par les acteurs publics pour accompagner les entreprises à "
        "l'international",
    ),
    # Mesure 10
    Spec(
        "M10-1",
        "Emplois liés à l'international financés, dont V.I.E.",
        "Recrutements export et V.I.E. financés par une aide de la Région accordée dans "
        f"l'année. Référence : 76 emplois dont 28 V.I.E. ({PAREX1}).",
        "emplois",
        "region-bfc",
        ("jobs_financed",),
        baseline="76",
        baseline_year=2013,
    ),
    Spec(
        "M10-2",
        "Missions V.I.E. démarrées",
        "Missions V.I.E. d'entreprises de la région qui démarrent dans l'année. Référence : "
        f"28 V.I.E. financés ({PAREX1}).",
        "missions",
        "business-france",
        ("vie_missions",),
        baseline="28",
        baseline_year=2013,
        library="mobilité des jeunes (accueil et envoi de jeunes)",
    ),
    Spec(
        "M10-3",
        "Part des V.I.E. embauchés à l'issue de leur mission",
        "Part des volontaires dont la mission s'est terminée dans l'année et dont on sait "
        "qu'ils ont été embauchés à l'issue.",
        "%",
        "business-france",
        ("vie_hired_share",),
        nominal="60",
        library="pourcentage des jeunes qui au retour d'une mobilité internationale trouvent "
        "un emploi",
    ),
    # Mesure 11
    Spec(
        "M11-1",
        "Chiffre d'affaires export par euro d'aide Innov'export",
        "Chiffre d'affaires export déclaré à la clôture des dossiers Innov'export de l'année, "
        "rapporté à l'aide versée. Référence : 2,3 M€ pour 330 000 € d'aide versés à 22 "
        f"entreprises innovantes, soit 6,97 € par euro d'aide ({PAREX1}).",
        "€ par € d'aide",
        "region-bfc",
        ("revenue_per_aid_euro_innov_export", "revenue_per_aid_euro"),
        baseline="6.97",
        baseline_year=2013,
        nominal="7",
    ),
    Spec(
        "M11-2",
        "Montant des aides Innov'export accordées",
        "Montant des aides Innov'export accordées dans l'année. Référence : 330 000 € pour 22 "
        f"entreprises innovantes ({PAREX1}).",
        "€",
        "region-bfc",
        ("aid_granted_amount_innov_export",),
        baseline="330000",
        baseline_year=2013,
    ),
)

# What was done, by measure and year offset.
REPORTS = demo_plan_reports.REPORTS

# Who enters each partner's manual values and writes its measures' yearly text.
AUTHORS = {
    "region-bfc": "pilote@demo.example",
    "cci-bfc": "conseiller.cci@demo.example",
    "business-france": "conseiller.bf@demo.example",
    "bpifrance-bfc": "expert.bpi@demo.example",
    "cce-bfc": "mentor.cce@demo.example",
    "vitagora": "expert.vitagora@demo.example",
    "pole-vehicule-du-futur": "expert.pvf@demo.example",
}
