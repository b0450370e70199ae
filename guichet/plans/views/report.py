"""The yearly report downloaded from the dashboard: ``?year=&format=pdf|xlsx`` and the
dashboard's filters (partner, filière, département, size). A bad parameter gives a French page
saying what to correct (400), an unknown plan a 404."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from guichet.core.permissions import require
from guichet.plans import selectors
from guichet.plans.permissions import can_view_plans
from guichet.plans.report import build_report
from guichet.plans.report_params import format_error, parse_filters, parse_year, valid_slug

LABELS = {
    "year": "Année",
    "format": "Format",
    "partner": "Partenaire",
    "filiere": "Filière",
    "departement": "Département",
    "size": "Taille d'entreprise",
}


def _plan_or_404(slug: str):
    plan = selectors.plan_by_slug(slug) if valid_slug(slug) else None
    if plan is None:
        raise Http404("Aucun plan ne porte cet identifiant.")
    return plan


def _bad_request(request, plan, errors: dict[str, list[str]]):
    context = {
        "plan": plan,
        "errors": [
            (LABELS.get(name, name), message)
            for name, messages in errors.items()
            for message in messages
        ],
        "dashboard_url": reverse("plans:dashboard", args=[plan.slug]),
        "breadcrumb_data": {
            "links": [
                {"url": reverse("plans:plan_list"), "title": "Plans"},
                {"url": reverse("plans:dashboard", args=[plan.slug]), "title": plan.name},
            ],
            "current": "Bilan annuel",
            "root_dir": "/",
        },
    }
    return render(request, "plans/report/bad_request.html", context, status=400)


def report_download(request, slug: str):
    require(can_view_plans(request.user))
    plan = _plan_or_404(slug)
    year, year_error = parse_year(plan, request.GET.get("year"))
    fmt = (request.GET.get("format") or "pdf").strip().lower()
    parsed = parse_filters(request.GET, plan=plan, year=year)
    errors = dict(parsed.errors)
    if year_error:
        errors = {"year": [year_error], **errors}
    if format_error(fmt):
        errors = {"format": [format_error(fmt)], **errors}
    if errors:
        return _bad_request(request, plan, errors)
    content, filename, content_type = build_report(plan, year, parsed.filters, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
