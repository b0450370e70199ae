"""Retention of the personal data of the desk (announced on the public form): 3 years after
the last exchange about a need, its contact details, texts and survey comment are erased; the
need itself stays, anonymous, for the figures."""

from django.db import transaction
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce, Greatest

from guichet.companies.retention import retention_limit
from guichet.desk.models import Match, Need, NeedEvent, SurveyResponse
from guichet.desk.status import NeedStatus, with_status

ERASED = ""


def needs_past_retention(today=None) -> QuerySet[Need]:
    """Closed (or spam, or attached) needs not yet anonymised whose last exchange is older
    than the retention period."""
    from datetime import datetime, time

    from django.utils import timezone

    limit = timezone.make_aware(datetime.combine(retention_limit(today), time.min))
    needs = (
        with_status(Need.objects.exclude(contact_email=ERASED))
        .exclude(status__in=NeedStatus.OPEN)
        .annotate(last_event=Max("events__at"))
        .annotate(last=Greatest("submitted_at", Coalesce("last_event", "submitted_at")))
        .filter(last__lt=limit)
    )
    return needs.order_by("pk")


@transaction.atomic
def needs_anonymise(*, today=None) -> int:
    count = 0
    for need in needs_past_retention(today):
        need.contact_first_name = ERASED
        need.contact_last_name = ERASED
        need.contact_role = ERASED
        need.contact_email = ERASED
        need.contact_phone = ERASED
        need.description = ERASED
        need.client_fingerprint = ERASED
        need.save()  # audited
        NeedEvent.objects.filter(need=need).update(text=ERASED)
        Match.objects.filter(need=need).update(comment=ERASED)
        SurveyResponse.objects.filter(need=need).update(comment=ERASED)
        count += 1
    return count
