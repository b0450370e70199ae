"""Projection assumptions of the export potential (MARKETS.md §2): per country, the growth of
GDP and of population over the horizon, and the income elasticity of import demand.

Defaults come from the last available macro figures (macro.parquet, loaded by `load_macro`
or the demonstration): each country's compound annual growth over its last five available
years, carried forward over the horizon. An analyst's MarketAssumption replaces a country's
default (its source is the analyst's text). Without macro figures there is no growth (factor 1)
and the source says so.

Growths are fractions over the whole horizon (0.12 = +12 %); MarketAssumption stores percent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guichet.markets import storage
from guichet.markets.models import DatasetKind, MarketAssumption, TradeDataset

HORIZON_YEARS = 5
# The ITC projects GDP "5–6 years" ahead (Decreux & Spies 2016); five years of history give the
# default trend, as the ITC's five-year averages of trade do.
TREND_YEARS = 5

# Income elasticity of import demand (MARKETS.md §2, after the ITC method): ≈ 1.2 for
# developing countries, ≈ 0.93 for developed ones.
ELASTICITY_DEVELOPING = 1.2
ELASTICITY_DEVELOPED = 0.93
# Developed = GDP per capita above the World Bank's high-income threshold (GNI per capita,
# Atlas method, USD 14,005 for fiscal year 2025); GDP per capita stands in for GNI per capita
# here (the macro file has GDP), which moves few countries across the line.
HIGH_INCOME_THRESHOLD_USD = 14_005
ELASTICITY_UNKNOWN = ELASTICITY_DEVELOPING

NO_MACRO_SOURCE = (
    "Aucune donnée PIB/population chargée : pas de croissance projetée (facteur 1). "
    "Chargez un fichier PIB/population (python manage.py load_macro) ou saisissez des "
    "hypothèses par pays."
)


@dataclass
class Assumptions:
    """What the export potential projects: growths are fractions over `horizon_years`.

    A country missing from gdp_growth/population_growth has no growth (factor 1); one missing
    from `elasticity` takes `elasticity_default`."""

    horizon_years: int
    gdp_growth: dict[str, float]
    population_growth: dict[str, float]
    sources: dict[str, str]
    default_source: str
    elasticity: dict[str, float] = field(default_factory=dict)
    elasticity_default: float = ELASTICITY_UNKNOWN
    elasticity_source: str = ""

    def gdp_factor(self, iso3: str) -> float:
        return 1.0 + self.gdp_growth.get(iso3, 0.0)

    def population_factor(self, iso3: str) -> float:
        return 1.0 + self.population_growth.get(iso3, 0.0)

    def elasticity_of(self, iso3: str) -> float:
        return self.elasticity.get(iso3, self.elasticity_default)

    def demand_factor(self, iso3: str) -> float:
        """Growth factor of a market's imports: GDP per capita growth to the power of the
        income elasticity, times population growth."""
        population = self.population_factor(iso3)
        per_capita = self.gdp_factor(iso3) / population
        return per_capita ** self.elasticity_of(iso3) * population

    def fingerprint(self) -> dict:
        """Every figure the computation uses, for cache keys."""
        return {
            "horizon": self.horizon_years,
            "gdp": sorted(self.gdp_growth.items()),
            "population": sorted(self.population_growth.items()),
            "elasticity": sorted(self.elasticity.items()),
            "elasticity_default": self.elasticity_default,
        }


@dataclass(frozen=True)
class _Defaults:
    gdp_growth: dict[str, float]
    population_growth: dict[str, float]
    sources: dict[str, str]
    gdp_per_capita: dict[str, float]
    default_source: str


def _macro_file() -> tuple[str, str] | None:
    """(path, name to show) of the loaded macro table, or None."""
    dataset = TradeDataset.objects.filter(kind=DatasetKind.MACRO).order_by("-loaded_at").first()
    if dataset is not None:
        path = storage.absolute(dataset.path)
        if path.exists():
            name = dataset.original_name or path.name
            if dataset.is_demo:
                name = f"{name}, données de démonstration"
            return str(path), name
    path = storage.macro_path()
    return (str(path), path.name) if path.exists() else None


# For each country, its last TREND_YEARS years with a positive figure, then the compound
# annual growth between the first and the last of them.
_TREND_SQL = """
WITH ranked AS (
    SELECT country, year, {col} AS figure,
           row_number() OVER (PARTITION BY country ORDER BY year DESC) AS rn
    FROM macro
    WHERE {col} > 0
), kept AS (
    SELECT country, year, figure FROM ranked WHERE rn <= ?
), ends AS (
    SELECT country, min(year) AS first_year, max(year) AS last_year
    FROM kept GROUP BY country
)
SELECT e.country, e.first_year, e.last_year, f.figure, l.figure
FROM ends e
JOIN kept f ON f.country = e.country AND f.year = e.first_year
JOIN kept l ON l.country = e.country AND l.year = e.last_year
"""

_PER_CAPITA_SQL = """
WITH last AS (
    SELECT country, max(year) AS year FROM macro
    WHERE gdp > 0 AND population > 0 GROUP BY country
)
SELECT m.country, m.gdp / m.population
FROM macro m JOIN last l ON l.country = m.country AND l.year = m.year
"""


def _trend(con, column: str, horizon: int) -> dict[str, tuple[float, int, int]]:
    """country → (growth over the horizon, first year, last year) for gdp or population."""
    out = {}
    for country, first, last, first_value, last_value in con.execute(
        _TREND_SQL.format(col=column), [TREND_YEARS]
    ).fetchall():
        if last > first:
            annual = (last_value / first_value) ** (1.0 / (last - first))
            out[country] = (annual**horizon - 1.0, first, last)
        else:
            out[country] = (0.0, first, last)
    return out


def _source(first: int, last: int, name: str) -> str:
    if last <= first:
        return (
            f"Une seule année ({last}) dans les données PIB/population chargées (fichier "
            f"{name}) : pas de croissance projetée"
        )
    return (
        f"Prolongement de la croissance {first}–{last} des données PIB/population chargées "
        f"(fichier {name})"
    )


def macro_defaults(horizon: int = HORIZON_YEARS) -> _Defaults:
    found = _macro_file()
    if found is None:
        return _Defaults({}, {}, {}, {}, NO_MACRO_SOURCE)
    path, name = found
    con = storage.connect()
    try:
        con.read_parquet(path).create_view("macro")
        gdp = _trend(con, "gdp", horizon)
        population = _trend(con, "population", horizon)
        per_capita = dict(con.execute(_PER_CAPITA_SQL).fetchall())
    finally:
        con.close()
    sources = {}
    for iso3 in gdp.keys() | population.keys():
        first, last = (gdp.get(iso3) or population[iso3])[1:]
        sources[iso3] = _source(first, last, name)
        if iso3 not in population or iso3 not in gdp:
            sources[iso3] += " (PIB ou population absents : pas de croissance pour ce chiffre)"
    return _Defaults(
        gdp_growth={k: v[0] for k, v in gdp.items()},
        population_growth={k: v[0] for k, v in population.items()},
        sources=sources,
        gdp_per_capita={k: float(v) for k, v in per_capita.items()},
        default_source=(
            f"Prolongement sur {horizon} ans de la croissance annuelle moyenne des "
            f"{TREND_YEARS} dernières années disponibles des données PIB/population chargées "
            f"(fichier {name}) ; pays absents du fichier : pas de croissance (facteur 1)"
        ),
    )


def _fr(number: float) -> str:
    return str(number).replace(".", ",")


def elasticity_source() -> str:
    threshold = f"{HIGH_INCOME_THRESHOLD_USD:,}".replace(",", "\u202f")
    return (
        f"Élasticité-revenu des importations : {_fr(ELASTICITY_DEVELOPED)} pour les pays dont "
        f"le PIB par habitant dépasse {threshold} USD (seuil « revenu élevé » de la Banque "
        f"mondiale, exercice 2025), {_fr(ELASTICITY_DEVELOPING)} pour les autres ; "
        f"{_fr(ELASTICITY_UNKNOWN)} (valeur des pays en développement) quand le PIB par "
        f"habitant est inconnu (méthode ITC)."
    )


def _elasticities(per_capita: dict[str, float]) -> dict[str, float]:
    return {
        iso3: ELASTICITY_DEVELOPED if value > HIGH_INCOME_THRESHOLD_USD else ELASTICITY_DEVELOPING
        for iso3, value in per_capita.items()
    }


def current_assumptions() -> Assumptions:
    """Macro defaults (last available data) with the analysts' MarketAssumption overrides."""
    defaults = macro_defaults()
    gdp = dict(defaults.gdp_growth)
    population = dict(defaults.population_growth)
    sources = dict(defaults.sources)
    for override in MarketAssumption.objects.select_related("country"):
        iso3 = override.country.iso3
        gdp[iso3] = float(override.gdp_growth_pct) / 100.0
        population[iso3] = float(override.population_growth_pct) / 100.0
        sources[iso3] = override.source
    return Assumptions(
        horizon_years=HORIZON_YEARS,
        gdp_growth=gdp,
        population_growth=population,
        sources=sources,
        default_source=defaults.default_source,
        elasticity=_elasticities(defaults.gdp_per_capita),
        elasticity_default=ELASTICITY_UNKNOWN,
        elasticity_source=elasticity_source(),
    )


