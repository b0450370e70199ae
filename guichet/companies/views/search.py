"""The registry search page: search box, filters, results table, exports."""

from django.shortcuts import render

from guichet.companies import permissions
from guichet.companies.forms_search import SearchForm
from guichet.companies.search import search_companies
from guichet.companies.search.listing import (
    EXPORT_HEADERS,
    CappedPaginator,
    export_rows,
    headquarters_of,
    with_headquarters,
)
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require

PAGE_SIZE = 25


def search(request):
    """Nothing is listed until something is asked: a registry of a whole region (or country)
    is no list to scroll."""
    require(permissions.can_search_registry(request.user))
    form = SearchForm(request.GET or None)
    context = {
        "title": "Entreprises",
        "form": form,
        "searched": False,
        "can_run_imports": permissions.can_run_imports(request.user),
    }
    if form.is_bound and form.is_valid() and not (filters := form.filters()).is_empty():
        companies = search_companies(filters)
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            return export_response(
                rows=export_rows(companies),
                headers=EXPORT_HEADERS,
                filename="entreprises",
                fmt=fmt,
                sheet="Entreprises",
            )
        page = CappedPaginator(with_headquarters(companies), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.pages_list = page.paginator.get_elided_page_range(page.number)
        context.update(
            searched=True,
            page_obj=page,
            rows=[(company, headquarters_of(company)) for company in page],
            has_filters=filters.has_filters(),
            query_only=filters.q,
        )
    return render(request, "companies/search.html", context)
