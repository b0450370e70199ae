"""The plan's pages: the list of plans, the dashboard (every indicator against its target, the
statuses, the map, the funnel) and an indicator's page (definition, series, breakdowns)."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.plans import selectors
from guichet.plans.charts import format_number
from guichet.plans.forms_filters import PlanFilterForm, filters_query
from guichet.plans.permissions import can_create_plan, can_edit_plan, can_view_plans
from guichet.plans.views import dashboard_parts as parts
from guichet.plans.views import indicator_parts


def get_plan(slug: str):
    plan = selectors.plan_by_slug(slug)
    if plan is None:
        raise Http404("Plan inconnu")
    return plan


def get_indicator(plan, code: str):
    indicator = selectors.indicators_of(plan).filter(code=code).first()
    if indicator is None:
        raise Http404("Indicateur inconnu")
    return indicator


def plan_list(request):
    require(can_view_plans(request.user))
    plans = selectors.plans().annotate(
        indicator_count=Count("indicators", distinct=True),
        measure_count=Count("measures", distinct=True),
    )
    context = {
        "title": "Plan et indicateurs",
        "plans": plans,
        "can_create": can_create_plan(request.user),
        "create_url": parts.page_url("plans:plan_create"),
        "library_url": parts.page_url("plans:library"),
    }
    return render(request, "plans/plan_list.html", context)


def plan_dashboard(request, slug):
    require(can_view_plans(request.user))
    plan = get_plan(slug)
    form = PlanFilterForm(request.GET or None, plan=plan)
    filters = form.to_filters()
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=parts.export_rows(selectors.evaluate_plan(plan, filters)),
            headers=parts.EXPORT_HEADERS,
            filename=f"{plan.slug}-tableau-de-bord-{filters.year}",
            fmt=fmt,
            sheet=f"Indicateurs {filters.year}",
        )
    measures = selectors.evaluate_plan(plan, filters, with_series=True)
    query = filters_query(filters)
    dashboard_url = reverse("plans:dashboard", args=[plan.slug])
    report_url = parts.page_url("plans:report", plan.slug)
    may_edit = can_edit_plan(request.user, plan)
    context = {
        "title": plan.name,
        "plan": plan,
        "form": form,
        "filters": filters,
        "active_filters": form.active_labels(),
        "query": query,
        "axes": parts.axes_of(measures, plan=plan, query=query, user=request.user),
        "summary": parts.status_summary(measures),
        "indicator_count": sum(len(item.results) for item in measures),
        "map": parts.map_context(plan, filters, dashboard_url=dashboard_url),
        "funnel": parts.funnel_context(plan, filters, query=query),
        # The report takes the dashboard's filters: the same figures on paper.
        "report_pdf_url": f"{report_url}?{query}&format=pdf" if report_url else None,
        "report_xlsx_url": f"{report_url}?{query}&format=xlsx" if report_url else None,
        "impact_url": parts.page_url("plans:impact", plan.slug),
        "export_csv_url": f"{dashboard_url}?{query}&format=csv",
        "export_xlsx_url": f"{dashboard_url}?{query}&format=xlsx",
        "reset_url": dashboard_url,
        "may_edit": may_edit,
        "edit_url": parts.page_url("plans:plan_edit", plan.slug) if may_edit else None,
        "indicator_create_url": parts.page_url("plans:indicator_create", plan.slug)
        if may_edit
        else None,
    }
    return render(request, "plans/dashboard.html", context)


def indicator_detail(request, slug, code):
    require(can_view_plans(request.user))
    plan = get_plan(slug)
    indicator = get_indicator(plan, code)
    form = PlanFilterForm(request.GET or None, plan=plan)
    filters = form.to_filters()
    result = selectors.evaluate(indicator, filters, with_series=True)
    query = filters_query(filters)
    context = {
        "title": f"{indicator.code} – {indicator.name}",
        "plan": plan,
        "indicator": indicator,
        "form": form,
        "filters": filters,
        "active_filters": form.active_labels(),
        "query": query,
        "row": parts.indicator_row(result, plan=plan, query=query, user=request.user),
        "computation": indicator_parts.computation_info(indicator),
        "series_chart": indicator_parts.series_chart(indicator, result),
        "years": indicator_parts.year_rows(indicator, result),
        "breakdowns": indicator_parts.breakdown_charts(indicator, filters, plan=plan),
        "manual_values": indicator_parts.manual_history(indicator),
        "baseline": format_number(indicator.baseline, indicator.unit)
        if indicator.baseline is not None
        else None,
        "dashboard_url": f"{reverse('plans:dashboard', args=[plan.slug])}?{query}",
        "reset_url": reverse("plans:indicator", args=[plan.slug, indicator.code]),
    }
    return render(request, "plans/indicator.html", context)
