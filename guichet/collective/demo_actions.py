"""The demo programme of collective actions: a 2024-style year of 17 operations (seed 001:
"17 opérations collectives … Global Industrie, Hyvolution, CES Las Vegas, SIAL", halving the
participation cost) and the usual trade fairs, missions, B2B meetings, webinars, an export day
and an inbound buyers' visit. Money per company: fairs at 50 % of the eligible costs capped at
€8,000 (large international fairs) or €4,000 (the variants), under GBER art. 19; missions and
inbound visits under de minimis; trainings and the export day are not state aid.

Dates are the usual weeks of each event; a fair held every other year (SIAL Paris in even
years, Anuga Cologne in odd ones) and Global Industrie (Paris in even years, Lyon in odd ones)
follow the year. `rate` is the share of participants who answer the follow-up surveys."""

# fmt: off
ACTIONS = [
    {
        "series": "ces", "kind": "fair", "month": 1, "day": 7, "days": 4,
        "title": "CES Las Vegas {year} — pavillon French Tech Bourgogne-Franche-Comté",
        "city": "Las Vegas", "country": "US", "filieres": ["microtechniques"],
        "organiser": "cci-bfc", "partners": ["business-france", "region-bfc"],
        "capacity": 8, "full_cost": 15000, "fee": 7000, "cap": 8000, "budget": 25000,
        "costs": [("Stand équipé sur l'espace Eureka Park", 12000),
                  ("Transport des prototypes", 1500)],
        "description": "Le salon mondial de l'électronique grand public : un pavillon pour "
                       "les start-up et PME de l'électronique, de l'optique et des objets "
                       "connectés.",
        "rate": 0.8,
    },
    {
        "series": "hyvolution", "kind": "fair", "month": 1, "day": 28, "days": 3,
        "title": "Hyvolution Paris {year} — pavillon hydrogène",
        "city": "Paris", "country": "FR", "filieres": ["hydrogene-energie", "automobile-mobilites"],
        "organiser": "pole-vehicule-du-futur", "partners": ["region-bfc", "cci-bfc"],
        "capacity": 10, "full_cost": 8000, "fee": 4000, "cap": 4000, "budget": 15000,
        "costs": [("Location et aménagement du stand", 7000)],
        "description": "Le salon de l'hydrogène : un pavillon de la vallée de l'hydrogène du "
                       "Nord Franche-Comté.",
        "rate": 0.6,
    },
    {
        "series": "wine-paris", "kind": "fair", "month": 2, "day": 10, "days": 3,
        "title": "Wine Paris & Vinexpo Paris {year} — pavillon Bourgogne-Jura",
        "city": "Paris", "country": "FR", "filieres": ["agroalimentaire-vins"],
        "organiser": "cci-bfc", "partners": ["vitagora"],
        "capacity": 12, "full_cost": 7500, "fee": 3800, "cap": 4000, "budget": 12000,
        "costs": [("Location et aménagement du stand", 7000)],
        "description": "Le rendez-vous international des vins et spiritueux : un pavillon "
                       "pour les domaines et maisons de Bourgogne et du Jura.",
        "rate": 0.3,
    },
    {
        "series": "gulfood", "kind": "fair", "month": 2, "day": 17, "days": 5,
        "title": "Gulfood Dubaï {year} — pavillon France, espace régional",
        "city": "Dubaï", "country": "AE", "filieres": ["agroalimentaire-vins"],
        "organiser": "business-france", "partners": ["cci-bfc", "vitagora"],
        "capacity": 6, "full_cost": 11000, "fee": 5500, "cap": 8000, "budget": 9000,
        "costs": [("Stand équipé sur le pavillon France", 9000),
                  ("Expédition des échantillons", 1000)],
        "description": "Le premier salon agroalimentaire du Moyen-Orient.",
        "rate": 0.5,
    },
    {
        "series": "webinaire-salon", "kind": "training", "month": 2, "day": 25, "days": 1,
        "title": "Webinaire : réussir son premier salon à l'international ({year})",
        "city": "En ligne", "country": "FR", "filieres": [],
        "organiser": "cci-bfc", "partners": ["business-france"],
        "capacity": 60, "full_cost": 0, "fee": 0, "cap": None, "budget": 1500,
        "regime": "not_aid", "costs": [],
        "description": "Préparer ses objectifs, ses rendez-vous et son suivi : deux heures "
                       "avec des conseillers et des chefs d'entreprise qui exposent.",
        "rate": 0.3, "registrations": (14, 22),
    },
    {
        "series": "global-industrie", "kind": "fair", "month": 3, "day": 11, "days": 4,
        "title": "Global Industrie {where} {year} — pavillon Bourgogne-Franche-Comté",
        "city": "Paris-Nord Villepinte", "odd_city": "Lyon (Eurexpo)",
        "where": ("Paris", "Lyon"), "country": "FR",
        "filieres": ["microtechniques", "materiaux-avances", "automobile-mobilites"],
        "organiser": "cci-bfc", "partners": ["region-bfc", "pole-vehicule-du-futur"],
        "capacity": 10, "full_cost": 9000, "fee": 4500, "cap": 4000, "budget": 20000,
        "costs": [("Location et aménagement du stand", 8500)],
        "description": "Le salon de l'industrie : sous-traitance, usinage, microtechniques, "
                       "matériaux.",
        "rate": 0.8,
    },
    {
        "series": "prowein", "kind": "fair", "month": 3, "day": 16, "days": 3,
        "title": "ProWein Düsseldorf {year} — pavillon Bourgogne-Franche-Comté",
        "city": "Düsseldorf", "country": "DE", "filieres": ["agroalimentaire-vins"],
        "organiser": "cci-bfc", "partners": ["vitagora", "business-france"],
        "capacity": 10, "full_cost": 8500, "fee": 4250, "cap": 4000, "budget": 10000,
        "costs": [("Location et aménagement du stand", 8000)],
        "description": "Le salon international des vins et spiritueux de Düsseldorf.",
        "rate": 0.5,
    },
    {
        "series": "hannover-messe", "kind": "fair", "month": 3, "day": 31, "days": 5,
        "title": "Hannover Messe {year} — pavillon régional",
        "city": "Hanovre", "country": "DE",
        "filieres": ["microtechniques", "hydrogene-energie", "materiaux-avances"],
        "organiser": "region-bfc", "partners": ["cci-bfc", "business-france"],
        "capacity": 8, "full_cost": 12000, "fee": 6000, "cap": 8000, "budget": 18000,
        "costs": [("Stand équipé", 10000), ("Communication du pavillon", 1000)],
        "description": "La foire mondiale de l'industrie : automatisation, énergie, "
                       "sous-traitance.",
        "rate": 0.3,
    },
    {
        "series": "mission-quebec", "kind": "mission", "month": 5, "day": 12, "days": 5,
        "title": "Mission de prospection au Québec {year}",
        "city": "Montréal", "country": "CA", "filieres": ["bois", "sante", "microtechniques"],
        "organiser": "business-france", "partners": ["region-bfc", "cci-bfc"],
        "capacity": 8, "full_cost": 4500, "fee": 2250, "cap": 3000, "budget": 6000,
        "regime": "de_minimis",
        "costs": [("Programme de rendez-vous qualifiés", 3000),
                  ("Accompagnement sur place", 1500)],
        "description": "Cinq jours de rendez-vous d'affaires à Montréal et Québec préparés "
                       "par Business France, dans le prolongement du partenariat avec le "
                       "Québec.",
        "rate": 0.8,
    },
    {
        "series": "mission-maroc", "kind": "mission", "month": 5, "day": 26, "days": 4,
        "title": "Mission Maroc {year} — industrie et énergie",
        "city": "Casablanca", "country": "MA", "filieres": ["hydrogene-energie", "nucleaire"],
        "organiser": "business-france", "partners": ["cci-bfc"],
        "capacity": 8, "full_cost": 3500, "fee": 1750, "cap": 2000, "budget": 4000,
        "regime": "de_minimis",
        "costs": [("Programme de rendez-vous qualifiés", 3500)],
        "description": "Rendez-vous avec les donneurs d'ordre de l'énergie et de l'industrie "
                       "marocaines.",
        "rate": 0.0, "cancelled": "Trop peu d'inscriptions à la date limite (3 pour 8 places).",
    },
    {
        "series": "export-day", "kind": "export_day", "month": 6, "day": 5, "days": 1,
        "title": "Journée régionale de l'export {year}",
        "city": "Besançon", "country": "FR", "filieres": [],
        "organiser": "region-bfc", "partners": ["cci-bfc", "business-france", "bpifrance-bfc",
                                                "cce-bfc"],
        "capacity": 150, "full_cost": 0, "fee": 0, "cap": None, "budget": 12000,
        "regime": "not_aid", "costs": [],
        "description": "Ateliers, témoignages et rendez-vous avec les conseillers de la Team "
                       "France Export, les CCE et Bpifrance.",
        "rate": 0.3, "registrations": (32, 42),
    },
    {
        "series": "ephj", "kind": "fair", "month": 6, "day": 10, "days": 4,
        "title": "EPHJ Genève {year} — pavillon microtechniques",
        "city": "Genève", "country": "CH", "filieres": ["microtechniques"],
        "organiser": "cci-bfc", "partners": ["region-bfc"],
        "capacity": 8, "full_cost": 7000, "fee": 3500, "cap": 4000, "budget": 8000,
        "costs": [("Location et aménagement du stand", 6500)],
        "description": "Le salon de la haute précision : horlogerie, microtechniques, "
                       "medtech.",
        "rate": 0.6,
    },
    {
        "series": "b2b-allemagne", "kind": "b2b", "month": 6, "day": 24, "days": 1,
        "title": "Rencontres d'affaires franco-allemandes de l'industrie {year}",
        "city": "Stuttgart", "country": "DE", "filieres": ["automobile-mobilites",
                                                           "materiaux-avances"],
        "organiser": "cci-bfc", "partners": ["business-france"],
        "capacity": 15, "full_cost": 1800, "fee": 700, "cap": 1100, "budget": 5000,
        "regime": "de_minimis", "rate_of_costs": "0.6",
        "costs": [("Programme de rendez-vous B2B", 1800)],
        "description": "Une journée de rendez-vous préparés avec des acheteurs et "
                       "équipementiers du Bade-Wurtemberg.",
        "rate": 0.5,
    },
    {
        "series": "acheteurs-vins", "kind": "inbound", "month": 9, "day": 16, "days": 3,
        "title": "Accueil d'acheteurs nordiques — vins et gastronomie {year}",
        "city": "Beaune", "country": "FR", "filieres": ["agroalimentaire-vins"],
        "organiser": "vitagora", "partners": ["business-france", "cci-bfc"],
        "capacity": 12, "full_cost": 900, "fee": 250, "cap": 650, "budget": 8000,
        "regime": "de_minimis", "rate_of_costs": "0.7",
        "costs": [("Programme de visites et de dégustations", 900)],
        "description": "Huit importateurs et monopoles scandinaves reçus trois jours en "
                       "Bourgogne : visites de domaines et rendez-vous.",
        "rate": 0.8,
    },
    {
        "series": "sial", "kind": "fair", "month": 10, "day": 18, "days": 5,
        "title": "SIAL Paris {year} — pavillon Bourgogne-Franche-Comté",
        "city": "Paris-Nord Villepinte", "country": "FR", "filieres": ["agroalimentaire-vins"],
        "organiser": "cci-bfc", "partners": ["vitagora", "region-bfc"],
        "capacity": 12, "full_cost": 9000, "fee": 5000, "cap": 4000, "budget": 20000,
        "costs": [("Location et aménagement du stand", 9000)],
        "description": "Le salon mondial de l'alimentation (années paires).",
        "rate": 0.5, "years": "even",
    },
    {
        "series": "anuga", "kind": "fair", "month": 10, "day": 4, "days": 5,
        "title": "Anuga Cologne {year} — pavillon Bourgogne-Franche-Comté",
        "city": "Cologne", "country": "DE", "filieres": ["agroalimentaire-vins"],
        "organiser": "cci-bfc", "partners": ["vitagora", "business-france"],
        "capacity": 10, "full_cost": 10000, "fee": 5000, "cap": 4000, "budget": 15000,
        "costs": [("Location et aménagement du stand", 9500)],
        "description": "Le salon de l'agroalimentaire de Cologne (années impaires).",
        "rate": 0.5, "years": "odd",
    },
    {
        "series": "medica", "kind": "fair", "month": 11, "day": 17, "days": 4,
        "title": "MEDICA Düsseldorf {year} — pavillon santé",
        "city": "Düsseldorf", "country": "DE", "filieres": ["sante", "microtechniques"],
        "organiser": "region-bfc", "partners": ["business-france", "cci-bfc"],
        "capacity": 6, "full_cost": 10000, "fee": 5000, "cap": 8000, "budget": 10000,
        "costs": [("Stand équipé", 9600)],
        "description": "Le salon mondial des technologies médicales.",
        "rate": 0.0,
    },
    {
        "series": "webinaire-douane", "kind": "training", "month": 12, "day": 9, "days": 1,
        "title": "Webinaire : Incoterms, douane et origine des marchandises ({year})",
        "city": "En ligne", "country": "FR", "filieres": [],
        "organiser": "cci-bfc", "partners": [],
        "capacity": 60, "full_cost": 0, "fee": 0, "cap": None, "budget": 1200,
        "regime": "not_aid", "costs": [],
        "description": "Les règles qui évitent les mauvaises surprises à la frontière.",
        "rate": 0.3, "registrations": (12, 20),
    },
]
# fmt: on

