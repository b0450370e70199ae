"""Next actions: something to do for a company, by someone, before a date.

An action is given to a working member of a partner organisation; it belongs to that person's
organisation (whose members may complete or change it). Capabilities create actions too (a
diagnostic's action plan), naming themselves in `source`/`source_id`.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.journeys.models import NextAction
from guichet.journeys.services.common import check_working_member, person

TITLE_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 2000
ASSIGNEE = "la personne à qui l'action est confiée"


def _text_errors(title: str, notes: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Indiquez l'action à mener."]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            f"L'action fait {len(title)} caractères ; {TITLE_MAX_LENGTH} au plus sont acceptés."
        ]
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = [
            f"Les précisions font {len(notes)} caractères ; "
            f"{NOTES_MAX_LENGTH} au plus sont acceptées."
        ]
    return errors


def _due_errors(due_on, today: date) -> dict[str, list[str]]:
    if due_on is None:
        return {"due_on": ["Indiquez l'échéance de l'action."]}
    if isinstance(due_on, datetime):
        due_on = timezone.localtime(due_on).date() if timezone.is_aware(due_on) else due_on.date()
    if due_on < today:
        return {"due_on": ["L'échéance est passée : choisissez aujourd'hui ou une date à venir."]}
    return {}


def _check_assignee(assignee) -> dict[str, list[str]]:
    try:
        check_working_member(assignee, "assignee", ASSIGNEE)
    except ValidationError as error:
        return error.message_dict
    return {}


def next_action_create(
    *,
    company,
    title: str,
    due_on: date,
    assignee,
    by,
    notes: str = "",
    source: str = "",
    source_id: str | int = "",
    today: date | None = None,
) -> NextAction:
    """Plan an action for the company. The due date may not be past (`today` is the day the
    action is planned on: the demo plans some in the past)."""
    title, notes = (title or "").strip(), (notes or "").strip()
    errors = _text_errors(title, notes)
    errors |= _due_errors(due_on, today or timezone.localdate())
    errors |= _check_assignee(assignee)
    if len(source) > 40 or len(str(source_id)) > 40:
        errors["source"] = ["La source et son identifiant font 40 caractères au plus."]
    if errors:
        raise ValidationError(errors)
    return NextAction.objects.create(
        company=company,
        title=title,
        notes=notes,
        due_on=due_on,
        assignee=assignee,
        organisation=assignee.organisation,
        created_by=person(by),
        source=source,
        source_id=str(source_id or ""),
    )


def next_action_complete(*, action: NextAction, by, at: datetime | None = None) -> NextAction:
    """Mark the action done (doing it twice keeps the first date)."""
    if action.done_at is not None:
        return action
    action.done_at = at or timezone.now()
    action.done_by = person(by)
    action.save(update_fields=["done_at", "done_by"])
    return action


def next_action_reopen(*, action: NextAction, by) -> NextAction:
    """Undo a completion made by mistake."""
    if action.done_at is None:
        return action
    action.done_at = None
    action.done_by = None
    action.save(update_fields=["done_at", "done_by"])
    return action


_UNSET = object()


def next_action_update(
    *,
    action: NextAction,
    by,
    title=_UNSET,
    notes=_UNSET,
    due_on=_UNSET,
    assignee=_UNSET,
    today: date | None = None,
) -> NextAction:
    """Change what is given; a new due date may not be past (an unchanged one may)."""
    changed = {}
    if title is not _UNSET:
        changed["title"] = (title or "").strip()
    if notes is not _UNSET:
        changed["notes"] = (notes or "").strip()
    errors = _text_errors(changed.get("title", action.title), changed.get("notes", action.notes))
    if due_on is not _UNSET and due_on != action.due_on:
        errors |= _due_errors(due_on, today or timezone.localdate())
        changed["due_on"] = due_on
    if assignee is not _UNSET and (assignee is None or assignee.pk != action.assignee_id):
        errors |= _check_assignee(assignee)
        changed["assignee"] = assignee
        if assignee is not None:
            changed["organisation"] = assignee.organisation
    if errors:
        raise ValidationError(errors)
    changed = {k: v for k, v in changed.items() if getattr(action, k) != v}
    if not changed:
        return action
    for field, value in changed.items():
        setattr(action, field, value)
    action.save(update_fields=list(changed))
    return action
