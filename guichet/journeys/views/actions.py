"""My actions (overdue, due today, to come, done), their exports, and the buttons that mark an
action done or open again."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.journeys import permissions, services
from guichet.journeys.models import NextAction
from guichet.journeys.sections import action_rows
from guichet.journeys.selectors import done_actions, open_actions, today

DONE_SHOWN = 50
EXPORT_HEADERS = [
    "Entreprise",
    "SIREN",
    "Action",
    "Précisions",
    "Échéance",
    "État",
    "Faite le",
    "Fiche de l'entreprise",
]


def _state(action: NextAction, day) -> str:
    if action.done_at:
        return "faite"
    if action.due_on < day:
        return "en retard"
    return "aujourd'hui" if action.due_on == day else "à venir"


def _export(request, user, fmt: str):
    day = today()
    actions = list(open_actions(user)) + list(done_actions(user))

    def row(action: NextAction) -> tuple:
        url = reverse("companies:detail", args=[action.company.siren])
        return (
            action.company.name,
            action.company.siren,
            action.title,
            action.notes,
            action.due_on,
            _state(action, day),
            timezone.localtime(action.done_at).replace(microsecond=0) if action.done_at else None,
            request.build_absolute_uri(url),
        )

    return export_response(
        rows=(row(action) for action in actions),
        headers=EXPORT_HEADERS,
        filename="mes-actions",
        fmt=fmt,
        sheet="Mes actions",
    )


def my_actions(request):
    user = request.user
    require(permissions.can_have_actions(user))
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _export(request, user, fmt)
    day = today()
    pending = list(open_actions(user))
    done = list(done_actions(user)[: DONE_SHOWN + 1])
    context = {
        "title": "Mes actions",
        "overdue": action_rows([a for a in pending if a.due_on < day], user, day),
        "due_today": action_rows([a for a in pending if a.due_on == day], user, day),
        "upcoming": action_rows([a for a in pending if a.due_on > day], user, day),
        "open_count": len(pending),
        "done": action_rows(done[:DONE_SHOWN], user, day),
        "more_done": len(done) > DONE_SHOWN,
        "back": reverse("journeys:my_actions"),
        "portfolio_url": reverse("journeys:portfolio"),
    }
    return render(request, "journeys/my_actions.html", context)


def _back(request, action: NextAction) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("companies:detail", args=[action.company.siren]) + "#parcours"


def _action_or_404(pk: int) -> NextAction:
    return get_object_or_404(NextAction.objects.select_related("company"), pk=pk)


@require_POST
def action_done(request, pk: int):
    action = _action_or_404(pk)
    require(permissions.can_change_action(request.user, action))
    services.next_action_complete(action=action, by=request.user)
    messages.success(request, f"Action « {action.title} » ({action.company.name}) faite.")
    return redirect(_back(request, action))


@require_POST
def action_reopen(request, pk: int):
    action = _action_or_404(pk)
    require(permissions.can_change_action(request.user, action))
    services.next_action_reopen(action=action, by=request.user)
    messages.success(request, f"Action « {action.title} » ({action.company.name}) rouverte.")
    return redirect(_back(request, action))
