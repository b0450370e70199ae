"""Properties of the eligible amount (issue 6, "Done when"): never above any cap, never
negative, rate × costs when no cap binds, monotonic in the costs, rounded down to the cent."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guichet.aids.amounts import eligible_amount

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
signed_money = st.decimals(min_value=-1_000_000, max_value=10_000_000, places=2, allow_nan=False)
rates = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False)
caps = st.one_of(st.none(), signed_money)


@given(rate=rates, costs=money, c1=caps, c2=caps, c3=caps, c4=caps)
def test_never_above_any_cap_never_negative(rate, costs, c1, c2, c3, c4):
    amount = eligible_amount(
        rate=rate,
        eligible_costs=costs,
        ceiling_per_aid=c1,
        company_remaining=c2,
        envelope_remaining=c3,
        state_aid_headroom=c4,
    )
    assert amount >= 0
    assert amount <= max(rate * costs, Decimal(0))
    for cap in (c1, c2, c3, c4):
        if cap is not None:
            assert amount <= max(cap, Decimal(0))
    assert amount == amount.quantize(Decimal("0.01"))


@given(rate=rates, costs=money)
def test_rate_times_costs_when_no_cap_binds(rate, costs):
    base = (rate * costs).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    assert eligible_amount(rate=rate, eligible_costs=costs) == base
    roomy = rate * costs + 1
    assert (
        eligible_amount(
            rate=rate,
            eligible_costs=costs,
            ceiling_per_aid=roomy,
            company_remaining=roomy,
            envelope_remaining=roomy,
            state_aid_headroom=roomy,
        )
        == base
    )


@given(rate=rates, low=money, extra=money, c1=caps, c2=caps, c3=caps, c4=caps)
def test_monotonic_in_costs(rate, low, extra, c1, c2, c3, c4):
    caps_ = {
        "ceiling_per_aid": c1,
        "company_remaining": c2,
        "envelope_remaining": c3,
        "state_aid_headroom": c4,
    }
    assert eligible_amount(rate=rate, eligible_costs=low, **caps_) <= eligible_amount(
        rate=rate, eligible_costs=low + extra, **caps_
    )


@given(rate=rates, costs=money, cap=money)
def test_the_smallest_cap_sets_the_amount(rate, costs, cap):
    amount = eligible_amount(rate=rate, eligible_costs=costs, envelope_remaining=cap)
    assert amount == min(rate * costs, cap).quantize(Decimal("0.01"), rounding="ROUND_DOWN")


def test_figures_of_the_vie_support():
    # 50 % of 25 366 € capped at 12 000 €; a third of a cent is dropped.
    assert eligible_amount(
        rate=Decimal("0.5"), eligible_costs=Decimal("25366"), ceiling_per_aid=Decimal("12000")
    ) == Decimal("12000.00")
    assert eligible_amount(rate=Decimal("0.3333"), eligible_costs=Decimal("100")) == Decimal(
        "33.33"
    )
    assert eligible_amount(
        rate=Decimal("0.5"), eligible_costs=Decimal("1000"), envelope_remaining=Decimal("-50")
    ) == Decimal("0.00")
