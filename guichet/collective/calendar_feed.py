"""The published programme as an iCalendar feed (RFC 5545), written by hand: one all-day
VEVENT per published action, so that partners and companies subscribe to the programme in
their own calendar.

- DTSTART/DTEND are dates; DTEND is exclusive (the day after the last day).
- UID is `<slug>@<host>`: stable across downloads, so a calendar updates the event instead
  of adding a copy. DTSTAMP is the action's last change, so the feed only changes when the
  programme does.
- TEXT values escape backslash, semicolon, comma and newlines; lines are folded at 75 octets
  (never inside a UTF-8 character), continuation lines starting with one space; CRLF ends
  every line.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from guichet.collective.models import ActionKind, CollectiveAction, Programme
from guichet.core.money import euros

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (the first), 74 + the leading
    space (the others)."""
    chunks: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    chunks.append(current)
    return (CRLF + " ").join(chunks)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _description(action: CollectiveAction, url: str) -> str:
    parts = [f"{ActionKind(action.kind).label} organisé par {action.organiser.name}."]
    filieres = ", ".join(f.name for f in action.filieres.all())
    if filieres:
        parts.append(f"Filières : {filieres}.")
    parts.append(f"Participation : {euros(action.company_fee)} par entreprise.")
    parts.append(f"Inscriptions jusqu'au {action.registration_deadline:%d/%m/%Y}.")
    return "\n".join([" ".join(parts), url])


def event_lines(action: CollectiveAction, *, host: str, url: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{action.slug}@{host}",
        f"DTSTAMP:{_utc(action.updated_at)}",
        f"DTSTART;VALUE=DATE:{action.starts_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{action.ends_on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(action.title)}",
        f"LOCATION:{escape_text(f'{action.city}, {action.country.name_fr}')}",
        f"DESCRIPTION:{escape_text(_description(action, url))}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def programme_ics(
    programme: Programme,
    actions: Iterable[CollectiveAction],
    *,
    host: str,
    url_of: Callable[[CollectiveAction], str],
) -> str:
    """The feed's text; `url_of(action)` gives the absolute URL of the action's public page."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guichet Export//Programme d'actions collectives//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(programme.title)}",
        "X-WR-TIMEZONE:Europe/Paris",
    ]
    for action in actions:
        lines.extend(event_lines(action, host=host, url=url_of(action)))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
