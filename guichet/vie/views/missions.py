"""Pages of V.I.E. missions: the list (filters, exports), recording a mission for a company,
its page, and its edit page with the extension and the outcome. Everything is decided by the
services and the predicates of guichet.vie.permissions; these views only wire them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.aids import permissions as aid_permissions
from guichet.companies.models import Company
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.vie import durations, permissions, selectors, services
from guichet.vie.forms import ExtendForm, MissionFilterForm, MissionForm, OutcomeForm
from guichet.vie.models import VieMission

PAGE_SIZE = 50
EXPORT_HEADERS = [
    "Identifiant",
    "SIREN",
    "Entreprise d'accueil",
    "Intitulé de la mission",
    "Pays",
    "Code pays",
    "Ville",
    "Début",
    "Fin prévue",
    "Prolongée jusqu'au",
    "Durée (mois entiers)",
    "Coût mensuel (€)",
    "Aide régionale liée",
    "Situation",
    "Embauché à l'issue",
    "Embauché où",
    "Commentaire sur l'issue",
    "Organisme qui suit la mission",
]
# Service field → form field, where they differ.
_FORM_FIELDS = {"aid_application": "aid_reference"}


def _breadcrumb(current: str, mission: VieMission | None = None) -> dict:
    links = [{"url": reverse("vie:missions"), "title": "Missions V.I.E."}]
    if mission is not None:
        links.append(
            {"url": reverse("vie:mission_detail", args=[mission.pk]), "title": mission.job_title}
        )
    return {"links": links, "current": current, "root_dir": "/"}


def _mission_or_404(pk: int) -> VieMission:
    mission = selectors.mission_for_page(pk)
    if mission is None:
        raise Http404("Aucune mission V.I.E. ne porte ce numéro.")
    return mission


def add_service_errors(form, error: ValidationError, names: dict | None = None) -> None:
    """The service's French refusals on the form's fields (or above them)."""
    names = names or {}
    for name, errors in error.message_dict.items():
        field = names.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _row(mission: VieMission, today) -> dict:
    status = selectors.status_of(mission, today)
    end = mission.extended_until or mission.ends_on
    return {
        "mission": mission,
        "status": status,
        "status_label": selectors.STATUSES[status],
        "badge": selectors.BADGES.get(status, ""),
        "end": end,
        "duration": durations.describe(mission.starts_on, end),
    }


def _export_rows(missions, today):
    yes_no = {True: "oui", False: "non", None: ""}
    for m in missions:
        end = m.extended_until or m.ends_on
        yield (
            m.pk,
            m.company.siren,
            m.company.name,
            m.job_title,
            m.country.name_fr,
            m.country_id,
            m.city,
            m.starts_on,
            m.ends_on,
            m.extended_until,
            durations.duration(m.starts_on, end)[0],
            m.monthly_cost,
            m.aid_application.reference if m.aid_application_id else "",
            selectors.STATUSES[selectors.status_of(m, today)],
            yes_no[m.hired],
            m.get_hired_where_display() if m.hired_where else "",
            m.outcome_note,
            m.organisation.name,
        )


def mission_list(request):
    require(permissions.can_view_vie(request.user))
    today = timezone.localdate()
    form = MissionFilterForm(request.GET or None)
    found = [] if form.is_bound and not form.is_valid() else selectors.missions(**form.filters())
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=_export_rows(found, today),
            headers=EXPORT_HEADERS,
            filename="missions-vie",
            fmt=fmt,
            sheet="Missions V.I.E.",
        )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number)
    context = {
        "title": "Missions V.I.E.",
        "form": form,
        "page_obj": page,
        "rows": [_row(m, today) for m in page],
        "count": page.paginator.count,
        "has_filters": bool(form.is_bound and any(form.data.get(k) for k in form.fields)),
        "can_record": permissions.can_record_vie(request.user),
    }
    return render(request, "vie/mission_list.html", context)


def _applications_of(company: Company | None, user) -> list:
    """The company's aid files the user may see the summary of: a hint for the aid field."""
    if company is None:
        return []
    applications = company.aid_applications.select_related("scheme").order_by("-pk")[:20]
    return [a for a in applications if aid_permissions.can_view_application_summary(user, a)]


def _company_from_query(request) -> Company | None:
    siren = "".join(request.GET.get("siren", "").split())
    return Company.objects.filter(siren=siren).first() if siren.isdigit() else None


