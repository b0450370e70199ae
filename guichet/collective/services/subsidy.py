"""The public share of a company's participation in a collective action (capability 7).

Rule (DOMAIN.md "Typical regional export aids", seed 001): the Region covers a rate of the
eligible costs (50 % of the stand), capped per company (€8,000, or €4,000 for the variants),
for the company's first N participations in the same action year after year (the action's
`series`). The share can never exceed what the organiser really pays for the company: the
full cost per company minus the fee the company pays. Actions that are not state aid grant
nothing.

`subsidy_rule` is pure (property-tested); `subsidy_for` reads the company's earlier
participations in the series and applies it."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from guichet.core.money import euros

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class SubsidyInputs:
    rate: Decimal
    eligible_total: Decimal
    has_breakdown: bool
    full_cost: Decimal
    company_fee: Decimal
    cap: Decimal | None
    limit: int | None
    previous: int
    is_aid: bool = True


def eligible_total(eligible_costs) -> Decimal:
    """Sum of the eligible-cost breakdown ([{"label", "amount"}]); unreadable lines count 0."""
    total = ZERO
    for line in eligible_costs or []:
        try:
            amount = Decimal(str((line or {}).get("amount", "0")).replace(",", "."))
        except (ArithmeticError, ValueError, AttributeError):
            continue
        if amount.is_finite() and amount > 0:
            total += amount
    return total


def subsidy_rule(inputs: SubsidyInputs) -> tuple[Decimal, str]:
    """(amount in euros rounded down to the cent, French explanation)."""
    if not inputs.is_aid:
        return ZERO, "Cette action n'est pas une aide d'État : aucune prise en charge publique."
    if inputs.limit is not None and inputs.previous >= inputs.limit:
        return ZERO, (
            f"Aucune prise en charge : l'entreprise a déjà bénéficié de {inputs.previous} "
            f"participation(s) subventionnée(s) à cette action les années précédentes, pour "
            f"{inputs.limit} au plus."
        )
    base = inputs.eligible_total if inputs.has_breakdown else inputs.full_cost
    base = max(base, ZERO)
    rate = min(max(inputs.rate, ZERO), Decimal("1"))
    amount = (base * rate).quantize(CENT, rounding=ROUND_DOWN)
    basis = "des coûts admissibles" if inputs.has_breakdown else "du coût complet"
    parts = [f"{_percent(rate)} {basis} ({euros(base)}) = {euros(amount)}"]
    if inputs.cap is not None and amount > inputs.cap:
        amount = max(inputs.cap, ZERO)
        parts.append(f"plafonnés à {euros(amount)} par entreprise")
    public_share = max(inputs.full_cost - inputs.company_fee, ZERO)
    if amount > public_share:
        amount = public_share
        parts.append(
            f"limités à la part payée par l'organisateur ({euros(inputs.full_cost)} de coût "
            f"complet − {euros(inputs.company_fee)} de participation de l'entreprise = "
            f"{euros(public_share)})"
        )
    explanation = "Prise en charge publique : " + ", ".join(parts) + "."
    if inputs.limit is not None:
        rank = inputs.previous + 1
        explanation += f" Participation subventionnée n° {rank} sur {inputs.limit} au plus."
    return amount, explanation


def previous_subsidised(*, action, company) -> int:
    """The company's subsidised participations in other actions of the same series: confirmed
    (then present or absent), not cancelled, with a public share (a participation that got
    nothing is not subsidised)."""
    from guichet.collective.models import Registration
    from guichet.collective.services.states import SUBSIDISED

    if not action.series:
        return 0
    return (
        Registration.objects.filter(
            company=company, status__in=SUBSIDISED, action__series=action.series
        )
        .exclude(action=action)
        .exclude(subsidy_amount=0)
        .count()
    )


def inputs_for(*, action, company) -> SubsidyInputs:
    from guichet.collective.models import ActionRegime

    has_breakdown = bool(action.eligible_costs)
    return SubsidyInputs(
        rate=Decimal(action.subsidy_rate),
        eligible_total=eligible_total(action.eligible_costs),
        has_breakdown=has_breakdown,
        full_cost=Decimal(action.full_cost),
        company_fee=Decimal(action.company_fee),
        cap=Decimal(action.subsidy_cap) if action.subsidy_cap is not None else None,
        limit=action.subsidised_participations_limit,
        previous=previous_subsidised(action=action, company=company),
        is_aid=action.regime != ActionRegime.NOT_AID,
    )


def subsidy_for(*, action, company) -> tuple[Decimal, str]:
    return subsidy_rule(inputs_for(action=action, company=company))


def eligible_base(action) -> Decimal:
    """The eligible costs the subsidy covers (written on the ledger line)."""
    return eligible_total(action.eligible_costs) if action.eligible_costs else action.full_cost


def _percent(rate: Decimal) -> str:
    value = (rate * 100).quantize(Decimal("0.01")).normalize()
    text = format(value, "f").replace(".", ",")
    return f"{text}\u00a0%"
