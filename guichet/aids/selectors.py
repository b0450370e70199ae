"""Reads of individual aids: the envelope position of a scheme for a year, the applications a
member may list, one application with everything its page shows."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from guichet.aids.models import (
    AidScheme,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    BudgetEnvelope,
    MissingItem,
    Payment,
    PlannedExpense,
)
from guichet.aids.services.states import GRANTED, PENDING
from guichet.stateaid.models import StateAidGrant

ZERO = Decimal("0")


@dataclass(frozen=True)
class EnvelopePosition:
    """Where a scheme's budget of one year stands.

    - `amount`: the envelope voted for the year (None: no envelope recorded);
    - `committed`: the sum of `granted_amount` of the applications granted (approved, signed,
      paying, paid, closed) whose decision is dated that year — a commitment belongs to the
      year it was decided, whenever it is paid;
    - `paid`: the sum of the payments made on those same applications (whatever the payment
      date), so `paid <= committed` always holds while payments never exceed the grant;
    - `remaining`: `amount − committed` (None without an envelope); negative only if the
      envelope was lowered after decisions.
    """

    scheme: AidScheme
    year: int
    amount: Decimal | None
    committed: Decimal
    paid: Decimal
    remaining: Decimal | None

    @property
    def to_pay(self) -> Decimal:
        """Committed but not yet paid."""
        return self.committed - self.paid


def granted_in_year(scheme: AidScheme, year: int):
    """The applications whose grant counts against the scheme's envelope of `year`."""
    return Application.objects.filter(scheme=scheme, status__in=GRANTED, decided_on__year=year)


def envelope_position(scheme: AidScheme, year: int) -> EnvelopePosition:
    """Commitments and payments of `scheme`'s envelope of `year` (see EnvelopePosition)."""
    granted = granted_in_year(scheme, year)
    committed = granted.aggregate(total=Sum("granted_amount"))["total"] or ZERO
    paid = (
        Payment.objects.filter(application__in=granted.values("pk")).aggregate(total=Sum("amount"))[
            "total"
        ]
        or ZERO
    )
    envelope = BudgetEnvelope.objects.filter(scheme=scheme, year=year).only("amount").first()
    amount = envelope.amount if envelope else None
    return EnvelopePosition(
        scheme=scheme,
        year=year,
        amount=amount,
        committed=committed,
        paid=paid,
        remaining=amount - committed if amount is not None else None,
    )


# --- figures the eligibility checks and the amount computation share ------------------------


def source_ref(application: Application) -> str:
    """How the ledger names the aid granted on `application`."""
    return f"aids.application:{application.pk}"


@dataclass(frozen=True)
class CompanyGrants:
    """Aids of one scheme already granted to the company (this application excluded)."""

    count: int
    total: Decimal


def company_grants(application: Application) -> CompanyGrants:
    granted = (
        Application.objects.filter(
            scheme_id=application.scheme_id,
            company_id=application.company_id,
            status__in=GRANTED,
        )
        .exclude(pk=application.pk)
        .aggregate(count=Count("pk"), total=Sum("granted_amount"))
    )
    return CompanyGrants(count=granted["count"] or 0, total=granted["total"] or ZERO)


def envelope_remaining(application: Application, year: int) -> tuple[Decimal | None, bool]:
    """What remains of the scheme's envelope of `year` for this application (its own grant,
    if it was already decided that year, is given back) and whether an envelope exists."""
    position = envelope_position(application.scheme, year)
    if position.remaining is None:
        return None, False
    remaining = position.remaining
    own = application.granted_amount
    if (
        application.status in GRANTED
        and own is not None
        and application.decided_on is not None
        and application.decided_on.year == year
    ):
        remaining += own
    return remaining, True


@dataclass(frozen=True)
class StateAidRoom:
    """The company's room under the scheme's regulation at a date (this aid's own ledger lines
    excluded): `headroom` None when the regulation has no three-year ceiling."""

    regulation: str
    total: Decimal
    ceiling: Decimal | None
    headroom: Decimal | None


def state_aid_room(application: Application, *, at: date) -> StateAidRoom:
    from guichet.stateaid import rules
    from guichet.stateaid import selectors as ledger

    regulation = application.scheme.regime
    totals = ledger.totals_at(application.company, at=at)
    own = StateAidGrant.objects.filter(
        source_ref=source_ref(application), cancelled_at__isnull=True
    ).values_list("granted_on", "amount", "regulation")
    for code, amount in rules.totals_by_regulation(own, at=at).items():
        totals[code] = totals.get(code, ZERO) - amount
    position = next(p for p in rules.positions(totals) if p.regulation == regulation)
    return StateAidRoom(
        regulation=regulation,
        total=position.total,
        ceiling=position.ceiling,
        headroom=position.headroom,
    )