def mission_create(request):
    require(permissions.can_record_vie(request.user))
    company = _company_from_query(request)
    initial = {"siren": company.siren} if company else {}
    form = MissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        company = form.company
        if request.user.organisation is None:
            form.add_error(None, "Votre compte n'est rattaché à aucune organisation.")
        else:
            try:
                mission = services.vie_mission_create(
                    company=company,
                    organisation=request.user.organisation,
                    by=request.user,
                    **form.fields_for_service(),
                )
            except ValidationError as error:
                add_service_errors(form, error, _FORM_FIELDS)
            else:
                messages.success(
                    request,
                    f"Mission V.I.E. enregistrée pour {company.name} : elle figure sur la "
                    "fiche de l'entreprise et dans son historique.",
                )
                return redirect("vie:mission_detail", mission.pk)
    context = {
        "title": "Nouvelle mission V.I.E.",
        "form": form,
        "company": company,
        "applications": _applications_of(company, request.user),
        "cancel_url": reverse("companies:detail", args=[company.siren])
        if company
        else reverse("vie:missions"),
        "breadcrumb_data": _breadcrumb("Nouvelle mission"),
    }
    return render(request, "vie/mission_form.html", context)


def _aid_link(user, application) -> str:
    if application is None or not aid_permissions.can_view_application(user, application):
        return ""
    try:
        return reverse("aids:application_detail", args=[application.reference])
    except NoReverseMatch:  # the instruction pages are not installed
        return ""


def mission_detail(request, pk: int):
    require(permissions.can_view_vie(request.user))
    mission = _mission_or_404(pk)
    application = mission.aid_application
    show_aid = application is not None and aid_permissions.can_view_application_summary(
        request.user, application
    )
    context = {
        "title": f"Mission V.I.E. — {mission.job_title}",
        "mission": mission,
        "row": _row(mission, timezone.localdate()),
        "planned_duration": durations.describe(mission.starts_on, mission.ends_on),
        "hired_where": services.HIRED_WHERE_PHRASE.get(mission.hired_where, ""),
        "application": application if show_aid else None,
        "aid_url": _aid_link(request.user, application) if show_aid else "",
        "can_edit": permissions.can_edit_mission(request.user, mission),
        "breadcrumb_data": _breadcrumb(mission.job_title),
    }
    return render(request, "vie/mission_detail.html", context)


def _edit_page(request, mission, *, form=None, extend_form=None, outcome_form=None, status=200):
    today = timezone.localdate()
    end = mission.extended_until or mission.ends_on
    context = {
        "title": f"Modifier la mission V.I.E. — {mission.job_title}",
        "mission": mission,
        "form": form or MissionForm(mission=mission),
        "extend_form": extend_form or ExtendForm(),
        "outcome_form": outcome_form or OutcomeForm(mission=mission),
        "can_extend": mission.extended_until is None and mission.hired is None,
        "latest_end": durations.latest_end(mission.starts_on, 24),
        "ended": end < today,
        "end": end,
        "breadcrumb_data": _breadcrumb("Modifier", mission),
    }
    return render(request, "vie/mission_edit.html", context, status=status)


def mission_edit(request, pk: int):
    mission = _mission_or_404(pk)
    require(permissions.can_edit_mission(request.user, mission))
    if request.method != "POST":
        return _edit_page(request, mission)
    form = MissionForm(request.POST, mission=mission)
    if form.is_valid():
        try:
            services.vie_mission_update(
                mission=mission, by=request.user, **form.fields_for_service()
            )
        except ValidationError as error:
            add_service_errors(form, error, _FORM_FIELDS)
        else:
            messages.success(request, "La mission est enregistrée.")
            return redirect("vie:mission_detail", mission.pk)
    return _edit_page(request, mission, form=form)


@require_POST
def mission_extend(request, pk: int):
    mission = _mission_or_404(pk)
    require(permissions.can_edit_mission(request.user, mission))
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.vie_mission_extend(
                mission=mission, until=form.cleaned_data["until"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            until = form.cleaned_data["until"]
            messages.success(request, f"La mission est prolongée jusqu'au {until:%d/%m/%Y}.")
            return redirect("vie:mission_detail", mission.pk)
    return _edit_page(request, mission, extend_form=form)


@require_POST
def mission_outcome(request, pk: int):
    mission = _mission_or_404(pk)
    require(permissions.can_edit_mission(request.user, mission))
    form = OutcomeForm(request.POST, mission=mission)
    if form.is_valid():
        try:
            services.vie_mission_outcome(
                mission=mission, by=request.user, **form.fields_for_service()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "L'issue de la mission est enregistrée.")
            return redirect("vie:mission_detail", mission.pk)
    return _edit_page(request, mission, outcome_form=form)
