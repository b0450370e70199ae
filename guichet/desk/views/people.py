"""Absences (an advisor away names a colleague who takes their needs) and the hand-over of a
person's whole work to a colleague in one action (an advisor leaves or changes job)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from guichet.core.permissions import is_platform_admin, require
from guichet.desk import permissions, selectors, services
from guichet.desk.forms_inbox import AbsenceForm, HandOverForm
from guichet.desk.models import OPEN_MATCH_STATUSES, Absence, Match
from guichet.partners.handover import hand_over as run_hand_over
from guichet.partners.handover import pending_work
from guichet.partners.models import User


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


# --- Absences -----------------------------------------------------------------------------


def _working_people():
    working = User.objects.filter(roles__code__in=selectors.WORKING_ROLES).values("pk")
    return (
        User.objects.filter(is_active=True, pk__in=working, organisation__isnull=False)
        .exclude(roles__code="readonly")
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )


def _absence_choices(user) -> dict:
    """Who may be declared absent by `user`, and who may stand in."""
    if is_platform_admin(user):
        people = _working_people()
        return {"absentees": people, "people": people, "cross_organisation": True}
    colleagues = selectors.colleagues(user.organisation_id)
    if user.has_role("manager"):
        return {"absentees": colleagues, "people": colleagues, "cross_organisation": False}
    return {
        "absentees": None,
        "people": selectors.colleagues(user.organisation_id, exclude=user),
        "cross_organisation": False,
    }


def _absence_message(absence: Absence, moved: int) -> str:
    who, delegate = absence.user.get_full_name(), absence.delegate.get_full_name()
    head = (
        f"Absence de {who} du {absence.starts_on:%d/%m/%Y} au {absence.ends_on:%d/%m/%Y} "
        f"enregistrée : "
    )
    if absence.starts_on <= selectors.today():
        return head + (
            f"{_plural(moved, 'demande en cours est confiée', 'demandes en cours sont confiées')}"
            f" à {delegate}, comme celles qui arriveront pendant l'absence."
        )
    return head + (
        f"ses demandes en cours seront confiées à {delegate} le {absence.starts_on:%d/%m/%Y}."
    )


def _declare(request, form: AbsenceForm):
    user = request.user
    target = form.cleaned_data.get("user") or user
    if not permissions.can_declare_absence(user, target):
        form.add_error("user", "Vous ne pouvez pas déclarer l'absence de cette personne.")
        return None
    moving = Match.objects.filter(assignee=target, status__in=OPEN_MATCH_STATUSES).count()
    try:
        absence = services.absence_declare(
            user=target,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            delegate=form.cleaned_data["delegate"],
            by=user,
        )
    except ValidationError as error:
        _add_errors(form, error)
        return None
    return _absence_message(absence, moving)


def absences(request):
    user = request.user
    require(permissions.can_declare_absence(user) or is_platform_admin(user))
    choices = _absence_choices(user)
    form = AbsenceForm(request.POST if request.method == "POST" else None, **choices)
    if request.method == "POST" and form.is_valid():
        message = _declare(request, form)
        if message:
            messages.success(request, message)
            return redirect("desk:absences")
    listed = Absence.objects.filter(ends_on__gte=selectors.today()).select_related(
        "user__organisation", "delegate"
    )
    if not is_platform_admin(user):
        listed = listed.filter(user__organisation_id=user.organisation_id)
    context = {
        "title": "Absences et remplacements",
        "form": form,
        "absences": listed.order_by("starts_on", "user__last_name", "pk"),
        "choose_person": choices["absentees"] is not None,
        "all_organisations": is_platform_admin(user),
        "breadcrumb_data": {
            "links": [{"url": reverse("desk:inbox"), "title": "Guichet"}],
            "current": "Absences",
            "root_dir": "/",
        },
    }
    return render(request, "desk/people/absences.html", context)


# --- Hand-over ----------------------------------------------------------------------------

_MOVED = {
    "matches": ("demande", "demandes"),
    "rules": ("règle d'orientation", "règles d'orientation"),
}


def _moved_parts(result) -> list[str]:
    if not isinstance(result, dict):
        return [str(result)]
    parts = []
    for key, count in result.items():
        singular, plural = _MOVED.get(key, (key, key))
        parts.append(_plural(count, singular, plural))
    return parts


def _hand_over_message(target, to_user, work, results: dict) -> str:
    lines = [
        f"{handover.label} : {', '.join(_moved_parts(results.get(handover.key, 0)))}"
        for handover, _count in work
    ]
    head = f"Le travail de {target.get_full_name()} est transféré à {to_user.get_full_name()}"
    return f"{head} — " + " ; ".join(lines) + "." if lines else head + "."


def hand_over(request, user_pk: int):
    target = get_object_or_404(User.objects.select_related("organisation"), pk=user_pk)
    require(permissions.can_hand_over(request.user, target))
    people = selectors.colleagues(target.organisation_id, exclude=target)
    form = HandOverForm(request.POST if request.method == "POST" else None, people=people)
    work = pending_work(target)
    if request.method == "POST" and form.is_valid():
        to_user = form.cleaned_data["to_user"]
        try:
            results = run_hand_over(from_user=target, to_user=to_user, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _hand_over_message(target, to_user, work, results))
            return redirect("desk:hand_over", user_pk=target.pk)
    context = {
        "title": f"Transférer le travail de {target.get_full_name()}",
        "target": target,
        "work": work,
        "total": sum(count for _handover, count in work),
        "form": form,
        "has_colleagues": people.exists(),
    }
    return render(request, "desk/people/hand_over.html", context)
