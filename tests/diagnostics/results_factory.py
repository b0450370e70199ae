"""Small questionnaires and completed diagnostics for the results tests (plan, report,
comparison, radar): three dimensions of one single-choice question each, whose options score
0, 0.5 and 1 and carry a recommendation when weak. Completion is done as the completion
service does it: scores, overall score and level from guichet.diagnostics.scoring."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from guichet.diagnostics import scoring
from guichet.diagnostics.models import (
    Answer,
    Diagnostic,
    Dimension,
    Option,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)

DIMENSIONS = [
    ("strategy", "Stratégie et engagement de la direction"),
    ("finance", "Finances et risques"),
    ("marketing", "Marketing et numérique"),
]
LEVELS = {"low": "0", "mid": "0.5", "high": "1"}


def make_version(
    *, slug: str = "test-export", number: int = 1, dimensions=DIMENSIONS, notes: str = ""
) -> QuestionnaireVersion:
    questionnaire, _ = Questionnaire.objects.get_or_create(
        slug=slug, defaults={"title": "Diagnostic export (test)"}
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        status=QuestionnaireVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        scoring_notes=notes or "Chaque réponse vaut de 0 à 1 ; la dimension en fait la moyenne.",
    )
    for order, (code, label) in enumerate(dimensions):
        dimension = Dimension.objects.create(
            version=version, code=code, label=label, order=order, description=f"Mesure {label}."
        )
        question = Question.objects.create(
            version=version,
            dimension=dimension,
            code=f"q-{code}",
            order=1,
            text=f"Où en êtes-vous : {label} ?",
            kind=Question.Kind.SINGLE,
        )
        for position, (level, score) in enumerate(LEVELS.items()):
            Option.objects.create(
                question=question,
                code=level,
                label=f"Niveau {level}",
                order=position,
                score=Decimal(score),
                recommendation=f"Renforcer : {label.lower()}." if level == "low" else "",
            )
    return version


def make_diagnostic(
    company,
    version,
    *,
    advisor=None,
    answers: dict[str, str] | None = None,
    completed_at: datetime | None = None,
    status: str = Diagnostic.Status.COMPLETED,
) -> Diagnostic:
    """A diagnostic answered with `answers` ({dimension code: "low" | "mid" | "high"}; every
    dimension "mid" by default) and completed at `completed_at` (now by default)."""
    completed_at = completed_at or timezone.now()
    diagnostic = Diagnostic.objects.create(
        company=company,
        version=version,
        advisor=advisor,
        organisation=advisor.organisation if advisor else None,
        filled_by=Diagnostic.FilledBy.ADVISOR,
        started_at=completed_at,
    )
    answers = answers or {}
    for question in version.questions.select_related("dimension"):
        level = answers.get(question.dimension.code, "mid")
        answer = Answer.objects.create(diagnostic=diagnostic, question=question)
        answer.options.set([question.options.get(code=level)])
    if status != Diagnostic.Status.IN_PROGRESS:
        result = scoring.compute(diagnostic)
        diagnostic.scores = result.scores
        diagnostic.overall_score = (
            Decimal(str(result.overall)) if result.overall is not None else None
        )
        diagnostic.level = result.level.code if result.level else ""
        diagnostic.completed_at = completed_at
        diagnostic.status = status
        diagnostic.save()
    return diagnostic


def make_offer(provider, slug: str, dimensions: list[str], **audience):
    """An active offer of the catalogue helping with `dimensions`."""
    from guichet.offers.models import Offer

    return Offer.objects.create(
        title=audience.pop("title", f"Offre {slug}"),
        slug=slug,
        provider=provider,
        kind=audience.pop("kind", "consulting"),
        summary=audience.pop("summary", f"Ce que fait l'offre {slug}."),
        dimensions=dimensions,
        **audience,
    )