# The series of the current year's programme (the rest of the usual fairs are still being
# negotiated), and those opened early for next year when few actions remain this year.
CURRENT_SERIES = [
    "ces",
    "hyvolution",
    "wine-paris",
    "global-industrie",
    "prowein",
    "mission-quebec",
    "export-day",
    "ephj",
    "acheteurs-vins",
    "sial",
    "anuga",
    "medica",
    "webinaire-douane",
]
NEXT_SERIES = ["ces", "hyvolution", "wine-paris", "gulfood", "webinaire-salon", "global-industrie"]
UPCOMING_WANTED = 4

SELECTION_CRITERIA = (
    "PME ou ETI ayant un établissement en Bourgogne-Franche-Comté ; produit ou service prêt "
    "pour le marché visé ; une personne disponible pour préparer les rendez-vous ; priorité aux "
    "entreprises qui n'ont pas encore participé."
)
CANCELLATION_RULES = (
    "Annulation sans frais jusqu'à la date indiquée ; au-delà, la participation reste due "
    "(le stand est réservé pour l'entreprise)."
)
NOT_SELECTED_REASONS = [
    "Produit pas encore adapté au marché visé : un diagnostic export est proposé d'abord.",
    "Pavillon complet ; priorité aux entreprises qui n'ont encore jamais exposé.",
    "Hors des filières visées par le pavillon.",
]
CANCELLATION_REASONS = [
    "Indisponibilité de la personne chargée de l'export.",
    "Priorité donnée à un autre salon cette année.",
    "Raisons budgétaires internes.",
]
COMMENTS = [
    "Des contacts de qualité, bien préparés en amont.",
    "Le stand collectif nous a donné une visibilité que nous n'aurions pas eue seuls.",
    "Trop peu de rendez-vous pris à l'avance.",
    "Un importateur rencontré sur le salon est devenu notre distributeur.",
    "Très bonne organisation, merci à l'équipe du pavillon.",
    "Des prospects intéressants mais des cycles de décision longs.",
    "",
    "",
]
CONTACT_FIRST = [
    "Claire",
    "Julien",
    "Sophie",
    "Nicolas",
    "Camille",
    "Thomas",
    "Élise",
    "Marc",
    "Anne",
    "Pierre",
    "Léa",
    "Hugo",
]
CONTACT_LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
]
CONTRACT_COUNTRIES = {
    "US": ["US", "CA"],
    "FR": ["DE", "BE", "IT", "ES", "GB"],
    "AE": ["AE", "SA", "QA"],
    "DE": ["DE", "AT", "CH", "NL"],
    "CA": ["CA"],
    "CH": ["CH", "DE"],
    "MA": ["MA"],
}
