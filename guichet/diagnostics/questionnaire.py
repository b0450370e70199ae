"""The default export-readiness questionnaire, written by the team, as data — and its loader.

Version 1 of this content was published by migration 0004: it must never change (diagnostics
answered with it keep it). To improve the questionnaire, administrators create a new version
from the questionnaire pages; a later default content would be loaded as a new version by a
new migration, never by editing this one in place.

Scores of options run from 0 (a weakness) to 1 (ready). Weak answers — a single-choice option
under 0.5, the "none" option of a multiple choice — carry a recommendation, which the action
plan shows when the option is chosen.
"""

from decimal import Decimal

DEFAULT_SLUG = "diagnostic-export"


def _o(code: str, label: str, score: float, recommendation: str = "") -> dict:
    return {"code": code, "label": label, "score": score, "recommendation": recommendation}


def _single(code, text, options, *, help_text="", weight=1, required=True) -> dict:
    return {
        "code": code,
        "kind": "single",
        "text": text,
        "help_text": help_text,
        "weight": weight,
        "required": required,
        "options": options,
    }


def _multiple(code, text, options, *, help_text="", weight=1, required=True) -> dict:
    question = _single(code, text, options, help_text=help_text, weight=weight, required=required)
    return {**question, "kind": "multiple"}


def _scale(code, text, *, help_text, low=1, high=5, weight=1, required=True) -> dict:
    return {
        "code": code,
        "kind": "scale",
        "text": text,
        "help_text": help_text,
        "weight": weight,
        "required": required,
        "scale_min": low,
        "scale_max": high,
    }


def _number(code, text, *, unit, bands, help_text="", weight=1, required=True) -> dict:
    return {
        "code": code,
        "kind": "number",
        "text": text,
        "help_text": help_text,
        "weight": weight,
        "required": required,
        "unit": unit,
        "number_bands": bands,
    }


def _text(code, text, *, help_text="") -> dict:
    return {
        "code": code,
        "kind": "text",
        "text": text,
        "help_text": help_text,
        "weight": 0,
        "required": False,
    }


SCORING_NOTES = """\
Chaque réponse vaut entre 0 (point à travailler) et 1 (point acquis). Une question à choix \
unique vaut la note de la réponse choisie ; une question à choix multiple additionne les notes \
des réponses cochées, sans dépasser 1 : cocher une réponse de plus ne fait jamais baisser le \
score. Une échelle de 1 à 5 vaut 0 à 1 de façon régulière (1 = 0 ; 3 = 0,5 ; 5 = 1). Un \
nombre est noté par tranches (par exemple, la part de l'export dans le chiffre d'affaires). \
Les questions ouvertes ne sont pas notées : elles éclairent le conseiller.

Le score d'une dimension, de 0 à 100, est la moyenne des notes de ses questions, chacune \
comptée selon son poids (une question de poids 2 compte double). Une question sans réponse \
n'est pas comptée comme un zéro : elle est simplement écartée, et signalée comme manquante.

Le score global est la moyenne des scores des sept dimensions ; « Stratégie et engagement de \
la direction » y compte une fois et demie, car sans engagement de la direction, aucun projet \
export ne dure.

Le niveau de maturité découle du score global : moins de 35, « Projet export à construire » ; \
de 35 à moins de 55, « Exportateur en devenir » ; de 55 à moins de 75, « Démarche export \
structurée » ; 75 et plus, « Exportateur confirmé ».

Une dimension à 70 ou plus est un point fort ; sous 50, un axe de progrès. Les \
recommandations proposées sont celles des réponses choisies, en commençant par la dimension \
la plus faible.
"""


