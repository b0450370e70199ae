"""Reads of the company timeline, journeys and next actions."""

from collections.abc import Iterable
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from guichet.journeys.models import STAGE_ORDER, Journey, NextAction, StageChange, TimelineEvent


def visible_to(user) -> Q:
    """Confidential events are for the members of the organisation that recorded them only."""
    organisation_id = getattr(user, "organisation_id", None) if user.is_authenticated else None
    if organisation_id is None:
        return Q(confidential=False)
    return Q(confidential=False) | Q(organisation_id=organisation_id)


def timeline_for(*, company, user, kinds: Iterable[str] | None = None) -> QuerySet[TimelineEvent]:
    """The company's events this user may see, newest first (`kinds` narrows to some types)."""
    events = (
        TimelineEvent.objects.filter(company=company)
        .filter(visible_to(user))
        .select_related("author", "organisation")
        .order_by("-occurred_at", "-pk")
    )
    if kinds:
        events = events.filter(kind__in=list(kinds))
    return events


# --- Journeys and next actions ---------------------------------------------------------------

# The exchanges that count as a contact with the company (the portfolio's "last contact").
CONTACT_KINDS = (
    TimelineEvent.Kind.CALL,
    TimelineEvent.Kind.MEETING,
    TimelineEvent.Kind.VISIT,
    TimelineEvent.Kind.EMAIL,
    TimelineEvent.Kind.EVENT,
    TimelineEvent.Kind.NEED,
    TimelineEvent.Kind.DIAGNOSTIC,
)


def today() -> date:
    """Today in Europe/Paris (one place for the pages and the tests to agree on)."""
    return timezone.localdate()


def journey_of(company) -> Journey | None:
    return (
        Journey.objects.select_related("lead_advisor__organisation", "organisation")
        .filter(company=company)
        .first()
    )


def stage_history(journey: Journey) -> QuerySet[StageChange]:
    """Every move of the journey, newest first."""
    return journey.changes.select_related("by__organisation").order_by("-at", "-pk")


def stage_steps(stage: str) -> list[dict]:
    """The stages in order, each marked done / current / to come (for the stepper)."""
    current = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1
    return [
        {
            "value": step.value,
            "label": step.label,
            "number": index + 1,
            "state": "done" if index < current else "current" if index == current else "todo",
        }
        for index, step in enumerate(STAGE_ORDER)
    ]


def company_actions(company) -> QuerySet[NextAction]:
    return NextAction.objects.filter(company=company).select_related(
        "assignee__organisation", "done_by"
    )


def open_actions(user) -> QuerySet[NextAction]:
    return (
        NextAction.objects.filter(assignee=user, done_at__isnull=True)
        .select_related("company", "assignee__organisation")
        .order_by("due_on", "pk")
    )


def done_actions(user) -> QuerySet[NextAction]:
    return (
        NextAction.objects.filter(assignee=user, done_at__isnull=False)
        .select_related("company", "assignee__organisation", "done_by")
        .order_by("-done_at", "-pk")
    )


def last_contact_subquery(user, company_ref: str = "company") -> Subquery:
    """Date of the latest contact with the company (an exchange of CONTACT_KINDS) the user may
    see, for annotating a queryset whose `company_ref` is the company."""
    return Subquery(
        TimelineEvent.objects.filter(company=OuterRef(company_ref), kind__in=CONTACT_KINDS)
        .filter(visible_to(user))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
