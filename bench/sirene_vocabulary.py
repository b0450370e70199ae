"""Distributions and vocabulary of the SIRENE generator (bench/sirene_generator.py): the
weights that make generated stock files look like INSEE's, and the French words that names,
streets and communes are built from. Invented data: no row of the real stock is copied."""

# Population by région in thousands (INSEE, populations légales 2021, rounded): the weight
# of a région's communes. Within a région each département weighs the same.
REGION_POPULATION = {
    "11": 12317, "24": 2573, "27": 2800, "28": 3325, "32": 5995, "44": 5562, "52": 3842,
    "53": 3373, "75": 6033, "76": 5973, "84": 8092, "93": 5098, "94": 344, "01": 384,
    "02": 361, "03": 286, "04": 873, "06": 299,
}  # fmt: skip

# Sub-classes that are frequent in the real stock (rentals, consulting, building trades,
# restaurants, health, hairdressing, software, associations…) get most of the weight; every
# other sub-class of the nomenclature keeps a small share.
COMMON_NAF = (
    "68.20B", "68.20A", "70.22Z", "64.20Z", "56.10A", "56.10C", "43.21A", "43.22A", "43.32A",
    "43.99C", "41.20A", "45.20A", "86.21Z", "86.90D", "96.02A", "62.01Z", "62.02A", "74.90B",
    "85.59A", "85.59B", "49.32Z", "49.41A", "10.71C", "01.11Z", "01.21Z", "68.10Z", "90.01Z",
    "93.12Z", "94.99Z", "81.21Z", "71.12B", "73.11Z", "46.90Z", "47.11B", "47.71Z", "55.10Z",
    "82.99Z", "25.62B", "28.29B", "26.52Z", "29.32Z", "16.10A", "24.46Z", "20.59Z", "21.20Z",
    "35.11Z",
)  # fmt: skip
COMMON_NAF_SHARE = 0.6

HEADCOUNT_WEIGHTS = {
    "": 10, "NN": 30, "00": 15, "01": 15, "02": 10, "03": 7, "11": 6, "12": 4, "21": 1.5,
    "22": 0.8, "31": 0.3, "32": 0.3, "41": 0.15, "42": 0.08, "51": 0.04, "52": 0.02, "53": 0.01,
}  # fmt: skip
SMALL_BANDS = ("NN", "00", "01", "02", "03", "11", "12")
EMPLOYER_BANDS = frozenset(HEADCOUNT_WEIGHTS) - {"", "NN", "00"}

# categorieJuridiqueUniteLegale of companies (sole traders are 1000) and the legal form some
# put in their name.
LEGAL_FORMS = {
    "5710": ("SAS", 25), "5720": ("SASU", 15), "5499": ("SARL", 22), "5498": ("EURL", 8),
    "6540": ("SCI", 12), "9220": ("", 10), "5599": ("SA", 2), "5202": ("SNC", 1),
    "6533": ("GAEC", 1), "5485": ("SELARL", 1), "6598": ("EARL", 1),
}  # fmt: skip

