"""Results of collective actions: the follow-up survey (the company's signed link, or the
advisor after a call), the results of an action and of a programme year, the evaluator's
export (PAREX 2 measure 6)."""

import io
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from dsfr.forms import DsfrBaseForm
from openpyxl import Workbook

from guichet.collective import permissions, selectors_results
from guichet.collective.forms_surveys import SurveyForm
from guichet.collective.links import survey_for_token
from guichet.collective.models import CollectiveAction, FollowUpSurvey, RegistrationStatus
from guichet.collective.results import COMPLETE_REGISTRATIONS
from guichet.collective.services.surveys import survey_answer
from guichet.core import charts
from guichet.core.audit import audit_view
from guichet.core.charts import Series
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require

INVALID_LINK = (
    "Ce lien d'enquête n'est pas valide : il est incomplet, a expiré ou a été remplacé par un "
    "nouveau lien. Copiez-le en entier depuis le dernier courriel reçu, ou répondez à ce "
    "courriel pour en obtenir un nouveau."
)
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _url(name: str, *args) -> str:
    """A page of another part of the app, or "" while that part is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _breadcrumb(current: str, *links: tuple[str, str]) -> dict:
    items = [{"url": _url("collective:actions"), "title": "Actions collectives"}]
    items += [{"url": url, "title": title} for url, title in links if url]
    return {"links": [i for i in items if i["url"]], "current": current, "root_dir": "/"}


# --- the survey ----------------------------------------------------------------------------


def _survey_page(request, survey, form, *, template: str, extra: dict, status: int = 200):
    action = survey.registration.action
    errors = form.error_summary()
    heading = f"{action.title} : vos résultats {survey.get_wave_display().lower()}"
    context = {
        "title": f"Erreur — {heading}" if errors else heading,
        "heading": heading,
        "survey": survey,
        "action": action,
        "company": survey.registration.company,
        "form": form,
        "errors": errors,
        **extra,
    }
    return render(request, template, context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    """The company answers through the signed link of its e-mail, without an account; it may
    come back and correct its answers."""
    survey = survey_for_token(token)
    if survey is None or survey.registration.status != RegistrationStatus.ATTENDED:
        raise Http404(INVALID_LINK)
    if request.method == "GET" and request.GET.get("merci") and survey.answered_at:
        return render(
            request,
            "collective/results/survey_thanks.html",
            {"title": "Merci pour vos réponses", "survey": survey},
        )
    previous = survey.answered_at
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                survey_answer(survey=survey, data=form.cleaned_data)
            except ValidationError as error:
                form.apply_errors(error)
            else:
                return redirect(f"{request.path}?merci=1")
    else:
        form = SurveyForm(initial=SurveyForm.initial_from(survey))
    return _survey_page(
        request,
        survey,
        form,
        template="collective/results/survey.html",
        extra={"previous": previous},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def survey_enter(request, pk: int):
    """An advisor enters (or corrects) the answers given during a call."""
    survey = (
        FollowUpSurvey.objects.select_related(
            "registration__action", "registration__company", "answered_by"
        )
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404("Aucune enquête de suivi ne porte ce numéro.")
    registration = survey.registration
    require(permissions.can_prepare(request.user, registration))
    if registration.status != RegistrationStatus.ATTENDED:
        raise Http404("Cette entreprise n'a pas participé à l'action : pas d'enquête de suivi.")
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                survey_answer(survey=survey, data=form.cleaned_data, by=request.user)
            except ValidationError as error:
                form.apply_errors(error)
            else:
                verb = "mises à jour" if survey.answered_at else "enregistrées"
                messages.success(
                    request,
                    f"Réponses de l'enquête {survey.get_wave_display().lower()} {verb}.",
                )
                back = _url("collective:registration_detail", registration.pk)
                return redirect(
                    back or reverse("collective:action_results", args=[registration.action.slug])
                )
    else:
        form = SurveyForm(initial=SurveyForm.initial_from(survey))
    audit_view(obj=registration, actor=request.user)
    action = registration.action
    extra = {
        "registration": registration,
        "previous": survey.answered_at,
        "breadcrumb_data": _breadcrumb(
            "Saisir les réponses",
            (_url("collective:action_detail", action.slug), action.title),
            (
                _url("collective:registration_detail", registration.pk),
                registration.company.name,
            ),
        ),
    }
    return _survey_page(
        request,
        survey,
        form,
        template="collective/results/survey_enter.html",
        extra=extra,
        status=400 if form.errors else 200,
    )


# --- results of an action ------------------------------------------------------------------

FIGURE_HEADERS = [
    "Indicateur",
    "Valeur",
    "Répondants",
    "Participants",
    "Taux de réponse (%)",
    "Base",
    "Remarque",
]


def _figure_rows(results, prefix: tuple = ()):
    for f in results.figures:
        value = f.value
        if isinstance(value, float):
            value = round(value, 2)
        basis = f.basis
        yield [
            *prefix,
            f.label,
            value,
            basis.respondents if basis else None,
            basis.participants if basis else None,
            round(basis.rate, 1) if basis and basis.rate is not None else None,
            f.basis_text,
            f.note,
        ]


def _wave_chart(chart_id: str, results) -> charts.Chart | None:
    if not any(w.scheduled for w in results.waves):
        return None
    return charts.bar_chart(
        chart_id=chart_id,
        title="Enquêtes de suivi par vague",
        description="Barres groupées, trois par vague (3, 6 et 12 mois) : enquêtes dues, "
        "envoyées et répondues.",
        categories=[w.label for w in results.waves],
        series=[
            Series("Dues", [w.due for w in results.waves], charts.GREY),
            Series("Envoyées", [w.sent for w in results.waves]),
            Series("Répondues", [w.answered for w in results.waves], charts.SUCCESS),
        ],
        category_header="Vague",
    )


def _visible_answers(user, results) -> tuple[list, int]:
    shown, hidden = [], 0
    for answer in results.answers:
        registration = answer.survey.registration
        if permissions.can_view_registration(user, registration):
            shown.append(
                {
                    "answer": answer,
                    "url": _url("collective:registration_detail", registration.pk),
                }
            )
        else:
            hidden += 1
    return shown, hidden


@require_GET
def action_results(request, slug: str):
    require(permissions.can_view_results(request.user))
    action = (
        CollectiveAction.objects.select_related("programme", "country", "organiser")
        .filter(slug=slug)
        .first()
    )
    if action is None:
        raise Http404("Aucune action collective ne porte cet identifiant.")
    results = selectors_results.action_results(action)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=_figure_rows(results),
            headers=FIGURE_HEADERS,
            filename=f"resultats-{action.slug}",
            fmt=fmt,
            sheet="Résultats",
        )
    answers, hidden = _visible_answers(request.user, results)
    context = {
        "title": f"Résultats — {action.title}",
        "action": action,
        "results": results,
        "answers": answers,
        "hidden_answers": hidden,
        "ended": action.ends_on < timezone.localdate(),
        "wave_chart": _wave_chart("resultats-vagues", results),
        "complete_text": COMPLETE_REGISTRATIONS,
        "breadcrumb_data": _breadcrumb(
            "Résultats",
            (_url("collective:results") + f"?year={action.programme.year}", "Résultats"),
            (_url("collective:action_detail", action.slug), action.title),
        ),
    }
    return render(request, "collective/results/action_results.html", context)


# --- results of a programme year -----------------------------------------------------------


class YearForm(DsfrBaseForm):
    year = forms.TypedChoiceField(
        label="Programme",
        coerce=int,
        error_messages={"invalid_choice": "Aucun programme d'actions collectives cette année-là."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (str(y), f"Programme {y}") for y in selectors_results.programme_years()
        ]


ACTION_HEADERS = ["Action", "Début", "Ville", "Pays", *FIGURE_HEADERS]


def _programme_chart(rows) -> charts.Chart | None:
    held = [(a, r) for a, r in rows if r.participants]
    if not held:
        return None
    return charts.bar_chart(
        chart_id="resultats-programme",
        title="Participants et répondants par action",
        description="Barres groupées, deux par action (dans l'ordre du calendrier) : "
        "entreprises présentes et entreprises qui ont répondu à au moins une enquête.",
        categories=[a.title for a, _r in held],
        axis_labels=[str(i) for i in range(1, len(held) + 1)],
        series=[
            Series("Participants", [r.participants for _a, r in held]),
            Series("Répondants", [r.respondents for _a, r in held], charts.SUCCESS),
        ],
        category_header="Action",
    )


@require_GET
def results(request):
    require(permissions.can_view_results(request.user))
    if "year" in request.GET:
        form = YearForm(request.GET)
        year = form.cleaned_data["year"] if form.is_valid() else selectors_results.default_year()
    else:
        year = selectors_results.default_year()
        form = YearForm(initial={"year": year})
    rows, total = selectors_results.programme_results(year)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        lines = [
            line
            for action, r in rows
            for line in _figure_rows(
                r, (action.title, action.starts_on, action.city, action.country.name_fr)
            )
        ]
        lines += list(_figure_rows(total, (f"Programme {year} (total)", None, "", "")))
        return export_response(
            rows=lines,
            headers=ACTION_HEADERS,
            filename=f"resultats-actions-collectives-{year}",
            fmt=fmt,
            sheet=f"Résultats {year}",
        )
    context = {
        "title": f"Résultats des actions collectives — programme {year}",
        "year": year,
        "form": form,
        "rows": [{"action": a, "results": r, "f": r.by_key} for a, r in rows],
        "total": total,
        "total_f": total.by_key,
        "chart": _programme_chart(rows),
        "can_export": permissions.can_export_participations(request.user),
        "breadcrumb_data": _breadcrumb("Résultats"),
    }
    return render(request, "collective/results/programme_results.html", context)


# --- the evaluator's export ----------------------------------------------------------------

DEFINITIONS = [
    (
        "Participations",
        "Une ligne par inscription d'une entreprise à une action, quel qu'en soit l'état.",
    ),
    ("Présence", "Présente ou Absente une fois l'action passée ; vide sinon."),
    (
        "Prise en charge publique",
        "Montant calculé à la confirmation et inscrit au registre des aides d'État "
        "(annulé si l'inscription est annulée).",
    ),
    (
        "Réponses aux enquêtes",
        "Une ligne par enquête de suivi programmée (3, 6 et 12 mois après la fin de l'action) ; "
        "les colonnes de réponse sont vides tant que l'entreprise n'a pas répondu.",
    ),
    (
        "Vague comptée dans les résultats",
        "Les questions portent sur ce qui s'est passé depuis l'action : les résultats ne "
        "retiennent, pour chaque entreprise, que sa dernière vague répondue.",
    ),
    ("Saisie par un conseiller", "Oui quand un conseiller a saisi les réponses après un appel."),
]


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return value


def evaluator_workbook(year: int | None) -> bytes:
    """One XLSX file: every participation, every survey, and the definitions."""
    workbook = Workbook(write_only=True)
    sheets = [
        (
            "Participations",
            selectors_results.PARTICIPATION_HEADERS,
            selectors_results.participation_rows(year),
        ),
        (
            "Réponses aux enquêtes",
            selectors_results.ANSWER_HEADERS,
            selectors_results.answer_rows(year),
        ),
        ("Définitions", ["Terme", "Définition"], DEFINITIONS),
    ]
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_GET
def evaluator_export(request):
    require(permissions.can_export_participations(request.user))
    raw = request.GET.get("year", "")
    year = None
    if raw:
        if not raw.isdigit() or int(raw) not in selectors_results.programme_years():
            raise Http404("Aucun programme d'actions collectives cette année-là.")
        year = int(raw)
    response = HttpResponse(evaluator_workbook(year), content_type=_XLSX)
    stamp = timezone.localdate().isoformat()
    name = f"actions-collectives-{year or 'toutes-annees'}-evaluation-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
