"""The filières of Bourgogne-Franche-Comté, as NAF codes (justified in docs/data-sources.md)."""

# (slug, name, NAF codes, description)
FILIERES = [
    (
        "agroalimentaire-vins",
        "Agroalimentaire et vins",
        ["01.21Z", "10", "11"],
        "Industries alimentaires, boissons, viticulture (alimentation durable, vins de Bourgogne "
        "et du Jura, fromages AOP).",
    ),
    (
        "microtechniques",
        "Microtechniques",
        ["25.62", "26.1", "26.51", "26.52", "26.70"],
        "Horlogerie, instruments de mesure, composants électroniques, optique, décolletage.",
    ),
    (
        "automobile-mobilites",
        "Automobile et mobilités",
        ["22.11", "29", "30.2", "30.91", "30.92"],
        "Construction automobile et équipementiers, matériel ferroviaire, cycles et motocycles.",
    ),
    (
        "hydrogene-energie",
        "Hydrogène et énergie",
        ["20.11", "27.1", "27.2", "28.11", "35.1"],
        "Gaz industriels dont l'hydrogène, moteurs et génératrices, batteries, turbines, "
        "production d'électricité.",
    ),
    (
        "sante",
        "Santé",
        ["21", "26.60", "32.50", "72.11"],
        "Industrie pharmaceutique, dispositifs et instruments médicaux, biotechnologies.",
    ),
    (
        "bois",
        "Bois",
        ["02", "16", "31.0"],
        "Sylviculture et exploitation forestière, sciage et travail du bois, meubles.",
    ),
    (
        "nucleaire",
        "Nucléaire",
        ["24.46", "25.30", "25.50A"],
        "Combustible nucléaire, générateurs de vapeur et gros composants, forge.",
    ),
    (
        "materiaux-avances",
        "Matériaux avancés",
        ["20.16", "22.2", "23.4", "24.5", "25.61"],
        "Plastiques et composites, céramiques techniques, fonderie, traitement des surfaces.",
    ),
]
