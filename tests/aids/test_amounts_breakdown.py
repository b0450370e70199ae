"""The amount breakdown an instructor reads: each term of the minimum with its label and
figures, and which one sets the eligible amount."""

from datetime import date
from decimal import Decimal

from guichet.aids.amounts import amount_breakdown
from guichet.stateaid.models import StateAidGrant
from tests.aids.conftest import make_application, make_scheme

TODAY = date(2026, 3, 10)


def _values(breakdown):
    return {t.code: t.value for t in breakdown.terms}


def test_rate_times_costs_when_no_cap_binds(scheme, company, org_a):
    scheme.ceiling_per_aid = None
    scheme.envelopes.update(year=2026)
    scheme.save()
    app = make_application(scheme, company, org_a)
    breakdown = amount_breakdown(app, today=TODAY)
    assert breakdown.amount == Decimal("12683.00")
    assert breakdown.binding == "base"
    assert breakdown.binding_term.detail == "50 % × 25\u202f366\u202f€"
    assert _values(breakdown)["ceiling_per_aid"] is None
    assert _values(breakdown)["envelope_remaining"] == Decimal("500000")
    assert _values(breakdown)["state_aid_headroom"] == Decimal("300000")


def test_the_ceiling_per_aid_binds(scheme, company, org_a):
    scheme.ceiling_per_aid = Decimal("10000")
    scheme.save()
    app = make_application(scheme, company, org_a)
    breakdown = amount_breakdown(app, today=TODAY)
    assert (breakdown.amount, breakdown.binding) == (Decimal("10000.00"), "ceiling_per_aid")


def test_extension_uses_the_extension_rate(scheme, company, org_a):
    app = make_application(scheme, company, org_a, is_extension=True)
    breakdown = amount_breakdown(app, eligible_costs=Decimal("20000"), today=TODAY)
    assert breakdown.rate == Decimal("0.25")
    assert breakdown.amount == Decimal("5000.00")
    assert breakdown.binding_term.detail == "25 % × 20\u202f000\u202f€ (taux de renouvellement)"


def test_company_remaining_and_state_aid_headroom_bind(scheme, company, org_a):
    scheme.ceiling_per_company = Decimal("15000")
    scheme.save()
    make_application(
        scheme, company, org_a, status="paid", granted_amount=Decimal("6000"), decided_on=TODAY
    )
    app = make_application(scheme, company, org_a)
    breakdown = amount_breakdown(app, today=TODAY)
    assert (breakdown.amount, breakdown.binding) == (Decimal("9000.00"), "company_remaining")
    company_term = breakdown.binding_term
    assert (
        company_term.detail
        == "15\u202f000\u202f€ − 6\u202f000\u202f€ déjà accordés par ce dispositif"
    )

    StateAidGrant.objects.create(
        company=company,
        granted_on=date(2024, 1, 2),
        amount=Decimal("295000.50"),
        regulation="de_minimis",
        granting_body="État",
        source="declared",
        description="Aide",
    )
    breakdown = amount_breakdown(app, today=TODAY)
    assert (breakdown.amount, breakdown.binding) == (Decimal("4999.50"), "state_aid_headroom")


def test_gber_intensity_left_on_the_same_costs(org_a, company):
    scheme = make_scheme(org_a, slug="salons", regime="gber_19", ceiling_per_aid=None)
    app = make_application(scheme, company, org_a)
    StateAidGrant.objects.create(
        company=company,
        granted_on=date(2025, 6, 1),
        amount=Decimal("4000"),
        regulation="de_minimis",
        granting_body="Département",
        source="platform_aid",
        description="Salon",
        cost_category="indemnite",
    )
    breakdown = amount_breakdown(app, today=TODAY)
    assert (breakdown.amount, breakdown.binding) == (Decimal("8683.00"), "state_aid_headroom")
    assert breakdown.binding_term.label == "Intensité RGEC restante sur les mêmes coûts"


def test_the_envelope_binds_and_gives_back_the_own_grant(scheme, company, org_a):
    scheme.envelopes.update(year=2026, amount=Decimal("20000"))
    make_application(
        scheme, company, org_a, status="approved", granted_amount=Decimal("15000"), decided_on=TODAY
    )
    app = make_application(scheme, company, org_a)
    breakdown = amount_breakdown(app, today=TODAY)
    assert (breakdown.amount, breakdown.binding) == (Decimal("5000.00"), "envelope_remaining")
    granted = make_application(
        scheme, company, org_a, status="approved", granted_amount=Decimal("5000"), decided_on=TODAY
    )
    assert amount_breakdown(granted, today=TODAY).amount == Decimal("5000.00")
