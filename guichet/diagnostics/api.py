"""The export diagnostic in the API: published questionnaires, starting a diagnostic of a
company, reading it, saving its answers and completing it.

An API key acts for its organisation, with the same rules as the pages: any organisation may
start a diagnostic; only the organisation that runs it saves its answers and completes it,
and only it reads the answers — the others read its date, status, level and scores. Writes
go through the same services as the pages; their French messages become 422 answers."""

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Router, Schema, Status

from guichet.companies.api_company import ApiKeyActor
from guichet.companies.selectors import company_for_file
from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.core.audit import acting_as
from guichet.diagnostics import permissions, scoring, selectors, services
from guichet.diagnostics.models import Diagnostic, Question

router = Router(tags=["Diagnostics"])

_MAX_ID = 2**63 - 1
_SIREN = re.compile(r"^\d{9}$")


# --- schemas ---------------------------------------------------------------------------------


class OptionOut(Schema):
    code: str
    label: str
    score: float
    recommendation: str


class QuestionOut(Schema):
    code: str
    text: str
    help_text: str
    kind: str
    weight: float
    required: bool
    scale_min: int | None
    scale_max: int | None
    number_bands: list[list[float | None]]
    unit: str
    options: list[OptionOut]


class DimensionOut(Schema):
    code: str
    label: str
    description: str
    weight: float
    questions: list[QuestionOut]


class QuestionnaireOut(Schema):
    slug: str
    title: str
    description: str
    version: int
    published_at: datetime | None
    scoring_notes: str
    dimensions: list[DimensionOut]


class AnswerOut(Schema):
    question: str
    options: list[str]
    number: float | None
    text: str
    answered_at: datetime


class ResultsOut(Schema):
    overall_score: float | None
    level: str
    level_label: str
    scores: dict[str, float]


class ProgressOut(Schema):
    answered: int
    total: int
    missing_required: list[str]


class DiagnosticOut(Schema):
    id: int
    siren: str
    company: str
    questionnaire: str
    version: int
    organisation: str | None
    filled_by: str
    status: str
    started_at: datetime
    company_submitted_at: datetime | None
    completed_at: datetime | None
    results: ResultsOut | None
    progress: ProgressOut | None
    answers: list[AnswerOut] | None


class StartIn(Schema):
    questionnaire: str | None = None
    filled_by: str = Diagnostic.FilledBy.ADVISOR


class AnswersIn(Schema):
    answers: dict[str, Any]


# --- helpers ---------------------------------------------------------------------------------


def _actor(request) -> ApiKeyActor:
    return ApiKeyActor(key=request.auth)


def _company(siren: str):
    if not _SIREN.match(siren):
        raise _invalid(
            DjangoValidationError({"siren": "Le SIREN compte exactement 9 chiffres."}), "path"
        )
    company = company_for_file(siren)
    if company is None:
        raise ApiNotFound(f"Aucune entreprise de SIREN {siren} dans le registre.")
    return company


def _diagnostic(diagnostic_id: int) -> Diagnostic:
    diagnostic = None
    if 0 < diagnostic_id <= _MAX_ID:
        diagnostic = selectors.diagnostic_for_page(diagnostic_id)
    if diagnostic is None:
        raise ApiNotFound(f"Aucun diagnostic n° {diagnostic_id}.")
    return diagnostic


def _options_payload(question: Question) -> list[dict]:
    return [
        {
            "code": o.code,
            "label": o.label,
            "score": float(o.score),
            "recommendation": o.recommendation,
        }
        for o in question.option_list
    ]


def _questionnaire_payload(version) -> dict:
    tree = selectors.version_tree(version)
    return {
        "slug": version.questionnaire.slug,
        "title": version.questionnaire.title,
        "description": version.questionnaire.description,
        "version": version.number,
        "published_at": version.published_at,
        "scoring_notes": version.scoring_notes,
        "dimensions": [
            {
                "code": d.code,
                "label": d.label,
                "description": d.description,
                "weight": float(d.weight),
                "questions": [
                    {
                        "code": q.code,
                        "text": q.text,
                        "help_text": q.help_text,
                        "kind": q.kind,
                        "weight": float(q.weight),
                        "required": q.required,
                        "scale_min": q.scale_min,
                        "scale_max": q.scale_max,
                        "number_bands": q.number_bands or [],
                        "unit": q.unit,
                        "options": _options_payload(q),
                    }
                    for q in d.question_list
                ],
            }
            for d in tree
        ],
    }


def _answers_payload(diagnostic: Diagnostic) -> list[dict]:
    answers = diagnostic.answers.select_related("question").prefetch_related("options")
    return [
        {
            "question": a.question.code,
            "options": [o.code for o in a.options.all()],
            "number": float(a.number) if a.number is not None else None,
            "text": a.text,
            "answered_at": a.answered_at,
        }
        for a in answers.order_by("question__dimension__order", "question__order", "pk")
    ]