def cost_category_keys(application: Application) -> set[str]:
    """Codes and labels of the cost categories of the application's planned expenses (a
    ledger line names its costs by either; several are joined with ", ")."""
    keys: set[str] = set()
    for code, label in application.expenses.values_list("category__code", "category__label"):
        keys |= {code.casefold(), label.strip().casefold()}
    return keys


def _covers(cost_category: str, keys: set[str]) -> bool:
    text = cost_category.strip().casefold()
    return text in keys or any(part.strip() in keys for part in text.split(","))


def same_costs_aid(application: Application) -> Decimal:
    """Live ledger lines of the company (any regulation, this aid excluded) that cover the same
    cost categories as this application: GBER cumulation counts them."""
    keys = cost_category_keys(application)
    if not keys:
        return ZERO
    lines = (
        StateAidGrant.objects.filter(company_id=application.company_id, cancelled_at__isnull=True)
        .exclude(cost_category="")
        .exclude(source_ref=source_ref(application))
        .values_list("cost_category", "amount")
    )
    return sum((amount for category, amount in lines if _covers(category, keys)), ZERO)


def planned_costs(application: Application) -> Decimal:
    return application.expenses.aggregate(total=Sum("amount"))["total"] or ZERO


# --- lists and pages ------------------------------------------------------------------------

PENDING_FILTER = "pending"


@dataclass(frozen=True)
class ApplicationFilters:
    q: str = ""  # company name, SIREN or file reference
    scheme: int | None = None
    status: str = ""  # an ApplicationStatus, "pending" (waiting for a decision) or "" (all)
    organisation: int | None = None  # the organisation that follows the file
    year: int | None = None  # year of filing (of creation for a draft)


def applications_scope(user):
    """The files a member lists: those of the schemes their organisation provides and those
    their organisation follows; administrators list them all."""
    from guichet.core.permissions import is_platform_admin

    if is_platform_admin(user):
        return Application.objects.all()
    return applications_scope_of_organisation(user.organisation)


def applications_scope_of_organisation(organisation):
    """The files an organisation follows or whose scheme it provides (an API key's)."""
    if organisation is None:
        return Application.objects.none()
    return Application.objects.filter(
        Q(scheme__provider_id=organisation.pk) | Q(organisation_id=organisation.pk)
    )


def applications_for(user, filters: ApplicationFilters):
    applications = applications_scope(user)
    if filters.q:
        q = filters.q.strip()
        digits = q.replace(" ", "")
        match = Q(company__name__icontains=q) | Q(reference__iexact=q) | Q(title__icontains=q)
        if digits.isdigit():
            match |= Q(company__siren__startswith=digits[:9])
        applications = applications.filter(match)
    if filters.scheme:
        applications = applications.filter(scheme_id=filters.scheme)
    if filters.status == PENDING_FILTER:
        applications = applications.filter(status__in=PENDING)
    elif filters.status:
        applications = applications.filter(status=filters.status)
    if filters.organisation:
        applications = applications.filter(organisation_id=filters.organisation)
    if filters.year:
        applications = applications.filter(
            Q(submitted_at__year=filters.year)
            | Q(submitted_at__isnull=True, created_at__year=filters.year)
        )
    return applications.select_related("scheme", "company", "organisation", "instructor").order_by(
        "-created_at", "-pk"
    )


def application_for_detail(reference: str) -> Application | None:
    """One application with what its page shows, or None."""
    return (
        Application.objects.select_related(
            "scheme",
            "scheme__provider",
            "company",
            "company__naf",
            "organisation",
            "created_by",
            "instructor",
            "session",
        )
        .prefetch_related(
            Prefetch("expenses", queryset=PlannedExpense.objects.select_related("category")),
            Prefetch(
                "documents", queryset=ApplicationDocument.objects.select_related("uploaded_by")
            ),
            "declared_aids",
            Prefetch("missing_items", queryset=MissingItem.objects.select_related("required")),
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("by")),
        )
        .filter(reference=reference)
        .first()
    )


def filing_years() -> list[int]:
    """Years that have files (filed, or created for drafts), latest first."""
    years = {d.year for d in Application.objects.datetimes("created_at", "year")}
    years |= {d.year for d in Application.objects.datetimes("submitted_at", "year")}
    return sorted(years, reverse=True)
