"""Absences and hand-overs: no match waits for someone who is away or gone."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.desk.models import OPEN_MATCH_STATUSES, Absence, Match, NeedEvent, RoutingRule
from guichet.desk.services.common import event


def _transfer_matches(*, from_user, to_user, by, text: str) -> int:
    moved = 0
    for match in Match.objects.filter(
        assignee=from_user, status__in=OPEN_MATCH_STATUSES
    ).select_related("need"):
        match.assignee = to_user
        match.save(update_fields=["assignee"])
        event(match.need, NeedEvent.Kind.REASSIGNED, actor=by, match=match, text=text)
        moved += 1
    return moved


def _check_colleagues(user, colleague, field: str) -> None:
    if colleague is None or colleague.pk == user.pk:
        raise ValidationError({field: "Choisissez un collègue (pas la personne elle-même)."})
    if colleague.organisation_id != user.organisation_id or not colleague.is_active:
        raise ValidationError(
            {field: "Le collègue doit être un membre actif de la même organisation."}
        )


@transaction.atomic
def absence_declare(
    *, user, starts_on: date, ends_on: date, delegate, by, today: date | None = None
) -> Absence:
    """Declare an absence. Open matches of the absent person go to the delegate as soon as
    the absence starts (now if it has started; otherwise by the daily job)."""
    today = today or timezone.localdate()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "La date de fin précède la date de début."})
    if ends_on < today:
        raise ValidationError({"ends_on": "Cette absence est déjà terminée."})
    _check_colleagues(user, delegate, "delegate")
    absence = Absence.objects.create(
        user=user, starts_on=starts_on, ends_on=ends_on, delegate=delegate
    )
    if starts_on <= today:
        absence_apply(absence=absence, by=by)
    return absence


def absence_apply(*, absence: Absence, by=None) -> int:
    return _transfer_matches(
        from_user=absence.user,
        to_user=absence.delegate,
        by=by,
        text=f"Absence de {absence.user.get_full_name()} : confiée à "
        f"{absence.delegate.get_full_name()} jusqu'au {absence.ends_on:%d/%m/%Y}",
    )


def absences_starting(today: date) -> int:
    """Apply the absences in progress today (the daily job): matches routed to an absent
    person since the absence started are moved too."""
    moved = 0
    for absence in Absence.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related(
        "user", "delegate"
    ):
        moved += absence_apply(absence=absence)
    return moved


@transaction.atomic
def desk_hand_over(*, from_user, to_user, by) -> dict:
    """A leaving advisor's open matches and the routing rules naming them go to a colleague."""
    _check_colleagues(from_user, to_user, "to_user")
    matches = _transfer_matches(
        from_user=from_user,
        to_user=to_user,
        by=by,
        text=f"Transfert du portefeuille de {from_user.get_full_name()} à "
        f"{to_user.get_full_name()}",
    )
    rules = RoutingRule.objects.filter(person=from_user).update(person=to_user)
    return {"matches": matches, "rules": rules}
