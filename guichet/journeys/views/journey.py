"""The journey forms of the company file: change the stage, name the lead advisor, plan a next
action. The file shows them in its "Parcours" section; each also has its own page, where a
refused form comes back with its errors and what was typed."""

from datetime import date, datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from guichet.companies.models import Company
from guichet.core.permissions import require
from guichet.journeys import permissions, services
from guichet.journeys.forms import LeadForm, NextActionForm, StageForm
from guichet.journeys.models import Stage
from guichet.journeys.selectors import journey_of

SECTION_ANCHOR = "#parcours"


def _company_or_404(siren: str) -> Company:
    return get_object_or_404(Company, siren=siren)


def _file_url(company: Company) -> str:
    return reverse("companies:detail", args=[company.siren]) + SECTION_ANCHOR


def _breadcrumb(company: Company, current: str) -> dict:
    return {
        "links": [
            {"url": reverse("companies:search"), "title": "Entreprises"},
            {"url": reverse("companies:detail", args=[company.siren]), "title": company.name},
        ],
        "current": current,
        "root_dir": "/",
    }


def add_errors(form, error: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    """The service's messages on the form's fields (`rename`: service field → form field)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, field_messages)


def _moment(day: date | None) -> datetime | None:
    """A change dated today happens now; an earlier day, at noon (Paris time)."""
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _page(request, company, form, *, title: str, template: str, **extra):
    context = {
        "title": title,
        "company": company,
        "form": form,
        "journey": journey_of(company),
        "breadcrumb_data": _breadcrumb(company, title),
        **extra,
    }
    return render(request, template, context)


def stage_change(request, siren: str):
    company = _company_or_404(siren)
    require(permissions.can_change_journey(request.user, company))
    form = StageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            journey = services.journey_set_stage(
                company=company,
                stage=data["stage"],
                by=request.user,
                reason=data["reason"],
                at=_moment(data["on"]),
            )
        except ValidationError as error:
            add_errors(form, error, rename={"at": "on"})
        else:
            messages.success(
                request, f"{company.name} est à l'étape « {Stage(journey.stage).label} »."
            )
            return redirect(_file_url(company))
    return _page(
        request,
        company,
        form,
        title="Changer l'étape du parcours",
        template="journeys/stage_form.html",
    )


def lead_set(request, siren: str):
    company = _company_or_404(siren)
    require(permissions.can_change_journey(request.user, company))
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        lead = form.cleaned_data["lead_advisor"]
        try:
            services.journey_set_lead(company=company, lead_advisor=lead, by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"{lead.get_full_name()} est le conseiller référent de {company.name}."
            )
            return redirect(_file_url(company))
    return _page(
        request,
        company,
        form,
        title="Conseiller référent",
        template="journeys/lead_form.html",
    )


def action_create(request, siren: str):
    company = _company_or_404(siren)
    require(permissions.can_add_action(request.user, company))
    form = NextActionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.next_action_create(
                company=company, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"Action « {action.title} » confiée à {action.assignee.get_full_name()}, "
                f"pour le {action.due_on:%d/%m/%Y}.",
            )
            return redirect(_file_url(company))
    return _page(
        request,
        company,
        form,
        title="Planifier une action",
        template="journeys/action_form.html",
    )
