"""Cooperation agreements: the list (filter by country, CSV/XLSX exports), recording one for
one's organisation and editing it. The rules are the services'; who may do what is
guichet.markets.permissions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import is_platform_admin, require
from guichet.markets import permissions, selectors, services
from guichet.markets.forms import AgreementFilterForm, AgreementForm
from guichet.markets.models import CooperationAgreement

EXPORT_HEADERS = [
    "Identifiant",
    "Pays",
    "Code pays (ISO alpha-3)",
    "Intitulé",
    "Partenaire étranger",
    "Signé le",
    "Prend fin le",
    "Organisation",
    "Description",
]


def _breadcrumb(current: str) -> dict:
    return {
        "links": [
            {"url": reverse("markets:explorer"), "title": "Marchés"},
            {"url": reverse("markets:agreements"), "title": "Accords de coopération"},
        ],
        "current": current,
        "root_dir": "/",
    }


def _export(found, fmt: str):
    rows = (
        (
            a.pk,
            a.country.name_fr,
            a.country.iso3,
            a.title,
            a.counterpart,
            a.signed_on,
            a.ends_on,
            a.organisation.name,
            a.description,
        )
        for a in found
    )
    return export_response(
        rows=rows,
        headers=EXPORT_HEADERS,
        filename="accords-cooperation",
        fmt=fmt,
        sheet="Accords de coopération",
    )


def agreement_list(request):
    require(permissions.can_view_markets(request.user))
    form = AgreementFilterForm(request.GET or None)
    country = form.cleaned_data.get("pays") if form.is_bound and form.is_valid() else None
    found = [] if form.is_bound and not form.is_valid() else selectors.agreements(country=country)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _export(found, fmt)
    rows = [
        {"agreement": a, "can_edit": permissions.can_edit_agreement(request.user, a)} for a in found
    ]
    context = {
        "title": "Accords de coopération",
        "form": form,
        "rows": rows,
        "count": len(rows),
        "filtered": country is not None,
        "can_record": permissions.can_record_agreement(request.user),
        "can_load": permissions.can_load_market_data(request.user),
        "markets_tab": "agreements",
    }
    return render(request, "markets/agreement_list.html", context)


def _save(request, form, agreement=None):
    """Call the service with the form's values; its refusals go on the fields."""
    values = form.service_values()
    try:
        if agreement is None:
            organisation = form.cleaned_data.get("organisation") or request.user.organisation
            return services.agreement_create(organisation=organisation, by=request.user, **values)
        return services.agreement_update(agreement=agreement, by=request.user, **values)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None


def _choose_organisation(user) -> bool:
    """Administrators without an organisation say whose agreement it is."""
    return is_platform_admin(user) and user.organisation_id is None


@require_http_methods(["GET", "POST"])
def agreement_create(request):
    require(permissions.can_record_agreement(request.user))
    choose = _choose_organisation(request.user)
    if request.method == "POST":
        form = AgreementForm(request.POST, choose_organisation=choose)
        if form.is_valid() and (agreement := _save(request, form)) is not None:
            messages.success(request, f"L'accord « {agreement.title} » est enregistré.")
            return redirect("markets:agreements")
    else:
        initial = {}
        country = selectors.country_by_iso3(request.GET.get("pays", ""))
        if country is not None:
            initial["country"] = country
        form = AgreementForm(initial=initial, choose_organisation=choose)
    context = {
        "title": "Nouvel accord de coopération",
        "form": form,
        "cancel_url": reverse("markets:agreements"),
        "breadcrumb_data": _breadcrumb("Nouvel accord"),
    }
    return render(request, "markets/agreement_form.html", context)


@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk: int):
    agreement = CooperationAgreement.objects.select_related("country").filter(pk=pk).first()
    if agreement is None:
        raise Http404("Aucun accord de coopération ne porte ce numéro.")
    require(permissions.can_edit_agreement(request.user, agreement))
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid() and _save(request, form, agreement) is not None:
            messages.success(request, f"L'accord « {agreement.title} » est modifié.")
            return redirect("markets:agreements")
    else:
        form = AgreementForm(
            initial={
                "country": agreement.country,
                "title": agreement.title,
                "counterpart": agreement.counterpart,
                "signed_on": agreement.signed_on,
                "ends_on": agreement.ends_on,
                "description": agreement.description,
            }
        )
    context = {
        "title": f"Modifier l'accord « {agreement.title} »",
        "form": form,
        "agreement": agreement,
        "cancel_url": reverse("markets:agreements"),
        "breadcrumb_data": _breadcrumb(agreement.title),
    }
    return render(request, "markets/agreement_form.html", context)