ACTIVITIES = (
    "Boulangerie", "Pâtisserie", "Fromagerie", "Menuiserie", "Charpente", "Électricité",
    "Plomberie", "Maçonnerie", "Transports", "Garage", "Mécanique", "Décolletage", "Horlogerie",
    "Lunetterie", "Imprimerie", "Conseil", "Ingénierie", "Informatique", "Logistique", "Négoce",
    "Vignobles", "Domaine", "Château", "Distillerie", "Brasserie", "Salaisons", "Laiterie",
    "Scierie", "Ébénisterie", "Chaudronnerie", "Fonderie", "Plasturgie", "Hydrogène", "Énergies",
    "Matériaux", "Céramiques", "Pharmacie", "Laboratoire", "Études", "Agence", "Hôtel", "Café",
    "Restaurant", "Épicerie", "Boucherie", "Coiffure", "Toiture", "Paysages", "Bâtiment", "Travaux",
    "Ateliers", "Microtechniques",
)  # fmt: skip
PLACES = (
    "Comtoise", "Bourguignonne", "du Jura", "du Doubs", "de la Saône", "des Vosges", "du Morvan",
    "de l'Yonne", "Alpine", "Atlantique", "de la Méditerranée", "Provençale", "Normande",
    "Bretonne", "Lorraine", "Alsacienne", "Picarde", "Occitane", "Corse", "Créole", "Réunionnaise",
    "des Prés", "des Chênes", "du Lac", "de l'Étang", "du Moulin", "de la Forêt", "du Château",
    "des Côtes", "du Val", "de la Combe", "du Plateau", "des Mélèzes", "de l'Île", "du Grand Est",
    "de Bourgogne", "de Franche-Comté", "des Deux Rives", "du Centre",
)  # fmt: skip
BRAND_PARTS = (
    "Nova", "Techni", "Méca", "Bio", "Agri", "Hydro", "Éco", "Euro", "Inno", "Franco", "Alpi",
    "Océa", "Terra", "Vita", "Lumi", "Précis", "Opti", "Synergie", "Ardo", "Créa", "Gastro",
    "Thermo", "Poly", "Indus", "Maté", "Vini",
)  # fmt: skip
BRAND_ENDINGS = ["lys", "tec", "ia", "ance", "one", "is", "ys", "ov", "ex", "éa", "al", "ium"]
SURNAMES = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
    "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
    "MÜLLER", "LEFEBVRE", "FAURE", "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER",
    "CHEVALIER", "FRANÇOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLÉMENT", "MORIN",
    "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT",
    "LEMAIRE", "NOËL", "MEYER", "DUFOUR", "MEUNIER", "BRUN", "BLANCHARD", "GIRAUD", "JOLY",
    "RIVIÈRE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD", "GÉRARD", "ROCHE", "RENARD",
    "SCHMITT", "LEROUX", "COLIN", "VIDAL", "CARON", "PICARD", "FABRE", "AUBERT", "LEMOINE",
    "RENAUD", "DUMAS", "LACROIX", "OLIVIER", "BOURGEOIS", "BENOÎT", "LECLERC", "PAYET", "ROLLAND",
    "GUILLAUME", "LECOMTE", "LOPEZ", "DUPUY", "HUBERT", "BERGER", "CARPENTIER", "DESCHAMPS", "HUET",
    "VASSEUR", "BOUCHER", "FLEURY", "KLEIN", "JACQUET", "POIRIER", "MARTY", "GUYOT", "CARRÉ",
    "MÉNARD", "MAILLARD", "BAILLY", "HERVÉ", "SCHNEIDER", "LÉGER", "BOUVIER", "PRÉVOST", "PERROT",
    "BRETON", "BESSON", "LANGLOIS", "RÉMY", "PELLETIER", "LÉVÊQUE", "LEBLANC", "BARRÉ", "MARCHAL",
    "WEBER", "HAMON", "MONNIER", "MICHAUD", "GUICHARD", "GRONDIN", "TESSIER", "CHAUVIN", "LEMAÎTRE",
    "BÉNARD", "MARÉCHAL", "HUMBERT", "HOARAU", "BARTHÉLEMY", "CORDIER", "LEJEUNE", "DELAUNAY",
    "PASQUIER", "CARLIER", "LAPORTE", "ÉTIENNE", "CUENOT", "VUILLEMIN", "JEANNIN", "GRANDJEAN",
    "PAOLI", "SANTONI", "CESARI",
)  # fmt: skip
MALE_NAMES = (
    "JEAN", "PIERRE", "MICHEL", "ANDRÉ", "PHILIPPE", "RENÉ", "LOUIS", "ALAIN", "JACQUES", "BERNARD",
    "MARCEL", "DANIEL", "ROGER", "PAUL", "CLAUDE", "CHRISTIAN", "HENRI", "GEORGES", "NICOLAS",
    "FRANÇOIS", "PATRICK", "GÉRARD", "CHRISTOPHE", "JULIEN", "ANTOINE", "THOMAS", "LUCAS", "HUGO",
    "LÉO", "GABRIEL", "RAPHAËL", "ARTHUR", "JÉRÔME", "STÉPHANE", "FRÉDÉRIC", "SÉBASTIEN", "CÉDRIC",
    "JOËL",
)  # fmt: skip
FEMALE_NAMES = (
    "MARIE", "JEANNE", "FRANÇOISE", "MONIQUE", "CATHERINE", "NATHALIE", "ISABELLE", "SYLVIE",
    "ANNE", "MARTINE", "NICOLE", "CHRISTINE", "HÉLÈNE", "VALÉRIE", "SANDRINE", "SOPHIE", "CÉLINE",
    "AURÉLIE", "CHLOÉ", "LÉA", "EMMA", "JADE", "LOUISE", "ZOÉ", "INÈS", "MANON", "CAMILLE",
    "ÉLODIE", "MÉLANIE", "GENEVIÈVE", "THÉRÈSE", "AGNÈS", "BÉATRICE", "ANAÏS", "MAËLLE",
)  # fmt: skip
STREET_TYPES = {"RUE": 40, "AV": 12, "BD": 5, "CHE": 8, "RTE": 8, "PL": 4, "IMP": 4,
                "ALL": 4, "ZA": 3, "ZI": 2, "QUAI": 1, "LD": 3, "": 6}  # fmt: skip
