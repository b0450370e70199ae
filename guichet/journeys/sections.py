"""The "Suivi" section of the company file: the latest exchanges, newest first."""

from guichet.journeys import permissions
from guichet.journeys.selectors import timeline_for

SECTION_SIZE = 20


def timeline_section(company, user, request) -> dict | None:
    if not permissions.can_view_timeline(user, company):
        return None
    events = list(timeline_for(company=company, user=user)[: SECTION_SIZE + 1])
    return {
        "events": events[:SECTION_SIZE],
        "has_more": len(events) > SECTION_SIZE,
        "can_add": permissions.can_add_timeline_note(user, company),
    }
