"""Aid schemes: the list every member reads (and exports), a scheme's page, and the form of
the provider's managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from guichet.aids import permissions
from guichet.aids.forms_schemes import SchemeForm, formset_rows, scheme_row_formsets
from guichet.aids.models import AidScheme, BudgetEnvelope
from guichet.aids.selectors import envelope_position
from guichet.aids.services.schemes import scheme_closed_reason, scheme_save
from guichet.aids.views import error_summary
from guichet.companies.models import ExportStatus
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require

EXPORT_HEADERS = [
    "Dispositif",
    "Identifiant",
    "Financeur",
    "Régime",
    "Taux (%)",
    "Taux renouvellement (%)",
    "Plafond par aide (€)",
    "Plafond par entreprise (€)",
    "Aides maximum par entreprise",
    "Dépenses éligibles minimales (€)",
    "Durée maximale (mois)",
    "Délai depuis l'embauche (mois)",
    "Tailles",
    "Statuts export",
    "Filières",
    "Âge minimum (ans)",
    "Âge maximum (ans)",
    "Part export maximale (%)",
    "Catégories de dépenses",
    "Pièces à fournir",
    "Ouverture",
    "Date limite",
    "Ouvert",
    "Enveloppe de l'année (€)",
]


def _breadcrumb(current: str, scheme: AidScheme | None = None) -> dict:
    links = [{"url": reverse("aids:schemes"), "title": "Dispositifs d'aide"}]
    if scheme is not None:
        links.append(
            {"url": reverse("aids:scheme_detail", args=[scheme.slug]), "title": scheme.name}
        )
    return {"links": links, "current": current, "root_dir": "/"}


def _schemes(year: int):
    return AidScheme.objects.select_related("provider").prefetch_related(
        "filieres",
        "cost_categories",
        "required_documents",
        Prefetch(
            "envelopes", queryset=BudgetEnvelope.objects.filter(year=year), to_attr="this_year"
        ),
    )


def _scheme_or_404(slug: str, year: int) -> AidScheme:
    scheme = _schemes(year).filter(slug=slug).first()
    if scheme is None:
        raise Http404("Aucun dispositif ne porte cet identifiant.")
    return scheme


def _percent(rate):
    return None if rate is None else float(rate * 100)


def percent_text(rate) -> str:
    """0.5 → "50 %", 0.125 → "12,5 %" (None → "")."""
    if rate is None:
        return ""
    text = format((rate * 100).normalize(), "f").replace(".", ",")
    return f"{text}\u00a0%"


def _export_rows(schemes):
    statuses = dict(ExportStatus.choices)
    for s in schemes:
        yield (
            s.name,
            s.slug,
            s.provider.name,
            s.get_regime_display(),
            _percent(s.rate),
            _percent(s.extension_rate),
            s.ceiling_per_aid,
            s.ceiling_per_company,
            s.max_aids_per_company,
            s.min_eligible_costs,
            s.max_duration_months,
            s.max_months_since_hiring,
            ", ".join(s.sizes or ()),
            ", ".join(str(statuses.get(c, c)) for c in s.export_statuses or ()),
            ", ".join(f.name for f in s.filieres.all()),
            s.min_age_years,
            s.max_age_years,
            s.max_export_share,
            " ; ".join(c.label for c in s.cost_categories.all()),
            " ; ".join(
                d.label + ("" if d.mandatory else " (facultative)")
                for d in s.required_documents.all()
            ),
            s.opens_on,
            s.closes_on,
            "oui" if s.is_active else "non",
            s.this_year[0].amount if s.this_year else None,
        )


def scheme_list(request):
    require(permissions.can_view_schemes(request.user))
    today = timezone.localdate()
    show_closed = request.GET.get("fermes") == "1"
    schemes = _schemes(today.year)
    if not show_closed:
        schemes = schemes.filter(is_active=True)
    schemes = list(schemes.order_by("name", "pk"))
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=_export_rows(schemes),
            headers=EXPORT_HEADERS,
            filename="dispositifs-aide",
            fmt=fmt,
            sheet="Dispositifs",
        )
    rows = [
        {
            "scheme": s,
            "envelope": s.this_year[0].amount if s.this_year else None,
            "rate": percent_text(s.rate),
            "extension_rate": percent_text(s.extension_rate),
            "closed_reason": scheme_closed_reason(s, today),
        }
        for s in schemes
    ]
    context = {
        "title": "Dispositifs d'aide",
        "rows": rows,
        "year": today.year,
        "show_closed": show_closed,
        "can_create": permissions.can_manage_scheme(request.user),
    }
    return render(request, "aids/schemes/list.html", context)


def scheme_detail(request, slug: str):
    require(permissions.can_view_schemes(request.user))
    today = timezone.localdate()
    scheme = _scheme_or_404(slug, today.year)
    statuses = dict(ExportStatus.choices)
    context = {
        "title": scheme.name,
        "scheme": scheme,
        "rate": percent_text(scheme.rate),
        "extension_rate": percent_text(scheme.extension_rate),
        "export_statuses": [statuses.get(c, c) for c in scheme.export_statuses or ()],
        "envelope": envelope_position(scheme, today.year),
        "envelopes": list(scheme.envelopes.order_by("-year")),
        "closed_reason": scheme_closed_reason(scheme, today),
        "can_edit": permissions.can_manage_scheme(request.user, scheme),
        "breadcrumb_data": _breadcrumb(scheme.name),
    }
    return render(request, "aids/schemes/detail.html", context)


def _save(form, rows: dict, user, scheme=None):
    """Call the service; its French refusals land on the fields or above the rows."""
    try:
        return scheme_save(
            scheme=scheme,
            fields=form.fields_for_service(),
            filieres=form.cleaned_data.get("filieres") or [],
            cost_categories=formset_rows(rows["cost_categories"]),
            required_documents=formset_rows(rows["required_documents"]),
            envelopes=formset_rows(rows["envelopes"]),
            by=user,
        )
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            if name in rows:
                form.row_errors = {**getattr(form, "row_errors", {}), name: errors}
            else:
                form.add_error(name if name in form.fields else None, errors)
        return None


def _form_page(request, *, form, rows, scheme=None, status: int = 200):
    title = f"Modifier « {scheme.name} »" if scheme else "Nouveau dispositif d'aide"
    row_errors = {key: getattr(form, "row_errors", {}).get(key, []) for key in rows}
    loose = [m for messages_ in row_errors.values() for m in messages_]
    for formset in rows.values():
        if formset.is_bound:
            loose += list(formset.non_form_errors())
    errors = error_summary(
        form, *[f for formset in rows.values() for f in formset.forms], extra=loose
    )
    context = {
        "title": f"Erreur — {title}" if errors else title,
        "heading": title,
        "errors": errors,
        "form": form,
        "rows": rows,
        "row_errors": row_errors,
        "scheme": scheme,
        "cancel_url": reverse("aids:scheme_detail", args=[scheme.slug])
        if scheme
        else reverse("aids:schemes"),
        "breadcrumb_data": _breadcrumb("Modifier" if scheme else "Nouveau dispositif", scheme),
    }
    return render(request, "aids/schemes/form.html", context, status=status)


def _handle(request, scheme=None):
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, user=request.user, scheme=scheme)
    rows = scheme_row_formsets(data, scheme)
    if data is None:
        return _form_page(request, form=form, rows=rows, scheme=scheme)
    valid = form.is_valid()
    valid = all(rows[k].is_valid() for k in rows) and valid
    if valid:
        # The provider field only offers the user's own organisation (all for administrators).
        saved = _save(form, rows, request.user, scheme)
        if saved is not None:
            messages.success(request, f"Le dispositif « {saved.name} » est enregistré.")
            return redirect("aids:scheme_detail", saved.slug)
    return _form_page(request, form=form, rows=rows, scheme=scheme)


def scheme_create(request):
    require(permissions.can_manage_scheme(request.user))
    return _handle(request)


def scheme_edit(request, slug: str):
    scheme = _scheme_or_404(slug, timezone.localdate().year)
    require(permissions.can_manage_scheme(request.user, scheme))
    return _handle(request, scheme)