STRATEGY = {
    "code": "strategy",
    "label": "Stratégie et engagement de la direction",
    "description": "La place de l'export dans le projet de l'entreprise, l'implication du "
    "dirigeant, les objectifs, les marchés choisis et les moyens réservés.",
    "weight": Decimal("1.5"),
    "questions": [
        _single(
            "strategy-place",
            "Quelle place l'export occupe-t-il dans la stratégie de l'entreprise ?",
            [
                _o(
                    "none",
                    "Ce n'est pas un sujet pour l'instant",
                    0,
                    "Inscrire l'export dans le projet d'entreprise : un objectif chiffré à "
                    "trois ans, décidé par la direction.",
                ),
                _o(
                    "opportunistic",
                    "Nous répondons aux demandes de l'étranger quand elles arrivent",
                    0.3,
                    "Passer d'un export subi à un export choisi : fixer des objectifs et des "
                    "marchés prioritaires.",
                ),
                _o("project", "Un projet export est à l'étude", 0.6),
                _o("written", "L'export est un axe écrit de notre stratégie, chiffré", 1),
            ],
            weight=2,
        ),
        _scale(
            "strategy-commitment",
            "Quel temps la direction est-elle prête à consacrer au développement export ?",
            help_text="1 : aucun ; 5 : le dirigeant pilote lui-même le projet, chaque semaine.",
            weight=2,
        ),
        _single(
            "strategy-plan",
            "Disposez-vous d'un plan d'action export écrit (marchés, moyens, calendrier) ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Écrire un plan d'action export d'une page : marchés visés, moyens, "
                    "calendrier, indicateurs. Votre conseiller international peut vous y aider.",
                ),
                _o(
                    "ideas",
                    "Des idées, mais rien d'écrit",
                    0.4,
                    "Mettre par écrit le projet export et le partager avec l'équipe : il "
                    "devient un engagement et se suit.",
                ),
                _o("one-market", "Oui, pour un premier marché", 0.7),
                _o("yes", "Oui, revu chaque année", 1),
            ],
        ),
        _single(
            "strategy-horizon",
            "Combien de temps êtes-vous prêt à investir avant que l'export soit rentable ?",
            [
                _o(
                    "six-months",
                    "Moins de 6 mois",
                    0.1,
                    "Prévoir l'effort dans la durée : un marché export demande souvent 18 à "
                    "36 mois avant d'être rentable.",
                ),
                _o(
                    "one-year",
                    "Environ un an",
                    0.4,
                    "Prévoir l'effort sur au moins deux ans, et des étapes pour juger des "
                    "progrès en chemin.",
                ),
                _o("two-years", "Deux ans", 0.8),
                _o("three-years", "Trois ans ou plus", 1),
            ],
        ),
        _single(
            "strategy-markets",
            "Avez-vous choisi vos marchés cibles ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Choisir deux ou trois pays cibles à partir de données (demande, "
                    "concurrence, accès au marché) avec l'aide de votre conseiller.",
                ),
                _o(
                    "intuition",
                    "Oui, par intuition ou au gré des occasions",
                    0.4,
                    "Valider vos pays cibles par une étude de marché (Team France Export, "
                    "études de filière) avant d'y investir.",
                ),
                _o("study", "Oui, après une analyse documentée", 1),
            ],
        ),
        _single(
            "strategy-budget",
            "Un budget est-il réservé au développement international ?",
            [
                _o(
                    "none",
                    "Non",
                    0,
                    "Réserver un budget annuel à l'export (prospection, salons, adaptation) et "
                    "chercher les cofinancements : aides régionales, assurance prospection.",
                ),
                _o(
                    "case-by-case",
                    "Au cas par cas",
                    0.4,
                    "Passer d'un financement au cas par cas à un budget export annuel, suivi "
                    "comme un investissement.",
                ),
                _o("yearly", "Oui, un budget annuel", 1),
            ],
        ),
        _text(
            "strategy-why",
            "Pourquoi souhaitez-vous développer l'export aujourd'hui ?",
            help_text="Quelques phrases : l'occasion, l'ambition, la contrainte.",
        ),
    ],
}

