"""The members' pages of the registrations: an advisor registers a company; the organiser's
managers select in bulk, confirm (subsidy checked against the state-aid headroom), record
attendance and export; a registration's page (history, contact, subsidy and its ledger line,
preparation checklist, follow-up surveys)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from guichet.collective import permissions
from guichet.collective import selectors_registrations as selectors
from guichet.collective.forms_registrations import (
    DECISION_SELECT,
    DECISION_WAIT,
    AdvisorRegistrationForm,
    AttendanceForm,
    CancelForm,
    SelectionForm,
)
from guichet.collective.models import ChecklistItem, CollectiveAction, Registration
from guichet.collective.models import RegistrationStatus as R
from guichet.collective.services import registrations as services
from guichet.collective.services.states import SUBSIDISED, can_move
from guichet.collective.services.subsidy import subsidy_for
from guichet.core.audit import audit_view, record
from guichet.core.exports import export_response
from guichet.core.models import AuditEvent
from guichet.core.permissions import require

FORMATS = ("csv", "xlsx")


def url_or_empty(name: str, *args) -> str:
    """A page of another part of the collective actions, or "" while it is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _action(slug: str) -> CollectiveAction:
    return get_object_or_404(
        CollectiveAction.objects.select_related("organiser", "country", "programme"), slug=slug
    )


def _registration(pk: int) -> Registration:
    registration = selectors.registration_for_page(pk)
    if registration is None:
        raise Http404("Aucune inscription ne porte ce numéro.")
    return registration


def breadcrumb(action: CollectiveAction, current: str, registration=None) -> dict:
    links = []
    actions_url = url_or_empty("collective:actions")
    if actions_url:
        links.append({"url": actions_url, "title": "Actions collectives"})
    action_url = url_or_empty("collective:action_detail", action.slug)
    if action_url:
        links.append({"url": action_url, "title": action.title})
    if registration is not None:
        links.append(
            {
                "url": reverse("collective:registration_detail", args=[registration.pk]),
                "title": registration.company.name,
            }
        )
    return {"links": links, "current": current, "root_dir": "/"}


def _error_summary(form):
    from guichet.desk.views.public import error_summary

    return error_summary(form)


