"""Reads of the diagnostics capability that several pages, the API and services share."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from guichet.diagnostics.models import (
    Answer,
    Diagnostic,
    Dimension,
    Option,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from guichet.diagnostics.questionnaire import DEFAULT_SLUG

Status = QuestionnaireVersion.Status


# --- questionnaires --------------------------------------------------------------------------


def questionnaires_with_versions() -> QuerySet[Questionnaire]:
    versions = QuestionnaireVersion.objects.order_by("-number")
    return Questionnaire.objects.prefetch_related(Prefetch("versions", queryset=versions))


def published_versions() -> QuerySet[QuestionnaireVersion]:
    """The version in use of each questionnaire, the default questionnaire first."""
    return (
        QuestionnaireVersion.objects.filter(status=Status.PUBLISHED)
        .select_related("questionnaire")
        .order_by("questionnaire__title", "-number")
    )


def default_version() -> QuestionnaireVersion | None:
    published = list(published_versions())
    for version in published:
        if version.questionnaire.slug == DEFAULT_SLUG:
            return version
    return published[0] if published else None


def version_by_number(slug: str, number: int) -> QuestionnaireVersion | None:
    return (
        QuestionnaireVersion.objects.select_related("questionnaire")
        .filter(questionnaire__slug=slug, number=number)
        .first()
    )


def draft_of(questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.filter(status=Status.DRAFT).order_by("-number").first()


def version_tree(version) -> list[Dimension]:
    """Dimensions in order, each with `.question_list`, each question with `.option_list`
    (three queries)."""
    options = Prefetch(
        "options", queryset=Option.objects.order_by("order", "pk"), to_attr="option_list"
    )
    questions = Prefetch(
        "questions",
        queryset=Question.objects.order_by("order", "pk").prefetch_related(options),
        to_attr="question_list",
    )
    return list(version.dimensions.order_by("order", "pk").prefetch_related(questions))


def questions_of(tree: list[Dimension]) -> list[Question]:
    return [question for dimension in tree for question in dimension.question_list]


# --- diagnostics -----------------------------------------------------------------------------


def company_diagnostics(company) -> QuerySet[Diagnostic]:
    return (
        Diagnostic.objects.filter(company=company)
        .select_related("version__questionnaire", "organisation", "advisor")
        .order_by("-started_at", "-pk")
    )


def diagnostic_for_page(pk: int) -> Diagnostic | None:
    return (
        Diagnostic.objects.select_related(
            "company", "version__questionnaire", "organisation", "advisor"
        )
        .filter(pk=pk)
        .first()
    )


def answers_by_question(diagnostic) -> dict[int, Answer]:
    """The diagnostic's answers by question id, options prefetched (two queries)."""
    answers = diagnostic.answers.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order", "pk"))
    )
    return {answer.question_id: answer for answer in answers}


def answer_is_given(question: Question, answer: Answer | None) -> bool:
    """Whether the stored answer answers the question (options prefetched)."""
    if answer is None:
        return False
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return bool(answer.options.all())
    if question.kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
        return answer.number is not None
    return bool(answer.text.strip())


@dataclass
class Progress:
    answered: int = 0
    total: int = 0
    # {dimension code: (answered, total)}
    by_dimension: dict[str, tuple[int, int]] = field(default_factory=dict)
    missing_required: list[Question] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def progress_of(tree: list[Dimension], answers: dict[int, Answer]) -> Progress:
    progress = Progress()
    for dimension in tree:
        answered = 0
        for question in dimension.question_list:
            given = answer_is_given(question, answers.get(question.pk))
            answered += given
            if question.required and not given:
                progress.missing_required.append(question)
        total = len(dimension.question_list)
        progress.by_dimension[dimension.code] = (answered, total)
        progress.answered += answered
        progress.total += total
    return progress


def diagnostic_progress(diagnostic) -> Progress:
    return progress_of(version_tree(diagnostic.version), answers_by_question(diagnostic))
