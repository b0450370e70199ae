"""The list of aid applications and the application page.

Members list the files of the schemes their organisation provides and those it follows
(administrators: all). The whole file (contact, expenses, documents, declarations, instruction,
history) is shown to the organisation following it, the scheme's provider and administrators;
each display is written to the audit log (the contact is personal data), and so is each
download of a document. Other members who may open the company file get a summary: scheme,
status and amounts.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from guichet.aids import eligibility, permissions, selectors
from guichet.aids.forms_instruction import ApplicationFilterForm
from guichet.aids.models import Application
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.services.states import COMPANY_EDITABLE, can_move
from guichet.core.audit import audit_view
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import is_platform_admin, require

PAGE_SIZE = 25

# DSFR badge of each state.
STATUS_BADGES = {
    S.DRAFT: "",
    S.SUBMITTED: "fr-badge--new",
    S.INCOMPLETE: "fr-badge--warning",
    S.INSTRUCTION: "fr-badge--info",
    S.COMMITTEE: "fr-badge--new",
    S.APPROVED: "fr-badge--success",
    S.REJECTED: "fr-badge--error",
    S.WITHDRAWN: "",
    S.SIGNED: "fr-badge--success",
    S.PAYING: "fr-badge--success",
    S.PAID: "fr-badge--success",
    S.CLOSED: "",
}

EXPORT_HEADERS = [
    "Référence",
    "SIREN",
    "Entreprise",
    "Dispositif",
    "Intitulé du projet",
    "État",
    "Déposée le",
    "Montant demandé (€)",
    "Montant éligible (€)",
    "Montant proposé (€)",
    "Montant accordé (€)",
    "Décision le",
    "Organisme qui suit le dossier",
    "Instructeur",
]


OUTCOME_BADGES = {
    eligibility.PASSED: "fr-badge--success",
    eligibility.FAILED: "fr-badge--error",
    eligibility.MANUAL: "fr-badge--warning",
}


def url_or_empty(name: str, *args) -> str:
    """The address of a page of another part of the aids (schemes, committees, envelopes,
    filing), or "" while that part is not installed: the link is then not shown."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def badge(application: Application) -> str:
    return STATUS_BADGES.get(application.status, "")


def check_rows(checks) -> list[dict]:
    """Checks (computed, or the snapshot kept on the file) as the page lists them."""
    rows = []
    for check in checks:
        data = check if isinstance(check, dict) else check.as_dict()
        outcome = data.get("outcome", eligibility.MANUAL)
        rows.append(
            {
                "label": data.get("label", ""),
                "detail": data.get("detail", ""),
                "outcome": outcome,
                "outcome_label": eligibility.OUTCOME_LABELS.get(outcome, outcome),
                "badge": OUTCOME_BADGES.get(outcome, ""),
            }
        )
    return rows


def _export_row(application: Application) -> tuple:
    submitted = (
        timezone.localtime(application.submitted_at).date() if application.submitted_at else None
    )
    return (
        application.reference,
        application.company.siren,
        application.company.name,
        application.scheme.name,
        application.title,
        application.get_status_display(),
        submitted,
        application.requested_amount,
        application.eligible_amount,
        application.proposed_amount,
        application.granted_amount,
        application.decided_on,
        application.organisation.name,
        application.instructor.get_full_name() if application.instructor_id else "",
    )


def application_list(request):
    user = request.user
    require(permissions.can_list_applications(user))
    form = ApplicationFilterForm(request.GET or None, years=selectors.filing_years())
    filters = form.filters()
    applications = selectors.applications_for(user, filters)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=(_export_row(a) for a in applications.iterator(chunk_size=500)),
            headers=EXPORT_HEADERS,
            filename="demandes-d-aide",
            fmt=fmt,
            sheet="Demandes d'aide",
        )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number)
    context = {
        "title": "Demandes d'aide",
        "form": form,
        "filtered": filters != selectors.ApplicationFilters(),
        "page_obj": page,
        "rows": [(application, badge(application)) for application in page],
        "all_organisations": is_platform_admin(user),
        "organisation": user.organisation,
        "schemes_url": url_or_empty("aids:schemes") if permissions.can_view_schemes(user) else "",
        "sessions_url": url_or_empty("aids:sessions")
        if permissions.can_manage_sessions(user)
        else "",
        "envelopes_url": url_or_empty("aids:envelopes")
        if permissions.can_view_envelopes(user)
        else "",
    }
    return render(request, "aids/applications/list.html", context)