OFFER = {
    "code": "offer",
    "label": "Offre et adaptation",
    "description": "Ce qui distingue l'offre à l'étranger, son adaptation aux marchés, la "
    "capacité de production, le prix export et les supports de vente.",
    "weight": Decimal("1"),
    "questions": [
        _single(
            "offer-advantage",
            "Qu'est-ce qui distingue votre offre de celle de vos concurrents à l'étranger ?",
            [
                _o(
                    "unknown",
                    "Nous ne savons pas",
                    0,
                    "Formuler vos avantages (prix, qualité, innovation, service) et les "
                    "comparer à l'offre déjà présente sur les marchés visés.",
                ),
                _o(
                    "price",
                    "Surtout le prix",
                    0.4,
                    "Ne pas miser sur le seul prix à l'étranger : transport et droits le "
                    "réduisent vite ; chercher ce qui distingue aussi l'offre.",
                ),
                _o("quality", "La qualité, le savoir-faire ou l'origine France", 0.7),
                _o("innovation", "Une innovation, un brevet ou un service difficile à copier", 1),
            ],
            weight=2,
        ),
        _single(
            "offer-adaptation",
            "Votre offre doit-elle être adaptée pour être vendue à l'étranger ?",
            [
                _o(
                    "unknown",
                    "Nous ne le savons pas",
                    0,
                    "Faire vérifier les exigences des marchés visés (normes, goûts, "
                    "étiquetage, langue) avant de prospecter.",
                ),
                _o(
                    "needed",
                    "Oui, et rien n'est encore prévu",
                    0.3,
                    "Chiffrer l'adaptation de l'offre et la programmer dans le plan export.",
                ),
                _o("planned", "Oui, l'adaptation est prévue ou en cours", 0.7),
                _o("ready", "Non, ou l'adaptation est déjà faite", 1),
            ],
            help_text="Normes, goûts, emballage, étiquetage, langue, usages.",
        ),
        _single(
            "offer-capacity",
            "Pourriez-vous honorer une commande importante venue de l'étranger ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Évaluer la capacité disponible pour l'export et les moyens de "
                    "l'augmenter (sous-traitance, investissement, recrutement).",
                ),
                _o("hardly", "Avec difficulté", 0.5),
                _o("yes", "Oui, la capacité est disponible", 1),
            ],
        ),
        _single(
            "offer-pricing",
            "Avez-vous calculé un prix export ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Construire une grille de prix export par pays et par incoterm : "
                    "transport, assurance, droits de douane et marges des distributeurs.",
                ),
                _o("estimate", "Une estimation", 0.5),
                _o("yes", "Oui, par pays et par incoterm", 1),
            ],
            help_text="Transport, assurance, droits de douane, marge des intermédiaires.",
        ),
        _multiple(
            "offer-materials",
            "De quels supports de vente disposez-vous en langue étrangère ?",
            [
                _o(
                    "none",
                    "Aucun",
                    0,
                    "Traduire au moins une présentation de l'entreprise et une fiche produit "
                    "en anglais et dans la langue du premier marché visé.",
                ),
                _o("brochure", "Plaquette ou catalogue", 0.3),
                _o("datasheets", "Fiches techniques", 0.3),
                _o("samples", "Échantillons ou démonstrateur", 0.2),
                _o("references", "Références clients citables", 0.2),
            ],
            help_text="Cochez tout ce qui existe.",
        ),
        _single(
            "offer-aftersales",
            "Comment assureriez-vous le service après-vente à l'étranger ?",
            [
                _o(
                    "none",
                    "Ce n'est pas prévu",
                    0,
                    "Organiser le service après-vente (à distance ou par un partenaire local) "
                    "avant la première vente : c'est un critère d'achat.",
                ),
                _o("remote", "À distance, depuis la France", 0.6),
                _o("local", "Par un partenaire local ou notre propre équipe", 1),
                _o("not-needed", "Sans objet pour notre offre", 1),
            ],
        ),
    ],
}

