"""Members' pages of the collective actions: the list of a year's actions (filters, counts,
budget, exports), creating and editing an action (managers of the organiser), its page (all
fields, the money, the registrations and results blocks of the other parts), publishing and
cancelling it. The rules are the services'; these views only wire them."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.collective import permissions, selectors
from guichet.collective.forms_actions import ActionFilterForm, ActionForm, CancelForm
from guichet.collective.models import CollectiveAction, Programme
from guichet.collective.selectors_registrations import action_registrations_context
from guichet.collective.selectors_results import action_results_summary
from guichet.collective.services import actions as services
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import is_platform_admin, require

EXPORT_HEADERS = [
    "Identifiant",
    "Programme",
    "Intitulé",
    "Type",
    "État",
    "Début",
    "Fin",
    "Ville",
    "Pays",
    "Filières",
    "Organisateur",
    "Partenaires",
    "Places",
    "Places attribuées",
    "Demandes en cours",
    "Participations confirmées",
    "Date limite d'inscription",
    "Coût complet par entreprise (€)",
    "Participation de l'entreprise (€)",
    "Part publique par entreprise (€)",
    "Coûts admissibles (€)",
    "Taux de prise en charge (%)",
    "Plafond par entreprise (€)",
    "Prise en charge selon les règles (€)",
    "Participations subventionnées (limite)",
    "Régime",
    "Budget public (€)",
]


def _breadcrumb(current: str, action: CollectiveAction | None = None) -> dict:
    links = [{"url": reverse("collective:actions"), "title": "Actions collectives"}]
    if action is not None:
        links.append(
            {"url": reverse("collective:action_detail", args=[action.slug]), "title": action.title}
        )
    return {"links": links, "current": current, "root_dir": "/"}


def _action_or_404(slug: str) -> CollectiveAction:
    action = selectors.action_for_staff(slug)
    if action is None:
        raise Http404("Aucune action collective ne porte cet identifiant.")
    return action


def _add_errors(form, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _year_of(request, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    today = timezone.localdate().year
    return today if today in years or not years else years[0]


def _export_rows(actions):
    for a in actions:
        money = selectors.money_of(a)
        yield (
            a.slug,
            a.programme.year,
            a.title,
            a.get_kind_display(),
            a.get_status_display(),
            a.starts_on,
            a.ends_on,
            a.city,
            a.country.name_fr,
            ", ".join(f.name for f in a.filieres.all()),
            a.organiser.name,
            ", ".join(p.name for p in a.partners.all()),
            a.capacity,
            a.places_held,
            a.requests,
            a.confirmed,
            a.registration_deadline,
            money.full_cost,
            money.company_fee,
            money.public_share,
            money.eligible_total,
            (money.rate * 100).quantize(Decimal("0.01")),
            money.cap,
            money.rules_subsidy,
            money.limit,
            money.regime_label,
            a.budget,
        )


def action_list(request):
    require(permissions.can_view_actions(request.user))
    years = selectors.programme_years()
    year = _year_of(request, years)
    form = ActionFilterForm(request.GET or None, years=years, initial={"year": year})
    programme = Programme.objects.filter(year=year).first()
    actions = selectors.staff_actions(year=year, **form.filters())
    if request.GET.get("format", "") in FORMATS:
        return export_response(
            rows=_export_rows(actions.prefetch_related("partners")),
            headers=EXPORT_HEADERS,
            filename=f"actions-collectives-{year}",
            fmt=request.GET["format"],
            sheet=f"Actions {year}",
        )
    rows = list(actions)
    for action in rows:
        action.money = selectors.money_of(action)
    context = {
        "title": "Actions collectives",
        "year": year,
        "years": years,
        "form": form,
        "programme": programme,
        "rows": rows,
        "totals": selectors.totals(rows),
        "has_filters": any(request.GET.get(k) for k in ("kind", "filiere", "status", "organiser")),
        "can_create": permissions.can_manage_action(request.user) and programme is not None,
        "can_manage_programme": permissions.can_manage_programme(request.user),
        "next_year": timezone.localdate().year + 1,
    }
    return render(request, "collective/actions/list.html", context)


def action_create(request):
    require(permissions.can_manage_action(request.user))
    admin = is_platform_admin(request.user)
    initial = {}
    year = request.GET.get("annee", "")
    if year.isdigit():
        initial["programme"] = year
    form = ActionForm(
        request.POST or None,
        initial=initial,
        admin=admin,
        organiser_id=None if admin else request.user.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        organiser = form.cleaned_data.get("organiser") if admin else request.user.organisation
        try:
            action = services.action_create(
                programme=form.cleaned_data["programme"],
                by=request.user,
                organiser=organiser,
                **form.fields_for_service(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"L'action « {action.title} » est créée, en préparation : publiez-la pour "
                "l'ouvrir aux inscriptions.",
            )
            return redirect("collective:action_detail", action.slug)
    context = {
        "title": "Nouvelle action collective",
        "form": form,
        "has_programme": Programme.objects.exists(),
        "cancel_url": reverse("collective:actions"),
        "breadcrumb_data": _breadcrumb("Nouvelle action"),
    }
    return render(request, "collective/actions/form.html", context)


def action_edit(request, slug: str):
    action = _action_or_404(slug)
    require(permissions.can_manage_action(request.user, action))
    form = ActionForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, by=request.user, **form.fields_for_service())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "L'action est enregistrée.")
            return redirect("collective:action_detail", action.slug)
    context = {
        "title": f"Modifier — {action.title}",
        "form": form,
        "action": action,
        "cancel_url": reverse("collective:action_detail", args=[action.slug]),
        "breadcrumb_data": _breadcrumb("Modifier", action),
    }
    return render(request, "collective/actions/form.html", context)


def _detail(request, action, *, cancel_form=None, status=200):
    selectors.with_names([action])
    money = selectors.money_of(action)
    results = action_results_summary(action)
    context = {
        "title": action.title,
        "action": action,
        "money": money,
        "places_left": selectors.places_left(action),
        "badge": selectors.STATUS_BADGES.get(action.status, ""),
        "can_manage": permissions.can_manage_action(request.user, action),
        "cancel_form": cancel_form or CancelForm(),
        "reg": action_registrations_context(action, request.user),
        "results": results,
        "breadcrumb_data": _breadcrumb(action.title),
    }
    # The results partial may read its keys (all prefixed "results_") at the top level too.
    context.update({k: v for k, v in results.items() if k not in context})
    return render(request, "collective/actions/detail.html", context, status=status)


def action_detail(request, slug: str):
    require(permissions.can_view_actions(request.user))
    return _detail(request, _action_or_404(slug))


@require_POST
def action_publish(request, slug: str):
    action = _action_or_404(slug)
    require(permissions.can_manage_action(request.user, action))
    try:
        services.action_publish(action=action, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if action.programme.is_published:
            messages.success(request, "L'action est publiée dans le programme.")
        else:
            messages.success(
                request,
                f"L'action est publiée ; elle apparaîtra sur la page publique quand le "
                f"programme {action.programme.year} sera publié.",
            )
    return redirect("collective:action_detail", action.slug)


@require_POST
def action_cancel(request, slug: str):
    action = _action_or_404(slug)
    require(permissions.can_manage_action(request.user, action))
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.action_cancel(
                action=action, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "L'action est annulée.")
            return redirect("collective:action_detail", action.slug)
    return _detail(request, _action_or_404(slug), cancel_form=form, status=400)
