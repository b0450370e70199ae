"""The funnel of the export journey for those who steer the plan: companies per stage,
conversion from one stage to the next and the median time it took, per partner, filière and
département; a chart, the table and its exports."""

from django.shortcuts import render
from django.urls import reverse

from guichet.companies.models import Establishment
from guichet.core.charts import Series, bar_chart, fr_number
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.journeys import permissions
from guichet.journeys.forms import FunnelFilterForm
from guichet.journeys.funnel import Funnel, FunnelFilters, funnel
from guichet.journeys.models import Journey
from guichet.partners.models import Organisation
from guichet.reference.models import Departement

EXPORT_HEADERS = [
    "Étape",
    "Entreprises à cette étape",
    "Entreprises ayant atteint l'étape",
    "Étape suivante",
    "Ayant atteint l'étape suivante",
    "Taux de passage (%)",
    "Délai médian jusqu'à l'étape suivante (jours)",
    "Parcours mesurés pour ce délai",
]


def _form(request) -> FunnelFilterForm:
    partners = Organisation.objects.filter(
        pk__in=Journey.objects.exclude(organisation=None).values("organisation_id")
    ).order_by("name")
    located = Establishment.objects.filter(
        is_headquarters=True, company__journey__isnull=False
    ).values("departement_id")
    departements = Departement.objects.filter(code__in=located).order_by("code")
    return FunnelFilterForm(request.GET or None, partners=partners, departements=departements)


def _filters(form: FunnelFilterForm) -> FunnelFilters:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return FunnelFilters(
        organisation_id=data["partner"].pk if data.get("partner") else None,
        filiere=data.get("filiere"),
        departement=data["departement"].pk if data.get("departement") else "",
    )


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _export(result: Funnel, fmt: str):
    rows = [
        (
            s.label,
            s.current,
            s.reached,
            s.next_label,
            s.converted if s.next_label else None,
            _round(s.conversion),
            _round(s.median_days),
            s.timed if s.next_label else None,
        )
        for s in result.stages
    ]
    rows.append(("Sortie du parcours", result.dropped, None, "", None, None, None, None))
    return export_response(
        rows=rows, headers=EXPORT_HEADERS, filename="entonnoir-parcours", fmt=fmt, sheet="Entonnoir"
    )


def _chart(result: Funnel):
    categories = [s.label for s in result.stages] + ["Sortie du parcours"]
    return bar_chart(
        chart_id="entonnoir",
        title="Entreprises par étape du parcours",
        description=(
            "Pour chaque étape, le nombre d'entreprises qui y sont aujourd'hui et le nombre "
            "de celles qui l'ont atteinte (elles y sont ou l'ont dépassée)."
        ),
        categories=categories,
        series=[
            Series(
                "À cette étape aujourd'hui", [s.current for s in result.stages] + [result.dropped]
            ),
            Series("Ont atteint l'étape", [s.reached for s in result.stages] + [None]),
        ],
        category_header="Étape",
    )


def _days(value: float | None) -> str:
    """Days, to the tenth below ten days ("2,5 j", "45 j")."""
    if value is None:
        return "–"
    return fr_number(value, 0 if value >= 10 or float(value).is_integer() else 1, "j")


def _cells(result: Funnel) -> list[dict]:
    return [
        {
            "label": s.label,
            "current": fr_number(s.current),
            "reached": fr_number(s.reached),
            "next_label": s.next_label,
            "conversion": fr_number(s.conversion, 0, "%") if s.conversion is not None else "–",
            "conversion_detail": f"{s.converted} sur {s.reached}" if s.next_label else "",
            "median": _days(s.median_days),
            "timed": s.timed,
        }
        for s in result.stages
    ]


def _headline(result: Funnel) -> str:
    plural = "s" if result.total > 1 else ""
    text = f"{result.total} entreprise{plural} suivie{plural}"
    if result.dropped:
        text += f", dont {result.dropped} sortie{'s' if result.dropped > 1 else ''} du parcours"
    return text + "."


def funnel_page(request):
    require(permissions.can_view_funnel(request.user))
    form = _form(request)
    result = funnel(_filters(form))
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _export(result, fmt)
    context = {
        "title": "Entonnoir du parcours export",
        "form": form,
        "result": result,
        "headline": _headline(result),
        "rows": _cells(result),
        "chart": _chart(result) if result.total else None,
        "reset_url": reverse("journeys:funnel"),
    }
    return render(request, "journeys/funnel.html", context)
