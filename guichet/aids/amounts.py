"""The eligible amount of an application (issue 6, "Instruction screen"):

    eligible amount = min(rate × eligible costs, ceiling per aid, what remains of the ceiling
                          per company, what remains of the year's envelope, what remains of the
                          state-aid headroom), never below zero, rounded down to the cent.

A renewal or extension uses the scheme's extension rate (V.I.E. support: 50 % of a first
mission, 25 % of an extension). The state-aid headroom is the de minimis room of the company's
single undertaking over the three years ending on the day of computation; for a GBER scheme it
is what the GBER intensity leaves on the same eligible costs once the aids already received on
them are counted (DOMAIN.md, "State aid").
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from guichet.aids import selectors
from guichet.aids.models import Application
from guichet.core.money import euros
from guichet.stateaid.models import GBER_INTENSITY

CENT = Decimal("0.01")
ZERO = Decimal("0")


def eligible_amount(
    *,
    rate: Decimal,
    eligible_costs: Decimal,
    ceiling_per_aid: Decimal | None = None,
    company_remaining: Decimal | None = None,
    envelope_remaining: Decimal | None = None,
    state_aid_headroom: Decimal | None = None,
) -> Decimal:
    """max(0, min(rate × eligible costs, every cap that is not None)), rounded down to the
    cent (rounding down keeps the amount under every cap)."""
    caps = [
        cap
        for cap in (ceiling_per_aid, company_remaining, envelope_remaining, state_aid_headroom)
        if cap is not None
    ]
    amount = min([Decimal(rate) * Decimal(eligible_costs), *map(Decimal, caps)])
    return max(amount, ZERO).quantize(CENT, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class AmountTerm:
    """One term of the minimum: `value` None means the cap does not apply (shown as such)."""

    code: str
    label: str
    value: Decimal | None
    detail: str = ""


@dataclass(frozen=True)
class AmountBreakdown:
    rate: Decimal
    eligible_costs: Decimal
    terms: tuple[AmountTerm, ...]
    amount: Decimal
    binding: str  # code of the term that sets the amount

    @property
    def binding_term(self) -> AmountTerm:
        return next(term for term in self.terms if term.code == self.binding)

    def as_dict(self) -> dict:
        return {
            "rate": str(self.rate),
            "eligible_costs": str(self.eligible_costs),
            "amount": str(self.amount),
            "binding": self.binding,
            "terms": [
                {
                    "code": t.code,
                    "label": t.label,
                    "value": None if t.value is None else str(t.value),
                    "detail": t.detail,
                }
                for t in self.terms
            ],
        }


def rate_of(application: Application) -> Decimal:
    scheme = application.scheme
    if application.is_extension and scheme.extension_rate is not None:
        return scheme.extension_rate
    return scheme.rate


def costs_of(application: Application, eligible_costs: Decimal | None = None) -> Decimal:
    """The costs the instructor retained, else the planned expenses."""
    if eligible_costs is not None:
        return Decimal(eligible_costs)
    if application.eligible_costs is not None:
        return application.eligible_costs
    return selectors.planned_costs(application)


def _percent(rate: Decimal) -> str:
    text = f"{rate * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


def _company_term(application: Application) -> AmountTerm:
    ceiling = application.scheme.ceiling_per_company
    label = "Reste du plafond cumulé par entreprise"
    if ceiling is None:
        return AmountTerm("company_remaining", label, None, "Pas de plafond par entreprise.")
    granted = selectors.company_grants(application).total
    return AmountTerm(
        "company_remaining",
        label,
        max(ceiling - granted, ZERO),
        f"{euros(ceiling)} − {euros(granted)} déjà accordés par ce dispositif",
    )


def _envelope_term(application: Application, year: int) -> AmountTerm:
    label = f"Reste de l'enveloppe {year}"
    remaining, exists = selectors.envelope_remaining(application, year)
    if not exists:
        return AmountTerm("envelope_remaining", label, None, f"Aucune enveloppe pour {year}.")
    return AmountTerm(
        "envelope_remaining", label, max(remaining, ZERO), "Enveloppe moins les engagements"
    )


def _state_aid_term(application: Application, costs: Decimal, at: date) -> AmountTerm:
    scheme = application.scheme
    if not scheme.is_state_aid:
        return AmountTerm("state_aid_headroom", "Marge d'aide d'État", None, "Pas une aide d'État.")
    if scheme.regime in GBER_INTENSITY:
        intensity = GBER_INTENSITY[scheme.regime]
        already = selectors.same_costs_aid(application)
        return AmountTerm(
            "state_aid_headroom",
            "Intensité RGEC restante sur les mêmes coûts",
            max(intensity * costs - already, ZERO),
            f"{_percent(intensity)} × {euros(costs)} − {euros(already)} d'aides déjà reçues "
            "sur les mêmes coûts",
        )
    room = selectors.state_aid_room(application, at=at)
    if room.headroom is None:
        return AmountTerm(
            "state_aid_headroom", "Marge d'aide d'État", None, "Pas de plafond sur trois ans."
        )
    return AmountTerm(
        "state_aid_headroom",
        "Marge de minimis restante sur trois ans",
        room.headroom,
        f"Plafond {euros(room.ceiling)}, déjà reçu {euros(room.total)} "
        f"(trois ans se terminant le {at:%d/%m/%Y})",
    )


def amount_breakdown(
    application: Application, *, eligible_costs: Decimal | None = None, today: date | None = None
) -> AmountBreakdown:
    """Every term of the minimum with its label, so the page shows which cap binds."""
    today = today or timezone.localdate()
    rate = rate_of(application)
    costs = costs_of(application, eligible_costs)
    base_detail = f"{_percent(rate)} × {euros(costs)}"
    if application.is_extension and application.scheme.extension_rate is not None:
        base_detail += " (taux de renouvellement)"
    ceiling = application.scheme.ceiling_per_aid
    terms = (
        AmountTerm("base", "Taux × dépenses éligibles", rate * costs, base_detail),
        AmountTerm(
            "ceiling_per_aid",
            "Plafond par aide",
            ceiling,
            "" if ceiling is not None else "Pas de plafond par aide.",
        ),
        _company_term(application),
        _envelope_term(application, today.year),
        _state_aid_term(application, costs, today),
    )
    amount = eligible_amount(
        rate=rate,
        eligible_costs=costs,
        ceiling_per_aid=terms[1].value,
        company_remaining=terms[2].value,
        envelope_remaining=terms[3].value,
        state_aid_headroom=terms[4].value,
    )
    # The binding term: the smallest value (the base wins a tie: no cap bites).
    binding = min((t for t in terms if t.value is not None), key=lambda t: t.value)
    return AmountBreakdown(
        rate=rate, eligible_costs=costs, terms=terms, amount=amount, binding=binding.code
    )
