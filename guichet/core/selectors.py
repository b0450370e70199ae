from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.core.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    text: str = ""
    since: date | None = None
    until: date | None = None


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.actor:
        events = events.filter(
            Q(actor_label__icontains=filters.actor) | Q(organisation_label__icontains=filters.actor)
        )
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.text:
        events = events.filter(Q(object_label__icontains=filters.text) | Q(object_id=filters.text))
    tz = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(at__gte=datetime.combine(filters.since, time.min, tzinfo=tz))
    if filters.until:
        events = events.filter(at__lte=datetime.combine(filters.until, time.max, tzinfo=tz))
    return events.order_by("-at", "-id")


def audit_object_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