def _apply_errors(form, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _back(registration: Registration, anchor: str = ""):
    url = reverse("collective:registration_detail", args=[registration.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


# --- an advisor registers a company -----------------------------------------------------------


def _advisors(user):
    from guichet.partners.models import User

    if user.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=user.organisation_id, is_active=True)
        .exclude(roles__code="readonly")
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _register_company(form, action, user) -> Registration:
    from guichet.companies.selectors import company_for_file

    data = form.cleaned_data
    company = company_for_file(data["siren"])
    if company is None:
        raise ValidationError(
            {"siren": [f"Aucune entreprise de SIREN {data['siren']} dans le fichier."]}
        )
    return services.registration_create(
        action=action,
        company=company,
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        contact_phone=data.get("contact_phone", ""),
        motivation=data.get("motivation", ""),
        advisor=data.get("advisor"),
        organisation=user.organisation or action.organiser,
        by=user,
        by_company=False,
        interested=data.get("interested", False),
    )


@require_http_methods(["GET", "POST"])
def register_company(request, slug: str):
    action = _action(slug)
    user = request.user
    require(permissions.can_register_company(user, action))
    advisors = _advisors(user)
    initial = {"siren": request.GET.get("siren", "")[:11]}
    if advisors.filter(pk=user.pk).exists():
        initial["advisor"] = user.pk
    form = AdvisorRegistrationForm(request.POST or None, advisors=advisors, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration = _register_company(form, action, user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{registration.company.name} est inscrite ; le lien de l'inscription est "
                "envoyé au contact.",
            )
            return _back(registration)
    context = {
        "title": f"Inscrire une entreprise : {action.title}",
        "action": action,
        "form": form,
        "errors": _error_summary(form),
        "closed": services.registration_open_problem(action, timezone.localdate()),
        "breadcrumb_data": breadcrumb(action, "Inscrire une entreprise"),
    }
    return render(request, "collective/registrations/register_company.html", context)


# --- selection --------------------------------------------------------------------------------


def _decide(decision: str, registration: Registration, reason: str, user) -> str:
    """Apply one decision; returns the resulting status."""
    if decision == DECISION_SELECT:
        if registration.status == R.INTERESTED:
            services.registration_apply(registration=registration, by=user)
        return services.registration_select(registration=registration, by=user).status
    if decision == DECISION_WAIT:
        if registration.status == R.INTERESTED:
            services.registration_apply(registration=registration, by=user)
        return services.registration_wait(registration=registration, by=user).status
    return services.registration_not_select(
        registration=registration, reason=reason, by=user
    ).status


def _selection_report(request, outcomes: dict, failures: list[str]) -> None:
    labels = {
        R.SELECTED: "retenue(s)",
        R.WAITING: "sur liste d'attente",
        R.NOT_SELECTED: "non retenue(s)",
    }
    done = [f"{count} {labels[status]}" for status, count in outcomes.items() if count]
    if done:
        messages.success(request, "Décision enregistrée : " + ", ".join(done) + ".")
    for failure in failures:
        messages.error(request, failure)


@require_http_methods(["GET", "POST"])
def selection(request, slug: str):
    action = _action(slug)
    user = request.user
    require(permissions.can_manage_action(user, action))
    candidates = selectors.candidates_of(action)
    form = SelectionForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        outcomes = {R.SELECTED: 0, R.WAITING: 0, R.NOT_SELECTED: 0}
        failures = []
        chosen = sorted(
            form.cleaned_data["registrations"],
            key=lambda r: (r.status != R.WAITING, r.waiting_rank or 0, r.created_at, r.pk),
        )
        for registration in chosen:
            try:
                status = _decide(
                    form.cleaned_data["decision"], registration, form.cleaned_data["reason"], user
                )
            except ValidationError as error:
                failures.append(f"{registration.company.name} : {' '.join(error.messages)}")
            else:
                outcomes[status] = outcomes.get(status, 0) + 1
        _selection_report(request, outcomes, failures)
        return redirect("collective:selection", action.slug)
    context = {
        "title": f"Sélection des participants : {action.title}",
        "action": action,
        "form": form,
        "errors": _error_summary(form),
        "rows": [
            {"registration": r, "badge": selectors.badge(r.status)}
            for r in sorted(
                candidates,
                key=lambda r: (r.status != R.WAITING, r.waiting_rank or 0, r.created_at, r.pk),
            )
        ],
        "places_left": services.places_left(action),
        "breadcrumb_data": breadcrumb(action, "Sélection"),
    }
    return render(request, "collective/registrations/selection.html", context)


# --- one registration -------------------------------------------------------------------------


def _ledger_lines(registration: Registration) -> list:
    from guichet.stateaid.models import StateAidGrant

    return list(
        StateAidGrant.objects.filter(source_ref=services.source_ref(registration)).order_by(
            "granted_on", "pk"
        )
    )


def _surveys(registration: Registration, user) -> dict:
    from guichet.collective.selectors_results import registration_surveys_context

    return registration_surveys_context(registration, user)


def _links(registration: Registration, user) -> dict:
    pk = registration.pk
    manage = permissions.can_manage_action(user, registration.action)
    prepare = permissions.can_prepare(user, registration)
    return {
        "confirm_url": reverse("collective:registration_confirm", args=[pk])
        if manage and can_move(registration, R.CONFIRMED)
        else "",
        "cancel_url": reverse("collective:registration_cancel", args=[pk])
        if (manage or prepare) and can_move(registration, R.CANCELLED)
        else "",
        "fee_paid_url": reverse("collective:registration_fee_paid", args=[pk])
        if manage and registration.fee_status == "invoiced"
        else "",
        "apply_url": reverse("collective:registration_apply", args=[pk])
        if prepare and registration.status == R.INTERESTED
        else "",
        "selection_url": reverse("collective:selection", args=[registration.action.slug])
        if manage and registration.status in (R.APPLIED, R.WAITING, R.INTERESTED)
        else "",
        "can_tick": prepare and registration.status in services.PREPARING,
    }


def registration_detail(request, pk: int):
    registration = _registration(pk)
    user = request.user
    if not permissions.can_view_registration(user, registration):
        # Other members who may open the company file (the timeline links here) see that the
        # company takes part and its state, not the contact, preparation or answers.
        require(permissions.can_view_registration_summary(user, registration))
        return render(
            request,
            "collective/registrations/summary.html",
            {
                "title": f"Inscription de {registration.company.name}",
                "registration": registration,
                "action": registration.action,
                "company": registration.company,
                "badge": selectors.badge(registration.status),
                "breadcrumb_data": breadcrumb(registration.action, registration.company.name),
            },
        )
    audit_view(obj=registration, actor=user)
    action = registration.action
    estimate = None
    if registration.status not in SUBSIDISED and registration.status != R.CANCELLED:
        estimate = subsidy_for(action=action, company=registration.company)
    context = {
        "title": f"Inscription de {registration.company.name} : {action.title}",
        "registration": registration,
        "action": action,
        "company": registration.company,
        "badge": selectors.badge(registration.status),
        "events": list(registration.events.select_related("by").order_by("at", "pk")),
        "checklist": selectors.checklist_of(registration),
        "ledger_lines": _ledger_lines(registration),
        "estimate": estimate,
        "surveys": _surveys(registration, user),
        "breadcrumb_data": breadcrumb(action, registration.company.name),
        **_links(registration, user),
    }
    return render(request, "collective/registrations/detail.html", context)


def _headroom(registration: Registration, today) -> dict | None:
    from guichet.stateaid.selectors import positions_at

    for position in positions_at(registration.company, at=today):
        if position.regulation == registration.action.regime:
            return {
                "counted": position.counted,
                "ceiling": position.ceiling,
                "headroom": position.headroom,
            }
    return None


@require_http_methods(["GET", "POST"])
def registration_confirm(request, pk: int):
    registration = _registration(pk)
    user = request.user
    require(permissions.can_manage_action(user, registration.action))
    if not can_move(registration, R.CONFIRMED):
        messages.error(
            request,
            f"L'inscription est « {registration.get_status_display()} » : seule une entreprise "
            "retenue peut confirmer sa participation.",
        )
        return _back(registration)
    today = timezone.localdate()
    problem = ""
    if request.method == "POST":
        try:
            services.registration_confirm(registration=registration, by=user, today=today)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, "Participation confirmée ; la prise en charge est inscrite.")
            return _back(registration)
    amount, explanation = subsidy_for(action=registration.action, company=registration.company)
    context = {
        "title": f"Confirmer la participation de {registration.company.name}",
        "registration": registration,
        "action": registration.action,
        "amount": amount,
        "explanation": explanation,
        "headroom": _headroom(registration, today),
        "problem": problem,
        "breadcrumb_data": breadcrumb(registration.action, "Confirmation", registration),
    }
    return render(
        request,
        "collective/registrations/confirm.html",
        context,
        status=422 if problem else 200,
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request, pk: int):
    registration = _registration(pk)
    user = request.user
    require(
        permissions.can_manage_action(user, registration.action)
        or permissions.can_prepare(user, registration)
    )
    if not can_move(registration, R.CANCELLED):
        messages.error(
            request,
            f"L'inscription est « {registration.get_status_display()} » : elle ne peut plus "
            "être annulée.",
        )
        return _back(registration)
    today = timezone.localdate()
    may_waive = permissions.can_manage_action(user, registration.action)
    form = CancelForm(request.POST or None, may_waive=may_waive)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_cancel(
                registration=registration,
                reason=form.cleaned_data["reason"],
                by=user,
                today=today,
                fee_waived=form.cleaned_data.get("fee_waived", False),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "L'inscription est annulée.")
            return _back(registration)
    context = {
        "title": f"Annuler l'inscription de {registration.company.name}",
        "registration": registration,
        "action": registration.action,
        "form": form,
        "may_waive": may_waive,
        "errors": _error_summary(form),
        "subsidised": registration.status in SUBSIDISED,
        "fee_would_be_kept": registration.status in SUBSIDISED
        and services.fee_kept_on(registration.action, today),
        "breadcrumb_data": breadcrumb(registration.action, "Annulation", registration),
    }
    return render(request, "collective/registrations/cancel.html", context)


@require_POST
def registration_fee_paid(request, pk: int):
    registration = _registration(pk)
    require(permissions.can_manage_action(request.user, registration.action))
    try:
        services.registration_fee_paid(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Participation notée payée.")
    return _back(registration)


@require_POST
def registration_apply(request, pk: int):
    registration = _registration(pk)
    require(permissions.can_prepare(request.user, registration))
    try:
        services.registration_apply(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La candidature de l'entreprise est enregistrée.")
    return _back(registration)


@require_POST
def checklist_tick(request, pk: int):
    registration = _registration(pk)
    require(permissions.can_prepare(request.user, registration))
    item = ChecklistItem.objects.filter(
        pk=request.POST.get("item") if str(request.POST.get("item", "")).isdigit() else None,
        action_id=registration.action_id,
    ).first()
    if item is None:
        messages.error(request, "Étape de préparation inconnue : rechargez la page.")
        return _back(registration, "preparation")
    try:
        services.checklist_tick(
            registration=registration,
            item=item,
            done=request.POST.get("done") == "1",
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(registration, "preparation")


# --- attendance and export --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def attendance(request, slug: str):
    action = _action(slug)
    user = request.user
    require(permissions.can_manage_action(user, action))
    form = AttendanceForm(request.POST or None, participants=selectors.participants_of(action))
    if request.method == "POST" and form.is_valid():
        counts = {True: 0, False: 0}
        for registration, attended in form.decisions():
            try:
                services.registration_attendance(
                    registration=registration, attended=attended, by=user
                )
            except ValidationError as error:
                messages.error(request, f"{registration.company.name} : {' '.join(error.messages)}")
            else:
                counts[attended] += 1
        messages.success(
            request,
            f"Présence enregistrée : {counts[True]} présente(s), {counts[False]} absente(s).",
        )
        return redirect("collective:attendance", action.slug)
    context = {
        "title": f"Présence : {action.title}",
        "action": action,
        "form": form,
        "rows": [
            {"registration": r, "field": form[f"r{r.pk}"], "badge": selectors.badge(r.status)}
            for r in form.participants
        ],
        "breadcrumb_data": breadcrumb(action, "Présence"),
    }
    return render(request, "collective/registrations/attendance.html", context)


def registrations_export(request, slug: str):
    action = _action(slug)
    require(selectors.can_export_registrations(request.user, action))
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    record(action=AuditEvent.Action.EXPORT, obj=action, actor=request.user)
    return export_response(
        rows=(selectors.export_row(r) for r in selectors.registrations_of(action)),
        headers=selectors.EXPORT_HEADERS,
        filename=f"inscriptions-{action.slug}",
        fmt=fmt,
        sheet="Inscriptions",
    )
