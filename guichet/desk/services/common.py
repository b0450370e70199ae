"""Helpers shared by the desk's services: history, timeline, company e-mails."""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from guichet.desk.models import CompanyEmail, Match, Need, NeedEvent

_quiet: contextvars.ContextVar[bool] = contextvars.ContextVar("desk_quiet", default=False)


@contextmanager
def quiet_company_emails() -> Iterator[None]:
    """Record the e-mails a past scenario would have sent without sending them (demo data)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def event(
    need: Need,
    kind: str,
    *,
    actor=None,
    organisation=None,
    match: Match | None = None,
    text: str = "",
    at=None,
) -> NeedEvent:
    if organisation is None and actor is not None and getattr(actor, "pk", None):
        organisation = actor.organisation
    return NeedEvent.objects.create(
        need=need,
        match=match,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=organisation,
        text=text,
        at=at or timezone.now(),
    )


def timeline(need: Need, title: str, *, text: str = "", actor=None, organisation=None, at=None):
    """Log a step of the need on the company's timeline (when the company is in the registry)."""
    if need.company_id is None:
        return None
    from guichet.journeys.services import timeline_event_record

    return timeline_event_record(
        company=need.company,
        kind="need",
        title=title,
        text=text,
        occurred_at=at or timezone.now(),
        author=actor if getattr(actor, "pk", None) else None,
        organisation=organisation or getattr(actor, "organisation", None),
        source="desk.need",
        source_id=need.reference,
        link=f"/guichet/demandes/{need.reference}/",
    )


def company_email(need: Need, kind: str, *, at=None) -> bool:
    """Queue an e-mail to the company about its need, at most once per kind. Returns False when
    that kind was already sent."""
    mail, created = CompanyEmail.objects.get_or_create(
        need=need, kind=kind, defaults={"to": need.contact_email, "sent_at": at or timezone.now()}
    )
    if not created:
        return False
    event(
        need,
        NeedEvent.Kind.EMAIL,
        text=f"{mail.get_kind_display()} envoyé à {need.contact_email}",
        at=at,
    )
    if _quiet.get():
        return True
    from guichet.desk.tasks import send_company_email

    # Enqueued inside the transaction: with the database backend the task row commits (or
    # rolls back) with the change it announces.
    send_company_email.enqueue(company_email_id=mail.pk)
    return True