ORGANISATION = {
    "code": "organisation",
    "label": "Organisation et compétences (langues, personnel export)",
    "description": "Qui porte l'export, avec quel temps, quelles langues, quelle formation "
    "et quels partenaires.",
    "weight": Decimal("1"),
    "questions": [
        _single(
            "organisation-owner",
            "Qui s'occupe de l'export dans l'entreprise ?",
            [
                _o(
                    "nobody",
                    "Personne en particulier",
                    0,
                    "Désigner une personne responsable de l'export, même à temps partiel ; "
                    "envisager un V.I.E. ou un recrutement aidé par la Région.",
                ),
                _o(
                    "manager",
                    "Le dirigeant, en plus du reste",
                    0.4,
                    "Décharger le dirigeant d'une partie du suivi export : assistant export, "
                    "V.I.E. ou temps partagé avec une autre entreprise.",
                ),
                _o("part-time", "Un collaborateur à temps partiel", 0.6),
                _o("dedicated", "Une personne ou un service dédié", 1),
            ],
            weight=2,
        ),
        _number(
            "organisation-staff",
            "Combien de personnes travaillent à l'export, en équivalent temps plein ?",
            unit="ETP",
            bands=[[0, 0], [1, 0.5], [3, 0.8], [None, 1]],
            help_text="Par exemple 0,5 pour une personne à mi-temps.",
        ),
        _multiple(
            "organisation-languages",
            "Quelles langues étrangères sont pratiquées couramment dans l'entreprise ?",
            [
                _o(
                    "none",
                    "Aucune",
                    0,
                    "Former l'équipe à l'anglais commercial, et s'appuyer sur un interprète "
                    "pour les premiers rendez-vous.",
                ),
                _o("english", "Anglais", 0.5),
                _o("german", "Allemand", 0.2),
                _o("spanish", "Espagnol", 0.2),
                _o("other", "Une autre langue d'un marché visé", 0.3),
            ],
            help_text="Cochez toutes les langues pratiquées.",
        ),
        _single(
            "organisation-training",
            "Vos équipes sont-elles formées aux techniques du commerce international ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Suivre une formation aux bases de l'export (incoterms, paiements, "
                    "douane) proposée par la CCI ou la Team France Export.",
                ),
                _o("one", "Une personne", 0.6),
                _o("several", "Oui, plusieurs personnes", 1),
            ],
        ),
        _scale(
            "organisation-culture",
            "Quelle est l'aisance de l'équipe avec les usages commerciaux d'autres pays ?",
            help_text="1 : aucune expérience ; 5 : l'équipe négocie régulièrement avec des "
            "interlocuteurs étrangers.",
        ),
        _multiple(
            "organisation-partners",
            "Quels partenaires de l'export avez-vous déjà sollicités ?",
            [
                _o(
                    "none",
                    "Aucun",
                    0,
                    "Prendre contact avec la Team France Export de la région : un conseiller "
                    "international fait avec vous un premier point gratuit.",
                ),
                _o("tfe", "Team France Export (CCI, Business France)", 0.4),
                _o("bpifrance", "Bpifrance", 0.3),
                _o("region", "La Région", 0.2),
                _o("cce", "Conseillers du commerce extérieur", 0.2),
                _o("other", "Un pôle de compétitivité, un cluster ou un consultant", 0.1),
            ],
            weight=Decimal("0.5"),
        ),
    ],
}

