"""The instruction page of an application (checks, amount breakdown, opinion, proposal to a
committee), the request for missing items and the withdrawal. Instruction belongs to the
instructors and managers of the scheme's provider (and administrators); withdrawal to the
working members who see the whole file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from guichet.aids import eligibility, permissions
from guichet.aids.amounts import amount_breakdown
from guichet.aids.forms_instruction import (
    InstructForm,
    MissingItemsForm,
    ProposeForm,
    WithdrawForm,
)
from guichet.aids.models import Application
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.services import instruction as services
from guichet.aids.services.states import can_move
from guichet.aids.views import error_summary
from guichet.aids.views.applications import (
    application_or_404,
    badge,
    breadcrumb,
    check_rows,
)
from guichet.core.audit import audit_view
from guichet.core.money import euros
from guichet.core.permissions import require


def _apply(form, error: ValidationError) -> None:
    """A service's errors on the form's fields (the others at the top of the form)."""
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _instruct_initial(application: Application, costs) -> dict:
    return {
        "eligible_costs": costs,
        "proposed_amount": application.proposed_amount,
        "opinion": application.opinion or None,
        "opinion_text": application.opinion_text,
    }


def _costs(form: InstructForm | None):
    """The costs typed in the form when they are valid (the breakdown then shows what they
    give), else those of the file."""
    if form is None or not form.is_bound:
        return None
    form.is_valid()
    if "eligible_costs" in form.errors:
        return None
    return form.cleaned_data.get("eligible_costs")


def _render(
    request,
    application: Application,
    *,
    instruct_form=None,
    missing_form=None,
    propose_form=None,
):
    today = timezone.localdate()
    costs = _costs(instruct_form)
    breakdown = amount_breakdown(application, eligible_costs=costs, today=today)
    checks = eligibility.checks_for(
        application, today=today, eligible_costs=breakdown.eligible_costs
    )
    editable = application.status == S.INSTRUCTION
    if editable and instruct_form is None:
        instruct_form = InstructForm(
            initial=_instruct_initial(application, breakdown.eligible_costs)
        )
    may_ask = can_move(application, S.INCOMPLETE)
    if may_ask and missing_form is None:
        missing_form = MissingItemsForm(application=application)
    sessions = services.planned_sessions(application)
    may_propose = editable and application.instructed_at is not None
    if may_propose and propose_form is None:
        propose_form = ProposeForm(sessions=sessions, initial={"session": application.session_id})
    context = {
        "title": f"Instruction de la demande {application.reference}",
        "application": application,
        "scheme": application.scheme,
        "company": application.company,
        "badge": badge(application),
        "breadcrumb_data": breadcrumb(application, "Instruction", user=request.user),
        "today": today,
        "checks": check_rows(checks),
        "checks_summary": eligibility.summary_sentence(checks),
        "breakdown": breakdown,
        "instruct_form": instruct_form if editable else None,
        "missing_form": missing_form if may_ask else None,
        "propose_form": propose_form if may_propose else None,
        "has_sessions": sessions.exists() if may_propose else False,
        "can_start": application.status == S.SUBMITTED,
        "errors": error_summary(
            *(f for f in (instruct_form, missing_form, propose_form) if f is not None)
        ),
    }
    return render(request, "aids/instruction/instruct.html", context)


def _instructable(request, reference: str) -> Application:
    application = application_or_404(reference)
    require(permissions.can_instruct(request.user, application))
    return application


@require_http_methods(["GET", "POST"])
def application_instruct(request, reference: str):
    application = _instructable(request, reference)
    if request.method == "GET":
        audit_view(obj=application, actor=request.user)
        return _render(request, application)
    action = request.POST.get("action", "")
    if action == "start":
        return _start(request, application)
    if action == "propose":
        return _propose(request, application)
    return _instruct(request, application)


def _start(request, application: Application):
    try:
        services.application_start_instruction(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Le dossier est en instruction : vous en êtes l'instructeur.")
    return redirect("aids:application_instruct", application.reference)


def _instruct(request, application: Application):
    form = InstructForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.application_instruct(
                application=application,
                eligible_costs=data["eligible_costs"],
                proposed_amount=data["proposed_amount"],
                opinion=data["opinion"],
                opinion_text=data["opinion_text"],
                by=request.user,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                f"Instruction enregistrée : montant éligible {euros(saved.eligible_amount)}, "
                f"montant proposé {euros(saved.proposed_amount)}.",
            )
            return redirect("aids:application_instruct", application.reference)
    return _render(request, application, instruct_form=form)


def _propose(request, application: Application):
    form = ProposeForm(request.POST, sessions=services.planned_sessions(application))
    if form.is_valid():
        try:
            services.application_propose(
                application=application, session=form.cleaned_data["session"], by=request.user
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request, f"Dossier proposé à la séance « {form.cleaned_data['session']} »."
            )
            return redirect("aids:application_detail", application.reference)
    return _render(request, application, propose_form=form)


@require_POST
def application_incomplete(request, reference: str):
    application = _instructable(request, reference)
    form = MissingItemsForm(request.POST, application=application)
    if form.is_valid():
        try:
            services.application_ask_missing(
                application=application,
                items=form.item_list(),
                documents=list(form.cleaned_data["documents"]),
                by=request.user,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                f"Le dossier est incomplet : {application.contact_email} reçoit la liste des "
                "éléments manquants et le lien pour compléter le dossier.",
            )
            return redirect("aids:application_detail", application.reference)
    return _render(request, application, missing_form=form)


@require_http_methods(["GET", "POST"])
def application_withdraw(request, reference: str):
    application = application_or_404(reference)
    require(permissions.can_withdraw(request.user, application))
    form = WithdrawForm(request.POST or None)
    if not can_move(application, S.WITHDRAWN):
        messages.error(
            request,
            f"Le dossier est « {application.get_status_display()} » : il ne peut plus être retiré.",
        )
        return redirect("aids:application_detail", application.reference)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, "La demande est retirée.")
            return redirect("aids:application_detail", application.reference)
    context = {
        "title": f"Retirer la demande {application.reference}",
        "application": application,
        "badge": badge(application),
        "form": form,
        "errors": error_summary(form),
        "breadcrumb_data": breadcrumb(application, "Retrait", user=request.user),
    }
    return render(request, "aids/instruction/withdraw.html", context)
