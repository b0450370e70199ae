"""Writes of the yearly programme and of its collective actions (fairs, missions, trainings…).

Rules (issue 7, DOMAIN.md "State aid" and "Typical regional export aids"):
- an action belongs to the programme of the year it starts in; it ends on or after its start;
  registrations close, and free cancellation ends, no later than the first day;
- money is per participating company: the fee cannot exceed the full cost; the public
  subsidy the rules give is min(rate × eligible costs, cap), the eligible costs being a
  breakdown (label + amount) that cannot exceed the full cost;
- the regime follows the kind: GBER art. 19 covers SMEs' participation in fairs (up to 50 %
  of the stand's costs), other actions are de minimis aid; an action with no public money
  at all (rate 0, fee = full cost) is not an aid;
- once a participation is confirmed, its subsidy is in the state-aid ledger: the money rules
  no longer change, and the action cannot be cancelled before those registrations are.
Every refusal is a French message on the field concerned, and nothing is written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.collective.models import ChecklistItem, CollectiveAction, Programme, Registration
from guichet.collective.models import RegistrationStatus as R
from guichet.collective.services.action_rules import (
    ACTION_FIELDS,
    DEFAULT_CHECKLIST,
    RESERVED_SLUGS,
    Errors,
    clean_action,
    text_field,
    year_ok,
)
from guichet.collective.services.states import SUBSIDISED, registration_move
from guichet.partners.models import Organisation

__all__ = [
    "DEFAULT_CHECKLIST",
    "RESERVED_SLUGS",
    "action_cancel",
    "action_create",
    "action_publish",
    "action_update",
    "programme_publish",
    "programme_upsert",
]


def programme_upsert(*, year: int, title: str, introduction: str = "", by=None) -> Programme:
    """Create the programme of `year`, or update its title and introduction."""
    errors = Errors()
    year_ok(errors, year)
    title = text_field(errors, "title", title, label="Intitulé du programme", limit=200)
    introduction = text_field(
        errors,
        "introduction",
        introduction,
        label="Présentation",
        limit=5000,
        required=False,
        lines=True,
    )
    errors.raise_if_any()
    programme, created = Programme.objects.get_or_create(
        year=year, defaults={"title": title, "introduction": introduction}
    )
    if not created and (programme.title, programme.introduction) != (title, introduction):
        programme.title, programme.introduction = title, introduction
        programme.save(update_fields=["title", "introduction"])
    return programme


def programme_publish(*, programme: Programme, by=None, published: bool = True) -> Programme:
    """Show (or withdraw) the programme on the public pages; only its published actions appear."""
    if programme.is_published != published:
        programme.is_published = published
        programme.save(update_fields=["is_published"])
    return programme


def _check_keys(fields: dict) -> None:
    unknown = set(fields) - set(ACTION_FIELDS) - {"checklist"}
    if unknown:
        raise TypeError(f"Unknown action field(s): {', '.join(sorted(unknown))}")


def _save(action: CollectiveAction, values: dict) -> None:
    filieres, partners = values.pop("filieres", None), values.pop("partners", None)
    for name, value in values.items():
        setattr(action, name, value)
    action.save()
    if filieres is not None:
        action.filieres.set(list(filieres))
    if partners is not None:
        action.partners.set([p for p in partners if p.pk != action.organiser_id])


def _sync_checklist(action: CollectiveAction, labels: list[str]) -> None:
    """Keep the steps still listed (their ticks with them), add the new ones; a step already
    ticked for a participant cannot be removed."""
    current = {item.label: item for item in action.checklist.all()}
    gone = [item for label, item in current.items() if label not in labels]
    ticked = [item.label for item in gone if item.ticks.exists()]
    if ticked:
        raise ValidationError(
            {
                "checklist": [
                    f"L'étape « {label} » est déjà cochée pour une entreprise : elle ne peut "
                    "plus être retirée."
                    for label in ticked
                ]
            }
        )
    for item in gone:
        item.delete()
    for order, label in enumerate(labels, start=1):
        item = current.get(label)
        if item is None:
            ChecklistItem.objects.create(action=action, label=label, order=order)
        elif item.order != order:
            item.order = order
            item.save(update_fields=["order"])


def action_create(
    *, programme: Programme, by=None, organiser: Organisation | None = None, **fields
) -> CollectiveAction:
    """A new action (in preparation) of `programme`; `checklist` (labels) defaults to the four
    usual preparation steps."""
    _check_keys(fields)
    fields.setdefault("checklist", list(DEFAULT_CHECKLIST))
    organiser = organiser or getattr(by, "organisation", None)
    values, checklist = clean_action(fields, programme=programme, organiser=organiser)
    with transaction.atomic():
        action = CollectiveAction(
            programme=programme, organiser=organiser, created_by=by if by and by.pk else None
        )
        _save(action, values)
        _sync_checklist(action, checklist)
    return action


def _current(action: CollectiveAction) -> dict:
    values = {
        name: getattr(action, name)
        for name in ACTION_FIELDS
        if name not in ("filieres", "partners")
    }
    values["filieres"] = list(action.filieres.all())
    values["partners"] = list(action.partners.all())
    values["checklist"] = list(action.checklist.values_list("label", flat=True))
    return values


def action_update(*, action: CollectiveAction, by=None, **fields) -> CollectiveAction:
    """Change the given fields; the whole action is checked again with them."""
    _check_keys(fields)
    if action.status == CollectiveAction.Status.CANCELLED:
        raise ValidationError({"__all__": ["Cette action est annulée : elle ne se modifie plus."]})
    fields.pop("slug", None)
    merged = {**_current(action), **fields}
    with transaction.atomic():
        action = CollectiveAction.objects.select_for_update().get(pk=action.pk)
        values, checklist = clean_action(
            merged, programme=action.programme, organiser=action.organiser, action=action
        )
        values.pop("slug", None)
        _save(action, values)
        _sync_checklist(action, checklist)
    return action


def action_publish(*, action: CollectiveAction, by=None) -> CollectiveAction:
    """Show the action in the public programme (once the programme itself is published)."""
    if action.status == CollectiveAction.Status.CANCELLED:
        raise ValidationError(
            {"__all__": ["Cette action est annulée : elle ne peut pas être publiée."]}
        )
    if action.status == CollectiveAction.Status.PUBLISHED:
        raise ValidationError({"__all__": ["Cette action est déjà publiée."]})
    action.status = CollectiveAction.Status.PUBLISHED
    action.save(update_fields=["status", "updated_at"])
    return action


def action_cancel(*, action: CollectiveAction, reason: str, by=None) -> CollectiveAction:
    """Cancel the action: refused while participations are confirmed (their subsidies are in
    the ledger and must be cancelled one by one, with the action's cancellation rules); the
    registrations still open (interested, applicants, waiting, selected) are cancelled with
    the reason, on each company's timeline."""
    errors = Errors()
    reason = text_field(
        errors, "reason", reason, label="Motif de l'annulation", limit=2000, lines=True
    )
    errors.raise_if_any()
    with transaction.atomic():
        action = CollectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.status == CollectiveAction.Status.CANCELLED:
            raise ValidationError({"__all__": ["Cette action est déjà annulée."]})
        confirmed = action.registrations.filter(status__in=SUBSIDISED).count()
        if confirmed:
            raise ValidationError(
                {
                    "reason": [
                        f"{confirmed} participation(s) sont confirmées : annulez d'abord ces "
                        "inscriptions (leur prise en charge est retirée du registre des aides "
                        "d'État), puis l'action."
                    ]
                }
            )
        now = timezone.now()
        open_ones = Registration.objects.select_for_update().filter(
            action=action, status__in=[R.INTERESTED, R.APPLIED, R.WAITING, R.SELECTED]
        )
        for registration in open_ones:
            registration.cancelled_at = now
            registration.cancellation_reason = f"Action annulée : {reason}"
            registration.waiting_rank = None
            registration.save(
                update_fields=["cancelled_at", "cancellation_reason", "waiting_rank", "updated_at"]
            )
            registration_move(
                registration=registration,
                to=R.CANCELLED,
                by=by,
                title=f"Action annulée par l'organisateur : {action.title}"[:200],
                text=reason,
            )
        action.status = CollectiveAction.Status.CANCELLED
        action.save(update_fields=["status", "updated_at"])
    return action