FINANCE = {
    "code": "finance",
    "label": "Finances et maîtrise des risques",
    "description": "La capacité à financer la prospection, la connaissance des aides, la "
    "protection contre les impayés et le risque de change.",
    "weight": Decimal("1"),
    "questions": [
        _single(
            "finance-situation",
            "Comment décririez-vous la situation financière de l'entreprise ?",
            [
                _o(
                    "fragile",
                    "Fragile, la trésorerie est tendue",
                    0,
                    "Consolider la trésorerie avant d'engager des dépenses de prospection ; "
                    "en parler avec votre banque et Bpifrance.",
                ),
                _o("balanced", "Équilibrée", 0.6),
                _o("solid", "Solide, avec une capacité d'investissement", 1),
            ],
            weight=2,
        ),
        _number(
            "finance-budget",
            "Quel montant pouvez-vous consacrer à l'export sur les 12 prochains mois ?",
            unit="€",
            bands=[[0, 0], [5000, 0.3], [20000, 0.6], [50000, 0.85], [None, 1]],
            help_text="Hors salaires : déplacements, salons, traductions, adaptation, études.",
            required=False,
        ),
        _multiple(
            "finance-funding",
            "Quelles solutions de financement de l'export connaissez-vous ou utilisez-vous ?",
            [
                _o(
                    "none",
                    "Aucune",
                    0,
                    "Étudier l'assurance prospection de Bpifrance et les aides de la Région à "
                    "l'export : elles réduisent le coût et le risque de la prospection.",
                ),
                _o("insurance", "L'assurance prospection de Bpifrance", 0.4),
                _o("regional", "Les aides de la Région à l'export", 0.3),
                _o("loans", "Prêts ou avances de trésorerie pour l'export", 0.3),
                _o("vie", "Le volontariat international en entreprise (V.I.E.)", 0.2),
            ],
        ),
        _single(
            "finance-payment",
            "Comment vous protégez-vous contre les impayés de clients étrangers ?",
            [
                _o(
                    "nothing",
                    "Nous ne nous en protégeons pas",
                    0,
                    "Sécuriser les paiements : acompte, crédit documentaire ou "
                    "assurance-crédit, selon le pays et le client.",
                ),
                _o(
                    "no-sales",
                    "Sans objet, pas encore de ventes",
                    0.3,
                    "Choisir dès maintenant les conditions de paiement que vous proposerez "
                    "aux premiers clients (acompte, crédit documentaire, assurance-crédit).",
                ),
                _o("advance", "Paiement d'avance ou acompte", 0.6),
                _o("instruments", "Crédit documentaire, assurance-crédit ou affacturage", 1),
            ],
        ),
        _single(
            "finance-currency",
            "Comment gérez-vous le risque de change ?",
            [
                _o(
                    "unknown",
                    "Nous ne savons pas",
                    0.2,
                    "Facturer en euros quand c'est possible, ou couvrir le risque de change "
                    "avec votre banque.",
                ),
                _o("euro", "Nous facturons uniquement en euros", 0.8),
                _o("hedged", "Nous facturons en devises, avec une couverture", 1),
            ],
            weight=Decimal("0.5"),
        ),
        _single(
            "finance-costs",
            "Connaissez-vous le coût complet de votre démarche export ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Établir un budget prévisionnel de la prospection et suivre son coût réel "
                    "par marché.",
                ),
                _o("partly", "En partie", 0.5),
                _o("yes", "Oui, suivi par marché", 1),
            ],
            help_text="Temps passé, déplacements, salons, adaptation de l'offre.",
        ),
    ],
}

COMPLIANCE = {
    "code": "compliance",
    "label": "Conformité (normes, douane, propriété intellectuelle)",
    "description": "Normes et certifications des marchés, formalités douanières, incoterms, "
    "contrats internationaux, protection de la propriété intellectuelle, contrôles à "
    "l'exportation.",
    "weight": Decimal("1"),
    "questions": [
        _single(
            "compliance-standards",
            "Connaissez-vous les normes et certifications exigées sur vos marchés cibles ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Identifier les normes et certifications des marchés visés (marquages, "
                    "règles sanitaires ou techniques) avec le service réglementation de la "
                    "Team France Export.",
                ),
                _o("partly", "En partie", 0.5),
                _o("yes", "Oui, et nos produits y sont conformes", 1),
            ],
            weight=2,
        ),
        _single(
            "compliance-customs",
            "Maîtrisez-vous les formalités douanières ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Connaître le code douanier (nomenclature SH) et l'origine de vos "
                    "produits ; vous faire accompagner par un transitaire ou le pôle action "
                    "économique des douanes.",
                ),
                _o("forwarder", "Un transitaire s'en charge pour nous", 0.7),
                _o("yes", "Oui, en interne", 1),
            ],
            help_text="Nomenclature, origine des produits, déclarations.",
        ),
        _single(
            "compliance-ip",
            "Vos marques, brevets ou dessins sont-ils protégés dans les pays visés ?",
            [
                _o(
                    "no",
                    "Non, seulement en France, ou pas du tout",
                    0,
                    "Déposer votre marque (et vos brevets) dans les pays visés avant d'y "
                    "prospecter : INPI, EUIPO, OMPI (système de Madrid).",
                ),
                _o("planned", "Un dépôt est prévu", 0.5),
                _o("nothing", "Nous n'avons rien à protéger", 0.7),
                _o("yes", "Oui", 1),
            ],
        ),
        _single(
            "compliance-incoterms",
            "Connaissez-vous les incoterms et savez-vous lequel proposer ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Se former aux incoterms : ils fixent qui paie le transport, l'assurance "
                    "et les droits, et quand le risque passe à l'acheteur.",
                ),
                _o("some", "J'en connais quelques-uns", 0.5),
                _o("yes", "Oui", 1),
            ],
        ),
        _single(
            "compliance-contracts",
            "Vos contrats et conditions de vente sont-ils adaptés aux ventes internationales ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Faire relire vos conditions générales et vos contrats par un juriste du "
                    "commerce international : droit applicable, incoterm, règlement des litiges.",
                ),
                _o("partly", "En partie", 0.5),
                _o("yes", "Oui", 1),
            ],
            help_text="Droit applicable, incoterm, règlement des litiges, agents et distributeurs.",
        ),
        _single(
            "compliance-controls",
            "Vérifiez-vous les sanctions et contrôles à l'exportation avant de vendre ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Vérifier avant chaque contrat que le pays et le client ne sont pas sous "
                    "sanctions, et si vos produits sont des biens à double usage soumis à "
                    "licence.",
                ),
                _o("sometimes", "Parfois", 0.5),
                _o("yes", "Oui, systématiquement", 1),
            ],
            help_text="Pays sous embargo, clients sanctionnés, biens à double usage.",
            weight=Decimal("0.5"),
        ),
    ],
}

