"""Reminders before a collective action (upstream preparation, PAREX 2 measure 5): N days
before the start, for each N of the action's `reminder_days`, the contact of every confirmed
participant and its advisor receive the preparation steps not done yet.

A pure function of `today` (the daily job passes it; tests fix it). A day the job did not run
is caught up by the next run, once: each kind ("before-14") is sent at most once per
registration (ReminderLog is unique on (registration, kind)). When several kinds are due at
once (a late confirmation, a long outage), one e-mail goes out — the nearest one — and all the
due kinds are marked sent."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.collective import mail
from guichet.collective.models import (
    ChecklistItem,
    CollectiveAction,
    Registration,
    RegistrationStatus,
    ReminderLog,
)
from guichet.collective.services.states import registration_log


def reminder_kind(days: int) -> str:
    return f"before-{days}"


def _days(action: CollectiveAction) -> list[int]:
    values = []
    for value in action.reminder_days or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number >= 0:
            values.append(number)
    return sorted(set(values))


def due_kinds(action: CollectiveAction, today: date, already: set[str]) -> list[int]:
    """The reminder days due today and not sent yet (nearest last)."""
    left = (action.starts_on - today).days
    if left < 0:
        return []
    return sorted(
        (n for n in _days(action) if left <= n and reminder_kind(n) not in already), reverse=True
    )


def todo_labels(registration: Registration) -> list[str]:
    done = set(registration.ticks.values_list("item_id", flat=True))
    items = ChecklistItem.objects.filter(action_id=registration.action_id).order_by("order", "pk")
    return [item.label for item in items if item.pk not in done]


def _claim(registration: Registration, kinds: list[int], now) -> bool:
    """Write the logs of the due kinds; False when another run wrote one first."""
    try:
        with transaction.atomic():
            for days in kinds:
                ReminderLog.objects.create(
                    registration=registration, kind=reminder_kind(days), sent_at=now
                )
    except IntegrityError:
        return False
    return True


def reminders_send_due(*, today: date) -> dict:
    """Send the reminders due on `today`; returns {"registrations", "emails"} counts."""
    counts = {"registrations": 0, "emails": 0}
    registrations = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            action__status=CollectiveAction.Status.PUBLISHED,
            action__starts_on__gte=today,
        )
        .select_related("action", "company", "advisor", "organisation")
        .order_by("action__starts_on", "pk")
    )
    for registration in registrations.iterator(chunk_size=200):
        already = set(registration.reminders.values_list("kind", flat=True))
        kinds = due_kinds(registration.action, today, already)
        if not kinds or not _claim(registration, kinds, timezone.now()):
            continue
        left = (registration.action.starts_on - today).days
        todo = todo_labels(registration)
        counts["emails"] += mail.send_reminder(registration, days=left, todo=todo)
        counts["registrations"] += 1
        registration_log(
            registration=registration,
            title=f"Rappel envoyé à J-{left}",
            text=("Étapes restantes : " + ", ".join(todo)) if todo else "Préparation complète.",
        )
    return counts
