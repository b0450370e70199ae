"""Questionnaire versions: a published version never changes.

Diagnostics keep the version they were answered with (Diagnostic.version is PROTECT), so a
published version is frozen: every change of its dimensions, questions or options through
these services is refused with a French message. To change the questionnaire, an
administrator copies the published version into a draft (`version_new_from`), edits the draft,
then publishes it (`version_publish`), which retires the previous published version.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from guichet.core.audit import record
from guichet.core.models import AuditEvent
from guichet.diagnostics.models import Dimension, Option, Question, QuestionnaireVersion

Status = QuestionnaireVersion.Status
TEXT_MAX = 300
LABEL_MAX = 200
RECOMMENDATION_MAX = 1000
NOTES_MAX = 6000
WEIGHT_MAX = Decimal("10")


def ensure_draft(version: QuestionnaireVersion) -> None:
    """Refuse any change to a version that is not a draft."""
    fresh = QuestionnaireVersion.objects.filter(pk=version.pk).values_list("status", flat=True)
    status = fresh.first() or version.status
    if status == Status.PUBLISHED:
        raise ValidationError(
            f"La version {version.number} est publiée : elle ne peut plus être modifiée, car des "
            "diagnostics y répondent ou y répondront. Créez une nouvelle version pour la faire "
            "évoluer.",
            code="published",
        )
    if status == Status.RETIRED:
        raise ValidationError(
            f"La version {version.number} est retirée : elle ne peut plus être modifiée. "
            "Créez une nouvelle version à partir de la version publiée.",
            code="retired",
        )


# --- new version, publication ----------------------------------------------------------------


def _copy_question(question: Question, version, dimension: Dimension) -> None:
    options = list(question.options.order_by("order", "pk"))
    question.pk = None
    question.id = None
    question.version = version
    question.dimension = dimension
    question._state.adding = True
    question.save()
    Option.objects.bulk_create(
        Option(
            question=question,
            code=o.code,
            label=o.label,
            order=o.order,
            score=o.score,
            recommendation=o.recommendation,
        )
        for o in options
    )


@transaction.atomic
def version_new_from(*, version: QuestionnaireVersion, by=None) -> QuestionnaireVersion:
    """A draft copy of `version` (dimensions, questions, options, scoring notes), numbered
    after the questionnaire's last version. One draft at a time per questionnaire."""
    questionnaire = version.questionnaire
    draft = questionnaire.versions.filter(status=Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"La version {draft.number} est déjà en brouillon : modifiez-la ou publiez-la avant "
            "d'en créer une autre.",
            code="draft_exists",
        )
    number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    new = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        status=Status.DRAFT,
        scoring_notes=version.scoring_notes,
    )
    for dimension in version.dimensions.order_by("order", "pk"):
        questions = list(dimension.questions.order_by("order", "pk"))
        dimension.pk = None
        dimension.id = None
        dimension.version = new
        dimension._state.adding = True
        dimension.save()
        for question in questions:
            _copy_question(question, new, dimension)
    return new


def version_problems(version: QuestionnaireVersion) -> list[str]:
    """What prevents publishing a version, in French (empty: it can be published)."""
    problems = []
    questions = list(version.questions.select_related("dimension").prefetch_related("options"))
    if not questions:
        problems.append("La version ne contient aucune question.")
    for question in questions:
        problems.extend(_question_problems(question))
    scored = [q for q in questions if q.kind != Question.Kind.TEXT and q.weight > 0]
    if questions and not scored:
        problems.append("Aucune question n'est notée : le score ne pourrait pas être calculé.")
    return problems


