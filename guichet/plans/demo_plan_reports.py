"""What was done in the demo PAREX 2 plan, by measure number and year offset (0 = the year the
demo is loaded): the yearly text of each measure (guichet.plans.demo_plan.REPORTS). The figures
of past years are added by the loader from the indicators."""

REPORTS = {
    1: {
        -3: "Lancement de la pré-détection par filière avec les conseillers de la CCI ; "
        "première journée de l'export à Dijon, où des exportateurs expérimentés ont témoigné.",
        -2: "Pré-détection étendue aux filières agroalimentaire et mobilités ; deux journées de "
        "l'export (Dijon, Besançon) avec des entreprises témoins.",
        -1: "Repérage systématique à partir du registre des entreprises et des parcours ; "
        "journées de l'export dans quatre départements.",
        0: "Repérage en cours dans les huit filières ; journée de l'export de l'automne tenue "
        "à Chalon-sur-Saône.",
    },
    2: {
        -3: "Salon régional de l'export et quatre forums CCI ; première version du guide "
        "commun de l'équipe régionale.",
        -2: "Guide export refondu autour des moyens de chaque partenaire ; forums sur le "
        "financement et la réglementation douanière.",
        -1: "Six forums dont deux en ligne ; préparation de l'ouverture du guichet unique en "
        "ligne.",
        0: "Ouverture du guichet unique : les demandes sont orientées vers le bon partenaire et "
        "suivies jusqu'à la réponse. Le guide de l'année est en cours de mise en page.",
    },
    3: {
        -3: "Premières fiches de veille mises en ligne ; plan de veille pour trois filières.",
        -2: "Plan de veille étendu à cinq filières ; fiches marchés sur l'Allemagne, "
        "l'Amérique du Nord et l'Asie du Sud-Est.",
        -1: "Trente et une fiches publiées ; une nouvelle filière couverte.",
        0: "Plan de veille en cours d'extension à une septième filière.",
    },
    4: {
        -3: "Interventions des conseillers du commerce extérieur dans les lycées et écoles ; "
        "promotion du V.I.E. auprès des établissements.",
        -2: "Séances dans les écoles d'ingénieurs et de commerce ; forum V.I.E. avec d'anciens "
        "volontaires.",
        -1: "Moins de séances mais des candidatures V.I.E. en hausse ; travail avec les "
        "universités sur les parcours internationaux.",
        0: "Séances de l'automne tenues dans les BTS commerce international.",
    },
    5: {
        -3: "Programme régional d'actions collectives préparé avec les filières.",
        -2: "Programme commun de l'équipe régionale ; préparation des entreprises avant chaque "
        "salon.",
        -1: "Dix-sept opérations au programme régional, dont une mission annulée faute "
        "d'inscrits ; participation prise en charge à moitié.",
        0: "Programme de l'année en cours ; inscriptions ouvertes pour les premiers salons de "
        "l'an prochain.",
    },
    6: {
        -3: "Cahier des charges de l'évaluation externe rédigé ; le cabinet n'a pas pu être "
        "retenu dans l'année.",
        -2: "Première vague d'évaluation par un cabinet extérieur sur un panel d'entreprises.",
        -1: "Enquêtes de suivi envoyées après chaque action et relancées ; deuxième vague "
        "d'évaluation externe.",
        0: "Enquêtes de suivi des actions de l'année en cours de retour ; troisième vague "
        "d'évaluation lancée.",
    },
    7: {
        -3: "Un V.I.E. en poste à Hong Kong ; recrutement au Chili en cours.",
        -2: "Les deux V.I.E. de coopération en poste (Hong Kong, Chili) ; premiers contrats "
        "d'entreprises régionales dans les zones partenaires.",
        -1: "Mission d'entreprises au Chili avec le V.I.E. de la Région.",
        0: "Renouvellement du V.I.E. de Hong Kong ; accueil d'une délégation chilienne.",
    },
    8: {
        -3: "Trois opérations collectives des pôles pour leurs entreprises innovantes.",
        -2: "Pavillons des pôles sur deux salons internationaux ; accords avec des clusters "
        "allemand et québécois.",
        -1: "Cinq opérations, dont une mission hydrogène ; trois partenariats signés.",
        0: "Opérations de l'année menées par Vitagora et le Pôle Véhicule du Futur.",
    },
    9: {
        -3: "Suivi des entreprises par l'équipe régionale ; aides individuelles ouvertes.",
        -2: "Parcours export suivis par les conseillers CCI et Business France ; premiers "
        "programmes de prospection aidés.",
        -1: "Accompagnement des PME dans la durée, du diagnostic au plan d'action ; "
        "nouveaux exportateurs parmi les entreprises suivies.",
        0: "Accompagnement en cours ; demandes d'aide en hausse avec l'ouverture du guichet.",
    },
    10: {
        -3: "Aides au recrutement de cadres export et soutien au V.I.E. ouverts.",
        -2: "Promotion du V.I.E. auprès des PME ; aides au recrutement accordées en comité.",
        -1: "Année la plus forte pour les emplois financés, dont plusieurs V.I.E.",
        0: "Comités de l'année tenus ; missions V.I.E. démarrées.",
    },
    11: {
        -3: "Innov'export reconduit pour les entreprises innovantes.",
        -2: "Dossiers Innov'export instruits avec Bpifrance.",
        -1: "Premiers programmes Innov'export en cours de réalisation.",
        0: "Premiers dossiers Innov'export clôturés : chiffre d'affaires export déclaré.",
    },
}
