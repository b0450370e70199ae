"""Filing an application: the advisor's new file from the company file, and the editing page
shared by the advisor (/aides/dossiers/<ref>/modifier/) and the company through its signed link
(/aides/mon-dossier/<token>/): the project, planned expenses, documents, declarations of aid
received elsewhere, then submission — or, for an incomplete file, the answers to what the
instructor asked for.

Each part of the page is its own small form posting an `action`; a refused form comes back
with what was typed and the reasons, the others keep the saved values. Works without
JavaScript."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from guichet.aids import permissions
from guichet.aids.forms_intake import (
    ApplicationNewForm,
    CompletionForm,
    DeclaredAidForm,
    DocumentForm,
    ExpenseForm,
    NoOtherAidForm,
    ProjectForm,
)
from guichet.aids.models import Application, ApplicationStatus, FiledBy
from guichet.aids.services import intake
from guichet.aids.services.documents import (
    application_document_add,
    application_document_remove,
    capped_uploads,
    max_megabytes,
)
from guichet.aids.services.states import COMPANY_EDITABLE
from guichet.aids.views import error_summary
from guichet.companies.permissions import can_view_company
from guichet.companies.selectors import company_for_file
from guichet.core.audit import audit_view
from guichet.core.permissions import require


def can_send_link(user, application) -> bool:
    """Send the company the link to its file: working members who see the whole file."""
    return permissions.can_withdraw(user, application)


def detail_url(application: Application) -> str:
    """The file's page (instruction's), or the company file while that page does not exist."""
    try:
        return reverse("aids:application_detail", args=[application.reference])
    except NoReverseMatch:
        return reverse("companies:detail", args=[application.company.siren])


def _breadcrumb(company, current: str) -> dict:
    return {
        "links": [
            {"url": reverse("companies:search"), "title": "Entreprises"},
            {"url": reverse("companies:detail", args=[company.siren]), "title": company.name},
        ],
        "current": current,
        "root_dir": "/",
    }


# --- the editor shared by the advisor and the company ---------------------------------------


@dataclass
class Editor:
    application: Application
    url: str  # the page's own address
    company: bool  # the company, through its link
    user: object = None
    token: str = ""

    @property
    def by(self):
        return None if self.company else self.user

    def document_url(self, document) -> str:
        if self.company:
            return reverse("aids:company_document", args=[self.token, document.pk])
        try:
            return reverse("aids:document_download", args=[self.application.reference, document.pk])
        except NoReverseMatch:
            return ""


def _project_initial(application: Application) -> dict:
    return {name: getattr(application, name) for name in intake.PROJECT_FIELDS}


def _forms(editor: Editor, bound: dict | None = None) -> dict:
    """Every form of the page, unbound unless given bound."""
    application, scheme = editor.application, editor.application.scheme
    forms = {
        "project": ProjectForm(
            prefix="projet", initial=_project_initial(application), scheme=scheme
        ),
        "expense": ExpenseForm(prefix="depense", scheme=scheme),
        "declared": DeclaredAidForm(prefix="aide"),
        "no_other": NoOtherAidForm(
            prefix="declaration",
            initial={"declared_no_other_aid": application.declared_no_other_aid},
        ),
        "free_document": DocumentForm(prefix="piece-libre"),
    }
    for required in scheme.required_documents.all():
        forms[f"document_{required.pk}"] = DocumentForm(
            prefix=f"piece-{required.pk}", required=required
        )
    if application.status == ApplicationStatus.INCOMPLETE:
        forms["completion"] = CompletionForm(prefix="complement", items=_unresolved(application))
    forms.update(bound or {})
    return forms


def _unresolved(application: Application):
    return application.missing_items.filter(resolved_at__isnull=True).order_by("requested_at", "pk")


def _document_rows(editor: Editor, forms: dict) -> tuple[list[dict], list[dict]]:
    documents = list(editor.application.documents.all())
    rows = []
    for required in editor.application.scheme.required_documents.all():
        rows.append(
            {
                "required": required,
                "documents": [
                    {"document": d, "url": editor.document_url(d)}
                    for d in documents
                    if d.required_id == required.pk
                ],
                "form": forms[f"document_{required.pk}"],
            }
        )
    known = {r["required"].pk for r in rows}
    free = [
        {"document": d, "url": editor.document_url(d)}
        for d in documents
        if d.required_id not in known
    ]
    return rows, free


def _render(request, editor: Editor, *, forms=None, problems=None, template: str, extra=None):
    application = editor.application
    forms = forms or _forms(editor)
    expenses = list(application.expenses.select_related("category"))
    required_rows, free_documents = _document_rows(editor, forms)
    pending = intake.submission_problems(
        application, check_open=application.status == ApplicationStatus.DRAFT
    )
    problems = problems or []
    errors = error_summary(*forms.values(), extra=problems)
    context = {
        "title": ("Erreur — " if errors else "") + f"Demande d'aide {application.reference}",
        "application": application,
        "scheme": application.scheme,
        "company": application.company,
        "editor": editor,
        "forms": forms,
        "errors": errors,
        "problems": problems,
        "pending": [m for messages_ in pending.values() for m in messages_],
        "expenses": expenses,
        "expenses_total": sum((e.amount for e in expenses), 0),
        "required_rows": required_rows,
        "free_documents": free_documents,
        "declared_aids": list(application.declared_aids.all()),
        "completion_rows": forms["completion"].rows() if "completion" in forms else [],
        "incomplete": application.status == ApplicationStatus.INCOMPLETE,
        "max_mb": max_megabytes(),
        **(extra or {}),
    }
    response = render(request, template, context)
    if editor.company:
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _apply(form, error: ValidationError) -> None:
    """A service's refusal on the form's fields (the others above the form)."""
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _done(request, editor: Editor, text: str, anchor: str):
    messages.success(request, text)
    return redirect(f"{editor.url}#{anchor}")


def _object_pk(request, name: str) -> int | None:
    raw = request.POST.get(name, "")
    return int(raw) if raw.isdigit() else None


def _act_project(request, editor, page):
    form = ProjectForm(request.POST, prefix="projet", scheme=editor.application.scheme)
    if form.is_valid():
        try:
            intake.application_update(
                application=editor.application,
                by=editor.by,
                by_company=editor.company,
                **form.project_fields(),
            )
            return _done(request, editor, "Le projet est enregistré.", "projet")
        except ValidationError as error:
            _apply(form, error)
    return page(forms={"project": form})


def _act_expense(request, editor, page):
    form = ExpenseForm(request.POST, prefix="depense", scheme=editor.application.scheme)
    if form.is_valid():
        try:
            intake.expense_add(
                application=editor.application,
                by=editor.by,
                by_company=editor.company,
                **form.cleaned_data,
            )
            return _done(request, editor, "La dépense est ajoutée.", "depenses")
        except ValidationError as error:
            _apply(form, error)
    return page(forms={"expense": form})


def _act_expense_remove(request, editor, page):
    expense = editor.application.expenses.filter(pk=_object_pk(request, "depense")).first()
    if expense is None:
        raise Http404("Cette dépense n'existe pas.")
    intake.expense_remove(expense=expense, by=editor.by, by_company=editor.company)
    return _done(request, editor, "La dépense est retirée.", "depenses")


def _act_declared(request, editor, page):
    form = DeclaredAidForm(request.POST, prefix="aide")
    if form.is_valid():
        try:
            intake.declared_aid_add(
                application=editor.application,
                by=editor.by,
                by_company=editor.company,
                **form.cleaned_data,
            )
            return _done(request, editor, "L'aide reçue est déclarée.", "declarations")
        except ValidationError as error:
            _apply(form, error)
    return page(forms={"declared": form})


def _act_declared_remove(request, editor, page):
    aid = editor.application.declared_aids.filter(pk=_object_pk(request, "aide")).first()
    if aid is None:
        raise Http404("Cette aide déclarée n'existe pas.")
    intake.declared_aid_remove(aid=aid, by=editor.by, by_company=editor.company)
    return _done(request, editor, "L'aide déclarée est retirée.", "declarations")


def _act_no_other(request, editor, page):
    form = NoOtherAidForm(request.POST, prefix="declaration")
    if form.is_valid():
        try:
            intake.application_declare_no_other_aid(
                application=editor.application,
                value=form.cleaned_data["declared_no_other_aid"],
                by=editor.by,
                by_company=editor.company,
            )
            return _done(request, editor, "La déclaration est enregistrée.", "declarations")
        except ValidationError as error:
            _apply(form, error)
    return page(forms={"no_other": form})


def _act_document(request, editor, page):
    scheme = editor.application.scheme
    required = scheme.required_documents.filter(pk=_object_pk(request, "piece_requise")).first()
    key, prefix = (
        (f"document_{required.pk}", f"piece-{required.pk}")
        if required
        else ("free_document", "piece-libre")
    )
    form = DocumentForm(request.POST, request.FILES, prefix=prefix, required=required)
    if form.is_valid():
        try:
            document = application_document_add(
                application=editor.application,
                upload=form.cleaned_data["file"],
                label=form.cleaned_data.get("label", ""),
                required=required,
                by=editor.by,
                by_company=editor.company,
            )
            return _done(request, editor, f"« {document.label} » est joint au dossier.", "pieces")
        except ValidationError as error:
            _apply(form, error)
    return page(forms={key: form})


def _act_document_remove(request, editor, page):
    document = editor.application.documents.filter(pk=_object_pk(request, "piece")).first()
    if document is None:
        raise Http404("Ce document n'existe pas.")
    application_document_remove(document=document, by=editor.by, by_company=editor.company)
    return _done(request, editor, f"« {document.label} » est retiré du dossier.", "pieces")


def _act_submit(request, editor, page):
    try:
        intake.application_submit(
            application=editor.application, by=editor.by, by_company=editor.company
        )
    except ValidationError as error:
        return page(problems=[m for ms in error.message_dict.values() for m in ms])
    messages.success(
        request,
        f"La demande {editor.application.reference} est déposée : un accusé de réception est "
        f"envoyé à {editor.application.contact_email}.",
    )
    return redirect(editor.url if editor.company else detail_url(editor.application))


def _act_complete(request, editor, page):
    form = CompletionForm(
        request.POST, request.FILES, prefix="complement", items=_unresolved(editor.application)
    )
    if form.is_valid():
        try:
            intake.application_complete(
                application=editor.application,
                by_company=editor.company,
                answers=form.answers(),
                by=editor.by,
            )
        except ValidationError as error:
            loose = []
            for name, messages_ in error.message_dict.items():
                if name.startswith("item_") and f"{name}_file" in form.fields:
                    form.add_error(f"{name}_file", messages_)
                else:
                    loose += messages_
            return page(forms={"completion": form}, problems=loose)
        messages.success(request, "Votre dossier complété est renvoyé : son instruction reprend.")
        return redirect(editor.url if editor.company else detail_url(editor.application))
    return page(forms={"completion": form})


ACTIONS = {
    "projet": _act_project,
    "depense": _act_expense,
    "retirer-depense": _act_expense_remove,
    "aide": _act_declared,
    "retirer-aide": _act_declared_remove,
    "declaration": _act_no_other,
    "piece": _act_document,
    "retirer-piece": _act_document_remove,
    "deposer": _act_submit,
    "completer": _act_complete,
}


def handle_edit(request, editor: Editor, *, template: str, extra=None):
    """GET shows the page; POST runs one action of the page."""

    def page(*, forms=None, problems=None):
        return _render(
            request,
            editor,
            forms=_forms(editor, forms),
            problems=problems,
            template=template,
            extra=extra,
        )

    if request.method != "POST":
        return page()
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Action inconnue : rechargez la page et recommencez.")
        return redirect(editor.url)
    try:
        return action(request, editor, page)
    except ValidationError as error:
        # The file changed meanwhile (submitted in another tab, declared incomplete…).
        messages.error(request, " ".join(error.messages))
        return redirect(editor.url)


# --- the advisor's pages ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def application_new(request, siren: str):
    company = company_for_file(siren)
    if company is None:
        raise Http404("Aucune entreprise n'a ce numéro SIREN dans le registre.")
    require(can_view_company(request.user, company))
    require(permissions.can_file_application(request.user, company))
    schemes = intake_schemes()
    form = ApplicationNewForm(request.POST or None, schemes=schemes)
    if request.method == "POST" and form.is_valid():
        try:
            application = intake.application_create(
                scheme=form.cleaned_data["scheme"],
                company=company,
                filed_by=FiledBy.ADVISOR,
                organisation=request.user.organisation,
                by=request.user,
                **form.project_fields(),
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                f"La demande {application.reference} est créée : ajoutez les dépenses, les "
                "pièces et les déclarations, puis déposez-la.",
            )
            return redirect("aids:application_edit", application.reference)
    errors = error_summary(form)
    title = f"Nouvelle demande d'aide — {company.name}"
    context = {
        "title": ("Erreur — " if errors else "") + title,
        "heading": title,
        "company": company,
        "form": form,
        "errors": errors,
        "has_schemes": schemes.exists(),
        "breadcrumb_data": _breadcrumb(company, "Nouvelle demande d'aide"),
    }
    return render(request, "aids/filing/new.html", context)


def intake_schemes():
    """Schemes an advisor may prepare a file for: the active ones (the deadlines are checked
    at submission)."""
    from guichet.aids.models import AidScheme

    return AidScheme.objects.filter(is_active=True).select_related("provider").order_by("name")


def _application_or_404(reference: str) -> Application:
    application = (
        Application.objects.select_related("scheme__provider", "company", "organisation")
        .filter(reference=reference)
        .first()
    )
    if application is None:
        raise Http404("Aucune demande d'aide ne porte cette référence.")
    return application


@never_cache
@capped_uploads
@require_http_methods(["GET", "POST"])
def application_edit(request, reference: str):
    application = _application_or_404(reference)
    if application.status not in COMPANY_EDITABLE and permissions.can_view_application(
        request.user, application
    ):
        messages.info(request, "Ce dossier est déposé : il ne se modifie plus.")
        return redirect(detail_url(application))
    require(permissions.can_edit_application(request.user, application))
    editor = Editor(
        application,
        reverse("aids:application_edit", args=[reference]),
        company=False,
        user=request.user,
    )
    # The page shows the contact (personal data), whatever the request.
    audit_view(obj=application, actor=request.user)
    extra = {
        "can_send_link": can_send_link(request.user, application),
        "breadcrumb_data": _breadcrumb(application.company, f"Demande {reference}"),
        "today": timezone.localdate(),
    }
    return handle_edit(request, editor, template="aids/filing/edit.html", extra=extra)


@require_POST
def application_send_link(request, reference: str):
    application = _application_or_404(reference)
    require(can_send_link(request.user, application))
    revoke = request.POST.get("nouveau") == "1"
    intake.application_link_send(application=application, by=request.user, revoke=revoke)
    audit_view(obj=application, actor=request.user)
    messages.success(
        request,
        ("Les liens envoyés jusqu'ici ne fonctionnent plus. " if revoke else "")
        + f"Le lien du dossier est envoyé à {application.contact_email}.",
    )
    if application.status in COMPANY_EDITABLE and permissions.can_edit_application(
        request.user, application
    ):
        return redirect("aids:application_edit", reference)
    return redirect(detail_url(application))
