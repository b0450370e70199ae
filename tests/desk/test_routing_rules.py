"""Unit tests of guichet.desk.routing: the profile of a company or of a postal code, whether a
rule covers a profile, and the order of the matching rules."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.desk.models import RoutingRule, Subject
from guichet.desk.routing import Profile, active_rules, matching_rules, profile_for, rule_matches
from guichet.partners.models import Organisation
from guichet.reference.models import HeadcountBand
from tests.companies.conftest import make_company

pytestmark = pytest.mark.django_db

DIJON = Profile(region="27", departement="21", commune="21231")
BESANCON = Profile(region="27", departement="25", commune="25056")
LYON = Profile(region="84", departement="69", commune="69123")


@pytest.fixture
def make_rule(reference, subjects, org_a):
    def build(*, regions=(), departements=(), naf=(), subject="salon-mission", **fields):
        rule = RoutingRule.objects.create(
            subject=subjects[subject], organisation=fields.pop("organisation", org_a), **fields
        )
        rule.regions.set(regions)
        rule.departements.set(departements)
        rule.naf_codes.set(naf)
        return RoutingRule.objects.prefetch_related("regions", "departements", "naf_codes").get(
            pk=rule.pk
        )

    return build


# --- Territory ---------------------------------------------------------------------------------


def test_rule_without_territory_covers_everywhere(make_rule):
    rule = make_rule()

    assert rule_matches(rule, DIJON)
    assert rule_matches(rule, LYON)
    assert rule_matches(rule, Profile())  # even a need whose place is unknown


def test_territory_by_region(make_rule):
    rule = make_rule(regions=["27"])

    assert rule_matches(rule, DIJON)
    assert rule_matches(rule, BESANCON)
    assert not rule_matches(rule, LYON)
    assert not rule_matches(rule, Profile())


def test_territory_by_departement(make_rule):
    rule = make_rule(departements=["21"])

    assert rule_matches(rule, DIJON)
    assert not rule_matches(rule, BESANCON)


def test_territory_by_commune(make_rule):
    rule = make_rule(communes=["25056"])

    assert rule_matches(rule, BESANCON)
    assert not rule_matches(rule, Profile(region="27", departement="25", commune="25462"))
    assert not rule_matches(rule, DIJON)


def test_territories_add_up(make_rule):
    rule = make_rule(departements=["21"], communes=["69123"])

    assert rule_matches(rule, DIJON)
    assert rule_matches(rule, LYON)
    assert not rule_matches(rule, BESANCON)


# --- Company filters ---------------------------------------------------------------------------


def test_naf_division_matches_a_sub_class(make_rule):
    cheese = make_company("100000001", "FROMAGERIE", naf="10.51C")
    brewery = make_company("100000002", "BRASSERIE", naf="11.05Z")
    rule = make_rule(naf=["10"])

    cheese_profile = profile_for(company=cheese)
    assert {"10.51C", "10.51", "10.5", "10", "C"} <= cheese_profile.naf_codes
    assert rule_matches(rule, cheese_profile)
    assert not rule_matches(rule, profile_for(company=brewery))
    assert rule_matches(make_rule(naf=["C"]), profile_for(company=brewery))  # section
    assert not rule_matches(rule, DIJON)  # unknown activity


def test_headcount_range_is_inclusive_and_needs_a_known_headcount(make_rule):
    rule = make_rule(min_employees=10, max_employees=49)

    assert rule_matches(rule, Profile(employees=10))
    assert rule_matches(rule, Profile(employees=49))
    assert not rule_matches(rule, Profile(employees=9))
    assert not rule_matches(rule, Profile(employees=50))
    assert not rule_matches(rule, Profile())
    assert rule_matches(make_rule(min_employees=250), Profile(employees=2000))


def test_headcount_comes_from_the_sirene_band(make_rule, reference):
    company = make_company("100000001", "FROMAGERIE")
    company.headcount_band = HeadcountBand.objects.get(code="12")  # 20 à 49 salariés
    company.save()

    profile = profile_for(company=company)

    assert profile.employees == 20
    assert rule_matches(make_rule(min_employees=20, max_employees=49), profile)
    assert not rule_matches(make_rule(min_employees=50), profile)


def test_company_age(make_rule):
    company = make_company("100000001", "FROMAGERIE")
    company.creation_date = date(2020, 6, 15)
    company.save()

    on_eve = profile_for(company=company, today=date(2025, 6, 14))
    on_birthday = profile_for(company=company, today=date(2025, 6, 15))
    young = make_rule(max_age_years=4)

    assert (on_eve.age_years, on_birthday.age_years) == (4, 5)
    assert rule_matches(young, on_eve)
    assert not rule_matches(young, on_birthday)
    assert rule_matches(make_rule(min_age_years=5), on_birthday)
    assert not rule_matches(young, Profile())  # creation date unknown


def test_export_status(make_rule):
    company = make_company("100000001", "FROMAGERIE", export_status="new")
    rule = make_rule(export_statuses=["new", "occasional"])

    assert rule_matches(rule, profile_for(company=company))
    assert not rule_matches(rule, Profile(export_status="regular"))
    assert not rule_matches(rule, Profile())
    assert rule_matches(make_rule(), Profile(export_status="regular"))


def test_every_filter_must_pass(make_rule):
    rule = make_rule(departements=["21"], naf=["10"], min_employees=10, export_statuses=["new"])
    naf = frozenset({"10.51C", "10.51", "10.5", "10", "C"})
    good = Profile("27", "21", "21231", naf, 20, 5, "new")

    assert rule_matches(rule, good)
    assert not rule_matches(rule, Profile("27", "25", "25056", naf, 20, 5, "new"))
    assert not rule_matches(rule, Profile("27", "21", "21231", frozenset(), 20, 5, "new"))
    assert not rule_matches(rule, Profile("27", "21", "21231", naf, 5, 5, "new"))
    assert not rule_matches(rule, Profile("27", "21", "21231", naf, 20, 5, "regular"))


def _bare_rule() -> RoutingRule:
    organisation, _ = Organisation.objects.get_or_create(
        slug="bare-test", defaults={"name": "Bare Test", "kind": "cci"}
    )
    rule, _ = RoutingRule.objects.get_or_create(
        subject=Subject.objects.get(code="autre"), organisation=organisation
    )
    return active_rules().get(pk=rule.pk)


@given(
    region=st.sampled_from(["", "27", "84", "11"]),
    departement=st.sampled_from(["", "21", "25", "69", "2A", "974"]),
    employees=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)),
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
    status=st.sampled_from(["", "never", "new", "occasional", "regular"]),
)
def test_a_rule_without_territory_nor_filter_covers_any_profile(
    region, departement, employees, age, status
):
    rule = _bare_rule()
    profile = Profile(region, departement, "", frozenset(), employees, age, status)

    assert rule_matches(rule, profile)


# --- Profiles ----------------------------------------------------------------------------------


def test_profile_of_a_company_uses_its_headquarters(reference):
    company = make_company("100000001", "FROMAGERIE", commune_code="21231")

    profile = profile_for(company=company)

    assert (profile.region, profile.departement, profile.commune) == ("27", "21", "21231")


def test_establishment_commune_wins_over_headquarters(reference):
    company = make_company("100000001", "FROMAGERIE", commune_code="21231")

    profile = profile_for(company=company, commune_code="25056")

    assert (profile.region, profile.departement) == ("27", "25")


@pytest.mark.parametrize(
    ("postal_code", "departement", "region"),
    [("21000", "21", "27"), ("20090", "2A", "94"), ("97400", "974", "04"), ("", "", "")],
)
def test_profile_of_a_postal_code(reference, postal_code, departement, region):
    profile = profile_for(company=None, postal_code=postal_code)

    assert (profile.departement, profile.region) == (departement, region)
    assert profile.naf_codes == frozenset()
    assert profile.employees is None


# --- Order -------------------------------------------------------------------------------------


def test_matching_rules_by_rank_then_organisation(make_rule, subjects, org_a, org_b, bpi):
    second = make_rule(departements=["21"], priority=2, organisation=org_a)
    first_b = make_rule(departements=["21"], priority=1, organisation=org_b)
    first_bpi = make_rule(priority=1, organisation=bpi)
    make_rule(departements=["25"], priority=1, organisation=org_a)  # elsewhere
    make_rule(priority=1, organisation=org_a, is_active=False)  # inactive
    make_rule(priority=1, organisation=org_a, subject="autre")  # another subject

    found = matching_rules(DIJON, subjects["salon-mission"])

    assert found == [first_bpi, first_b, second]  # "Bpifrance Test" < "CCI Test"


def test_rules_of_an_inactive_organisation_are_ignored(make_rule, subjects, org_b):
    make_rule(organisation=org_b)
    org_b.is_active = False
    org_b.save()

    assert matching_rules(DIJON, subjects["salon-mission"]) == []
    assert list(active_rules([subjects["salon-mission"]])) == []


# --- Preview (read-only) -----------------------------------------------------------------------


def test_preview_orders_ranks_and_asks_an_organisation_once(
    make_rule, subjects, org_a, org_b, fallback, desk
):
    from guichet.desk.selectors_rules import preview

    make_rule(priority=1, organisation=org_b, departements=["21"])
    make_rule(priority=2, organisation=fallback, departements=["21"])
    make_rule(priority=3, organisation=org_b)  # asked at rank 1 already

    result = preview(DIJON, subjects["salon-mission"])

    assert [(s.rank, [r.organisation.name for r in s.rules]) for s in result.steps] == [
        (1, ["CCI Test"]),
        (2, ["Team France Export Test"]),
    ]
    assert result.fallback == fallback
    assert result.fallback_usable is False  # the fallback organisation was asked at rank 2
    assert preview(LYON, subjects["autre"]).steps == []
    assert preview(LYON, subjects["autre"]).fallback_usable is True
