"""Pages of student awareness sessions: the list (filters, exports) and the session form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.vie import permissions, selectors, services
from guichet.vie.forms import SessionFilterForm, SessionForm
from guichet.vie.models import AwarenessSession
from guichet.vie.views.missions import add_service_errors

PAGE_SIZE = 50
EXPORT_HEADERS = [
    "Identifiant",
    "Date",
    "Établissement",
    "Niveau",
    "Code département",
    "Département",
    "Intervenants",
    "Étudiants",
    "Candidats à la plateforme V.I.E.",
    "Organisme",
]


def _breadcrumb(current: str) -> dict:
    links = [{"url": reverse("vie:awareness"), "title": "Sensibilisation des étudiants"}]
    return {"links": links, "current": current, "root_dir": "/"}


def _export_rows(sessions):
    for s in sessions:
        yield (
            s.pk,
            s.held_on,
            s.school,
            s.get_level_display(),
            s.departement_id or "",
            s.departement.name if s.departement else "",
            s.speakers,
            s.students,
            s.vie_candidates,
            s.organisation.name,
        )


def session_list(request):
    require(permissions.can_view_vie(request.user))
    form = SessionFilterForm(request.GET or None)
    found = (
        AwarenessSession.objects.none()
        if form.is_bound and not form.is_valid()
        else selectors.sessions(**form.filters())
    )
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=_export_rows(found),
            headers=EXPORT_HEADERS,
            filename="sensibilisation-etudiants",
            fmt=fmt,
            sheet="Sensibilisation",
        )
    totals = found.aggregate(n_students=Sum("students"), n_candidates=Sum("vie_candidates"))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number)
    user = request.user
    context = {
        "title": "Sensibilisation des étudiants",
        "form": form,
        "page_obj": page,
        "rows": [{"session": s, "can_edit": permissions.can_edit_session(user, s)} for s in page],
        "count": page.paginator.count,
        "students": totals["n_students"] or 0,
        "candidates": totals["n_candidates"] or 0,
        "has_filters": bool(form.is_bound and any(form.data.get(k) for k in form.fields)),
        "can_record": permissions.can_record_vie(user),
    }
    return render(request, "vie/session_list.html", context)


def session_create(request):
    require(permissions.can_record_vie(request.user))
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.organisation is None:
            form.add_error(None, "Votre compte n'est rattaché à aucune organisation.")
        else:
            try:
                session = services.awareness_session_create(
                    organisation=request.user.organisation,
                    by=request.user,
                    **form.fields_for_service(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Session enregistrée : {session.students} étudiant"
                    f"{'s' if session.students > 1 else ''} sensibilisé"
                    f"{'s' if session.students > 1 else ''} ({session.school}).",
                )
                return redirect("vie:awareness")
    context = {
        "title": "Nouvelle session de sensibilisation",
        "form": form,
        "cancel_url": reverse("vie:awareness"),
        "breadcrumb_data": _breadcrumb("Nouvelle session"),
    }
    return render(request, "vie/session_form.html", context)


def session_edit(request, pk: int):
    session = (
        AwarenessSession.objects.select_related("organisation", "departement").filter(pk=pk).first()
    )
    if session is None:
        raise Http404("Aucune session de sensibilisation ne porte ce numéro.")
    require(permissions.can_edit_session(request.user, session))
    form = SessionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.awareness_session_update(
                session=session, by=request.user, **form.fields_for_service()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"La session « {session.school} » est enregistrée.")
            return redirect("vie:awareness")
    context = {
        "title": f"Modifier la session — {session.school}",
        "form": form,
        "session": session,
        "cancel_url": reverse("vie:awareness"),
        "breadcrumb_data": _breadcrumb("Modifier la session"),
    }
    return render(request, "vie/session_form.html", context)
