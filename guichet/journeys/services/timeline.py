"""Writes to the company timeline.

Every capability logs its exchanges with a company through `timeline_event_record` (the desk
when a need arrives or is routed, diagnostics, aids…); advisors add their own calls, meetings
and notes through `timeline_note_create`. Both validate here, so that views, API endpoints and
commands share one rule and one set of French messages.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.journeys.models import TimelineEvent

TEXT_MAX_LENGTH = 4000
TITLE_MAX_LENGTH = 200

# What an advisor may log by hand; the other kinds are written by the capabilities that own them.
NOTE_KINDS = (
    TimelineEvent.Kind.CALL,
    TimelineEvent.Kind.MEETING,
    TimelineEvent.Kind.VISIT,
    TimelineEvent.Kind.EMAIL,
    TimelineEvent.Kind.NOTE,
    TimelineEvent.Kind.OTHER,
)

_SHORT_FIELDS = {"source": ("source", 40), "source_id": ("identifiant", 40), "link": ("lien", 300)}


def _text_errors(*, title: str, text: str, short: dict[str, str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Donnez un titre à l'échange."]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            f"Le titre fait {len(title)} caractères ; {TITLE_MAX_LENGTH} au plus sont acceptés."
        ]
    if len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [
            f"Le texte fait {len(text)} caractères ; {TEXT_MAX_LENGTH} au plus sont acceptés."
        ]
    for field, value in short.items():
        label, limit = _SHORT_FIELDS[field]
        if len(value) > limit:
            errors[field] = [f"Le champ {label} fait {len(value)} caractères ; {limit} au plus."]
    return errors


def timeline_event_record(
    *,
    company,
    kind: str,
    title: str,
    text: str = "",
    occurred_at: datetime | None = None,
    author=None,
    organisation=None,
    confidential: bool = False,
    source: str = "",
    source_id: str | int = "",
    link: str = "",
) -> TimelineEvent:
    """Log one exchange on the company's file. The organisation defaults to the author's; a
    confidential event needs one, since only its members will see it."""
    if organisation is None and author is not None:
        organisation = author.organisation
    title, text, source_id = (title or "").strip(), (text or "").strip(), str(source_id or "")
    short = {"source": source or "", "source_id": source_id, "link": link or ""}
    errors = _text_errors(title=title, text=text, short=short)
    if kind not in TimelineEvent.Kind.values:
        errors["kind"] = [f"Le type d'échange « {kind} » n'existe pas."]
    if link and (not link.startswith("/") or link.startswith("//")):
        errors.setdefault("link", []).append(
            "Le lien doit être un chemin de la plateforme, commençant par « / »."
        )
    if confidential and organisation is None:
        errors["confidential"] = [
            "Un échange confidentiel doit être rattaché à une organisation : lui seul le verra."
        ]
    if errors:
        raise ValidationError(errors)
    return TimelineEvent.objects.create(
        company=company,
        kind=kind,
        title=title,
        text=text,
        occurred_at=occurred_at or timezone.now(),
        author=author,
        organisation=organisation,
        confidential=confidential,
        **short,
    )


def _moment(occurred_at: date | datetime) -> datetime:
    """A day without an hour is placed now (today) or at noon (an earlier day), Paris time."""
    if isinstance(occurred_at, datetime):
        if timezone.is_naive(occurred_at):
            return timezone.make_aware(occurred_at)
        return occurred_at
    if occurred_at == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(occurred_at, time(12, 0)))


def _in_future(occurred_at: date | datetime) -> bool:
    if isinstance(occurred_at, datetime):
        return _moment(occurred_at) > timezone.now()
    return occurred_at > timezone.localdate()


def timeline_note_create(
    *,
    company,
    author,
    kind: str,
    occurred_at: date | datetime | None,
    title: str,
    text: str = "",
    confidential: bool = False,
    organisation=None,
) -> TimelineEvent:
    """An advisor logs an exchange that already took place (a call, a meeting, a visit…).
    A partner's system (API) logs it with no author, in the name of its `organisation`."""
    # Every problem is reported at once, so that the advisor fixes the form in one go.
    errors = _text_errors(title=(title or "").strip(), text=(text or "").strip(), short={})
    if kind not in NOTE_KINDS:
        allowed = ", ".join(str(TimelineEvent.Kind(k).label).lower() for k in NOTE_KINDS)
        errors["kind"] = [f"Choisissez un type d'échange parmi : {allowed}."]
    if occurred_at is None:
        errors["occurred_at"] = ["Indiquez la date de l'échange."]
    elif _in_future(occurred_at):
        errors["occurred_at"] = ["La date de l'échange ne peut pas être dans le futur."]
    if errors:
        raise ValidationError(errors)
    return timeline_event_record(
        company=company,
        kind=kind,
        title=title,
        text=text,
        occurred_at=_moment(occurred_at),
        author=author,
        organisation=organisation,
        confidential=confidential,
    )