STREETS = (
    "DE LA REPUBLIQUE", "DU GENERAL DE GAULLE", "JEAN JAURES", "VICTOR HUGO", "PASTEUR",
    "DE LA GARE", "DE L EGLISE", "DU MOULIN", "DES ECOLES", "DE PARIS", "DU STADE", "DES VIGNES",
    "DE LA MAIRIE", "DU CHATEAU", "DES ACACIAS", "DES TILLEULS", "DU 8 MAI 1945", "DU 11 NOVEMBRE",
    "GAMBETTA", "CARNOT", "FOCH", "DE VERDUN", "DES LILAS", "DU COMMERCE", "DE LA LIBERATION",
    "DE L INDUSTRIE", "DES ARTISANS", "DES CHAMPS", "DU PRE", "DE LA FONTAINE", "SAINT MARTIN",
    "DE LA PAIX", "DU PONT", "DU PORT", "DES PINS", "DES ROSES", "DES ETANGS", "LOUIS PASTEUR",
    "DE BESANCON", "DE DIJON", "DES FORGES", "DE LA COMBE", "DU BOURG", "DES SAULES",
)  # fmt: skip
COMMUNE_STARTS = (
    "BEAU", "MONT", "VILLE", "CHATEAU", "FONTAINE", "ROCHE", "VAL", "BELLE", "CHAMP", "PONT",
    "BOIS", "MARTIN", "LONG", "ORM", "AUX", "CHAUMONT", "VERN", "SAUL", "MAR", "BRI", "LAN", "CHAT",
)  # fmt: skip
COMMUNE_ENDS = (
    "VILLE", "COURT", "MONT", "FORT", "LIEU", "Y", "AC", "AN", "ANS", "IGNY", "ANGES", "EUIL", "ON",
    "AY", "ERAY",
)  # fmt: skip
RIVERS = (
    "SAONE", "LOIRE", "DOUBS", "SEINE", "MARNE", "RHONE", "MEUSE", "GARONNE", "OGNON", "ARMANCON",
    "DORDOGNE",
)  # fmt: skip
SAINTS = (
    "MARTIN", "GERMAIN", "JEAN", "PIERRE", "VINCENT", "LAURENT", "JULIEN", "DENIS", "ETIENNE",
    "REMY", "AUBIN",
)  # fmt: skip
FOREIGN_COUNTRIES = (("99109", "ALLEMAGNE"), ("99131", "BELGIQUE"), ("99140", "SUISSE"),
                     ("99127", "ITALIE"), ("99134", "ESPAGNE"))  # fmt: skip
