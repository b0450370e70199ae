"""The indicator library (ARRICOD's impact and internationalisation indicators, seed 004, each
rated from 1 to 5 for the ease of access to its data and for its relevance): every member reads
it and exports it; a manager who may change a plan picks an entry into one of its measures."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.plans import computations, permissions, selectors, services
from guichet.plans.forms import LibraryFilterForm, LibraryPickForm
from guichet.plans.models import LibraryEntry, Plan
from guichet.plans.views.editing import add_service_errors

EXPORT_HEADERS = [
    "Famille",
    "Indicateur",
    "Accès à la donnée (1 à 5)",
    "Pertinence (1 à 5)",
    "Unité",
    "Source",
    "Calcul automatique",
]
_ORDER = {
    "pertinence": ("-relevance", "-access", "family", "order", "name"),
    "acces": ("-access", "-relevance", "family", "order", "name"),
    "famille": ("family", "order", "name"),
}


def rating_text(value: Decimal) -> str:
    """2.5 → "2,5"; 4.0 → "4"."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rating_badge(value: Decimal) -> str:
    """A DSFR badge colour by level: 4 and more is good, under 2 is poor."""
    if value >= 4:
        return "success"
    if value >= 3:
        return "info"
    if value >= 2:
        return "warning"
    return "error"


def entries(*, family: str = "", sort: str = "pertinence"):
    found = LibraryEntry.objects.all()
    if family:
        found = found.filter(family=family)
    return found.order_by(*_ORDER.get(sort, _ORDER["pertinence"]))


def _computation_label(entry: LibraryEntry) -> str:
    computation = computations.get(entry.computation) if entry.computation else None
    return computation.label if computation else ""


def _row(entry: LibraryEntry) -> dict:
    return {
        "entry": entry,
        "access": rating_text(entry.access),
        "access_badge": rating_badge(entry.access),
        "relevance": rating_text(entry.relevance),
        "relevance_badge": rating_badge(entry.relevance),
        "computation": _computation_label(entry),
    }


def _export_rows(found):
    for entry in found:
        yield (
            entry.get_family_display(),
            entry.name,
            entry.access,
            entry.relevance,
            entry.unit,
            entry.source,
            _computation_label(entry) or "Saisie manuelle",
        )


def _target_plan(request) -> Plan | None:
    """The plan the manager came from (``?plan=slug``), if they may change it."""
    slug = request.GET.get("plan", "")
    plan = selectors.plan_by_slug(slug) if slug else None
    if plan is not None and permissions.can_edit_plan(request.user, plan):
        return plan
    return None


def library_list(request):
    require(permissions.can_view_plans(request.user))
    form = LibraryFilterForm(request.GET or None)
    found = [] if form.is_bound and not form.is_valid() else entries(**form.filters())
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=_export_rows(found),
            headers=EXPORT_HEADERS,
            filename="bibliotheque-indicateurs",
            fmt=fmt,
            sheet="Bibliothèque d'indicateurs",
        )
    plan = _target_plan(request)
    can_pick = permissions.can_create_plan(request.user) and (
        plan is not None
        or any(permissions.can_edit_plan(request.user, p) for p in Plan.objects.all())
    )
    context = {
        "title": "Bibliothèque d'indicateurs",
        "form": form,
        "rows": [_row(entry) for entry in found],
        "count": len(found),
        "plan": plan,
        "can_pick": can_pick,
        "library_empty": not LibraryEntry.objects.exists(),
        "breadcrumb_data": {
            "links": [{"url": reverse("plans:plan_list"), "title": "Plans"}],
            "current": "Bibliothèque d'indicateurs",
            "root_dir": "/",
        },
    }
    return render(request, "plans/library.html", context)


@require_http_methods(["GET", "POST"])
def library_pick(request, pk: int):
    """Add a library entry to a measure of a plan the user may change."""
    entry = LibraryEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404("Cet indicateur n'est pas dans la bibliothèque.")
    require(permissions.can_create_plan(request.user))
    plan = _target_plan(request)
    form = LibraryPickForm(request.POST or None, user=request.user, plan=plan)
    require(form.fields["measure"].queryset.exists())
    created = {}

    def call():
        measure = form.cleaned_data["measure"]
        created["indicator"] = services.indicator_from_library(
            plan=measure.plan,
            measure=measure,
            entry=entry,
            code=form.cleaned_data["code"],
            by=request.user,
        )

    if request.method == "POST" and form.is_valid():
        try:
            call()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            indicator = created["indicator"]
            messages.success(
                request,
                f"« {indicator.name} » est ajouté au plan {indicator.plan.name} sous le code "
                f"{indicator.code} : vérifiez-le et fixez ses cibles.",
            )
            return redirect("plans:indicator_edit", indicator.plan.slug, indicator.code)
    library_url = reverse("plans:library")
    context = {
        "title": "Ajouter un indicateur de la bibliothèque",
        "row": _row(entry),
        "form": form,
        "cancel_url": f"{library_url}?plan={plan.slug}" if plan else library_url,
        "breadcrumb_data": {
            "links": [
                {"url": reverse("plans:plan_list"), "title": "Plans"},
                {"url": library_url, "title": "Bibliothèque d'indicateurs"},
            ],
            "current": "Ajouter à un plan",
            "root_dir": "/",
        },
    }
    return render(request, "plans/edit_library_pick.html", context)


urlpatterns = [
    path("plans/bibliotheque/indicateurs/", library_list, name="library"),
    path(
        "plans/bibliotheque/indicateurs/<int:pk>/ajouter/",
        library_pick,
        name="library_pick",
    ),
]
