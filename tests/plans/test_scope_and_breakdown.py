"""The filters every computation shares and the breakdown of an indicator, on companies built
for the test: two in Côte-d'Or (one PME cheese maker, one ETI optician), one in the Jura."""

from decimal import Decimal

from guichet.companies.models import Company
from guichet.plans import selectors
from guichet.plans.computations import Column, Figure, Filters, register
from guichet.plans.computations.scope import companies_matching, restrict
from tests.plans.conftest import make_indicator


@register(
    key="test_scope_companies",
    label="Entreprises du test",
    unit="entreprises",
    description="Entreprises actives du registre (test).",
    source="Test",
    breakdowns=("filiere", "departement", "size"),
)
def _companies(filters: Filters) -> Figure:
    records = restrict(Company.objects.filter(is_active=True), filters, company="", date=None)
    return Figure(
        value=records.count(),
        records=records.order_by("siren"),
        columns=(Column("SIREN", lambda c: c.siren),),
    )


def sirens(queryset):
    return sorted(queryset.values_list("siren", flat=True))


def test_no_company_filter_keeps_every_company(firms):
    assert companies_matching(Filters(year=2024)) is None


def test_size_departement_and_filiere_filters(firms, food):
    assert sirens(companies_matching(Filters(size="PME"))) == ["401234567", "552100554"]
    assert sirens(companies_matching(Filters(departement="21"))) == ["552100554", "732829320"]
    assert sirens(companies_matching(Filters(filiere_id=food.pk))) == ["401234567", "552100554"]
    both = Filters(filiere_id=food.pk, departement="39")
    assert sirens(companies_matching(both)) == ["401234567"]


def test_an_unknown_filiere_keeps_nothing(firms):
    assert sirens(companies_matching(Filters(filiere_id=999_999))) == []


def test_a_partner_filter_on_records_without_a_partner_keeps_nothing(firms, org_a):
    records = restrict(Company.objects.all(), Filters(organisation_id=org_a.pk), company="")
    assert records.count() == 0


def test_breakdown_by_departement_and_size(firms, measure):
    indicator = make_indicator(
        measure, "T1", computation="test_scope_companies", breakdowns=["departement", "size"]
    )
    by_dep = selectors.breakdown(indicator, Filters(year=2024), "departement")
    assert [(row.key, row.value) for row in by_dep] == [("21", 2), ("39", 1)]
    assert by_dep[0].label == "Côte-d'Or (21)"
    by_size = {row.key: row.value for row in selectors.breakdown(indicator, Filters(), "size")}
    assert by_size == {"TPE": 0, "PME": 2, "ETI": 1, "GE": 0}


def test_a_breakdown_the_indicator_does_not_allow_is_empty(firms, measure):
    indicator = make_indicator(
        measure, "T2", computation="test_scope_companies", breakdowns=["size"]
    )
    assert selectors.breakdown(indicator, Filters(), "departement") == []
    # Allowed by the indicator but not by the computation (no partner on a company).
    indicator.breakdowns = ["partner"]
    assert selectors.breakdown(indicator, Filters(), "partner") == []


def test_evaluate_gives_value_target_and_progress(firms, measure):
    indicator = make_indicator(measure, "T3", computation="test_scope_companies", targets={2023: 4})
    result = selectors.evaluate(indicator, Filters(year=2023), with_series=True)
    assert result.value == 3
    assert result.target == Decimal(4)
    assert result.progress_percent == 75
    assert result.status.label == "À surveiller"
    assert [year for year, _value in result.series][:2] == [2022, 2023]


def test_a_manual_indicator_is_not_broken_down_by_a_filter(firms, measure):
    indicator = make_indicator(measure, "T4", targets={2023: 10})
    indicator.manual_values.create(year=2023, value=Decimal(12), source="Rapport CCI")
    plain = selectors.evaluate(indicator, Filters(year=2023))
    assert (plain.value, plain.status.label) == (Decimal(12), "Cible atteinte")
    filtered = selectors.evaluate(indicator, Filters(year=2023, departement="21"))
    assert filtered.value is None
    assert filtered.not_broken_down
