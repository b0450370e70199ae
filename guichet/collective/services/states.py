"""The life of a registration: which state may follow which, and the one function that moves
it and writes its history and the company's timeline."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.collective.models import Registration, RegistrationEvent
from guichet.collective.models import RegistrationStatus as R

TRANSITIONS: dict[str, frozenset[str]] = {
    R.INTERESTED: frozenset({R.APPLIED, R.CANCELLED}),
    R.APPLIED: frozenset({R.SELECTED, R.WAITING, R.NOT_SELECTED, R.CANCELLED}),
    R.WAITING: frozenset({R.SELECTED, R.NOT_SELECTED, R.CANCELLED}),
    R.SELECTED: frozenset({R.CONFIRMED, R.CANCELLED}),
    R.NOT_SELECTED: frozenset(),
    R.CONFIRMED: frozenset({R.ATTENDED, R.NO_SHOW, R.CANCELLED}),
    R.ATTENDED: frozenset(),
    R.NO_SHOW: frozenset(),
    R.CANCELLED: frozenset(),
}

# States that hold a place of the action's capacity.
HOLDS_PLACE = frozenset({R.SELECTED, R.CONFIRMED, R.ATTENDED, R.NO_SHOW})
# States in which the subsidy is an aid granted (a live ledger line).
SUBSIDISED = frozenset({R.CONFIRMED, R.ATTENDED, R.NO_SHOW})


def can_move(registration: Registration, to: str) -> bool:
    return to in TRANSITIONS.get(registration.status, frozenset())


def registration_move(
    *, registration: Registration, to: str, by=None, title: str, text: str = ""
) -> RegistrationEvent:
    """Move the registration to `to` (the caller checked the permission and holds the row in a
    transaction), record the step in its history and on the company's timeline."""
    if not can_move(registration, to):
        raise ValidationError(
            {
                "status": [
                    f"Une inscription « {registration.get_status_display()} » ne peut pas "
                    f"passer à l'état « {R(to).label} »."
                ]
            }
        )
    before = registration.status
    registration.status = to
    registration.save(update_fields=["status", "updated_at"])
    return registration_log(
        registration=registration, title=title, text=text, by=by, from_status=before, to_status=to
    )


def registration_log(
    *,
    registration: Registration,
    title: str,
    text: str = "",
    by=None,
    from_status: str = "",
    to_status: str = "",
    at=None,
) -> RegistrationEvent:
    """A step without a change of state (checklist ticked, fee paid, survey answered…)."""
    from guichet.journeys.services import timeline_event_record

    event = RegistrationEvent.objects.create(
        registration=registration,
        at=at or timezone.now(),
        from_status=from_status,
        to_status=to_status,
        title=title[:200],
        text=text,
        by=by,
    )
    timeline_event_record(
        company=registration.company,
        # Registering, being selected, a survey answered… are not contacts with an advisor;
        # being present at the action is (an event the company attended).
        kind="event" if to_status == R.ATTENDED else "collective",
        title=f"{registration.action.title} — {title}"[:200],
        text=text[:4000],
        occurred_at=event.at,
        author=by,
        organisation=registration.organisation,
        source="collective.registration",
        source_id=registration.pk,
        link=f"/actions-collectives/inscriptions/{registration.pk}/",
    )
    return event
