"""Committee sessions: list, creation, the session page (agenda, decisions), its agenda PDF,
the decision of one file and its decision letter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from guichet.aids import letters, permissions
from guichet.aids.forms_money import DecisionForm, SessionForm, add_service_errors
from guichet.aids.models import Application, CommitteeSession
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.services import committee
from guichet.core.audit import audit_view
from guichet.core.money import euros
from guichet.core.permissions import is_platform_admin, require


def can_manage_session(user, session: CommitteeSession) -> bool:
    """A session belongs to the organisation that holds it (administrators: all)."""
    return is_platform_admin(user) or (
        permissions.can_manage_sessions(user) and user.organisation_id == session.organisation_id
    )


def application_url(application: Application) -> str:
    try:
        return reverse("aids:application_detail", args=[application.reference])
    except NoReverseMatch:  # the instruction pages are not installed
        return f"/aides/dossiers/{application.reference}/"


def _session(request, pk: int) -> CommitteeSession:
    require(permissions.can_manage_sessions(request.user))
    session = get_object_or_404(CommitteeSession.objects.select_related("organisation"), pk=pk)
    require(can_manage_session(request.user, session))
    return session


def _application(reference: str) -> Application:
    return get_object_or_404(
        Application.objects.select_related(
            "scheme__provider", "company", "organisation", "session", "instructor"
        ),
        reference=reference,
    )


def session_list(request):
    require(permissions.can_manage_sessions(request.user))
    sessions = CommitteeSession.objects.select_related("organisation").annotate(
        files=Count("applications"),
        waiting=Count("applications", filter=Q(applications__status=S.COMMITTEE)),
    )
    awaiting = Application.objects.filter(status=S.COMMITTEE, session__isnull=True)
    if not is_platform_admin(request.user):
        sessions = sessions.filter(organisation_id=request.user.organisation_id)
        awaiting = awaiting.filter(scheme__provider_id=request.user.organisation_id)
    context = {
        "title": "Commissions",
        "sessions": list(sessions.order_by("-held_on", "-pk")),
        "awaiting": awaiting.count(),
        "can_create": request.user.organisation_id is not None,
    }
    return render(request, "aids/sessions/list.html", context)


def session_create(request):
    require(permissions.can_manage_sessions(request.user))
    require(request.user.organisation_id is not None)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = committee.committee_session_create(
                organisation=request.user.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"La séance « {session.title} » est créée.")
            return redirect("aids:session_detail", pk=session.pk)
    return render(
        request, "aids/sessions/form.html", {"title": "Nouvelle commission", "form": form}
    )


def _decision_form(application: Application, session: CommitteeSession | None, data=None):
    initial = {
        "decided_on": session.held_on if session else None,
        "amount": application.proposed_amount,
    }
    return DecisionForm(data, initial=initial, auto_id=f"id_{application.reference}_%s")


def session_detail(request, pk: int):
    session = _session(request, pk)
    agenda = list(
        session.applications.select_related("scheme", "company", "instructor").order_by(
            "company__name", "reference"
        )
    )
    for application in agenda:
        application.url = application_url(application)
        if application.status == S.COMMITTEE:
            application.decision_form = _decision_form(application, session)
    awaiting = []
    if session.status == CommitteeSession.Status.PLANNED:
        awaiting = list(
            Application.objects.filter(
                status=S.COMMITTEE,
                session__isnull=True,
                scheme__provider_id=session.organisation_id,
            )
            .select_related("scheme", "company")
            .order_by("company__name", "reference")
        )
        for application in awaiting:
            application.url = application_url(application)
    context = {
        "title": session.title,
        "session": session,
        "agenda": agenda,
        "awaiting": awaiting,
        "undecided": sum(1 for a in agenda if a.status == S.COMMITTEE),
        "proposed_total": sum((a.proposed_amount or 0 for a in agenda), 0),
        "granted_total": sum((a.granted_amount or 0 for a in agenda if a.granted_amount), 0),
    }
    return render(request, "aids/sessions/detail.html", context)


@require_POST
def session_add(request, pk: int):
    session = _session(request, pk)
    application = _application(request.POST.get("reference", ""))
    require(permissions.can_decide(request.user, application))
    try:
        committee.committee_session_add(session=session, application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Le dossier {application.reference} est inscrit à l'ordre du jour."
        )
    return redirect("aids:session_detail", pk=session.pk)


@require_POST
def session_hold(request, pk: int):
    session = _session(request, pk)
    try:
        postponed = committee.committee_session_hold(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = "La séance est marquée comme tenue."
        if postponed:
            count = len(postponed)
            text += (
                f" {count} dossier{'s' if count > 1 else ''} sans décision "
                f"{'sont reportés' if count > 1 else 'est reporté'} à une prochaine commission."
            )
        messages.success(request, text)
    return redirect("aids:session_detail", pk=session.pk)


def session_agenda(request, pk: int):
    session = _session(request, pk)
    response = HttpResponse(letters.session_agenda_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{letters.session_agenda_filename(session)}"'
    )
    return response


def application_decide(request, reference: str):
    application = _application(reference)
    require(permissions.can_decide(request.user, application))
    session = application.session
    if session is None and request.POST.get("session"):
        session = get_object_or_404(CommitteeSession, pk=request.POST.get("session"))
        require(can_manage_session(request.user, session))
    form = _decision_form(application, session, request.POST or None)
    if application.status != S.COMMITTEE:
        messages.error(
            request,
            f"Le dossier est « {application.get_status_display()} » : seule une demande "
            "proposée en commission reçoit une décision.",
        )
        return redirect(application_url(application))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decided = committee.application_decide(
                application=application,
                decision=data["decision"],
                amount=data["amount"] if data["decision"] == S.APPROVED else None,
                reason=data["reason"],
                decided_on=data["decided_on"],
                by=request.user,
                session=session,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if decided.status == S.APPROVED:
                text = f"Aide de {euros(decided.granted_amount)} accordée"
            else:
                text = "Refus enregistré"
            messages.success(
                request,
                f"{text} pour le dossier {decided.reference} : la lettre de décision est "
                "produite et envoyée à l'entreprise.",
            )
            if session is not None:
                return redirect("aids:session_detail", pk=session.pk)
            return redirect(application_url(decided))
    context = {
        "title": f"Décision sur le dossier {application.reference}",
        "application": application,
        "application_url": application_url(application),
        "session": session,
        "form": form,
    }
    return render(request, "aids/sessions/decide.html", context)


def decision_letter(request, reference: str):
    application = _application(reference)
    require(permissions.can_view_application(request.user, application))
    if application.decided_on is None or application.status == S.COMMITTEE:
        raise Http404("Aucune décision n'est encore prise sur ce dossier.")
    if not application.decision_letter:
        # Files decided before letters were kept (demo data): produced on first download.
        letters.decision_letter_store(application=application)
    audit_view(obj=application, actor=request.user)
    return FileResponse(
        application.decision_letter.open("rb"),
        as_attachment=True,
        filename=letters.decision_letter_filename(application),
        content_type="application/pdf",
    )
