"""Starting, answering and completing a diagnostic; the company's signed link.

Answers are saved as they come (a section, or one question at a time from the page's
autosave), so a diagnostic can be left and resumed. Every answer is checked here, whoever
sends it (advisor page, company link, API), with the same French messages.

The company answers through a signed link (no account): the link names the diagnostic and its
access nonce, signed with LINK_SALT, and works LINK_MAX_AGE. Revoking gives the diagnostic a
new nonce, which breaks every earlier link. "Envoyer mes réponses" ends the company's part;
the advisor then completes the diagnostic, which computes and stores its scores, logs the
event on the company's timeline and moves its journey to "diagnosed".
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from guichet.diagnostics import scoring
from guichet.diagnostics.models import Answer, Diagnostic, Question, new_access_nonce

LINK_SALT = "guichet.diagnostics.company-link"
LINK_MAX_AGE = 30 * 24 * 3600  # 30 days
TEXT_MAX = 2000
NUMBER_MAX = Decimal("9999999999.99")

Kind = Question.Kind


# --- start -----------------------------------------------------------------------------------


def diagnostic_start(
    *,
    company,
    by=None,
    organisation=None,
    version=None,
    filled_by: str = Diagnostic.FilledBy.ADVISOR,
    at: datetime | None = None,
) -> Diagnostic:
    """A new diagnostic of `company` on the published version given (by default the default
    questionnaire's). The organisation defaults to the advisor's (an API key passes its own)."""
    from guichet.diagnostics.selectors import default_version

    version = version or default_version()
    if version is None:
        raise ValidationError(
            {
                "questionnaire": "Aucun questionnaire n'est publié : un administrateur doit en "
                "publier un avant le premier diagnostic."
            }
        )
    if version.status != version.Status.PUBLISHED:
        raise ValidationError(
            {
                "questionnaire": f"La version {version.number} de « {version.questionnaire} » "
                "n'est pas publiée : un diagnostic se fait sur la version publiée."
            }
        )
    if filled_by not in Diagnostic.FilledBy.values:
        raise ValidationError(
            {
                "filled_by": "Indiquez qui répond : « advisor » (le conseiller, en rendez-vous) ou "
                "« company » (l'entreprise, par lien)."
            }
        )
    organisation = organisation or (by.organisation if by is not None else None)
    return Diagnostic.objects.create(
        company=company,
        version=version,
        advisor=by,
        organisation=organisation,
        filled_by=filled_by,
        started_at=at or timezone.now(),
    )


# --- answers ---------------------------------------------------------------------------------


@dataclass
class SaveOutcome:
    saved: list[str] = field(default_factory=list)  # question codes answered
    cleared: list[str] = field(default_factory=list)  # question codes whose answer was removed
    errors: dict[str, list[str]] = field(default_factory=dict)


_EMPTY = (None, "", [], ())


def _as_list(value) -> list:
    if value in _EMPTY:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _clean_choice(question: Question, value, options: dict) -> list:
    codes = _as_list(value)
    if not all(isinstance(code, str) for code in codes):
        raise ValidationError("Donnez le code d'une réponse possible (texte).")
    if question.kind == Kind.SINGLE and len(set(codes)) > 1:
        raise ValidationError("Une seule réponse est possible à cette question.")
    unknown = [code for code in codes if code not in options]
    if unknown:
        raise ValidationError(
            f"« {unknown[0][:40]} » n'est pas une réponse possible. Réponses possibles : "
            + ", ".join(options)
            + "."
        )
    return [options[code] for code in dict.fromkeys(codes)]


_NUMBER_TEXT = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError("Indiquez un nombre.")
    if isinstance(value, int | float | Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", value)
        if not _NUMBER_TEXT.match(text):
            raise ValidationError("Indiquez un nombre, par exemple 12 ou 12,5.")
    else:
        raise ValidationError("Indiquez un nombre.")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError("Indiquez un nombre, par exemple 12 ou 12,5.") from None
    if not number.is_finite():
        raise ValidationError("Indiquez un nombre.")
    return number


def _clean_scale(question: Question, value) -> Decimal:
    number = _decimal(value)
    low, high = question.scale_min, question.scale_max
    if number != number.to_integral_value() or not low <= number <= high:
        raise ValidationError(f"Choisissez un nombre entier de {low} à {high}.")
    return number


def _clean_number(question: Question, value) -> Decimal:
    number = _decimal(value)
    if number < 0:
        raise ValidationError("Indiquez un nombre positif ou nul.")
    if question.unit == "%" and number > 100:
        raise ValidationError("Un pourcentage est compris entre 0 et 100.")
    if number > NUMBER_MAX:
        raise ValidationError("Ce nombre est trop grand.")
    return number.quantize(Decimal("0.01"))


def _clean_text(value) -> str:
    if not isinstance(value, str):
        raise ValidationError("Répondez par un texte.")
    text = value.strip()
    if len(text) > TEXT_MAX:
        raise ValidationError(
            f"La réponse fait {len(text)} caractères ; {TEXT_MAX} au plus sont acceptés."
        )
    return text


def clean_answer(question: Question, value, options: dict) -> dict | None:
    """The value to store ({"options": [...]} or {"number": …} or {"text": …}), or None when
    the value is empty (the answer is removed). Raises ValidationError in French."""
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        chosen = _clean_choice(question, value, options)
        return {"options": chosen} if chosen else None
    if question.kind == Kind.TEXT:
        if value is None:
            return None
        text = _clean_text(value)
        return {"text": text} if text else None
    if value in _EMPTY or (isinstance(value, str) and not value.strip()):
        return None
    if question.kind == Kind.SCALE:
        return {"number": _clean_scale(question, value)}
    return {"number": _clean_number(question, value)}


def _lock(diagnostic: Diagnostic) -> Diagnostic:
    return Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)


def _ensure_open(diagnostic: Diagnostic, *, company: bool = False) -> None:
    if diagnostic.status != Diagnostic.Status.IN_PROGRESS:
        raise ValidationError(
            "Ce diagnostic est terminé : ses réponses ne peuvent plus être modifiées.",
            code="closed",
        )
    if company and diagnostic.company_submitted_at is not None:
        raise ValidationError(
            "Vos réponses ont déjà été envoyées à votre conseiller : elles ne peuvent plus "
            "être modifiées par ce lien.",
            code="submitted",
        )


def _store(diagnostic: Diagnostic, question: Question, cleaned: dict | None, existing) -> None:
    if cleaned is None:
        if existing is not None:
            existing.delete()
        return
    answer = existing or Answer(diagnostic=diagnostic, question=question)
    answer.number = cleaned.get("number")
    answer.text = cleaned.get("text", "")
    answer.answered_at = timezone.now()
    answer.save()
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        answer.options.set(cleaned["options"])


def _validate(questions: dict[str, Question], values: Mapping[str, Any]) -> tuple[dict, dict]:
    cleaned, errors = {}, {}
    for code, value in values.items():
        question = questions.get(code)
        if question is None:
            errors[str(code)[:60]] = [
                f"Aucune question « {str(code)[:40]} » dans ce questionnaire."
            ]
            continue
        options = {o.code: o for o in question.options.all()}
        try:
            cleaned[code] = clean_answer(question, value, options)
        except ValidationError as error:
            errors[code] = error.messages
    return cleaned, errors


def diagnostic_answers_save(
    *,
    diagnostic: Diagnostic,
    values: Mapping[str, Any],
    by=None,
    partial: bool = False,
    from_company: bool = False,
) -> SaveOutcome:
    """Save answers given by question code; an empty value removes the answer.

    With partial=False (the API), nothing is saved when one value is wrong: a ValidationError
    lists every wrong value by question code. With partial=True (the pages), the right values
    are saved and the wrong ones come back in the outcome's errors, so the user loses nothing."""
    with transaction.atomic():
        locked = _lock(diagnostic)
        _ensure_open(locked, company=from_company)
        questions = {
            q.code: q
            for q in locked.version.questions.filter(
                code__in=[str(c) for c in values]
            ).prefetch_related("options")
        }
        cleaned, errors = _validate(questions, values)
        if errors and not partial:
            raise ValidationError(errors)
        existing = {
            a.question_id: a for a in locked.answers.filter(question__in=questions.values())
        }
        outcome = SaveOutcome(errors=errors)
        for code, value in cleaned.items():
            question = questions[code]
            _store(locked, question, value, existing.get(question.pk))
            (outcome.saved if value is not None else outcome.cleared).append(code)
    return outcome


# --- the company's link ----------------------------------------------------------------------


def link_token(diagnostic: Diagnostic) -> str:
    return signing.dumps({"d": diagnostic.pk, "n": diagnostic.access_nonce}, salt=LINK_SALT)


@dataclass(frozen=True)
class LinkCheck:
    diagnostic: Diagnostic | None
    problem: str = ""  # "", "invalid", "expired", "revoked"


def diagnostic_from_token(token: str) -> LinkCheck:
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        return LinkCheck(None, "expired")
    except signing.BadSignature:
        return LinkCheck(None, "invalid")
    if not isinstance(payload, dict) or not isinstance(payload.get("d"), int):
        return LinkCheck(None, "invalid")
    diagnostic = (
        Diagnostic.objects.select_related("company", "version__questionnaire", "organisation")
        .filter(pk=payload["d"])
        .first()
    )
    if diagnostic is None:
        return LinkCheck(None, "invalid")
    if not constant_time_compare(str(payload.get("n", "")), diagnostic.access_nonce):
        return LinkCheck(None, "revoked")
    return LinkCheck(diagnostic)


def diagnostic_link_create(*, diagnostic: Diagnostic, by=None) -> str:
    """A link for the company to answer; the diagnostic is then filled by the company."""
    _ensure_open(diagnostic)
    if diagnostic.filled_by != Diagnostic.FilledBy.COMPANY:
        diagnostic.filled_by = Diagnostic.FilledBy.COMPANY
        diagnostic.save(update_fields=["filled_by"])
    return link_token(diagnostic)


def diagnostic_link_revoke(*, diagnostic: Diagnostic, by=None) -> Diagnostic:
    """Every link sent so far stops working (a new link can be created afterwards)."""
    diagnostic.access_nonce = new_access_nonce()
    diagnostic.save(update_fields=["access_nonce"])
    return diagnostic


def diagnostic_company_submit(*, diagnostic: Diagnostic, at: datetime | None = None) -> Diagnostic:
    """The company sends its answers: its link becomes read-only; the advisor is told on the
    company's timeline and completes the diagnostic."""
    from guichet.journeys.services import timeline_event_record

    with transaction.atomic():
        locked = _lock(diagnostic)
        _ensure_open(locked, company=True)
        locked.company_submitted_at = at or timezone.now()
        locked.save(update_fields=["company_submitted_at"])
        timeline_event_record(
            company=locked.company,
            kind="diagnostic",
            title="L'entreprise a envoyé ses réponses au diagnostic export",
            text="Le conseiller complète le diagnostic pour en calculer les résultats.",
            occurred_at=locked.company_submitted_at,
            organisation=locked.organisation,
            source="diagnostics",
            source_id=locked.pk,
            link=reverse("diagnostics:fill", args=[locked.pk]),
        )
    diagnostic.company_submitted_at = locked.company_submitted_at
    return locked


# --- completion ------------------------------------------------------------------------------


def _missing_errors(diagnostic: Diagnostic, codes: tuple[str, ...]) -> ValidationError:
    questions = diagnostic.version.questions.filter(code__in=codes).select_related("dimension")
    by_code = {q.code: q for q in questions}
    return ValidationError(
        {
            code: [
                f"Question obligatoire sans réponse ({by_code[code].dimension.label}) : "
                f"« {by_code[code].text} »"
            ]
            for code in codes
        },
        code="missing",
    )


def _timeline_text(result: scoring.Result) -> str:
    parts = []
    if result.strengths:
        parts.append("Points forts : " + ", ".join(d.label for d in result.strengths) + ".")
    if result.gaps:
        parts.append("Axes de progrès : " + ", ".join(d.label for d in result.gaps) + ".")
    return " ".join(parts)


def _move_journey(diagnostic: Diagnostic, by) -> None:
    from guichet.journeys.models import Stage
    from guichet.journeys.services import journey_set_stage

    journey_set_stage(
        company=diagnostic.company,
        stage=Stage.DIAGNOSED,
        by=by,
        at=diagnostic.completed_at,
        only_forward=True,
    )


def diagnostic_complete(
    *, diagnostic: Diagnostic, by=None, at: datetime | None = None
) -> scoring.Result:
    """Compute and store the scores once every required question is answered; log the event
    on the company's timeline and move its journey to "diagnosed"."""
    from guichet.journeys.services import timeline_event_record

    with transaction.atomic():
        locked = _lock(diagnostic)
        _ensure_open(locked)
        result = scoring.compute(locked)
        if result.missing_required:
            raise _missing_errors(locked, result.missing_required)
        if result.overall is None:
            raise ValidationError(
                "Aucune question notée n'a de réponse : le score ne peut pas être calculé.",
                code="no_score",
            )
        locked.scores = result.scores
        locked.overall_score = Decimal(str(result.overall))
        locked.level = result.level.code
        locked.status = Diagnostic.Status.COMPLETED
        locked.completed_at = at or timezone.now()
        locked.save()
        timeline_event_record(
            company=locked.company,
            kind="diagnostic",
            title=f"Diagnostic export : {result.level.label} ({_score_text(result.overall)}/100)",
            text=_timeline_text(result),
            occurred_at=locked.completed_at,
            author=by,
            organisation=locked.organisation,
            source="diagnostics",
            source_id=locked.pk,
            link=reverse("diagnostics:result", args=[locked.pk]),
        )
        _move_journey(locked, by)
        # The action plan is proposed at completion (never by a page being read).
        from guichet.diagnostics.services.plan import plan_generate

        plan_generate(diagnostic=locked)
    for name in ("scores", "overall_score", "level", "status", "completed_at"):
        setattr(diagnostic, name, getattr(locked, name))
    return result


def _score_text(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
