"""Reads of the results part: the surveys of a registration, the results of an action or of a
programme year (computed by guichet.collective.results), the rows of the evaluator's export."""

from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from guichet.collective import permissions
from guichet.collective.models import (
    CollectiveAction,
    FollowUpSurvey,
    Programme,
    Registration,
    RegistrationStatus,
    SurveyWave,
)
from guichet.collective.results import Results, compute, compute_by_action, latest_answers
from guichet.reference.models import Country


def _surveys():
    return FollowUpSurvey.objects.select_related(
        "answered_by", "registration__company", "registration__action"
    ).prefetch_related(Prefetch("contract_countries", queryset=Country.objects.order_by("name_fr")))


def _registrations():
    return Registration.objects.only(
        "pk", "action_id", "company_id", "status", "subsidy_amount", "organisation_id"
    )


# --- one registration ----------------------------------------------------------------------


def registration_surveys_context(registration, user) -> dict:
    """The partial collective/results/_registration_surveys.html reads this dict as `surveys`
    (registration page): each wave with its dates and answers, and the link to enter them."""
    from guichet.collective.services.surveys import answer_summary, survey_due_on

    attended = registration.status == RegistrationStatus.ATTENDED
    can_enter = attended and permissions.can_prepare(user, registration)
    surveys = {s.wave: s for s in _surveys().filter(registration=registration)}
    rows = []
    for wave in SurveyWave:
        survey = surveys.get(wave.value)
        rows.append(
            {
                "label": wave.label,
                "survey": survey,
                "due_on": survey.due_on if survey else survey_due_on(registration.action, wave),
                "summary": answer_summary(survey) if survey and survey.answered_at else "",
                "enter_url": reverse("collective:survey_enter", args=[survey.pk])
                if survey and can_enter
                else "",
            }
        )
    return {
        "attended": attended,
        "rows": rows if attended or surveys else [],
        "scheduled": bool(surveys),
        "can_enter": can_enter,
    }


# --- results -------------------------------------------------------------------------------


def action_results(action: CollectiveAction, *, today: date | None = None) -> Results:
    today = today or timezone.localdate()
    registrations = list(_registrations().filter(action=action))
    surveys = list(_surveys().filter(registration__action=action))
    return compute(actions=[action], registrations=registrations, surveys=surveys, today=today)


def action_results_summary(action) -> dict:
    """Context of the partial collective/results/_action_results_summary.html (staff page of
    an action): the key figures, each with the response rate."""
    today = timezone.localdate()
    results = action_results(action, today=today)
    keys = ("participants", "response_rate", "contracts", "contracts_value", "satisfaction")
    return {
        "results_summary": [results.figure(k) for k in keys],
        "results_ended": action.ends_on < today,
        "results_has_answers": bool(results.respondents),
        "results_url": reverse("collective:action_results", args=[action.slug]),
    }


def programme_years() -> list[int]:
    return list(Programme.objects.order_by("-year").values_list("year", flat=True))


def default_year(today: date | None = None) -> int:
    """The latest programme year up to this one (the one whose results are being measured)."""
    today = today or timezone.localdate()
    years = [y for y in programme_years() if y <= today.year]
    return years[0] if years else today.year


def _year_actions(year: int):
    return list(
        CollectiveAction.objects.filter(programme__year=year)
        .exclude(status=CollectiveAction.Status.DRAFT)
        .select_related("country")
        .order_by("starts_on", "pk")
    )


def programme_results(year: int, *, today: date | None = None):
    """[(action, results)] of the programme's published and cancelled actions, and the
    results of the whole programme."""
    today = today or timezone.localdate()
    actions = _year_actions(year)
    ids = [a.pk for a in actions]
    registrations = list(_registrations().filter(action_id__in=ids))
    surveys = list(_surveys().filter(registration__action_id__in=ids))
    return compute_by_action(
        actions=actions, registrations=registrations, surveys=surveys, today=today
    )


# --- evaluator's export --------------------------------------------------------------------

PARTICIPATION_HEADERS = [
    "Année",
    "Action",
    "Identifiant de l'action",
    "Type",
    "Début",
    "Fin",
    "Ville",
    "Pays",
    "Régime",
    "SIREN",
    "Entreprise",
    "État de l'inscription",
    "Inscrite le",
    "Organisme qui suit l'entreprise",
    "Coût complet (€)",
    "Participation demandée (€)",
    "Facturation",
    "Prise en charge publique (€)",
    "Présence",
]
ANSWER_HEADERS = [
    "Année",
    "Action",
    "Identifiant de l'action",
    "SIREN",
    "Entreprise",
    "Vague (mois)",
    "À envoyer le",
    "Envoyée le",
    "Relancée le",
    "Répondue le",
    "Saisie par un conseiller",
    "Contacts établis",
    "Rendez-vous tenus",
    "Devis envoyés",
    "Contrats signés",
    "Montant des contrats (€)",
    "Pays des contrats (ISO)",
    "Chiffre d'affaires export attendu (€)",
    "Satisfaction (1 à 5)",
    "Commentaire",
    "Vague comptée dans les résultats",
]
ATTENDANCE = {RegistrationStatus.ATTENDED: "Présente", RegistrationStatus.NO_SHOW: "Absente"}


def _scope(queryset, year: int | None, prefix: str):
    return queryset.filter(**{f"{prefix}programme__year": year}) if year else queryset


def participation_rows(year: int | None):
    registrations = _scope(
        Registration.objects.select_related(
            "action__programme", "action__country", "company", "organisation"
        ),
        year,
        "action__",
    ).order_by("action__starts_on", "action__pk", "company__name", "pk")
    for r in registrations.iterator(chunk_size=500):
        action = r.action
        yield [
            action.programme.year,
            action.title,
            action.slug,
            action.get_kind_display(),
            action.starts_on,
            action.ends_on,
            action.city,
            action.country.name_fr,
            action.get_regime_display(),
            r.company.siren,
            r.company.name,
            r.get_status_display(),
            r.created_at,
            r.organisation.name,
            action.full_cost,
            action.company_fee,
            r.get_fee_status_display(),
            r.subsidy_amount,
            ATTENDANCE.get(r.status, ""),
        ]


def answer_rows(year: int | None):
    surveys = list(
        _scope(
            _surveys().select_related("registration__action__programme"),
            year,
            "registration__action__",
        ).order_by("registration__action__starts_on", "registration__action__pk", "pk")
    )
    latest, _answers = latest_answers(surveys)
    for s in surveys:
        action, company = s.registration.action, s.registration.company
        yield [
            action.programme.year,
            action.title,
            action.slug,
            company.siren,
            company.name,
            s.wave,
            s.due_on,
            s.sent_at,
            s.reminded_at,
            s.answered_at,
            "Oui" if s.answered_by_id else "Non",
            s.contacts_made,
            s.meetings_held,
            s.quotes_sent,
            s.contracts_signed,
            s.contracts_value,
            ", ".join(c.iso2 for c in s.contract_countries.all()),
            s.expected_export_revenue,
            s.satisfaction,
            s.comment,
            "Oui" if latest.get(s.registration_id) is s else ("Non" if s.answered_at else ""),
        ]