MARKETING = {
    "code": "marketing",
    "label": "Marketing et numérique",
    "description": "Présence en ligne en langues étrangères, canaux de vente, marketing "
    "numérique, salons, connaissance de la concurrence et suivi des prospects.",
    "weight": Decimal("1"),
    "questions": [
        _single(
            "marketing-website",
            "Votre site internet existe-t-il dans une langue étrangère ?",
            [
                _o(
                    "no-site",
                    "Nous n'avons pas de site",
                    0,
                    "Créer un site vitrine bilingue présentant l'entreprise et son offre : "
                    "c'est la première chose que consulte un acheteur étranger.",
                ),
                _o(
                    "french",
                    "En français seulement",
                    0.3,
                    "Traduire votre site en anglais, puis dans la langue de vos marchés "
                    "prioritaires.",
                ),
                _o("english", "En anglais", 0.7),
                _o("several", "En plusieurs langues, adaptées aux marchés visés", 1),
            ],
        ),
        _multiple(
            "marketing-channels",
            "Quels canaux de vente à l'étranger utilisez-vous ou prévoyez-vous ?",
            [
                _o(
                    "none",
                    "Aucun n'est défini",
                    0,
                    "Choisir un mode d'entrée sur chaque marché : vente directe, agent, "
                    "distributeur, place de marché, filiale.",
                ),
                _o("direct", "Vente directe", 0.3),
                _o("distributors", "Agents ou distributeurs", 0.4),
                _o("marketplaces", "Places de marché en ligne", 0.3),
                _o("webshop", "Notre boutique en ligne", 0.2),
            ],
            weight=2,
        ),
        _scale(
            "marketing-digital",
            "Quelle est votre maîtrise du marketing numérique ?",
            help_text="Réseaux sociaux, référencement, campagnes. 1 : aucune ; 5 : des "
            "campagnes régulières, mesurées, en plusieurs langues.",
        ),
        _single(
            "marketing-fairs",
            "Avez-vous participé à des salons internationaux ou à des missions de prospection ?",
            [
                _o(
                    "never",
                    "Jamais",
                    0,
                    "Participer à un salon de votre filière, de préférence sur un pavillon "
                    "régional : le coût est partagé et la participation préparée.",
                ),
                _o(
                    "visitor",
                    "Comme visiteur",
                    0.4,
                    "Exposer sur un pavillon régional ou rejoindre une mission de prospection "
                    "collective : les rendez-vous y sont préparés pour vous.",
                ),
                _o("once", "Comme exposant, une fois", 0.7),
                _o("regular", "Comme exposant, régulièrement", 1),
            ],
        ),
        _single(
            "marketing-competition",
            "Connaissez-vous vos concurrents et les prix pratiqués sur vos marchés cibles ?",
            [
                _o(
                    "no",
                    "Non",
                    0,
                    "Faire une veille des marchés visés : acteurs locaux, prix, circuits de "
                    "distribution.",
                ),
                _o("partly", "En partie", 0.5),
                _o("yes", "Oui", 1),
            ],
        ),
        _single(
            "marketing-prospects",
            "Comment suivez-vous vos contacts et prospects à l'étranger ?",
            [
                _o(
                    "none",
                    "Pas de suivi organisé",
                    0,
                    "Tenir un fichier des prospects et des relances : un tableur suffit pour "
                    "commencer, un logiciel de relation client ensuite.",
                ),
                _o("spreadsheet", "Un tableur", 0.6),
                _o("crm", "Un logiciel de gestion de la relation client", 1),
            ],
            weight=Decimal("0.5"),
        ),
    ],
}

