"""Figures of V.I.E. missions and student awareness: missions per year, country and filière,
the share of volunteers hired, students made aware per year and level, V.I.E. candidates.
The counts come from guichet.vie.selectors (which the plan's indicators reuse); here they are
drawn (inline SVG with a data table each) and exported."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from dsfr.forms import DsfrBaseForm

from guichet.core import charts
from guichet.core.charts import Series, fr_number
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.vie import permissions, selectors

TOP_COUNTRIES = 10
OTHER_COUNTRIES = "Autres pays"


class FiguresForm(DsfrBaseForm):
    year = forms.TypedChoiceField(
        label="Année",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Missions commencées, terminées ou sessions tenues cette année-là.",
        error_messages={"invalid_choice": "Aucune mission ni session cette année-là."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted(
            set(selectors.mission_years()) | set(selectors.session_years()), reverse=True
        )
        self.fields["year"].choices = [("", "Toutes les années")] + [
            (str(y), str(y)) for y in years
        ]

    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_bound and self.is_valid() else None


def _short(label: str, size: int) -> str:
    return label if len(label) <= size else label[: size - 1].rstrip() + "…"


def _countries(year):
    tallies = selectors.missions_by_country(year)
    shown = tallies[:TOP_COUNTRIES]
    rest = sum(t.count for t in tallies[TOP_COUNTRIES:])
    rows = [(t.label, str(t.key), t.count) for t in shown]
    if rest:
        rows.append((OTHER_COUNTRIES, "…", rest))
    return tallies, rows


def _percent(value) -> str:
    return fr_number(value, 0, "%")


def _charts(year, data) -> dict:
    found = {}
    per_year = data["per_year"]
    if per_year:
        found["years"] = charts.bar_chart(
            chart_id="vie-annees",
            title="Missions V.I.E. par année de début",
            description="Barres, une par année : nombre de missions V.I.E. commencées.",
            categories=[t.label for t in per_year],
            series=[Series("Missions", [t.count for t in per_year])],
            category_header="Année",
        )
    _all, countries = data["countries"]
    if countries:
        found["countries"] = charts.bar_chart(
            chart_id="vie-pays",
            title="Missions V.I.E. par pays" + (f" ({year})" if year else ""),
            description="Barres, une par pays (les plus fréquents d'abord), étiquetées par "
            "leur code ISO : nombre de missions.",
            categories=[label for label, _code, _n in countries],
            axis_labels=[code for _label, code, _n in countries],
            series=[Series("Missions", [n for _l, _c, n in countries])],
            category_header="Pays",
        )
    filieres = data["filieres"]
    if any(t.count for t in filieres):
        found["filieres"] = charts.bar_chart(
            chart_id="vie-filieres",
            title="Missions V.I.E. par filière de l'entreprise" + (f" ({year})" if year else ""),
            description="Barres, une par filière : nombre de missions des entreprises de la "
            "filière (une entreprise de deux filières compte dans chacune).",
            categories=[t.label for t in filieres],
            axis_labels=[_short(t.label, 11) for t in filieres],
            series=[Series("Missions", [t.count for t in filieres])],
            category_header="Filière",
        )
    outcomes = data["outcomes_by_year"]
    if outcomes:
        found["outcomes"] = charts.bar_chart(
            chart_id="vie-issues",
            title="Issue des missions terminées, par année de fin",
            description="Barres empilées, une par année : volontaires embauchés, non "
            "embauchés, et missions dont l'issue n'est pas renseignée.",
            categories=[str(y) for y, _s in outcomes],
            series=[
                Series("Embauchés", [s.hired for _y, s in outcomes], charts.SUCCESS),
                Series("Non embauchés", [s.not_hired for _y, s in outcomes], charts.WARNING),
                Series("Issue non renseignée", [s.unknown for _y, s in outcomes], charts.GREY),
            ],
            stacked=True,
            category_header="Année de fin",
        )
    students = data["students_per_year"]
    if students:
        found["students"] = charts.bar_chart(
            chart_id="vie-etudiants",
            title="Étudiants sensibilisés et candidats au V.I.E., par année",
            description="Barres groupées, deux par année : étudiants présents aux sessions de "
            "sensibilisation, et candidats à la plateforme V.I.E. (quand ils sont connus).",
            categories=[str(y) for y, _a in students],
            series=[
                Series("Étudiants sensibilisés", [a.students for _y, a in students]),
                Series("Candidats V.I.E.", [a.candidates for _y, a in students]),
            ],
            category_header="Année",
        )
    levels = data["awareness"].by_level
    if levels:
        found["levels"] = charts.bar_chart(
            chart_id="vie-niveaux",
            title="Étudiants sensibilisés par niveau" + (f" ({year})" if year else ""),
            description="Barres, une par niveau d'études : étudiants présents aux sessions.",
            categories=[t.label for t in levels],
            axis_labels=[_short(t.label, 13) for t in levels],
            series=[Series("Étudiants", [t.count for t in levels])],
            category_header="Niveau",
        )
    return found


def _data(year) -> dict:
    today = timezone.localdate()
    return {
        "per_year": selectors.missions_per_year(),
        "countries": _countries(year),
        "filieres": selectors.missions_by_filiere(year),
        "hired": selectors.hired_share(year, today=today),
        "outcomes_by_year": [
            (y, s) for y, s in selectors.hired_by_end_year(today=today) if year is None or y == year
        ],
        "awareness": selectors.students_made_aware(year),
        "students_per_year": [
            (y, a) for y, a in selectors.students_per_year() if year is None or y == year
        ],
    }


EXPORT_HEADERS = ["Tableau", "Catégorie", "Valeur", "Détail"]


def _export_rows(year, data):
    scope = str(year) if year else "toutes années"
    for t in data["per_year"]:
        yield ("Missions par année de début", t.label, t.count, "")
    for t in data["countries"][0]:
        yield (f"Missions par pays ({scope})", t.label, t.count, t.key)
    for t in data["filieres"]:
        yield (f"Missions par filière ({scope})", t.label, t.count, "")
    share = data["hired"]
    title = f"Issue des missions terminées ({scope})"
    yield (title, "Embauchés", share.hired, "")
    yield (title, "Non embauchés", share.not_hired, "")
    yield (title, "Issue non renseignée", share.unknown, "")
    yield (
        title,
        "Part embauchée parmi les issues connues (%)",
        round(share.percent, 1) if share.percent is not None else None,
        f"{share.hired} sur {share.known}",
    )
    for t in share.by_place:
        yield (f"Embauchés, selon le lieu ({scope})", t.label, t.count, "")
    for y, a in selectors.students_per_year():
        yield ("Sensibilisation par année", str(y), a.students, f"{a.sessions} sessions")
        yield ("Candidats V.I.E. par année", str(y), a.candidates, "")
    for t in data["awareness"].by_level:
        yield (f"Étudiants par niveau ({scope})", t.label, t.count, "")


def _tiles(year, data) -> list[dict]:
    share = data["hired"]
    awareness = data["awareness"]
    started = (
        sum(t.count for t in data["per_year"] if t.key == year)
        if year
        else sum(t.count for t in data["per_year"])
    )
    unknown = (
        f" ; {share.unknown} mission{'s' if share.unknown > 1 else ''} terminée"
        f"{'s' if share.unknown > 1 else ''} sans issue renseignée"
        if share.unknown
        else ""
    )
    return [
        {
            "label": "Missions V.I.E. commencées",
            "value": fr_number(started),
            "detail": f"en {year}" if year else "depuis la première mission enregistrée",
        },
        {
            "label": "Volontaires embauchés à l'issue",
            "value": _percent(share.percent),
            "detail": f"{share.hired} sur {share.known} missions terminées dont l'issue est "
            f"connue{unknown}",
        },
        {
            "label": "Étudiants sensibilisés",
            "value": fr_number(awareness.students),
            "detail": f"en {awareness.sessions} session{'s' if awareness.sessions > 1 else ''}",
        },
        {
            "label": "Candidats à la plateforme V.I.E.",
            "value": fr_number(awareness.candidates),
            "detail": f"connus pour {awareness.sessions_with_candidates} session"
            f"{'s' if awareness.sessions_with_candidates > 1 else ''} sur {awareness.sessions}",
        },
    ]


@require_GET
def figures(request):
    require(permissions.can_view_vie(request.user))
    form = FiguresForm(request.GET or None)
    year = form.chosen_year()
    data = _data(year)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=_export_rows(year, data),
            headers=EXPORT_HEADERS,
            filename=f"chiffres-vie-{year or 'toutes-annees'}",
            fmt=fmt,
            sheet="Chiffres V.I.E.",
        )
    context = {
        "title": "Chiffres du V.I.E. et de la sensibilisation",
        "form": form,
        "year": year,
        "tiles": _tiles(year, data),
        "charts": _charts(year, data),
        "hired": data["hired"],
        "hired_percent": _percent(data["hired"].percent),
        "empty": not data["per_year"] and not data["awareness"].sessions,
    }
    return render(request, "vie/figures.html", context)
