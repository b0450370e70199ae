"""Reads of the programme and its actions: the public programme (published actions of a
published programme, no personal data), the calendar's month grid, the staff list with its
counts, and an action's money (the public share per company and the subsidy the rules give)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import dateformat

from guichet.collective.models import (
    ActionKind,
    ActionRegime,
    CollectiveAction,
    Programme,
    Registration,
)
from guichet.collective.models import RegistrationStatus as R
from guichet.collective.services.states import HOLDS_PLACE, SUBSIDISED
from guichet.companies.models import Filiere
from guichet.core.money import euros
from guichet.partners.models import Organisation

_CENT = Decimal("0.01")
# Registrations that still count as a request for the action (not withdrawn or turned down).
ACTIVE = frozenset(set(R.values) - {R.CANCELLED, R.NOT_SELECTED})
STATUS_BADGES = {
    CollectiveAction.Status.DRAFT: "fr-badge--new",
    CollectiveAction.Status.PUBLISHED: "fr-badge--success",
    CollectiveAction.Status.CANCELLED: "fr-badge--error",
}
WEEKDAYS = [
    ("Lun", "lundi"),
    ("Mar", "mardi"),
    ("Mer", "mercredi"),
    ("Jeu", "jeudi"),
    ("Ven", "vendredi"),
    ("Sam", "samedi"),
    ("Dim", "dimanche"),
]


# --- money -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    full_cost: Decimal
    company_fee: Decimal
    eligible_total: Decimal
    rate: Decimal
    cap: Decimal | None
    rules_subsidy: Decimal
    limit: int | None
    regime_label: str

    @property
    def public_share(self) -> Decimal:
        """What the public purse pays per company: full cost minus the company's fee."""
        return self.full_cost - self.company_fee

    @property
    def rate_percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}".replace(".", ",") + " %"

    @property
    def cap_binds(self) -> bool:
        return self.cap is not None and self.cap < (self.rate * self.eligible_total)

    @property
    def rule_text(self) -> str:
        text = f"{self.rate_percent} des coûts admissibles"
        if self.cap is not None:
            text += f", plafonné à {euros(self.cap)}"
            if self.cap_binds:
                text += " (plafond atteint)"
        return text

    @property
    def consistent(self) -> bool:
        """The fee asked matches the subsidy the rules give (full cost − subsidy)."""
        return self.public_share == self.rules_subsidy


def eligible_total(action: CollectiveAction) -> Decimal:
    return sum((Decimal(str(x["amount"])) for x in action.eligible_costs or []), Decimal("0"))


def rules_subsidy(action: CollectiveAction) -> Decimal:
    """The subsidy per company the action's rules give: min(rate × eligible costs, cap)."""
    amount = (Decimal(action.subsidy_rate) * eligible_total(action)).quantize(
        _CENT, rounding=ROUND_HALF_UP
    )
    if action.subsidy_cap is not None:
        amount = min(amount, Decimal(action.subsidy_cap))
    return amount


def money_of(action: CollectiveAction) -> Money:
    return Money(
        full_cost=Decimal(action.full_cost),
        company_fee=Decimal(action.company_fee),
        eligible_total=eligible_total(action),
        rate=Decimal(action.subsidy_rate),
        cap=action.subsidy_cap,
        rules_subsidy=rules_subsidy(action),
        limit=action.subsidised_participations_limit,
        regime_label=str(ActionRegime(action.regime).label),
    )


# --- places ------------------------------------------------------------------------------------


def _day(day: date, fmt: str) -> str:
    text = dateformat.format(day, fmt)
    return "1er" + text[1:] if day.day == 1 else text