EXPERIENCE = {
    "code": "experience",
    "label": "Expérience internationale",
    "description": "Ce que l'entreprise a déjà vendu à l'étranger : part du chiffre "
    "d'affaires, ancienneté, nombre de pays, régularité, présence sur place.",
    "weight": Decimal("1"),
    "questions": [
        _number(
            "experience-share",
            "Quelle part du chiffre d'affaires l'export représente-t-il ?",
            unit="%",
            bands=[[0, 0], [5, 0.3], [20, 0.6], [50, 0.85], [None, 1]],
            help_text="Sur le dernier exercice ; 0 si l'entreprise n'exporte pas.",
            weight=2,
        ),
        _single(
            "experience-years",
            "Depuis combien de temps l'entreprise exporte-t-elle ?",
            [
                _o(
                    "never",
                    "Elle n'a jamais exporté",
                    0,
                    "Commencer par un marché proche (pays voisin, francophone ou européen) "
                    "pour une première expérience à moindre risque.",
                ),
                _o(
                    "recent",
                    "Depuis moins de deux ans",
                    0.4,
                    "Consolider les premiers marchés avant d'en ouvrir d'autres : fidéliser les "
                    "premiers clients et tirer les leçons des premières ventes.",
                ),
                _o("some", "De deux à cinq ans", 0.7),
                _o("long", "Depuis plus de cinq ans", 1),
            ],
        ),
        _number(
            "experience-countries",
            "Dans combien de pays avez-vous vendu au cours des trois dernières années ?",
            unit="pays",
            bands=[[0, 0], [1, 0.4], [3, 0.7], [None, 1]],
        ),
        _single(
            "experience-regularity",
            "Vos ventes à l'étranger sont-elles régulières ?",
            [
                _o(
                    "none",
                    "Il n'y a pas encore de ventes",
                    0,
                    "Viser une première vente à l'étranger dans l'année : un client, un pays, "
                    "avec l'appui de votre conseiller international.",
                ),
                _o(
                    "occasional",
                    "Ponctuelles",
                    0.4,
                    "Transformer les ventes ponctuelles en courant d'affaires régulier : "
                    "suivre les clients, relancer, leur rendre visite.",
                ),
                _o("regular", "Régulières, chaque année", 1),
            ],
        ),
        _multiple(
            "experience-presence",
            "De quelle présence disposez-vous à l'étranger ?",
            [
                _o(
                    "none",
                    "Aucune",
                    0,
                    "Envisager un relais sur le marché prioritaire : agent, distributeur ou V.I.E.",
                ),
                _o("agent", "Un agent ou un distributeur", 0.5),
                _o("vie", "Un V.I.E. ou un salarié sur place", 0.3),
                _o("subsidiary", "Une filiale ou un bureau", 0.4),
                _o("partnership", "Un partenariat industriel ou commercial", 0.3),
            ],
        ),
        _text(
            "experience-lessons",
            "Qu'avez-vous retenu de vos expériences à l'étranger ?",
            help_text="Réussites, difficultés, marchés abandonnés et pourquoi.",
        ),
    ],
}

