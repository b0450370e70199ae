"""Every write of the journeys capability: the timeline, the journey (stage, lead advisor,
transfer of a portfolio) and next actions. Other capabilities import from here."""

from guichet.journeys.services.actions import (
    next_action_complete,
    next_action_create,
    next_action_reopen,
    next_action_update,
)
from guichet.journeys.services.journey import (
    journey_set_lead,
    journey_set_stage,
    journey_start,
    journey_transfer,
    stage_rank,
)
from guichet.journeys.services.timeline import (
    NOTE_KINDS,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    timeline_event_record,
    timeline_note_create,
)

__all__ = [
    "NOTE_KINDS",
    "TEXT_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "journey_set_lead",
    "journey_set_stage",
    "journey_start",
    "journey_transfer",
    "next_action_complete",
    "next_action_create",
    "next_action_reopen",
    "next_action_update",
    "stage_rank",
    "timeline_event_record",
    "timeline_note_create",
]