def no_growth() -> Assumptions:
    """Static projections: every factor 1 (used by tests and the 'sans projection' option)."""
    return Assumptions(
        horizon_years=HORIZON_YEARS,
        gdp_growth={},
        population_growth={},
        sources={},
        default_source="Sans projection : croissance nulle pour tous les pays.",
        elasticity_source=elasticity_source(),
    )


def default_rows() -> list[dict]:
    """For the assumptions page: one row per country with a default or an override, by French
    name. Growths are fractions; `default_*` are the macro defaults, the others the values in
    use (the override when there is one)."""
    from guichet.reference.models import Country

    defaults = macro_defaults()
    current = current_assumptions()
    overridden = set(MarketAssumption.objects.values_list("country__iso3", flat=True).order_by())
    codes = defaults.sources.keys() | overridden
    countries = {
        c.iso3: c
        for c in Country.objects.filter(iso3__in=codes).only("iso3", "name_fr", "sort_name")
    }
    rows = []
    for iso3 in codes:
        country = countries.get(iso3)
        rows.append(
            {
                "iso3": iso3,
                "name": country.name_fr if country else iso3,
                "sort": country.sort_name if country else iso3.lower(),
                "default_gdp_growth": defaults.gdp_growth.get(iso3, 0.0),
                "default_population_growth": defaults.population_growth.get(iso3, 0.0),
                "default_source": defaults.sources.get(iso3, defaults.default_source),
                "gdp_growth": current.gdp_growth.get(iso3, 0.0),
                "population_growth": current.population_growth.get(iso3, 0.0),
                "source": current.sources.get(iso3, current.default_source),
                "overridden": iso3 in overridden,
                "elasticity": current.elasticity_of(iso3),
                "gdp_per_capita": defaults.gdp_per_capita.get(iso3),
            }
        )
    rows.sort(key=lambda row: row.pop("sort"))
    return rows
