"""The public share of a participation: rate × eligible costs, capped per company, limited to
what the organiser pays (full cost − fee), nothing after the company's N subsidised
participations in the same series, nothing for actions that are not state aid."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.collective.models import Registration
from guichet.collective.services.subsidy import SubsidyInputs, subsidy_for, subsidy_rule
from guichet.core.money import euros
from tests.collective.conftest import make_action

money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def inputs(draw, previous=None, limit=None):
    full_cost = draw(money)
    return SubsidyInputs(
        rate=draw(rates),
        eligible_total=draw(money),
        has_breakdown=draw(st.booleans()),
        full_cost=full_cost,
        company_fee=draw(money),
        cap=draw(st.none() | money),
        limit=limit if limit is not None else draw(st.none() | st.integers(0, 5)),
        previous=previous if previous is not None else draw(st.integers(0, 8)),
        is_aid=draw(st.booleans()),
    )


@settings(max_examples=300)
@given(inputs())
def test_never_negative_never_above_cap_nor_the_public_share(data):
    amount, explanation = subsidy_rule(data)
    assert amount >= 0
    if data.cap is not None:
        assert amount <= data.cap
    assert amount <= max(data.full_cost - data.company_fee, 0)
    base = data.eligible_total if data.has_breakdown else data.full_cost
    assert amount <= base * data.rate
    assert explanation


@given(st.integers(0, 5).flatmap(lambda limit: inputs(previous=limit, limit=limit)))
def test_nothing_once_the_limit_is_reached(data):
    amount, explanation = subsidy_rule(data)
    assert amount == 0
    if data.is_aid:
        assert "déjà bénéficié" in explanation


def _rule(**overrides):
    fields = {
        "rate": Decimal("0.5"),
        "eligible_total": Decimal("9000"),
        "has_breakdown": True,
        "full_cost": Decimal("9000"),
        "company_fee": Decimal("5000"),
        "cap": Decimal("4000"),
        "limit": 3,
        "previous": 0,
    }
    fields.update(overrides)
    return subsidy_rule(SubsidyInputs(**fields))


def test_the_sial_pavilion_half_of_9000_is_capped_at_4000():
    amount, explanation = _rule()
    assert amount == Decimal("4000")
    assert "50\u00a0% des coûts admissibles" in explanation
    assert f"plafonnés à {euros(Decimal('4000'))}" in explanation
    assert "n° 1 sur 3" in explanation


def test_the_public_share_limits_the_subsidy_and_says_so():
    amount, explanation = _rule(company_fee=Decimal("6000"), cap=None)
    assert amount == Decimal("3000")
    assert "part payée par l'organisateur" in explanation


def test_without_breakdown_the_rate_applies_to_the_full_cost():
    amount, explanation = _rule(
        has_breakdown=False, full_cost=Decimal("5000"), cap=None, company_fee=Decimal("0")
    )
    assert amount == Decimal("2500")
    assert "du coût complet" in explanation


def test_not_aid_gives_nothing():
    assert _rule(is_aid=False)[0] == 0


def _participation(action, company, org, status="confirmed", subsidy="4000"):
    return Registration.objects.create(
        action=action,
        company=company,
        status=status,
        contact_name="Claire Martin",
        contact_email="claire@example.fr",
        organisation=org,
        subsidy_amount=Decimal(subsidy),
    )


def test_three_subsidised_participations_in_the_series_then_nothing(action, companies, org_a):
    company = companies[0]
    for year in (2023, 2024, 2025):
        past = make_action(org_a, slug=f"sial-{year}", year=year)
        _participation(past, company, org_a, status="attended")
    amount, explanation = subsidy_for(action=action, company=company)
    assert amount == 0
    assert "3 participation(s)" in explanation
    # Another company, and another series, are not concerned.
    assert subsidy_for(action=action, company=companies[1])[0] == Decimal("4000")
    other = make_action(org_a, slug="hyvolution-2026", series="hyvolution")
    assert subsidy_for(action=other, company=company)[0] == Decimal("4000")


def test_cancelled_or_unsubsidised_participations_do_not_count(action, companies, org_a):
    company = companies[0]
    for year, status, subsidy in (
        (2023, "cancelled", "4000"),
        (2024, "attended", "0"),
        (2025, "no_show", "4000"),
    ):
        past = make_action(org_a, slug=f"sial-{year}", year=year)
        _participation(past, company, org_a, status=status, subsidy=subsidy)
    amount, explanation = subsidy_for(action=action, company=company)
    assert amount == Decimal("4000")
    assert "n° 2 sur 3" in explanation


def test_an_action_without_series_counts_no_earlier_participation(reference, org_a, companies):
    action = make_action(
        org_a,
        slug="mission-vietnam",
        series="",
        kind="mission",
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 6),
    )
    assert subsidy_for(action=action, company=companies[0])[0] == Decimal("4000")
