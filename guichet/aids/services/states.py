"""The life of an application: which state may follow which, and the one function that moves
a file and writes its history and the company's timeline. Every other service goes through
`application_move` so no step is ever missing from either."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.aids.models import Application, ApplicationEvent
from guichet.aids.models import ApplicationStatus as S

# Allowed moves. Withdrawal is possible until the agreement is signed.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.INCOMPLETE, S.INSTRUCTION, S.WITHDRAWN}),
    S.INCOMPLETE: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.INSTRUCTION: frozenset({S.INCOMPLETE, S.COMMITTEE, S.WITHDRAWN}),
    S.COMMITTEE: frozenset({S.APPROVED, S.REJECTED, S.INSTRUCTION, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.SIGNED, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.SIGNED: frozenset({S.PAYING, S.PAID}),
    S.PAYING: frozenset({S.PAID}),
    S.PAID: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# States where the company (through its link) may still change the file.
COMPANY_EDITABLE = frozenset({S.DRAFT, S.INCOMPLETE})
# States where the aid is granted (counts in commitments and in the ledger).
GRANTED = frozenset({S.APPROVED, S.SIGNED, S.PAYING, S.PAID, S.CLOSED})
# States still waiting for a decision.
PENDING = frozenset({S.SUBMITTED, S.INCOMPLETE, S.INSTRUCTION, S.COMMITTEE})


def can_move(application: Application, to: str) -> bool:
    return to in TRANSITIONS.get(application.status, frozenset())


def application_move(
    *,
    application: Application,
    to: str,
    by=None,
    by_company: bool = False,
    title: str,
    text: str = "",
    timeline: bool = True,
) -> ApplicationEvent:
    """Move the file to `to` (the caller has checked the permission and holds the row inside
    a transaction), record the step in its history and on the company's timeline."""
    if not can_move(application, to):
        raise ValidationError(
            {
                "status": [
                    f"Un dossier « {application.get_status_display()} » ne peut pas passer "
                    f"à l'état « {S(to).label} »."
                ]
            }
        )
    before = application.status
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    return application_log(
        application=application,
        title=title,
        text=text,
        by=by,
        by_company=by_company,
        from_status=before,
        to_status=to,
        timeline=timeline,
    )


def application_log(
    *,
    application: Application,
    title: str,
    text: str = "",
    by=None,
    by_company: bool = False,
    from_status: str = "",
    to_status: str = "",
    timeline: bool = True,
) -> ApplicationEvent:
    """A step of the file without a change of state (a document added, a payment…)."""
    from guichet.journeys.services import timeline_event_record

    event = ApplicationEvent.objects.create(
        application=application,
        at=timezone.now(),
        from_status=from_status,
        to_status=to_status,
        title=title[:200],
        text=text,
        by=by,
        by_company=by_company,
    )
    if timeline:
        timeline_event_record(
            company=application.company,
            kind="aid",
            title=f"{application.scheme.name} — {title}"[:200],
            text=text[:2000],
            occurred_at=event.at,
            author=by,
            organisation=application.organisation,
            source="aids.application",
            source_id=application.pk,
            link=f"/aides/dossiers/{application.reference}/",
        )
    return event
