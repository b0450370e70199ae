"""The demo catalogue: about thirty offers typical of a region's export team (Bourgogne-Franche-
Comté partners). Figures come from ../shared/design/DOMAIN.md (regional aid schemes of several
régions, Bpifrance Assurance Prospection, V.I.E., Team France Export, PAREX 1 bilan); the lead
lists their sources in docs/data-sources.md. Offers of fictitious content say "Sur devis"
rather than invent a price.

Each row: slug → fields. `year` dates are filled in by demo.load (the current year), so the
yearly guide of the demo is never empty. "filieres" are slugs of guichet.companies demo
filières; "regions" INSEE codes.
"""

TFE = "https://www.teamfrance-export.fr"
BPI = "https://www.bpifrance.fr"
BF = "https://www.businessfrance.fr"
REGION = "https://www.bourgognefranchecomte.fr"

NOT_YET_REGULAR = ["never", "new", "occasional"]
SME = ["TPE", "PME", "ETI"]

OFFERS: list[dict] = [
    # --- Team France Export: CCI and Business France --------------------------------------------
    {
        "slug": "tfe-premier-rendez-vous",
        "provider": "cci-bfc",
        "title": "Premier rendez-vous export avec un conseiller Team France Export",
        "kind": "information",
        "summary": "Faire le point sur son projet international avec le conseiller de son "
        "territoire.",
        "description": "Un conseiller international de la Team France Export (Région, CCI, "
        "Business France, Bpifrance) rencontre le dirigeant dans l'entreprise, écoute son "
        "projet et l'oriente vers les bons interlocuteurs. Chaque conseiller suit environ "
        "200 entreprises dans la durée.",
        "stages": ["identified", "contacted"],
        "dimensions": ["strategy"],
        "cost_to_company": "Gratuit",
        "public_funding": "Région Bourgogne-Franche-Comté et CCI",
        "link": TFE,
        "contact_email": "export@cci-bfc.example",
    },
    {
        "slug": "tfe-diagnostic-export",
        "provider": "cci-bfc",
        "title": "Diagnostic export",
        "kind": "consulting",
        "summary": "Mesurer sa maturité à l'export et repartir avec un plan d'action.",
        "description": "Une demi-journée avec un conseiller sur sept dimensions (stratégie, "
        "offre, organisation, finances, conformité, marketing, expérience), puis un plan "
        "d'action : marchés cibles, offres des partenaires, prochaines étapes.",
        "stages": ["contacted"],
        "export_statuses": NOT_YET_REGULAR,
        "dimensions": ["strategy", "organisation"],
        "cost_to_company": "Gratuit",
        "public_funding": "Pris en charge à 100 % par la Région, puis 50 % des premières "
        "actions du plan, plafonnés à 20 000 €, pour les primo-exportateurs réalisant moins "
        "de 20 % de leur chiffre d'affaires à l'export",
        "link": TFE,
        "contact_email": "export@cci-bfc.example",
    },
    {
        "slug": "bf-test-sur-offre",
        "provider": "business-france",
        "title": "Test sur l'offre",
        "kind": "consulting",
        "summary": "Confronter son produit à des acheteurs d'un marché cible avant d'investir.",
        "description": "Le bureau Business France du pays présente l'offre à une sélection "
        "d'importateurs et de distributeurs et restitue leurs avis : intérêt, prix, "
        "adaptations attendues, réglementation.",
        "stages": ["contacted", "diagnosed"],
        "dimensions": ["offer", "marketing"],
        "cost_to_company": "Sur devis selon le pays",
        "link": BF,
        "contact_email": "bfc@businessfrance.example",
    },
    {
        "slug": "bf-prospection-personnalisee",
        "provider": "business-france",
        "title": "Prospection personnalisée",
        "kind": "consulting",
        "summary": "Un programme de rendez-vous qualifiés organisé par le bureau du pays.",
        "description": "Identification de partenaires potentiels, prise de rendez-vous, "
        "accompagnement sur place et suivi des contacts après la mission.",
        "stages": ["diagnosed", "accompanied"],
        "dimensions": ["marketing", "experience"],
        "cost_to_company": "Sur devis selon le pays et le nombre de rendez-vous",
        "public_funding": "Éligible au programme régional de prospection (50 %)",
        "link": BF,
        "contact_email": "bfc@businessfrance.example",
    },
    {
        "slug": "bf-rendez-vous-affaires",
        "provider": "business-france",
        "title": "Rendez-vous d'affaires à l'étranger",
        "kind": "collective",
        "summary": "Rencontrer en deux jours des acheteurs présélectionnés, en délégation.",
        "description": "Rencontres acheteurs organisées par Business France avec plusieurs "
        "entreprises françaises d'une même filière : préparation, agenda de rendez-vous, "
        "interprète si besoin.",
        "stages": ["accompanied", "first_export"],
        "dimensions": ["marketing", "experience"],
        "cost_to_company": "Sur devis ; coût de participation réduit de moitié sur les "
        "opérations du programme régional",
        "link": BF,
        "contact_email": "bfc@businessfrance.example",
        "year": True,
    },
    {
        "slug": "bf-vie",
        "provider": "business-france",
        "title": "V.I.E. — volontariat international en entreprise",
        "kind": "consulting",
        "summary": "Confier une mission à l'étranger à un jeune de 18 à 28 ans, de 6 à 24 mois.",
        "description": "Business France recrute et gère le volontaire et facture l'entreprise. "
        "Missions de 6 à 24 mois (une prolongation possible dans la limite de 24 mois), au "
        "moins 183 jours par an à l'étranger. Indemnité mensuelle : une part commune "
        "(772,87 € depuis janvier 2024) et une part géographique selon le pays.",
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["organisation", "experience"],
        "cost_to_company": "Indemnité du volontaire et frais de gestion Business France",
        "public_funding": "Aide régionale au V.I.E. (voir cette offre)",
        "link": BF,
        "contact_email": "vie@businessfrance.example",
    },
    {
        "slug": "bf-webinaires-marches",
        "provider": "business-france",
        "title": "Webinaires pays et fiches marchés",
        "kind": "information",
        "summary": "Comprendre un marché en une heure avec les bureaux Business France.",
        "stages": [],
        "dimensions": ["strategy", "marketing"],
        "cost_to_company": "Gratuit",
        "link": BF,
    },
    {
        "slug": "bf-pavillon-france",
        "provider": "business-france",
        "title": "Pavillon France sur les salons internationaux",
        "kind": "collective",
        "summary": "Exposer sur un stand clé en main sous la bannière France.",
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["marketing", "experience"],
        "cost_to_company": "Sur devis selon le salon et la surface",
        "public_funding": "Aide régionale au stand collectif possible (voir cette offre)",
        "link": BF,
        "year": True,
    },
    {
        "slug": "bf-etude-reglementaire",
        "provider": "business-france",
        "title": "Étude réglementaire et veille marché",
        "kind": "consulting",
        "summary": "Connaître les normes, étiquetages et droits de douane d'un pays cible.",
        "stages": ["diagnosed", "accompanied"],
        "dimensions": ["compliance", "offer"],
        "cost_to_company": "Sur devis",
        "link": BF,
    },
    # --- Bpifrance ------------------------------------------------------------------------------
    {
        "slug": "bpi-assurance-prospection",
        "provider": "bpifrance-bfc",
        "title": "Assurance Prospection",
        "kind": "insurance",
        "summary": "Financer et assurer sa prospection : 65 % du budget garanti, 50 % versés "
        "d'avance.",
        "description": "Pour les entreprises de moins de 500 millions d'euros de chiffre "
        "d'affaires ayant clos au moins un exercice, avec un budget de prospection d'au moins "
        "30 000 €. Période de prospection de 2 à 3 ans, franchise de 2 ans, puis remboursement "
        "sur 3 à 4 ans : au moins 30 % forfaitairement, le reste selon le chiffre d'affaires "
        "export réalisé dans la zone couverte.",
        "sizes": SME,
        "min_age_years": 1,
        "stages": ["accompanied", "first_export"],
        "dimensions": ["finance"],
        "cost_to_company": "Prime de 3 % du budget garanti",
        "public_funding": "Garantie de l'État gérée par Bpifrance",
        "link": BPI,
        "contact_email": "international.bfc@bpifrance.example",
    },
    {
        "slug": "bpi-cautions-export",
        "provider": "bpifrance-bfc",
        "title": "Cautions et préfinancement des contrats export",
        "kind": "insurance",
        "summary": "Faciliter l'émission des cautions et le préfinancement d'un contrat "
        "gagné à l'étranger.",
        "sizes": SME,
        "stages": ["first_export", "regular"],
        "dimensions": ["finance"],
        "cost_to_company": "Selon le dossier",
        "link": BPI,
        "contact_email": "international.bfc@bpifrance.example",
    },
    {
        "slug": "bpi-pret-international",
        "provider": "bpifrance-bfc",
        "title": "Prêt pour le développement international",
        "kind": "financing",
        "summary": "Un prêt sans garantie personnelle pour financer l'implantation ou la "
        "prospection à l'étranger.",
        "sizes": ["PME", "ETI"],
        "min_age_years": 3,
        "stages": ["first_export", "regular"],
        "dimensions": ["finance", "strategy"],
        "cost_to_company": "Selon le dossier",
        "link": BPI,
        "contact_email": "international.bfc@bpifrance.example",
    },
    # --- Région: aids -----------------------------------------------------------------------------
    {
        "slug": "region-recrutement-export",
        "provider": "region-bfc",
        "title": "Aide au recrutement d'un responsable export",
        "kind": "aid",
        "summary": "Une aide plafonnée à 20 000 € pour recruter un cadre ou un assistant export.",
        "description": "La demande est déposée dans les 4 mois suivant l'embauche. Aide de "
        "minimis.",
        "sizes": ["TPE", "PME"],
        "regions": ["27"],
        "stages": ["accompanied", "first_export"],
        "dimensions": ["organisation"],
        "public_funding": "Région : plafond 20 000 €",
        "link": REGION,
        "contact_email": "international@region-bfc.example",
    },
    {
        "slug": "region-aide-vie",
        "provider": "region-bfc",
        "title": "Aide régionale au V.I.E.",
        "kind": "aid",
        "summary": "50 % du coût d'une première mission V.I.E. d'au moins 12 mois.",
        "description": "25 % pour une prolongation, dans la limite de 25 000 € et de trois "
        "aides par entreprise. Exemple : 12 683 € pour un V.I.E. de 12 mois à Padoue (2023).",
        "sizes": ["TPE", "PME"],
        "regions": ["27"],
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["organisation", "experience"],
        "public_funding": "Région : 50 % (25 % en prolongation), plafond 25 000 €",
        "link": REGION,
        "contact_email": "international@region-bfc.example",
    },
    {
        "slug": "region-programme-prospection",
        "provider": "region-bfc",
        "title": "Programme de prospection export",
        "kind": "aid",
        "summary": "50 % des dépenses d'un programme de prospection de 24 mois au plus.",
        "description": "Programme d'au moins 40 000 € de dépenses éligibles (études, salons, "
        "missions, adaptation des supports), aide plafonnée à 75 000 € sur deux ans. Ne "
        "finance ni les quantités exportées ni un réseau de distribution.",
        "sizes": ["TPE", "PME"],
        "regions": ["27"],
        "stages": ["diagnosed", "accompanied"],
        "dimensions": ["strategy", "marketing", "finance"],
        "public_funding": "Région : 50 %, plafond 75 000 €",
        "link": REGION,
        "contact_email": "international@region-bfc.example",
    },
    {
        "slug": "region-innov-export",
        "provider": "region-bfc",
        "title": "Innov'export",
        "kind": "aid",
        "summary": "Aider une entreprise innovante à porter son innovation sur les marchés "
        "étrangers.",
        "description": "Entre 2011 et 2013, 22 entreprises innovantes de Bourgogne ont été "
        "aidées pour 330 000 € au total, avec 2,3 millions d'euros de chiffre d'affaires en "
        "retour.",
        "sizes": ["TPE", "PME"],
        "regions": ["27"],
        "stages": ["diagnosed", "accompanied"],
        "dimensions": ["offer", "strategy"],
        "public_funding": "Région : subvention de l'ordre de 15 000 € par entreprise",
        "link": REGION,
        "contact_email": "international@region-bfc.example",
    },
    {
        "slug": "region-stand-collectif",
        "provider": "region-bfc",
        "title": "Aide au stand collectif régional",
        "kind": "aid",
        "summary": "50 % des frais de participation à un pavillon régional, jusqu'à 8 000 €.",
        "description": "Pour les trois premières participations à une même action ; stands de "
        "20 m² au plus, au moins trois entreprises régionales par opération ; salons grand "
        "public exclus. La participation subventionnée est une aide de minimis.",
        "sizes": ["TPE", "PME"],
        "regions": ["27"],
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["marketing"],
        "public_funding": "Région : 50 %, plafond 8 000 € par entreprise",
        "link": REGION,
        "contact_email": "international@region-bfc.example",
        "year": True,
    },
    {
        "slug": "salons-nationaux-2022-2023",
        "provider": "region-bfc",
        "title": "Aide aux salons internationaux en France (2022-2023)",
        "kind": "aid",
        "summary": "50 % de la location du stand et de l'inscription, jusqu'à 12 500 €.",
        "description": "Dispositif exceptionnel 2022-2023, plafonné à 1,3 million d'euros par "
        "événement. Terminé : gardé pour mémoire.",
        "sizes": SME,
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["marketing"],
        "public_funding": "50 %, plafond 12 500 € par entreprise",
        "valid_from": "2022-01-01",
        "valid_until": "2023-12-31",
    },
    # --- collective actions of the regional programme (trade-fair pavilions) --------------------
    {
        "slug": "pavillon-sial",
        "provider": "vitagora",
        "title": "Pavillon Bourgogne-Franche-Comté au SIAL Paris",
        "kind": "collective",
        "summary": "Exposer sur le pavillon régional du grand salon de l'alimentation.",
        "filieres": ["agroalimentaire-vins"],
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["marketing", "experience"],
        "cost_to_company": "Coût de participation réduit de moitié par la Région",
        "public_funding": "Aide au stand collectif régional",
        "contact_email": "international@vitagora.example",
        "year": True,
    },
    {
        "slug": "pavillon-prowein",
        "provider": "cci-bfc",
        "title": "Pavillon régional à ProWein (Düsseldorf)",
        "kind": "collective",
        "summary": "Les vins de Bourgogne et du Jura sur le salon professionnel des vins.",
        "filieres": ["agroalimentaire-vins"],
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["marketing"],
        "cost_to_company": "Coût de participation réduit de moitié par la Région",
        "contact_email": "export@cci-bfc.example",
        "year": True,
    },
    {
        "slug": "pavillon-hannover-messe",
        "provider": "region-bfc",
        "title": "Pavillon hydrogène et énergie à la Hannover Messe",
        "kind": "collective",
        "summary": "La filière hydrogène de la région sur la foire industrielle de Hanovre.",
        "filieres": ["hydrogene-energie", "materiaux-avances"],
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["marketing", "experience"],
        "cost_to_company": "Coût de participation réduit de moitié par la Région",
        "contact_email": "international@region-bfc.example",
        "year": True,
    },
    {
        "slug": "delegation-medica",
        "provider": "cci-bfc",
        "title": "Délégation régionale au salon Medica (Düsseldorf)",
        "kind": "collective",
        "summary": "Dispositifs médicaux et santé : rendez-vous d'affaires sur le salon.",
        "filieres": ["sante", "microtechniques"],
        "stages": ["accompanied", "first_export", "regular"],
        "dimensions": ["marketing", "experience"],
        "cost_to_company": "Coût de participation réduit de moitié par la Région",
        "contact_email": "export@cci-bfc.example",
        "year": True,
    },
    {
        "slug": "pvf-mission-mobilites",
        "provider": "pole-vehicule-du-futur",
        "title": "Mission de prospection mobilités durables",
        "kind": "collective",
        "summary": "Rencontrer constructeurs et équipementiers d'un pays cible avec le pôle.",
        "filieres": ["automobile-mobilites"],
        "stages": ["accompanied", "first_export"],
        "dimensions": ["experience", "marketing"],
        "cost_to_company": "Sur devis ; réduit pour les adhérents du pôle",
        "contact_email": "international@vehiculedufutur.example",
        "year": True,
    },
    {
        "slug": "vitagora-accompagnement-international",
        "provider": "vitagora",
        "title": "Accompagnement international des entreprises agroalimentaires",
        "kind": "consulting",
        "summary": "Préparer une offre alimentaire aux attentes d'un marché étranger.",
        "filieres": ["agroalimentaire-vins"],
        "stages": ["diagnosed", "accompanied"],
        "dimensions": ["offer", "compliance"],
        "cost_to_company": "Sur devis ; réduit pour les adhérents du pôle",
        "contact_email": "international@vitagora.example",
    },
    # --- CCE mentoring --------------------------------------------------------------------------
    {
        "slug": "cce-parrainage",
        "provider": "cce-bfc",
        "title": "Parrainage par un conseiller du commerce extérieur",
        "kind": "mentoring",
        "summary": "Un dirigeant expérimenté de l'international accompagne bénévolement "
        "l'entreprise.",
        "description": "Les conseillers du commerce extérieur de la France, environ 4 000 "
        "bénévoles, partagent leur expérience : choix des marchés, premiers contrats, "
        "recrutement, pièges à éviter.",
        "export_statuses": NOT_YET_REGULAR,
        "stages": ["contacted", "diagnosed", "accompanied", "first_export"],
        "dimensions": ["strategy", "experience"],
        "cost_to_company": "Gratuit",
        "contact_email": "bfc@cce.example",
    },
    {
        "slug": "cce-temoignages",
        "provider": "cce-bfc",
        "title": "Rencontres « Exporter, ça s'apprend » : témoignages d'exportateurs",
        "kind": "information",
        "summary": "Des dirigeants de la région racontent leurs premiers pas à l'export.",
        "stages": ["identified", "contacted"],
        "dimensions": ["strategy", "experience"],
        "cost_to_company": "Gratuit",
        "contact_email": "bfc@cce.example",
        "year": True,
    },
    # --- trainings (CCI) ------------------------------------------------------------------------
    {
        "slug": "formation-incoterms",
        "provider": "cci-bfc",
        "title": "Formation : les Incoterms 2020",
        "kind": "training",
        "summary": "Choisir et négocier la règle de livraison adaptée à chaque vente.",
        "dimensions": ["compliance", "finance"],
        "cost_to_company": "Sur devis (formation d'une journée, finançable par l'OPCO)",
        "contact_email": "formation@cci-bfc.example",
        "year": True,
    },
    {
        "slug": "formation-douane",
        "provider": "cci-bfc",
        "title": "Formation : douane, origine et classement tarifaire",
        "kind": "training",
        "summary": "Déterminer l'espèce tarifaire et l'origine de ses produits, connaître "
        "le statut OEA.",
        "stages": ["first_export", "regular"],
        "dimensions": ["compliance"],
        "cost_to_company": "Sur devis (formation d'une journée, finançable par l'OPCO)",
        "contact_email": "formation@cci-bfc.example",
        "year": True,
    },
    {
        "slug": "formation-prix-export",
        "provider": "cci-bfc",
        "title": "Formation : construire son prix export",
        "kind": "training",
        "summary": "Du prix départ usine au prix rendu client : coûts, marges, risques.",
        "stages": ["diagnosed", "accompanied"],
        "dimensions": ["finance", "offer"],
        "cost_to_company": "Sur devis (formation d'une journée, finançable par l'OPCO)",
        "contact_email": "formation@cci-bfc.example",
        "year": True,
    },
    {
        "slug": "formation-paiements-internationaux",
        "provider": "cci-bfc",
        "title": "Formation : sécuriser ses paiements internationaux",
        "kind": "training",
        "summary": "Crédit documentaire, lettre de crédit stand-by, assurance-crédit.",
        "stages": ["first_export", "regular"],
        "dimensions": ["finance", "compliance"],
        "cost_to_company": "Sur devis (formation d'une journée, finançable par l'OPCO)",
        "contact_email": "formation@cci-bfc.example",
        "year": True,
    },
    {
        "slug": "formation-marketing-digital-export",
        "provider": "cci-bfc",
        "title": "Formation : marketing digital à l'international",
        "kind": "training",
        "summary": "Site multilingue, places de marché, réseaux sociaux professionnels.",
        "dimensions": ["marketing"],
        "cost_to_company": "Sur devis (formation de deux jours, finançable par l'OPCO)",
        "contact_email": "formation@cci-bfc.example",
        "year": True,
    },
    {
        "slug": "cci-formalites-internationales",
        "provider": "cci-bfc",
        "title": "Formalités internationales : certificats d'origine et carnets ATA",
        "kind": "information",
        "summary": "Obtenir les documents qu'exigent la douane et les clients étrangers.",
        "stages": ["first_export", "regular"],
        "dimensions": ["compliance"],
        "cost_to_company": "Tarif par document",
        "contact_email": "formalites@cci-bfc.example",
    },
]
