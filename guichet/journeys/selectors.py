"""Reads of the company timeline."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from guichet.journeys.models import TimelineEvent


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