def _question_problems(question: Question) -> list[str]:
    name = f"« {question.text} »"
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and not question.options.all():
        return [f"La question {name} n'a aucune réponse possible."]
    if kind == Question.Kind.SCALE and (
        question.scale_min is None
        or question.scale_max is None
        or question.scale_min >= question.scale_max
    ):
        return [f"L'échelle de la question {name} doit avoir un minimum inférieur au maximum."]
    if kind == Question.Kind.NUMBER and not question.number_bands:
        return [f"La question {name} n'a pas de tranches de score."]
    return []


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion, by=None) -> QuestionnaireVersion:
    """Publish a draft; the questionnaire's previously published version is retired (the
    diagnostics answered with it keep it)."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ValidationError(
            f"La version {version.number} n'est pas un brouillon : seule une version en "
            "brouillon peut être publiée.",
            code="not_draft",
        )
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems, code="incomplete")
    for previous in QuestionnaireVersion.objects.filter(
        questionnaire=version.questionnaire, status=Status.PUBLISHED
    ):
        previous.status = Status.RETIRED
        previous.save(update_fields=["status"])
    version.status = Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


# --- edits of a draft ------------------------------------------------------------------------


def _decimal(value, field: str, label: str, *, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{label} doit être un nombre."}) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError({field: f"{label} doit être compris entre {low} et {high}."})
    return number


def _text(value: str, field: str, label: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"{label} est obligatoire."})
    if len(value) > limit:
        raise ValidationError(
            {field: f"{label} fait {len(value)} caractères ; {limit} au plus sont acceptés."}
        )
    return value


def version_notes_update(*, version: QuestionnaireVersion, scoring_notes: str, by=None):
    ensure_draft(version)
    version.scoring_notes = _text(
        scoring_notes, "scoring_notes", "L'explication du score", limit=NOTES_MAX
    )
    version.save(update_fields=["scoring_notes"])
    return version


def _audit_change(obj, changes: dict, by) -> None:
    """Questions and options are not audited models: their edits are logged here."""
    if changes:
        record(action=AuditEvent.Action.UPDATE, obj=obj, changes=changes, actor=by)


def _collect_errors(calls) -> tuple[dict, dict]:
    values, errors = {}, {}
    for name, call in calls.items():
        try:
            values[name] = call()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    return values, errors


@transaction.atomic
def question_update(
    *,
    question: Question,
    text: str,
    help_text: str = "",
    weight,
    required: bool,
    options: list[dict] | None = None,
    by=None,
) -> Question:
    """Change a draft's question and its options' labels, scores and recommendations.
    `options` is a list of {"code", "label", "score", "recommendation"} for existing options."""
    ensure_draft(question.version)
    values, errors = _collect_errors(
        {
            "text": lambda: _text(text, "text", "Le texte de la question", limit=TEXT_MAX),
            "help_text": lambda: _text(
                help_text, "help_text", "L'aide", limit=TEXT_MAX, required=False
            ),
            "weight": lambda: _decimal(
                weight, "weight", "Le poids", low=Decimal(0), high=WEIGHT_MAX
            ),
        }
    )
    existing = {o.code: o for o in question.options.all()}
    option_values = []
    for index, item in enumerate(options or []):
        option = existing.get(item.get("code"))
        if option is None:
            errors.setdefault("options", []).append(
                f"La réponse « {item.get('code')} » n'existe pas pour cette question."
            )
            continue
        cleaned, option_errors = _option_values(item, index)
        for field, messages in option_errors.items():
            errors.setdefault(field, []).extend(messages)
        option_values.append((option, cleaned))
    if errors:
        raise ValidationError(errors)
    changes = {}
    for name, value in {**values, "required": bool(required)}.items():
        if getattr(question, name) != value:
            changes[name] = [str(getattr(question, name)), str(value)]
            setattr(question, name, value)
    question.save()
    _audit_change(question, changes, by)
    for option, cleaned in option_values:
        _apply_option(option, cleaned, by)
    return question


def _option_values(item: dict, index: int) -> tuple[dict, dict]:
    prefix = f"options-{index}"
    return _collect_errors(
        {
            "label": lambda: _text(
                item.get("label", ""),
                f"{prefix}-label",
                "Le libellé de la réponse",
                limit=LABEL_MAX,
            ),
            "score": lambda: _decimal(
                item.get("score", ""),
                f"{prefix}-score",
                "Le score de la réponse",
                low=Decimal(0),
                high=Decimal(1),
            ),
            "recommendation": lambda: _text(
                item.get("recommendation", ""),
                f"{prefix}-recommendation",
                "La recommandation",
                limit=RECOMMENDATION_MAX,
                required=False,
            ),
        }
    )


def _apply_option(option: Option, cleaned: dict, by) -> None:
    changes = {}
    for name, value in cleaned.items():
        if getattr(option, name) != value:
            changes[name] = [str(getattr(option, name)), str(value)]
            setattr(option, name, value)
    if changes:
        option.save()
        _audit_change(option, changes, by)


def option_update(*, option: Option, label: str, score, recommendation: str = "", by=None):
    ensure_draft(option.question.version)
    cleaned, errors = _option_values(
        {"label": label, "score": score, "recommendation": recommendation}, 0
    )
    if errors:
        raise ValidationError({key.replace("options-0-", ""): v for key, v in errors.items()})
    _apply_option(option, cleaned, by)
    return option


def dimension_update(*, dimension: Dimension, label: str, description: str = "", weight, by=None):
    ensure_draft(dimension.version)
    values, errors = _collect_errors(
        {
            "label": lambda: _text(label, "label", "Le libellé", limit=150),
            "description": lambda: _text(
                description, "description", "La description", limit=1000, required=False
            ),
            "weight": lambda: _decimal(
                weight, "weight", "Le poids", low=Decimal(0), high=WEIGHT_MAX
            ),
        }
    )
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(dimension, name, value)
    dimension.save()
    return dimension
