"""The records behind a figure: the list the computation counted (companies, dates, amounts,
partners — never a person), paginated, exported with the same filters. For an indicator
entered by hand, the values entered for the year with their source and organisation."""

from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from guichet.companies.models import Company
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.plans import selectors
from guichet.plans.charts import format_number
from guichet.plans.forms_filters import PlanFilterForm, filters_query
from guichet.plans.permissions import can_view_plans
from guichet.plans.views.dashboard import get_indicator, get_plan
from guichet.plans.views.indicator_parts import computation_info

PAGE_SIZE = 50
MANUAL_HEADERS = ["Année", "Période", "Valeur", "Source", "Organisation", "Saisie le", "Retenue"]


def display(value) -> str:
    """A cell the French way (dates, numbers, booleans); exports keep the raw values."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y H:i"
        )
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return str(value)


def company_links(records: list) -> list[str | None]:
    """The company file of each record, when the record is a company or belongs to one (one
    query for the page), so a reader can check a counted company."""
    ids = []
    for record in records:
        if isinstance(record, Company):
            ids.append(record.pk)
        else:
            ids.append(getattr(record, "company_id", None))
    sirens = dict(Company.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "siren"))
    return [reverse("companies:detail", args=[sirens[i]]) if i in sirens else None for i in ids]


def _manual_rows(indicator, year):
    values = list(
        selectors.manual_values(indicator).filter(year=year).order_by("-entered_at", "-pk")
    )
    for index, manual in enumerate(values):
        yield (
            manual.year,
            manual.period,
            manual.value,
            manual.source,
            manual.organisation.name if manual.organisation else "",
            manual.entered_at,
            index == 0,
        )


def indicator_records(request, slug, code):
    require(can_view_plans(request.user))
    plan = get_plan(slug)
    indicator = get_indicator(plan, code)
    form = PlanFilterForm(request.GET or None, plan=plan)
    filters = form.to_filters()
    result = selectors.evaluate(indicator, filters)
    fmt = request.GET.get("format", "")
    filename = f"{plan.slug}-{indicator.code}-{filters.year}"
    if indicator.is_automatic and result.figure is not None:
        records = result.figure.records
        if not records.ordered:
            records = records.order_by("pk")
        columns = result.figure.columns
        headers = [column.header for column in columns]

        def cells(record):
            return [column.value(record) for column in columns]

        if fmt in FORMATS:
            return export_response(
                rows=(cells(record) for record in records.iterator(chunk_size=2000)),
                headers=headers,
                filename=filename,
                fmt=fmt,
                sheet=indicator.code,
            )
        page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
        links = company_links(list(page))
        rows = [
            {"cells": [display(value) for value in cells(record)], "company_url": link}
            for record, link in zip(page, links, strict=True)
        ]
        manual_rows = None
    else:
        manual = list(_manual_rows(indicator, filters.year)) if not result.not_broken_down else []
        if fmt in FORMATS:
            return export_response(
                rows=manual,
                headers=MANUAL_HEADERS,
                filename=filename,
                fmt=fmt,
                sheet=indicator.code,
            )
        headers, page, rows = [], None, []
        manual_rows = [[str(row[0]), *(display(value) for value in row[1:])] for row in manual]
    query = filters_query(filters)
    context = {
        "title": f"Enregistrements – {indicator.code} – {indicator.name}",
        "plan": plan,
        "indicator": indicator,
        "form": form,
        "filters": filters,
        "active_filters": form.active_labels(),
        "result": result,
        "value": format_number(result.value, indicator.unit) if result.value is not None else "–",
        "computation": computation_info(indicator),
        "headers": headers,
        "rows": rows,
        "page_obj": page,
        "has_figure": result.figure is not None,
        "has_company_links": any(row["company_url"] for row in rows),
        "manual_headers": MANUAL_HEADERS,
        "manual_rows": manual_rows,
        "query": query,
        "dashboard_url": f"{reverse('plans:dashboard', args=[plan.slug])}?{query}",
        "indicator_url": f"{reverse('plans:indicator', args=[plan.slug, indicator.code])}?{query}",
        "reset_url": reverse("plans:records", args=[plan.slug, indicator.code]),
    }
    return render(request, "plans/records.html", context)