DEFAULT_QUESTIONNAIRE = {
    "slug": DEFAULT_SLUG,
    "title": "Diagnostic export",
    "description": "Le diagnostic de préparation à l'export de l'équipe régionale : sept "
    "dimensions, une quarantaine de questions, un score par dimension, un niveau de "
    "maturité et des recommandations. Environ 45 minutes avec un conseiller.",
    "scoring_notes": SCORING_NOTES,
    "dimensions": [STRATEGY, OFFER, ORGANISATION, FINANCE, COMPLIANCE, MARKETING, EXPERIENCE],
}


# --- loader ----------------------------------------------------------------------------------


def content_problems(content: dict) -> list[str]:
    """What makes a questionnaire content unusable (codes repeated, scores out of 0..1…)."""
    problems = []
    question_codes = set()
    for dimension in content["dimensions"]:
        for question in dimension["questions"]:
            code = question["code"]
            if code in question_codes:
                problems.append(f"Le code de question « {code} » est répété.")
            question_codes.add(code)
            option_codes = [o["code"] for o in question.get("options", [])]
            if len(set(option_codes)) != len(option_codes):
                problems.append(f"La question « {code} » répète un code de réponse.")
            for option in question.get("options", []):
                if not 0 <= option["score"] <= 1:
                    problems.append(f"Une réponse de « {code} » a un score hors de 0 à 1.")
            if question["kind"] in ("single", "multiple") and not option_codes:
                problems.append(f"La question à choix « {code} » n'a aucune réponse possible.")
    return problems


def load_questionnaire(content: dict, *, models, number: int = 1, publish: bool = True):
    """Create (or fill) the questionnaire of `content` and its version `number`.

    `models` maps "Questionnaire", "QuestionnaireVersion", "Dimension", "Question", "Option"
    to model classes, so that a data migration passes its historical models. A version that
    already exists is left as it is (running the load twice changes nothing)."""
    from django.utils import timezone

    problems = content_problems(content)
    if problems:
        raise ValueError(" ".join(problems))
    questionnaire, _created = models["Questionnaire"].objects.get_or_create(
        slug=content["slug"],
        defaults={"title": content["title"], "description": content["description"]},
    )
    existing = models["QuestionnaireVersion"].objects.filter(
        questionnaire=questionnaire, number=number
    )
    if existing.exists():
        return existing.get()
    version = models["QuestionnaireVersion"].objects.create(
        questionnaire=questionnaire,
        number=number,
        status="published" if publish else "draft",
        published_at=timezone.now() if publish else None,
        scoring_notes=content["scoring_notes"],
    )
    for d_order, dimension in enumerate(content["dimensions"], start=1):
        _load_dimension(models, version, dimension, d_order * 10)
    return version


def _load_dimension(models, version, dimension: dict, order: int) -> None:
    row = models["Dimension"].objects.create(
        version=version,
        code=dimension["code"],
        label=dimension["label"],
        description=dimension.get("description", ""),
        order=order,
        weight=Decimal(str(dimension.get("weight", 1))),
    )
    for q_order, question in enumerate(dimension["questions"], start=1):
        q = models["Question"].objects.create(
            version=version,
            dimension=row,
            code=question["code"],
            order=q_order * 10,
            text=question["text"],
            help_text=question.get("help_text", ""),
            kind=question["kind"],
            weight=Decimal(str(question.get("weight", 1))),
            required=question.get("required", True),
            scale_min=question.get("scale_min"),
            scale_max=question.get("scale_max"),
            number_bands=question.get("number_bands", []),
            unit=question.get("unit", ""),
        )
        models["Option"].objects.bulk_create(
            models["Option"](
                question=q,
                code=option["code"],
                label=option["label"],
                order=o_order * 10,
                score=Decimal(str(option["score"])),
                recommendation=option.get("recommendation", ""),
            )
            for o_order, option in enumerate(question.get("options", []), start=1)
        )


def load_default(*, models=None):
    """Load the default questionnaire as version 1, published (the live models by default)."""
    if models is None:
        from guichet.diagnostics import models as live

        models = {
            name: getattr(live, name)
            for name in ("Questionnaire", "QuestionnaireVersion", "Dimension", "Question", "Option")
        }
    return load_questionnaire(DEFAULT_QUESTIONNAIRE, models=models)
