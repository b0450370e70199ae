from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.partners import permissions, selectors, services
from guichet.partners.forms import ApiKeyForm, OrganisationForm
from guichet.partners.models import ApiKey, Organisation


def _territory(organisation: Organisation) -> str:
    names = [r.name for r in organisation.regions.all()]
    names += [f"{d.name} ({d.code})" for d in organisation.departements.all()]
    return ", ".join(names)


def directory(request):
    require(permissions.can_view_directory(request.user))
    manage = permissions.can_manage_partners(request.user)
    organisations = selectors.organisations_directory(include_inactive=manage)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=(
                (o.name, o.get_kind_display(), _territory(o), o.member_count, o.is_active)
                for o in organisations
            ),
            headers=["Organisation", "Type", "Territoire", "Membres actifs", "Active"],
            filename="organisations-partenaires",
            fmt=fmt,
        )
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    context = {"title": "Organisations partenaires", "page_obj": page, "can_manage": manage}
    return render(request, "partners/organisation_list.html", context)


def detail(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(permissions.can_view_organisation(request.user, organisation))
    context = {
        "title": organisation.name,
        "organisation": organisation,
        "members": selectors.organisation_members(organisation),
        "api_keys": selectors.api_keys_of(organisation),
        "can_manage": permissions.can_manage_partners(request.user),
        "new_key": request.session.pop("new_api_key", None),
    }
    return render(request, "partners/organisation_detail.html", context)


def create(request):
    require(permissions.can_manage_partners(request.user))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**form.cleaned_data)
        messages.success(request, f"L'organisation « {organisation.name} » est créée.")
        return redirect("partners:organisation_detail", slug=organisation.slug)
    context = {"title": "Nouvelle organisation", "form": form}
    return render(request, "partners/organisation_form.html", context)


def edit(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(permissions.can_manage_partners(request.user))
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, "Les modifications sont enregistrées.")
        return redirect("partners:organisation_detail", slug=organisation.slug)
    context = {"title": f"Modifier {organisation.name}", "form": form, "organisation": organisation}
    return render(request, "partners/organisation_form.html", context)


@require_POST
def api_key_create(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(permissions.can_manage_api_keys(request.user))
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Donnez un libellé à la clé (100 caractères au plus).")
        return redirect("partners:organisation_detail", slug=slug)
    _key, raw = services.api_key_create(organisation=organisation, name=form.cleaned_data["name"])
    # Shown once on the next page, then gone: only the hash is stored.
    request.session["new_api_key"] = raw
    return redirect("partners:organisation_detail", slug=slug)


@require_POST
def api_key_revoke(request, slug: str, pk: int):
    key = get_object_or_404(ApiKey, pk=pk, organisation__slug=slug)
    require(permissions.can_manage_api_keys(request.user))
    services.api_key_revoke(key=key)
    messages.success(request, f"La clé « {key.name} » est révoquée.")
    return redirect("partners:organisation_detail", slug=slug)
