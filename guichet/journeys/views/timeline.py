"""The company's whole timeline (filter, pages, exports) and the advisor's exchange form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from guichet.companies.models import Company
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.journeys import permissions
from guichet.journeys.forms import TimelineFilterForm, TimelineNoteForm
from guichet.journeys.selectors import timeline_for
from guichet.journeys.services import timeline_note_create

PAGE_SIZE = 50
EXPORT_HEADERS = [
    "Date",
    "Type",
    "Titre",
    "Texte",
    "Auteur",
    "Organisation",
    "Confidentiel",
    "Source",
    "Lien",
]


def _company_or_404(siren: str) -> Company:
    return get_object_or_404(Company, siren=siren)


def _breadcrumb(company: Company, current: str) -> dict:
    return {
        "links": [
            {"url": reverse("companies:search"), "title": "Entreprises"},
            {"url": reverse("companies:detail", args=[company.siren]), "title": company.name},
        ],
        "current": current,
        "root_dir": "/",
    }


def _export_row(request, event) -> tuple:
    return (
        timezone.localtime(event.occurred_at).replace(microsecond=0),
        event.get_kind_display(),
        event.title,
        event.text,
        event.author.get_full_name() if event.author else "",
        str(event.organisation) if event.organisation else "",
        "oui" if event.confidential else "non",
        event.source,
        request.build_absolute_uri(event.link) if event.link else "",
    )


def timeline(request, siren: str):
    company = _company_or_404(siren)
    require(permissions.can_view_timeline(request.user, company))
    form = TimelineFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_bound and form.is_valid() else ""
    events = timeline_for(company=company, user=request.user, kinds=[kind] if kind else None)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=(_export_row(request, event) for event in events.iterator()),
            headers=EXPORT_HEADERS,
            filename=f"historique-{company.siren}",
            fmt=fmt,
            sheet="Historique",
        )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number)
    context = {
        "title": f"Historique des échanges — {company.name}",
        "company": company,
        "form": form,
        "filtered": bool(kind),
        "page_obj": page,
        "can_add": permissions.can_add_timeline_note(request.user, company),
        "breadcrumb_data": _breadcrumb(company, "Historique des échanges"),
    }
    return render(request, "journeys/timeline.html", context)


def _add_errors(form, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def note_create(request, siren: str):
    company = _company_or_404(siren)
    require(permissions.can_add_timeline_note(request.user, company))
    form = TimelineNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = timeline_note_create(company=company, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"L'échange « {event.title} » est ajouté au suivi.")
            return redirect(reverse("companies:detail", args=[company.siren]) + "#suivi")
    context = {
        "title": "Ajouter un échange",
        "company": company,
        "form": form,
        "breadcrumb_data": _breadcrumb(company, "Ajouter un échange"),
    }
    return render(request, "journeys/note_form.html", context)
