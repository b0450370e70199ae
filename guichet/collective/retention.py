"""Retention of the personal data of collective actions: 3 years after the end of an action
(the +12-month survey and its reminder are long done), the name, e-mail and phone of each
registered company's contact are erased; the participation, its subsidy and its answers stay,
anonymous, for the results."""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from guichet.collective.models import Registration
from guichet.companies.retention import retention_limit

ERASED = ""


def registrations_past_retention(today: date | None = None) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(action__ends_on__lt=retention_limit(today))
        .exclude(contact_email=ERASED)
        .order_by("pk")
    )


@transaction.atomic
def registrations_anonymise(*, today: date | None = None) -> int:
    count = 0
    for registration in registrations_past_retention(today):
        registration.contact_name = ERASED
        registration.contact_email = ERASED
        registration.contact_phone = ERASED
        registration.save()  # audited
        count += 1
    return count
