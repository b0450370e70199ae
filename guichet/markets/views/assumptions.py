"""Projection assumptions: per country, the growth of GDP and population over the horizon the
export potential uses — the default computed from the last macro figures, and the analyst's
replacement when there is one. Managers change a country or put its default back.

Growths are fractions in the computations (assumptions.py) and percent on the page and in the
stored overrides (MarketAssumption).
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.markets import permissions, services_assumptions
from guichet.markets.models import MarketAssumption
from guichet.reference.models import Country


def _defaults() -> tuple[list[dict], int | None, str]:
    """The default rows of assumptions.py, its horizon and the macro source ("" when the
    module or the macro figures are missing)."""
    from guichet.markets import assumptions

    rows = list(assumptions.default_rows())
    current = assumptions.current_assumptions()
    return rows, current.horizon_years, current.default_source


def _pct(fraction) -> Decimal | None:
    if fraction is None:
        return None
    return (Decimal(str(fraction)) * 100).quantize(Decimal("0.01"))


def pct_text(value) -> str:
    """12.50 → "12,5 %", 42 → "42 %", None → "–" (French decimal comma)."""
    if value is None:
        return "–"
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}\u00a0%"


def _country(iso3: str) -> Country:
    iso3 = (iso3 or "").upper()
    country = Country.objects.filter(iso3=iso3).first() if len(iso3) == 3 else None
    if country is None:
        raise Http404("Pays inconnu")
    return country


def assumption_rows() -> tuple[list[dict], int | None, str]:
    """One row per country having a default or an override, sorted by French name."""
    defaults, horizon, default_source = _defaults()
    overrides = {
        a.country.iso3: a for a in MarketAssumption.objects.select_related("country", "updated_by")
    }
    names = dict(Country.objects.values_list("iso3", "name_fr"))
    sort_names = dict(Country.objects.values_list("iso3", "sort_name"))
    rows: dict[str, dict] = {}
    for row in defaults:
        iso3 = row["iso3"]
        rows[iso3] = {
            "iso3": iso3,
            "name": names.get(iso3) or row.get("name") or iso3,
            "default_gdp": _pct(row.get("default_gdp_growth", row.get("gdp_growth"))),
            "default_population": _pct(
                row.get("default_population_growth", row.get("population_growth"))
            ),
            "default_source": row.get("default_source") or default_source,
        }
    for iso3 in overrides:
        rows.setdefault(
            iso3,
            {
                "iso3": iso3,
                "name": names.get(iso3, iso3),
                "default_gdp": None,
                "default_population": None,
                "default_source": "",
            },
        )
    for iso3, row in rows.items():
        override = overrides.get(iso3)
        row["overridden"] = override is not None
        row["gdp"] = override.gdp_growth_pct if override else row["default_gdp"]
        row["population"] = (
            override.population_growth_pct if override else row["default_population"]
        )
        row["source"] = override.source if override else row["default_source"]
        row["updated_at"] = override.updated_at if override else None
        row["updated_by"] = (
            override.updated_by.get_full_name() if override and override.updated_by else ""
        )
    for row in rows.values():
        for key in ("default_gdp", "default_population", "gdp", "population"):
            row[f"{key}_text"] = pct_text(row[key])
    ordered = sorted(rows.values(), key=lambda r: (sort_names.get(r["iso3"], r["name"]), r["iso3"]))
    return ordered, horizon, default_source


def _export(rows: list[dict], fmt: str):
    return export_response(
        rows=(
            (
                r["iso3"],
                r["name"],
                float(r["default_gdp"]) if r["default_gdp"] is not None else None,
                float(r["default_population"]) if r["default_population"] is not None else None,
                r["default_source"],
                float(r["gdp"]) if r["gdp"] is not None else None,
                float(r["population"]) if r["population"] is not None else None,
                "oui" if r["overridden"] else "non",
                r["source"],
            )
            for r in rows
        ),
        headers=[
            "Code ISO",
            "Pays",
            "Croissance du PIB par défaut (%)",
            "Croissance de la population par défaut (%)",
            "Source par défaut",
            "Croissance du PIB retenue (%)",
            "Croissance de la population retenue (%)",
            "Modifiée par un analyste",
            "Source retenue",
        ],
        filename="hypotheses-projection",
        fmt=fmt,
        sheet="Hypothèses",
    )


def assumption_list(request):
    require(permissions.can_view_markets(request.user))
    can_edit = permissions.can_edit_assumptions(request.user)
    chosen = request.GET.get("pays", "")
    if can_edit and chosen:
        country = Country.objects.filter(iso3=chosen.upper()[:3]).first()
        if country is not None:
            return redirect("markets:assumption_edit", iso3=country.iso3)
    rows, horizon, default_source = assumption_rows()
    query = " ".join(request.GET.get("q", "").split())[:100]
    overridden_only = request.GET.get("modifiees") == "1"
    shown = rows
    if query:
        needle = query.casefold()
        shown = [
            r for r in shown if needle in r["name"].casefold() or needle == r["iso3"].casefold()
        ]
    if overridden_only:
        shown = [r for r in shown if r["overridden"]]
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _export(shown, fmt)
    context = {
        "title": "Hypothèses de projection",
        "rows": shown,
        "total": len(rows),
        "overridden_count": sum(1 for r in rows if r["overridden"]),
        "horizon": horizon,
        "default_source": default_source,
        "query": query,
        "overridden_only": overridden_only,
        "can_edit": can_edit,
        "can_load": permissions.can_load_market_data(request.user),
        "markets_tab": "assumptions",
        "countries": Country.objects.order_by("sort_name") if can_edit else None,
    }
    return render(request, "markets/assumptions.html", context)


class _PercentInput(forms.CharField):
    """A growth in percent typed the French way: "12,5", "-3", "+4 %"."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return "".join(text.split()).replace("\u202f", "").rstrip("%").replace(",", ".")


