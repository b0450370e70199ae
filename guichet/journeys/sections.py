"""The sections of the company file: "Parcours" (stage, lead advisor, history, next actions)
and "Suivi" (the latest exchanges, newest first)."""

from django.urls import reverse
from django.utils import timezone

from guichet.journeys import permissions
from guichet.journeys.forms import NextActionForm, StageForm
from guichet.journeys.models import STAGE_ORDER, Stage
from guichet.journeys.selectors import (
    company_actions,
    journey_of,
    stage_history,
    stage_steps,
    timeline_for,
    today,
)

SECTION_SIZE = 20
DONE_SHOWN = 5


def timeline_section(company, user, request) -> dict | None:
    if not permissions.can_view_timeline(user, company):
        return None
    events = list(timeline_for(company=company, user=user)[: SECTION_SIZE + 1])
    return {
        "events": events[:SECTION_SIZE],
        "has_more": len(events) > SECTION_SIZE,
        "can_add": permissions.can_add_timeline_note(user, company),
    }


def _next_stage(stage: str | None) -> str:
    """The stage the change form proposes: the following one (the most common move)."""
    if stage not in STAGE_ORDER:
        return Stage.IDENTIFIED
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[min(index + 1, len(STAGE_ORDER) - 1)]


def _journey_context(journey, user) -> dict:
    if journey is None:
        return {
            "journey": None,
            "history": [],
            "steps": stage_steps(""),
            "current_step": None,
            "next_step": None,
            "days_in_stage": 0,
            "is_lead": False,
        }
    days = (today() - timezone.localtime(journey.stage_since).date()).days
    steps = stage_steps(journey.stage)
    current = next((s for s in steps if s["state"] == "current"), None)
    upcoming = next((s for s in steps if s["state"] == "todo"), None) if current else None
    return {
        "journey": journey,
        "history": list(stage_history(journey)),
        "steps": steps,
        "current_step": current,
        "next_step": upcoming,
        "days_in_stage": days,
        "is_lead": journey.lead_advisor_id == user.pk,
    }


def action_rows(actions, user, day) -> list[dict]:
    """Actions as the tables show them: late (and by how many days), due today, and whether
    the user may mark them done."""
    return [
        {
            "action": action,
            "overdue": action.done_at is None and action.due_on < day,
            "late_days": (day - action.due_on).days,
            "due_today": action.done_at is None and action.due_on == day,
            "can_change": permissions.can_change_action(user, action),
        }
        for action in actions
    ]


def journey_section(company, user, request) -> dict | None:
    """Few queries whatever the company: the journey, its history, the actions (one query,
    split here). The forms shown inline list no people: naming someone else goes through the
    forms' own pages."""
    if not permissions.can_view_journey(user, company):
        return None
    journey = journey_of(company)
    day = today()
    actions = list(company_actions(company).order_by("due_on", "pk"))
    open_actions = [a for a in actions if a.done_at is None]
    done = sorted(
        (a for a in actions if a.done_at is not None), key=lambda a: (a.done_at, a.pk), reverse=True
    )
    can_change = permissions.can_change_journey(user, company)
    can_add_action = permissions.can_add_action(user, company)
    return _journey_context(journey, user) | {
        "can_change": can_change,
        "can_add_action": can_add_action,
        "open_actions": action_rows(open_actions, user, day),
        "done_actions": action_rows(done[:DONE_SHOWN], user, day),
        "more_done": len(done) > DONE_SHOWN,
        "me": user,
        "back": reverse("companies:detail", args=[company.siren]) + "#parcours",
        "stage_form": StageForm(
            initial={"stage": _next_stage(journey.stage if journey else None)},
            auto_id="id_parcours_%s",
        )
        if can_change
        else None,
        "action_form": NextActionForm(user=user, auto_id="id_action_%s")
        if can_add_action
        else None,
    }