def _results_payload(diagnostic: Diagnostic) -> dict | None:
    if diagnostic.status == Diagnostic.Status.IN_PROGRESS:
        return None
    return {
        "overall_score": float(diagnostic.overall_score)
        if diagnostic.overall_score is not None
        else None,
        "level": diagnostic.level,
        "level_label": scoring.level_label(diagnostic.level),
        "scores": diagnostic.scores or {},
    }


def _payload(diagnostic: Diagnostic, organisation) -> dict:
    full = permissions.organisation_runs(organisation, diagnostic)
    progress = selectors.diagnostic_progress(diagnostic) if full else None
    return {
        "id": diagnostic.pk,
        "siren": diagnostic.company.siren,
        "company": diagnostic.company.name,
        "questionnaire": diagnostic.version.questionnaire.slug,
        "version": diagnostic.version.number,
        "organisation": diagnostic.organisation.name if diagnostic.organisation else None,
        "filled_by": diagnostic.filled_by,
        "status": diagnostic.status,
        "started_at": diagnostic.started_at,
        "company_submitted_at": diagnostic.company_submitted_at,
        "completed_at": diagnostic.completed_at,
        "results": _results_payload(diagnostic),
        "progress": {
            "answered": progress.answered,
            "total": progress.total,
            "missing_required": [q.code for q in progress.missing_required],
        }
        if progress
        else None,
        "answers": _answers_payload(diagnostic) if full else None,
    }


def _writable(request, diagnostic: Diagnostic) -> None:
    organisation = request.api_organisation
    if not permissions.organisation_runs(organisation, diagnostic):
        raise PermissionDenied
    if diagnostic.status != Diagnostic.Status.IN_PROGRESS:
        raise _invalid(
            DjangoValidationError(
                {"status": "Ce diagnostic est terminé : ses réponses ne peuvent plus changer."}
            )
        )


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/questionnaires",
    response=list[QuestionnaireOut],
    summary="Questionnaires publiés : dimensions, questions, réponses possibles et scores",
)
def questionnaire_list(request):
    return [_questionnaire_payload(v) for v in selectors.published_versions()]


@router.post(
    "/companies/{siren}/diagnostics",
    response={201: DiagnosticOut},
    summary="Commencer un diagnostic export de l'entreprise (au nom de l'organisation de la clé)",
)
def diagnostic_create(request, siren: str, payload: StartIn):
    company = _company(siren)
    version = None
    name = (payload.questionnaire or "")[:60]
    if payload.questionnaire:
        version = next(
            (
                v
                for v in selectors.published_versions()
                if v.questionnaire.slug == payload.questionnaire
            ),
            None,
        )
        if version is None:
            raise _invalid(
                DjangoValidationError({"questionnaire": f"Aucun questionnaire publié « {name} »."})
            )
    try:
        with acting_as(_actor(request), path=request.path):
            diagnostic = services.diagnostic_start(
                company=company,
                by=None,
                organisation=request.api_organisation,
                version=version,
                filled_by=payload.filled_by,
            )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    diagnostic = selectors.diagnostic_for_page(diagnostic.pk)
    return Status(201, _payload(diagnostic, request.api_organisation))


@router.get(
    "/diagnostics/{diagnostic_id}",
    response=DiagnosticOut,
    summary="Un diagnostic : état, résultats ; réponses pour l'organisation qui le réalise",
)
def diagnostic_detail(request, diagnostic_id: int):
    return _payload(_diagnostic(diagnostic_id), request.api_organisation)


@router.put(
    "/diagnostics/{diagnostic_id}/answers",
    response=DiagnosticOut,
    summary="Enregistrer des réponses (par code de question ; null efface une réponse)",
    description=(
        "Les questions nommées sont enregistrées, les autres gardent leur réponse. Valeur "
        "attendue selon le type de question : choix unique, le code d'une réponse ; choix "
        "multiple, une liste de codes ; échelle, un entier de l'échelle ; nombre, un nombre "
        "positif ; texte, une chaîne. Si une valeur est refusée, aucune n'est enregistrée."
    ),
)
def diagnostic_answers(request, diagnostic_id: int, payload: AnswersIn):
    diagnostic = _diagnostic(diagnostic_id)
    _writable(request, diagnostic)
    try:
        with acting_as(_actor(request), path=request.path):
            services.diagnostic_answers_save(diagnostic=diagnostic, values=payload.answers)
    except DjangoValidationError as error:
        raise _invalid(error, "body", "payload", "answers") from None
    return _payload(diagnostic, request.api_organisation)


@router.post(
    "/diagnostics/{diagnostic_id}/complete",
    response=DiagnosticOut,
    summary="Terminer le diagnostic : calcule et enregistre les scores et le niveau",
)
def diagnostic_complete(request, diagnostic_id: int):
    diagnostic = _diagnostic(diagnostic_id)
    _writable(request, diagnostic)
    try:
        with acting_as(_actor(request), path=request.path):
            services.diagnostic_complete(diagnostic=diagnostic, by=None)
    except DjangoValidationError as error:
        raise _invalid(error, "body", "answers") from None
    return _payload(selectors.diagnostic_for_page(diagnostic.pk), request.api_organisation)