class AssumptionForm(forms.Form):
    gdp_growth_pct = _PercentInput(
        label="Croissance du PIB sur l'horizon (%)",
        help_text="En pourcentage sur toute la période, de −50 à +200 ; par exemple 12,5.",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    population_growth_pct = _PercentInput(
        label="Croissance de la population sur l'horizon (%)",
        help_text="En pourcentage sur toute la période, de −50 à +200 ; par exemple 3,2.",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    source = forms.CharField(
        label="Source de l'hypothèse",
        help_text="Publication et date (par exemple « FMI, Perspectives de l'économie "
        "mondiale, avril 2026 ») ou l'auteur de l'estimation.",
        max_length=services_assumptions.SOURCE_MAX,
        required=False,
        error_messages={
            "max_length": f"La source tient en {services_assumptions.SOURCE_MAX} caractères "
            "au plus."
        },
    )


def _errors_summary(form) -> list[dict]:
    return [
        {
            "anchor": f"id_{name}" if name != "__all__" else "",
            "label": form.fields[name].label if name in form.fields else "",
            "message": message,
        }
        for name, messages_ in form.errors.items()
        for message in messages_
    ]


def _initial_number(value) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def assumption_edit(request, iso3: str):
    require(permissions.can_edit_assumptions(request.user))
    country = _country(iso3)
    rows, horizon, _source = assumption_rows()
    row = next((r for r in rows if r["iso3"] == country.iso3), None)
    override = MarketAssumption.objects.filter(country=country).first()
    initial = {}
    if override is not None:
        initial = {
            "gdp_growth_pct": _initial_number(override.gdp_growth_pct),
            "population_growth_pct": _initial_number(override.population_growth_pct),
            "source": override.source,
        }
    elif row is not None:
        initial = {
            "gdp_growth_pct": _initial_number(row["default_gdp"]),
            "population_growth_pct": _initial_number(row["default_population"]),
        }
    form = AssumptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_assumptions.assumption_set(
                country=country,
                user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                f"L'hypothèse pour {country.name_fr} est enregistrée : le potentiel "
                "d'export sera recalculé avec ces chiffres.",
            )
            return redirect("markets:assumptions")
    context = {
        "title": f"Hypothèse de projection — {country.name_fr}",
        "country": country,
        "row": row,
        "override": override,
        "horizon": horizon,
        "form": form,
        "errors": _errors_summary(form) if form.is_bound else [],
    }
    return render(request, "markets/assumption_form.html", context)


@require_POST
def assumption_reset(request, iso3: str):
    require(permissions.can_edit_assumptions(request.user))
    country = _country(iso3)
    if services_assumptions.assumption_reset(country=country, user=request.user):
        messages.success(
            request,
            f"{country.name_fr} reprend l'hypothèse par défaut : le potentiel d'export sera "
            "recalculé.",
        )
    else:
        messages.info(request, f"{country.name_fr} utilisait déjà l'hypothèse par défaut.")
    return redirect("markets:assumptions")
