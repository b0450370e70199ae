"""Figures of the desk: the managers' page (filters, table by group, chart, refusals,
satisfaction, exports) and the public page (headline figures of this year and last year).

The computations live in guichet.desk.figures; here they are filtered, formatted in French and
drawn (guichet.core.charts)."""

from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max, Min
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from dsfr.forms import DsfrBaseForm

from guichet.core import charts
from guichet.core.charts import Series, fr_number
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.desk import figures as fig
from guichet.desk import permissions
from guichet.desk.models import DeskPolicy, Need, Subject
from guichet.partners.models import Organisation
from guichet.reference.models import Departement

MAX_PERIOD_DAYS = 3 * 366
COMMENTS_SHOWN = 10


def _today() -> date:
    """Today in Europe/Paris (a function, so that tests can fix the day)."""
    return timezone.localdate()


def _years() -> list[int]:
    """From the latest year (this year, or that of a need recorded with a later date) back to
    the year of the first need."""
    current = _today().year
    span = Need.objects.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    first = timezone.localtime(span["first"]).year if span["first"] else current
    last = timezone.localtime(span["last"]).year if span["last"] else current
    return list(range(max(last, current), min(first, current) - 1, -1))


class FiguresFilterForm(DsfrBaseForm):
    year = forms.TypedChoiceField(label="Année", coerce=int, required=False)
    start = forms.DateField(
        label="Ou du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Une période précise remplace l'année.",
        error_messages={"invalid": "Date de début invalide (format JJ/MM/AAAA)."},
    )
    end = forms.DateField(
        label="Au (inclus)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date de fin invalide (format JJ/MM/AAAA)."},
    )
    partner = forms.ModelChoiceField(
        label="Partenaire",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Tous les partenaires",
        error_messages={"invalid_choice": "Partenaire inconnu."},
    )
    subject = forms.ModelChoiceField(
        label="Sujet",
        queryset=Subject.objects.order_by("order", "label"),
        required=False,
        empty_label="Tous les sujets",
        error_messages={"invalid_choice": "Sujet inconnu."},
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.none(),
        required=False,
        empty_label="Tous les départements",
        error_messages={"invalid_choice": "Département inconnu."},
    )
    group = forms.ChoiceField(
        label="Détailler par",
        choices=list(fig.GROUPS.items()),
        required=False,
        error_messages={"invalid_choice": "Regroupement inconnu."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = _years()
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = (
            f"Choisissez une année entre {years[-1]} et {years[0]}."
        )
        self.fields["partner"].queryset = (
            Organisation.objects.filter(desk_matches__isnull=False).distinct().order_by("name")
        )
        self.fields["departement"].queryset = Departement.objects.filter(
            code__in=Need.objects.exclude(departement=None).values("departement_id")
        ).order_by("code")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.has_error("start"):
            if not self.has_error("end"):
                self.add_error("end" if start else "start", "Indiquez le début et la fin.")
        elif start and end:
            if start > end:
                self.add_error("end", "La fin de la période doit suivre son début.")
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", "Choisissez une période de trois ans au plus.")
        return data

    def choice(self) -> tuple[fig.Scope, str, str]:
        """(scope, grouping, period label) — the current year by month for bad input."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        filters = {
            "organisation_id": data["partner"].pk if data.get("partner") else None,
            "subject_id": data["subject"].pk if data.get("subject") else None,
            "departement": data["departement"].pk if data.get("departement") else None,
        }
        group = data.get("group") or "month"
        if data.get("start") and data.get("end"):
            start, end = data["start"], data["end"]
            label = f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
            return fig.Scope(start=start, end=end + timedelta(days=1), **filters), group, label
        year = data.get("year") or _today().year
        return fig.Scope.year(year, **filters), group, str(year)


# --- Formatting ---------------------------------------------------------------------------


def _percent(share: fig.Share) -> str:
    return fr_number(share.percent, 0, "%")


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    return fr_number(value, 0 if float(value).is_integer() else 1, "j")


def _cells(row: fig.Row) -> dict:
    s = row.satisfaction
    return {
        "label": row.label,
        "received": fr_number(row.received),
        "within": _percent(row.within_delay),
        "within_detail": f"{row.within_delay.count} sur {row.within_delay.total}",
        "median": _days(row.median_days),
        "helped": _percent(row.closed_help),
        "helped_detail": f"{row.closed_help.count} sur {row.closed_help.total}",
        "refusals": fr_number(row.refusals),
        "answers": fr_number(s.answers),
        "useful": _percent(s.yes_share),
        "waiting": fr_number(row.waiting),
    }


def _round(value: float | None):
    return round(value, 1) if value is not None else None


EXPORT_HEADERS = [
    "Demandes reçues",
    "Prises en charge dans le délai",
    "Demandes dont le délai est échu ou prises en charge",
    "Part prise en charge dans le délai (%)",
    "Délai médian de première réponse (jours ouvrés)",
    "Demandes closes",
    "Closes avec aide",
    "Part close avec aide (%)",
    "Refus",
    "Réponses à l'enquête",
    "Entreprises contactées",
    "Réponse utile : oui",
    "Réponse utile : en partie",
    "Réponse utile : non",
    "En attente de prise en charge",
]


def export_row(row: fig.Row) -> list:
    s = row.satisfaction
    return [
        row.label,
        row.received,
        row.within_delay.count,
        row.within_delay.total,
        _round(row.within_delay.percent),
        _round(row.median_days),
        row.closed_help.total,
        row.closed_help.count,
        _round(row.closed_help.percent),
        row.refusals,
        s.answers,
        s.contacted,
        s.useful_yes,
        s.useful_partly,
        s.useful_no,
        row.waiting,
    ]


def _tiles(head: fig.Headline) -> list[dict]:
    s = head.satisfaction
    return [
        {
            "label": "Demandes reçues",
            "value": fr_number(head.received),
            "detail": "hors demandes indésirables et doublons",
        },
        {
            "label": f"Prises en charge en {head.first_answer_days} jours ouvrés au plus",
            "value": _percent(head.within_delay),
            "detail": f"{head.within_delay.count} sur {head.within_delay.total} demandes "
            "dont le délai est échu",
        },
        {
            "label": "Délai médian de première réponse",
            "value": _days(head.median_days),
            "detail": "en jours ouvrés",
        },
        {
            "label": "Demandes closes avec une aide apportée",
            "value": _percent(head.closed_help),
            "detail": f"{head.closed_help.count} sur {head.closed_help.total} demandes closes",
        },
        {
            "label": "Entreprises pour qui la réponse a été utile",
            "value": _percent(s.yes_share),
            "detail": f"{s.answers} réponses à l'enquête ; utile en partie : "
            f"{_percent(s.partly_share)}",
        },
        {
            "label": "Demandes en attente de prise en charge",
            "value": fr_number(head.waiting),
            "detail": "aujourd'hui, toutes périodes confondues",
        },
    ]


def _month_chart(
    scope: fig.Scope, today: date, *, rows: list[fig.Row] | None = None
) -> list[charts.Chart]:
    """Needs received per month, split by what became of the delay; the share within the
    delay as a line. `rows`: the table by month, when the page already computed it."""
    months = fig.months_between(scope.start, scope.end)
    if rows is not None:
        received = {r.key: r.received for r in rows}
        within = {r.key: r.within_delay for r in rows}
    else:
        received = fig.needs_received(scope, "month")
        within = fig.taken_within_delay(scope, "month", today=today)
    shares = [within.get(m, fig.Share()) for m in months]
    days = DeskPolicy.current().first_answer_days
    labels = [fig.month_label(m) for m in months]
    short = [fig.month_label(m, short=True) for m in months]
    bars = charts.bar_chart(
        chart_id="chiffres-demandes",
        title="Demandes reçues par mois",
        description=(
            f"Barres empilées, une par mois de la période : demandes prises en charge en "
            f"{days} jours ouvrés au plus, hors délai, et encore dans leur délai."
        ),
        categories=labels,
        axis_labels=short,
        series=[
            Series(
                f"Prises en charge en {days} jours ouvrés",
                [s.count for s in shares],
                charts.SUCCESS,
            ),
            Series("Hors délai", [s.total - s.count for s in shares], charts.WARNING),
            Series(
                "Encore dans le délai",
                [received.get(m, 0) - s.total for m, s in zip(months, shares, strict=True)],
                charts.GREY,
            ),
        ],
        stacked=True,
        category_header="Mois",
    )
    line = charts.line_chart(
        chart_id="chiffres-delai",
        title=f"Part des demandes prises en charge en {days} jours ouvrés au plus",
        description="Courbe, une valeur par mois : part des demandes dont le délai est échu "
        "qui ont été prises en charge à temps.",
        categories=labels,
        axis_labels=short,
        series=[Series("Part dans le délai", [s.percent for s in shares])],
        y_max=100,
        unit="%",
        category_header="Mois",
    )
    return [bars, line]


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("format", None)
    return params.urlencode()


@require_GET
def figures(request):
    require(permissions.can_view_figures(request.user))
    form = FiguresFilterForm(request.GET or None)
    scope, group, period = form.choice()
    today = _today()
    rows = fig.table(scope, group, today=today)
    total = fig.overall(scope, today=today)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=[export_row(r) for r in rows] + [export_row(total)],
            headers=[fig.GROUPS[group], *EXPORT_HEADERS],
            filename=f"chiffres-guichet-{period.replace('/', '-').replace(' ', '-')}",
            fmt=fmt,
            sheet="Chiffres du guichet",
        )
    head = fig.Headline(
        total=total,
        waiting=fig.waiting_now(scope.whole_history()),
        first_answer_days=DeskPolicy.current().first_answer_days,
    )
    answers = total.satisfaction
    comments = fig.survey_comments(scope, request.user, limit=COMMENTS_SHOWN + 1)
    context = {
        "title": "Chiffres du guichet",
        "form": form,
        "period": period,
        "group_label": fig.GROUPS[group],
        "tiles": _tiles(head),
        "empty": total.received == 0,
        "charts": []
        if total.received == 0
        else _month_chart(scope, today, rows=rows if group == "month" else None),
        "rows": [_cells(r) for r in rows],
        "total": _cells(total),
        "reasons": [
            {"label": label, "count": count}
            for _code, label, count in fig.refusals_by_reason(scope)
        ],
        "satisfaction": {
            "answers": answers.answers,
            "contacted": _percent(answers.contacted_share),
            "yes": _percent(answers.yes_share),
            "partly": _percent(answers.partly_share),
            "no": _percent(answers.no_share),
        },
        "comments": comments[:COMMENTS_SHOWN],
        "more_comments": len(comments) > COMMENTS_SHOWN,
        "query": _query(request),
        "first_answer_days": head.first_answer_days,
    }
    return render(request, "desk/figures/figures.html", context)


# --- Public page --------------------------------------------------------------------------


def _public_chart(current: int, today: date) -> charts.Chart:
    previous = current - 1
    this_year = fig.needs_received(fig.Scope.year(current), "month")
    last_year = fig.needs_received(fig.Scope.year(previous), "month")
    months = range(1, 13)
    return charts.bar_chart(
        chart_id="chiffres-publics",
        title=f"Demandes reçues par mois, {previous} et {current}",
        description=f"Barres groupées, deux par mois : demandes reçues en {previous} et en "
        f"{current}.",
        categories=[fig.MONTHS[m - 1] for m in months],
        axis_labels=[fig.SHORT_MONTHS[m - 1] for m in months],
        series=[
            Series(
                str(previous),
                [last_year.get(date(previous, m, 1), 0) for m in months],
                charts.PALETTE[1],
            ),
            Series(
                str(current),
                [
                    this_year.get(date(current, m, 1), 0) if date(current, m, 1) <= today else None
                    for m in months
                ],
                charts.PALETTE[0],
            ),
        ],
        category_header="Mois",
    )


PUBLIC_CACHE_SECONDS = 300


def _cached_overall(year: int, today: date):
    """The public page is open to anyone: its figures are computed at most every 5 minutes."""
    from django.core.cache import cache

    key = f"desk:public-figures:{year}:{today.isoformat()}"
    row = cache.get(key)
    if row is None:
        row = fig.overall(fig.Scope.year(year), today=today)
        cache.set(key, row, PUBLIC_CACHE_SECONDS)
    return row


@login_not_required
@require_GET
def public_figures(request):
    """Headline figures of this year and last year: counts and shares only — no company,
    no person, no partner-level comment."""
    today = _today()
    years = [today.year, today.year - 1]
    columns = []
    for year in years:
        row = _cached_overall(year, today)
        columns.append(
            {
                "year": year,
                "received": fr_number(row.received),
                "within": _percent(row.within_delay),
                "median": _days(row.median_days),
                "helped": _percent(row.closed_help),
                "answers": fr_number(row.satisfaction.answers),
                "contacted": _percent(row.satisfaction.contacted_share),
                "useful": _percent(row.satisfaction.yes_share),
                "partly": _percent(row.satisfaction.partly_share),
            }
        )
    context = {
        "title": "Les chiffres du guichet export",
        "columns": columns,
        "current": columns[0],
        "chart": _public_chart(today.year, today),
        "first_answer_days": DeskPolicy.current().first_answer_days,
        "today": today,
    }
    return render(request, "desk/figures/public.html", context)
