"""Retention of personal data in the registry (RGPD, promised on the personal-data page):
a contact is kept 3 years after the last contact with that person, then deleted."""

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.companies.models import Contact

RETENTION_YEARS = 3


def retention_limit(today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - RETENTION_YEARS, day=28)


def contacts_past_retention(today: date | None = None) -> QuerySet[Contact]:
    """Contacts whose last contact (or, without one, whose last change) is older than 3 years."""
    limit = retention_limit(today)
    return Contact.objects.filter(
        Q(last_contact_on__lt=limit) | Q(last_contact_on__isnull=True, updated_at__date__lt=limit)
    ).order_by("pk")


@transaction.atomic
def contacts_purge(*, today: date | None = None) -> int:
    """Delete the contacts past retention, one by one so that each deletion is audited."""
    count = 0
    for contact in contacts_past_retention(today).select_related("company"):
        contact.delete()
        count += 1
    return count
