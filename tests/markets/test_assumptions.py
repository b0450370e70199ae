"""Projection assumptions: defaults carried forward from the loaded macro figures, analysts'
overrides, the income elasticity by income level, and the rows of the assumptions page."""

from decimal import Decimal

import pytest

from guichet.markets.assumptions import (
    ELASTICITY_DEVELOPED,
    ELASTICITY_DEVELOPING,
    Assumptions,
    current_assumptions,
    default_rows,
)
from guichet.markets.models import MarketAssumption
from guichet.reference.models import Country
from tests.markets.test_potential import write_macro


@pytest.mark.django_db
def test_without_macro_figures_no_growth_and_the_source_says_so():
    current = current_assumptions()
    assert current.gdp_growth == {}
    assert current.population_growth == {}
    assert current.gdp_factor("FRA") == 1
    assert current.demand_factor("FRA") == 1
    assert "Aucune donnée PIB/population chargée" in current.default_source
    assert "facteur 1" in current.default_source
    assert default_rows() == []


@pytest.fixture
def macro(db):
    rows = []
    # FRA: GDP +10 % a year 2018–2022 (2017 is older than the last five years and ignored),
    # population +1 % a year; 40 000 USD per head: developed.
    for n, year in enumerate(range(2017, 2023)):
        rows.append(("FRA", year, 2.0e12 * 1.1 ** (n - 1), 50e6 * 1.01 ** (n - 1)))
    rows[0] = ("FRA", 2017, 1.0, 1.0)  # would change the trend if it were used
    # IND: GDP 2020 missing (NULL): trend over 2018, 2019, 2021, 2022 (2018–2022);
    # 2,000 USD per head: developing.
    for year, gdp in ((2018, 2.0e12), (2019, 2.2e12), (2020, None), (2021, 2.6e12)):
        rows.append(("IND", year, gdp, 1.3e9))
    rows.append(("IND", 2022, 2.0e12 * 1.5, 1.3e9))
    # MCO: one year only: no growth.
    rows.append(("MCO", 2022, 8e9, 39e3))
    write_macro(rows)


def test_defaults_carry_the_last_five_years_forward(macro):
    current = current_assumptions()
    # FRA: 1.1 a year → 1.1^5 over the five-year horizon.
    assert current.horizon_years == 5
    assert current.gdp_growth["FRA"] == pytest.approx(1.1**5 - 1)
    assert current.population_growth["FRA"] == pytest.approx(1.01**5 - 1)
    assert current.sources["FRA"] == (
        "Prolongement de la croissance 2018–2022 des données PIB/population chargées "
        "(fichier macro.csv)"
    )
    # IND: 2.0 → 3.0 over 2018–2022 (4 years): 1.5^(1/4) a year, 1.5^(5/4) over the horizon.
    assert current.gdp_growth["IND"] == pytest.approx(1.5 ** (5 / 4) - 1)
    assert current.population_growth["IND"] == pytest.approx(0)
    assert current.gdp_growth["MCO"] == 0
    assert "Une seule année (2022)" in current.sources["MCO"]
    assert "fichier macro.csv" in current.default_source


def test_elasticity_by_income_level(macro):
    current = current_assumptions()
    assert current.elasticity_of("FRA") == ELASTICITY_DEVELOPED == 0.93
    assert current.elasticity_of("IND") == ELASTICITY_DEVELOPING == 1.2
    assert current.elasticity_of("XXX") == 1.2  # unknown: the developing value, and said so
    assert "14\u202f005 USD" in current.elasticity_source
    assert "inconnu" in current.elasticity_source


def test_demand_factor_is_per_capita_growth_to_the_elasticity_times_population():
    a = Assumptions(
        horizon_years=5,
        gdp_growth={"BRA": 0.32},
        population_growth={"BRA": 0.1},
        sources={},
        default_source="",
        elasticity={"BRA": 1.2},
    )
    # (1.32 / 1.1)^1.2 × 1.1 = 1.2^1.2 × 1.1
    assert a.demand_factor("BRA") == pytest.approx(1.2**1.2 * 1.1)


def test_an_override_replaces_the_default_and_rows_show_both(macro, reference):
    MarketAssumption.objects.create(
        country=Country.objects.get(iso3="IND"),
        gdp_growth_pct=Decimal("35.5"),
        population_growth_pct=Decimal("4"),
        source="FMI, Perspectives de l'économie mondiale, avril 2025",
    )
    MarketAssumption.objects.create(
        country=Country.objects.get(iso3="BRA"),
        gdp_growth_pct=Decimal("10"),
        population_growth_pct=Decimal("2"),
        source="Analyste",
    )
    current = current_assumptions()
    assert current.gdp_growth["IND"] == pytest.approx(0.355)
    assert current.population_growth["IND"] == pytest.approx(0.04)
    assert current.sources["IND"] == "FMI, Perspectives de l'économie mondiale, avril 2025"
    rows = {row["iso3"]: row for row in default_rows()}
    assert list(rows) == ["BRA", "FRA", "IND", "MCO"]  # Brésil, France, Inde, Monaco
    ind = rows["IND"]
    assert ind["name"] == "Inde"
    assert ind["overridden"] is True
    assert ind["default_gdp_growth"] == pytest.approx(1.5 ** (5 / 4) - 1)
    assert ind["gdp_growth"] == pytest.approx(0.355)
    assert ind["source"].startswith("FMI")
    assert ind["default_source"].startswith("Prolongement de la croissance 2018–2022")
    bra = rows["BRA"]  # no macro figure: default no growth
    assert bra["default_gdp_growth"] == 0
    assert bra["gdp_growth"] == pytest.approx(0.10)
    assert rows["FRA"]["overridden"] is False
    assert rows["FRA"]["gdp_growth"] == pytest.approx(1.1**5 - 1)
