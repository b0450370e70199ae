"""Retention of the personal data of aid files: aid records are kept 10 years (DOMAIN.md
"State aid"); once a file has been finished (closed, rejected or withdrawn) for 10 years, the
name, e-mail and phone of the company's contact are erased. The file, its amounts and its
ledger line stay, anonymous."""

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from guichet.aids.models import Application, ApplicationStatus

RETENTION_YEARS = 10
ERASED = ""
FINISHED = (ApplicationStatus.CLOSED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


def _limit(today: date | None) -> datetime:
    today = today or timezone.localdate()
    try:
        day = today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - RETENTION_YEARS, day=28)
    return timezone.make_aware(datetime.combine(day, time.min))


def applications_past_retention(today: date | None = None) -> QuerySet[Application]:
    return (
        Application.objects.filter(status__in=FINISHED)
        .exclude(contact_email=ERASED)
        .annotate(last_step=Max("events__at"))
        .filter(last_step__lt=_limit(today))
        .order_by("pk")
    )


@transaction.atomic
def applications_anonymise(*, today: date | None = None) -> int:
    count = 0
    for application in applications_past_retention(today):
        application.contact_name = ERASED
        application.contact_email = ERASED
        application.contact_phone = ERASED
        application.save()  # audited
        count += 1
    return count
