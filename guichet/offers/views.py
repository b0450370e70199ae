"""Pages of the catalogue: the list for advisors, an offer's page, the provider's form, and the
yearly guide (public, HTML and PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.companies.models import ExportStatus
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.offers import permissions, services
from guichet.offers.eligibility import audience_lines, rules_of, stage_labels
from guichet.offers.forms import CatalogueFilterForm, OfferForm
from guichet.offers.guide import guide_for, guide_pdf
from guichet.offers.selectors import offer_by_slug, search_offers

PAGE_SIZE = 24
EXPORT_HEADERS = [
    "Intitulé",
    "Organisme",
    "Type",
    "En une phrase",
    "Étapes du parcours",
    "Tailles",
    "Statuts export",
    "Filières",
    "Régions",
    "Effectif minimum",
    "Effectif maximum",
    "Âge minimum (ans)",
    "Âge maximum (ans)",
    "Dimensions du diagnostic",
    "Coût pour l'entreprise",
    "Financement public",
    "Lien",
    "Courriel de contact",
    "Téléphone de contact",
    "Valable du",
    "Valable jusqu'au",
    "Publiée",
    "Identifiant",
]


def _breadcrumb(current: str, offer=None) -> dict:
    links = [{"url": reverse("offers:catalogue"), "title": "Catalogue des offres"}]
    if offer is not None:
        links.append({"url": reverse("offers:detail", args=[offer.slug]), "title": offer.title})
    return {"links": links, "current": current, "root_dir": "/"}


def _offer_or_404(slug: str):
    offer = offer_by_slug(slug)
    if offer is None:
        raise Http404("Aucune offre ne porte cet identifiant.")
    return offer


def _labels(codes, labels: dict) -> str:
    return ", ".join(str(labels.get(code, code)) for code in codes or ())


def _export_rows(offers):
    stages = stage_labels()
    statuses = dict(ExportStatus.choices)
    dimensions = dict(services.dimension_choices())
    for o in offers:
        yield (
            o.title,
            o.provider.name,
            o.get_kind_display(),
            o.summary,
            _labels(o.stages, stages),
            ", ".join(o.sizes or ()),
            _labels(o.export_statuses, statuses),
            ", ".join(f.name for f in o.filieres.all()),
            ", ".join(r.name for r in o.regions.all()),
            o.min_employees,
            o.max_employees,
            o.min_age_years,
            o.max_age_years,
            _labels(o.dimensions, dimensions),
            o.cost_to_company,
            o.public_funding,
            o.link,
            o.contact_email,
            o.contact_phone,
            o.valid_from,
            o.valid_until,
            "oui" if o.is_active else "non",
            o.slug,
        )


def catalogue(request):
    require(permissions.can_view_catalogue(request.user))
    form = CatalogueFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        offers = []
    else:
        filters = form.cleaned_data if form.is_bound else {}
        offers = search_offers(
            q=filters.get("q", ""),
            kind=filters.get("kind", ""),
            provider=filters.get("provider", ""),
            stage=filters.get("stage", ""),
            size=filters.get("size", ""),
            filiere=filters.get("filiere", ""),
            current=filters.get("current", False),
            withdrawn=filters.get("withdrawn", False),
        )
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=_export_rows(offers),
            headers=EXPORT_HEADERS,
            filename="offres",
            fmt=fmt,
            sheet="Offres",
        )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number)
    has_filters = bool(form.is_bound and any(form.data.get(k) for k in form.fields))
    context = {
        "title": "Catalogue des offres",
        "form": form,
        "page_obj": page,
        "offers": list(page),
        "count": len(offers),
        "has_filters": has_filters,
        "can_create": permissions.can_create_offer(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "offers/catalogue.html", context)


def detail(request, slug: str):
    require(permissions.can_view_catalogue(request.user))
    offer = _offer_or_404(slug)
    context = {
        "title": offer.title,
        "offer": offer,
        "audience": audience_lines(rules_of(offer)),
        "stages": _labels(offer.stages, stage_labels()),
        "export_statuses": _labels(offer.export_statuses, dict(ExportStatus.choices)),
        "dimensions": _labels(offer.dimensions, dict(services.dimension_choices())),
        "can_edit": permissions.can_edit_offer(request.user, offer),
        "today": timezone.localdate(),
        "breadcrumb_data": _breadcrumb(offer.title),
    }
    return render(request, "offers/detail.html", context)


def _save(request, form, offer=None):
    """Call the service; its French refusals land on the form's fields."""
    fields = form.fields_for_service()
    if not permissions.can_publish_for(request.user, fields["provider"]):
        form.add_error("provider", "Vous ne pouvez publier que les offres de votre organisation.")
        return None
    try:
        if offer is None:
            return services.offer_create(**fields)
        return services.offer_update(offer=offer, **fields)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None


def create(request):
    require(permissions.can_create_offer(request.user))
    form = OfferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        offer = _save(request, form)
        if offer is not None:
            messages.success(request, f"L'offre « {offer.title} » est publiée dans le catalogue.")
            return redirect("offers:detail", offer.slug)
    context = {
        "title": "Nouvelle offre",
        "form": form,
        "cancel_url": reverse("offers:catalogue"),
        "breadcrumb_data": _breadcrumb("Nouvelle offre"),
    }
    return render(request, "offers/offer_form.html", context)


def edit(request, slug: str):
    offer = _offer_or_404(slug)
    require(permissions.can_edit_offer(request.user, offer))
    form = OfferForm(request.POST or None, user=request.user, offer=offer)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, offer)
        if saved is not None:
            messages.success(request, f"L'offre « {saved.title} » est enregistrée.")
            return redirect("offers:detail", saved.slug)
    context = {
        "title": f"Modifier l'offre « {offer.title} »",
        "form": form,
        "offer": offer,
        "cancel_url": reverse("offers:detail", args=[offer.slug]),
        "breadcrumb_data": _breadcrumb("Modifier", offer),
    }
    return render(request, "offers/offer_form.html", context)


@require_POST
def archive(request, slug: str):
    offer = _offer_or_404(slug)
    require(permissions.can_edit_offer(request.user, offer))
    if offer.is_active:
        services.offer_archive(offer=offer)
        messages.success(
            request,
            f"L'offre « {offer.title} » est retirée du catalogue : elle n'est plus proposée "
            "aux entreprises ni imprimée dans le guide.",
        )
    else:
        services.offer_restore(offer=offer)
        messages.success(request, f"L'offre « {offer.title} » est de nouveau publiée.")
    return redirect("offers:detail", offer.slug)


# --- the yearly guide (public) -----------------------------------------------------------------


def _guide_year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("annee", "")
    if raw.isdigit() and today.year - 10 <= int(raw) <= today.year + 1:
        return int(raw)
    return today.year


@login_not_required
def guide(request):
    year = _guide_year(request)
    context = {
        "title": f"Programme export {year}",
        "guide": guide_for(year),
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 3, -1)),
    }
    return render(request, "offers/guide.html", context)


@login_not_required
def guide_pdf_view(request):
    year = _guide_year(request)
    response = HttpResponse(guide_pdf(guide_for(year)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programme-export-{year}.pdf"'
    return response