def dates_text(starts_on: date, ends_on: date) -> str:
    """ "le 6 janvier 2027", "du 18 au 22 octobre 2027", "du 28 septembre au 2 octobre 2027"."""
    if starts_on == ends_on:
        return f"le {_day(starts_on, 'j F Y')}"
    if (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
        return f"du {_day(starts_on, 'j')} au {_day(ends_on, 'j F Y')}"
    if starts_on.year == ends_on.year:
        return f"du {_day(starts_on, 'j F')} au {_day(ends_on, 'j F Y')}"
    return f"du {_day(starts_on, 'j F Y')} au {_day(ends_on, 'j F Y')}"


def with_names(actions) -> list:
    """Attach the dates as a phrase, the filières' and partners' names (from the prefetched
    rows)."""
    rows = list(actions)
    for action in rows:
        action.dates_text = dates_text(action.starts_on, action.ends_on)
        action.filiere_names = ", ".join(f.name for f in action.filieres.all())
        action.partner_names = ", ".join(p.name for p in action.partners.all())
        action.organised_by = f"Organisé par {action.organiser.name}" + (
            f" avec {action.partner_names}" if action.partner_names else ""
        )
    return rows


def with_counts(actions):
    """Annotate places held, active requests and confirmed participations."""
    return actions.annotate(
        places_held=Count("registrations", filter=Q(registrations__status__in=HOLDS_PLACE)),
        requests=Count("registrations", filter=Q(registrations__status__in=ACTIVE)),
        confirmed=Count("registrations", filter=Q(registrations__status__in=SUBSIDISED)),
    )


def places_held(action: CollectiveAction) -> int:
    held = getattr(action, "places_held", None)
    if held is None:
        held = Registration.objects.filter(action=action, status__in=HOLDS_PLACE).count()
    return held


def places_left(action: CollectiveAction) -> int:
    return max(action.capacity - places_held(action), 0)


def registration_open(action: CollectiveAction, today: date) -> bool:
    return action.status == CollectiveAction.Status.PUBLISHED and today <= (
        action.registration_deadline
    )


# --- the public programme --------------------------------------------------------------------


def published_programme(year: int) -> Programme | None:
    return Programme.objects.filter(year=year, is_published=True).first()


def published_years() -> list[int]:
    return list(
        Programme.objects.filter(is_published=True).order_by("-year").values_list("year", flat=True)
    )


def _public(actions):
    return (
        with_counts(actions)
        .filter(status=CollectiveAction.Status.PUBLISHED, programme__is_published=True)
        .select_related("country", "organiser", "programme")
        .prefetch_related(
            Prefetch("filieres", queryset=Filiere.objects.order_by("name")),
            Prefetch("partners", queryset=Organisation.objects.order_by("name")),
        )
        .order_by("starts_on", "title", "pk")
    )


def public_actions(programme: Programme, *, filiere: Filiere | None = None, kind: str = ""):
    actions = CollectiveAction.objects.filter(programme=programme)
    if filiere is not None:
        actions = actions.filter(filieres=filiere)
    if kind:
        actions = actions.filter(kind=kind)
    return _public(actions)


def public_action(slug: str) -> CollectiveAction | None:
    return _public(CollectiveAction.objects.filter(slug=slug)).first()


def public_filieres(programme: Programme):
    return (
        Filiere.objects.filter(
            collective_actions__programme=programme,
            collective_actions__status=CollectiveAction.Status.PUBLISHED,
        )
        .distinct()
        .order_by("name")
    )


def public_kinds(programme: Programme) -> list[tuple[str, str]]:
    used = set(
        programme.actions.filter(status=CollectiveAction.Status.PUBLISHED).values_list(
            "kind", flat=True
        )
    )
    return [(value, label) for value, label in ActionKind.choices if value in used]


@dataclass
class MonthGroup:
    first: date
    actions: list

    @property
    def label(self) -> str:
        return dateformat.format(self.first, "F Y")

    @property
    def anchor(self) -> str:
        return f"mois-{self.first:%Y-%m}"


def by_month(actions) -> list[MonthGroup]:
    groups: dict[date, MonthGroup] = {}
    for action in actions:
        first = action.starts_on.replace(day=1)
        groups.setdefault(first, MonthGroup(first, [])).actions.append(action)
    return list(groups.values())


# --- the calendar ----------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    actions: list

    @property
    def label(self) -> str:
        return dateformat.format(self.day, "l j F Y")


@dataclass
class MonthGrid:
    first: date
    weeks: list[list[Day]]
    actions: list

    @property
    def label(self) -> str:
        return dateformat.format(self.first, "F Y")

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def month_grid(year: int, month: int) -> MonthGrid:
    """Weeks (Monday first) of the month with the published actions taking place each day."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    actions = list(
        _public(CollectiveAction.objects.filter(starts_on__lte=last, ends_on__gte=first))
    )
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                Day(
                    day,
                    day.month == month,
                    [a for a in actions if a.starts_on <= day <= a.ends_on]
                    if day.month == month
                    else [],
                )
                for day in week
            ]
        )
    return MonthGrid(first, weeks, actions)


# --- the staff list ----------------------------------------------------------------------------


def programme_years() -> list[int]:
    return list(Programme.objects.order_by("-year").values_list("year", flat=True))


def staff_actions(*, year: int, kind="", filiere=None, status="", organiser=None):
    actions = CollectiveAction.objects.filter(programme__year=year)
    if kind:
        actions = actions.filter(kind=kind)
    if filiere is not None:
        actions = actions.filter(filieres=filiere)
    if status:
        actions = actions.filter(status=status)
    if organiser is not None:
        actions = actions.filter(organiser=organiser)
    return (
        with_counts(actions)
        .select_related("country", "organiser", "programme")
        .prefetch_related(Prefetch("filieres", queryset=Filiere.objects.order_by("name")))
        .order_by("starts_on", "title", "pk")
    )


def totals(actions) -> dict:
    """Sums over the listed actions (evaluated list or queryset)."""
    rows = list(actions)
    return {
        "capacity": sum(a.capacity for a in rows),
        "requests": sum(a.requests for a in rows),
        "places_held": sum(a.places_held for a in rows),
        "budget": sum((a.budget for a in rows), Decimal("0")),
    }


def action_for_staff(slug: str) -> CollectiveAction | None:
    return (
        with_counts(CollectiveAction.objects.filter(slug=slug))
        .select_related("country", "organiser", "programme", "created_by")
        .prefetch_related(
            Prefetch("filieres", queryset=Filiere.objects.order_by("name")),
            "partners",
            "checklist",
        )
        .first()
    )


def budget_used(year: int) -> Decimal:
    total = (
        CollectiveAction.objects.filter(programme__year=year)
        .exclude(status=CollectiveAction.Status.CANCELLED)
        .aggregate(total=Sum("budget"))["total"]
    )
    return total or Decimal("0")