def application_or_404(reference: str) -> Application:
    application = selectors.application_for_detail(reference)
    if application is None:
        raise Http404("Aucune demande d'aide ne porte cette référence.")
    return application


def breadcrumb(application: Application, current: str | None = None, user=None) -> dict:
    links = []
    if user is not None and permissions.can_list_applications(user):
        links.append({"url": reverse("aids:applications"), "title": "Demandes d'aide"})
    else:
        links.append(
            {
                "url": reverse("companies:detail", args=[application.company.siren]),
                "title": application.company.name,
            }
        )
    if current:
        links.append(
            {
                "url": reverse("aids:application_detail", args=[application.reference]),
                "title": f"Demande {application.reference}",
            }
        )
    return {
        "links": links,
        "current": current or f"Demande {application.reference}",
        "root_dir": "/",
    }


def _actions(user, application: Application) -> dict:
    """The links and forms of the page, per permission and state."""
    ref = application.reference
    edit = permissions.can_edit_application(user, application)
    send_link = (
        permissions.can_withdraw(user, application) and application.status in COMPANY_EDITABLE
    )
    instruct = permissions.can_instruct(user, application) and application.status in (
        S.SUBMITTED,
        S.INCOMPLETE,
        S.INSTRUCTION,
        S.COMMITTEE,
    )
    withdraw = permissions.can_withdraw(user, application) and can_move(application, S.WITHDRAWN)
    session = permissions.can_manage_sessions(user) and application.session_id is not None
    return {
        "scheme_url": url_or_empty("aids:scheme_detail", application.scheme.slug),
        "edit_url": url_or_empty("aids:application_edit", ref) if edit else "",
        "send_link_url": url_or_empty("aids:application_send_link", ref) if send_link else "",
        "instruct_url": reverse("aids:application_instruct", args=[ref]) if instruct else "",
        "withdraw_url": reverse("aids:application_withdraw", args=[ref]) if withdraw else "",
        "session_url": url_or_empty("aids:session_detail", application.session_id)
        if session
        else "",
    }


def _money(application: Application, user) -> dict:
    from guichet.aids.selectors_payments import payments_context

    return payments_context(application, user)


def application_detail(request, reference: str):
    application = application_or_404(reference)
    user = request.user
    if not permissions.can_view_application(user, application):
        require(permissions.can_view_application_summary(user, application))
        return render(
            request,
            "aids/applications/summary.html",
            {
                "title": f"Demande d'aide {application.reference}",
                "application": application,
                "badge": badge(application),
                "breadcrumb_data": breadcrumb(application, user=user),
                "scheme_url": url_or_empty("aids:scheme_detail", application.scheme.slug),
            },
        )
    audit_view(obj=application, actor=user)
    checks = application.checks or []
    documents = list(application.documents.all())
    context = {
        "title": f"Demande d'aide {application.reference}",
        "application": application,
        "scheme": application.scheme,
        "company": application.company,
        "badge": badge(application),
        "breadcrumb_data": breadcrumb(application, user=user),
        "expenses": list(application.expenses.all()),
        "expenses_total": sum((e.amount for e in application.expenses.all()), 0),
        "documents": documents,
        "declared_aids": list(application.declared_aids.all()),
        "missing_items": list(application.missing_items.all()),
        "checks": check_rows(checks),
        "checks_summary": eligibility.summary_sentence(checks),
        "events": list(application.events.all()),
        "money": _money(application, user),
        **_actions(user, application),
    }
    return render(request, "aids/application_detail.html", context)


def document_download(request, reference: str, pk: int):
    """A document of the file, streamed from the private storage; every download is logged."""
    application = application_or_404(reference)
    require(permissions.can_view_application(request.user, application))
    document = application.documents.filter(pk=pk).first()
    if document is None:
        raise Http404("Cette pièce n'est pas dans ce dossier.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier de cette pièce est introuvable.") from None
    audit_view(obj=document, actor=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name or "piece",
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
