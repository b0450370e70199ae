"""The demo's aid schemes of the Région, with the figures of DOMAIN.md ("Typical regional
export aids") and seed 000 (Innov'export: 22 companies, €330,000 in 2011–2013, so about
€15,000 each). Sources in docs/data-sources.md."""

from decimal import Decimal as D

# slug: (name, purpose, fields, cost categories, required documents, yearly envelope)
SCHEMES = {
    "recrutement-cadre-export": (
        "Recrutement d'un cadre export",
        "Aider une PME à recruter sa première personne dédiée à l'export (responsable ou "
        "assistant export) : une part du salaire de la première année.",
        {
            "rate": D("0.50"),
            "ceiling_per_aid": D("20000"),
            "max_aids_per_company": 2,
            "max_months_since_hiring": 4,
            "sizes": ["TPE", "PME"],
            "regime": "de_minimis",
        },
        [
            ("salaire", "Salaire chargé des 12 premiers mois"),
            ("recrutement", "Frais de recrutement"),
        ],
        [
            ("contrat", "Contrat de travail signé"),
            ("fiche-poste", "Fiche de poste"),
            ("kbis", "Extrait Kbis"),
        ],
        D("400000"),
    ),
    "soutien-vie": (
        "Soutien au V.I.E.",
        "Prendre en charge la moitié du coût d'une première mission V.I.E. d'au moins 12 mois "
        "(le quart pour une prolongation).",
        {
            "rate": D("0.50"),
            "extension_rate": D("0.25"),
            "ceiling_per_aid": D("25000"),
            "max_aids_per_company": 3,
            "sizes": ["TPE", "PME", "ETI"],
            "regime": "de_minimis",
        },
        [
            ("indemnite", "Indemnités du volontaire"),
            ("gestion", "Frais de gestion Business France"),
        ],
        [("devis-bf", "Devis Business France"), ("kbis", "Extrait Kbis")],
        D("300000"),
    ),
    "programme-prospection": (
        "Programme de prospection export",
        "Financer un programme de prospection d'au moins 40 000 € sur 24 mois au plus : "
        "salons, missions, études, adaptation des supports.",
        {
            "rate": D("0.50"),
            "ceiling_per_aid": D("75000"),
            "min_eligible_costs": D("40000"),
            "max_duration_months": 24,
            "sizes": ["TPE", "PME", "ETI"],
            "regime": "de_minimis",
        },
        [
            ("salons", "Salons et missions à l'étranger"),
            ("etudes", "Études de marché et conseil"),
            ("supports", "Supports traduits et adaptation des produits"),
        ],
        [
            ("programme", "Programme de prospection détaillé"),
            ("devis", "Devis"),
            ("kbis", "Extrait Kbis"),
        ],
        D("900000"),
    ),
    "innov-export": (
        "Innov'export",
        "Appui individuel aux entreprises innovantes qui exportent leur innovation "
        "(PAREX 2, mesure 11).",
        {
            "rate": D("0.50"),
            "ceiling_per_aid": D("15000"),
            "max_aids_per_company": 1,
            "sizes": ["TPE", "PME"],
            "regime": "de_minimis",
        },
        [
            ("propriete", "Protection de la propriété intellectuelle à l'étranger"),
            ("prospection", "Prospection"),
        ],
        [("innovation", "Justificatif du caractère innovant"), ("kbis", "Extrait Kbis")],
        D("120000"),
    ),
    "diagnostic-export": (
        "Diagnostic export pris en charge par la Région",
        "Le diagnostic export réalisé par un conseiller, payé à 100 % par la Région : l'aide "
        "est la valeur de marché de la prestation.",
        {
            "rate": D("1.00"),
            "ceiling_per_aid": D("3500"),
            "max_aids_per_company": 1,
            "export_statuses": ["never", "new", "occasional"],
            "regime": "de_minimis",
        },
        [("prestation", "Prestation de diagnostic (valeur de marché)")],
        [("kbis", "Extrait Kbis")],
        D("150000"),
    ),
    "premier-plan-action": (
        "Premier plan d'action des primo-exportateurs",
        "Après le diagnostic, 50 % des coûts des premières actions du plan, pour les "
        "entreprises dont l'export fait moins de 20 % du chiffre d'affaires.",
        {
            "rate": D("0.50"),
            "ceiling_per_aid": D("20000"),
            "max_aids_per_company": 1,
            "export_statuses": ["never", "new"],
            "max_export_share": D("20"),
            "regime": "de_minimis",
        },
        [("actions", "Actions du plan (prestations externes)")],
        [("plan", "Plan d'action issu du diagnostic"), ("devis", "Devis")],
        D("250000"),
    ),
    "conseil-pme-rgec": (
        "Conseil export aux PME (RGEC art. 18)",
        "50 % des coûts de conseil externe pour préparer l'export (étude réglementaire, "
        "stratégie), au titre du règlement général d'exemption par catégorie.",
        {
            "rate": D("0.50"),
            "ceiling_per_aid": D("30000"),
            "sizes": ["TPE", "PME"],
            "regime": "gber_18",
        },
        [("conseil", "Prestations de conseil externe")],
        [("devis", "Devis du consultant"), ("kbis", "Extrait Kbis")],
        D("200000"),
    ),
}
