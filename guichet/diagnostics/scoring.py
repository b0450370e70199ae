"""Scores of an export diagnostic, computed from its answers and its questionnaire version.

The rules (also explained to users in each version's `scoring_notes`):

- A question scores between 0 and 1:
  - single choice: the score of the chosen option;
  - multiple choice: the sum of the chosen options' scores, capped at 1 — ticking one more
    option never lowers the score (scores are never negative);
  - scale: linear between the minimum (0) and the maximum (1);
  - number: the score of the first band whose upper bound is at least the value (a band with
    no upper bound takes every larger value);
  - free text: not scored.
  A question left unanswered is left out of the means and reported as missing.
- A dimension scores 0 to 100: the mean of its answered questions' scores weighted by the
  questions' weights, × 100. A dimension without any answered scored question has no score.
- The overall score is the mean of the dimensions' scores weighted by their weights.
- The maturity level follows from the overall score (LEVELS below).
- Strengths are the dimensions at STRENGTH_THRESHOLD or more, gaps those under GAP_THRESHOLD.
- Recommendations are those written on the options chosen, weakest dimension first.

`compute(diagnostic)` reads the database (never writes); `compute_from(spec, answers)` is the
pure rule the property tests exercise.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

SINGLE, MULTIPLE, SCALE, NUMBER, TEXT = "single", "multiple", "scale", "number", "text"
SCORED_KINDS = (SINGLE, MULTIPLE, SCALE, NUMBER)

STRENGTH_THRESHOLD = 70.0
GAP_THRESHOLD = 50.0


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    minimum: float  # the overall score from which the level applies (inclusive)
    description: str


# From the lowest to the highest; each level applies from its minimum to the next one's.
LEVELS: tuple[Level, ...] = (
    Level(
        "initial",
        "Projet export à construire",
        0.0,
        "L'export n'est pas encore préparé : commencer par un projet, des moyens et un premier "
        "marché.",
    ),
    Level(
        "emerging",
        "Exportateur en devenir",
        35.0,
        "Des atouts existent mais la démarche reste ponctuelle : structurer l'offre, le "
        "financement et l'organisation.",
    ),
    Level(
        "structured",
        "Démarche export structurée",
        55.0,
        "L'entreprise sait exporter : consolider ses marchés et en ouvrir de nouveaux avec "
        "méthode.",
    ),
    Level(
        "advanced",
        "Exportateur confirmé",
        75.0,
        "L'export est une activité régulière et maîtrisée : viser des marchés plus lointains, "
        "s'implanter, innover.",
    ),
)
LEVELS_BY_CODE = {level.code: level for level in LEVELS}


def level_for(overall: float | None) -> Level | None:
    if overall is None:
        return None
    reached = LEVELS[0]
    for level in LEVELS:
        if overall >= level.minimum:
            reached = level
    return reached


def level_label(code: str) -> str:
    level = LEVELS_BY_CODE.get(code)
    return level.label if level else ""


# --- the questionnaire, as plain data --------------------------------------------------------


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: str
    score: float
    recommendation: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    dimension: str
    kind: str
    text: str = ""
    weight: float = 1.0
    required: bool = True
    options: tuple[OptionSpec, ...] = ()
    scale_min: int | None = None
    scale_max: int | None = None
    number_bands: tuple[tuple[float | None, float], ...] = ()

    @property
    def scored(self) -> bool:
        return self.kind in SCORED_KINDS and self.weight > 0


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    label: str
    weight: float = 1.0


@dataclass(frozen=True)
class Spec:
    dimensions: tuple[DimensionSpec, ...]
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class AnswerValue:
    """An answer as plain data: option codes (single, multiple), a number (scale, number) or a
    text."""

    options: frozenset[str] = frozenset()
    number: float | None = None
    text: str = ""


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionResult:
    code: str
    label: str
    score: float | None  # 0..100, one decimal; None when nothing scored was answered
    answered: int  # answered questions (scored or not)
    total: int


@dataclass(frozen=True)
class Recommendation:
    dimension: str
    question: str
    option: str
    text: str


@dataclass(frozen=True)
class Result:
    dimensions: tuple[DimensionResult, ...]
    overall: float | None
    level: Level | None
    strengths: tuple[DimensionResult, ...]
    gaps: tuple[DimensionResult, ...]
    recommendations: tuple[Recommendation, ...]
    missing: tuple[str, ...] = field(default=())  # codes of unanswered questions
    missing_required: tuple[str, ...] = field(default=())

    @property
    def scores(self) -> dict[str, float]:
        """{dimension code: score} for the dimensions that have a score (what is stored)."""
        return {d.code: d.score for d in self.dimensions if d.score is not None}

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.dimensions)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.dimensions)


# --- the rules -------------------------------------------------------------------------------


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _band_score(question: QuestionSpec, value: float) -> float | None:
    for upper, score in question.number_bands:
        if upper is None or value <= upper:
            return _clamp(score)
    return None


def question_score(question: QuestionSpec, answer: AnswerValue | None) -> float | None:
    """A score in [0, 1], or None when the question is not scored or not answered."""
    if answer is None or not question.scored:
        return None
    if question.kind in (SINGLE, MULTIPLE):
        chosen = [o.score for o in question.options if o.code in answer.options]
        if not chosen:
            return None
        if question.kind == SINGLE:
            return _clamp(max(chosen))
        return _clamp(sum(max(0.0, s) for s in chosen))
    if answer.number is None:
        return None
    if question.kind == SCALE:
        low, high = question.scale_min, question.scale_max
        if low is None or high is None or high <= low:
            return None
        return _clamp((answer.number - low) / (high - low))
    return _band_score(question, answer.number)


def is_answered(question: QuestionSpec, answer: AnswerValue | None) -> bool:
    if answer is None:
        return False
    if question.kind in (SINGLE, MULTIPLE):
        return bool(answer.options)
    if question.kind in (SCALE, NUMBER):
        return answer.number is not None
    return bool(answer.text.strip())


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    total_weight = 0.0
    total = 0.0
    for weight, value in pairs:
        total_weight += weight
        total += weight * value
    if total_weight <= 0:
        return None
    return total / total_weight


def _dimension_result(dimension, questions, answers) -> tuple[DimensionResult, float | None]:
    scored = []
    answered = 0
    for question in questions:
        answer = answers.get(question.code)
        answered += is_answered(question, answer)
        score = question_score(question, answer)
        if score is not None:
            scored.append((question.weight, score))
    mean = _weighted_mean(scored)
    exact = None if mean is None else 100.0 * mean
    shown = None if exact is None else round(exact, 1)
    return DimensionResult(dimension.code, dimension.label, shown, answered, len(questions)), exact


def _recommendations(spec: Spec, answers, order: dict[str, int]) -> tuple[Recommendation, ...]:
    found = []
    for question in spec.questions:
        answer = answers.get(question.code)
        if answer is None or question.kind not in (SINGLE, MULTIPLE):
            continue
        for option in question.options:
            if option.code in answer.options and option.recommendation.strip():
                found.append(
                    (
                        order.get(question.dimension, 0),
                        option.score,
                        Recommendation(
                            question.dimension,
                            question.code,
                            option.code,
                            option.recommendation.strip(),
                        ),
                    )
                )
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in found)


def compute_from(spec: Spec, answers: Mapping[str, AnswerValue]) -> Result:
    by_dimension: dict[str, list[QuestionSpec]] = {d.code: [] for d in spec.dimensions}
    for question in spec.questions:
        by_dimension.setdefault(question.dimension, []).append(question)
    results, exact = [], []
    for dimension in spec.dimensions:
        result, value = _dimension_result(dimension, by_dimension[dimension.code], answers)
        results.append(result)
        if value is not None and dimension.weight > 0:
            exact.append((dimension.weight, value))
    overall = _weighted_mean(exact)
    overall = None if overall is None else round(overall, 1)
    scored = [r for r in results if r.score is not None]
    strengths = sorted((r for r in scored if r.score >= STRENGTH_THRESHOLD), key=lambda r: -r.score)
    gaps = sorted((r for r in scored if r.score < GAP_THRESHOLD), key=lambda r: r.score)
    # Weakest dimensions first: their recommendations matter most.
    rank = {r.code: i for i, r in enumerate(sorted(scored, key=lambda r: r.score))}
    missing = [q for q in spec.questions if not is_answered(q, answers.get(q.code))]
    return Result(
        dimensions=tuple(results),
        overall=overall,
        level=level_for(overall),
        strengths=tuple(strengths),
        gaps=tuple(gaps),
        recommendations=_recommendations(spec, answers, rank),
        missing=tuple(q.code for q in missing),
        missing_required=tuple(q.code for q in missing if q.required),
    )


# --- from the database -----------------------------------------------------------------------


def _float(value) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else float(str(value))


def spec_of(version) -> Spec:
    """The version's dimensions, questions and options as plain data (three queries)."""
    dimensions = tuple(
        DimensionSpec(d.code, d.label, _float(d.weight))
        for d in version.dimensions.order_by("order", "pk")
    )
    options: dict[int, list[OptionSpec]] = {}
    from guichet.diagnostics.models import Option

    for option in Option.objects.filter(question__version=version).order_by(
        "question_id", "order", "pk"
    ):
        options.setdefault(option.question_id, []).append(
            OptionSpec(option.code, option.label, _float(option.score), option.recommendation)
        )
    questions = tuple(
        QuestionSpec(
            code=q.code,
            dimension=q.dimension.code,
            kind=q.kind,
            text=q.text,
            weight=_float(q.weight),
            required=q.required,
            options=tuple(options.get(q.pk, ())),
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            number_bands=tuple(
                (None if upper is None else _float(upper), _float(score))
                for upper, score in (q.number_bands or [])
            ),
        )
        for q in version.questions.select_related("dimension").order_by(
            "dimension__order", "order", "pk"
        )
    )
    return Spec(dimensions=dimensions, questions=questions)


def answers_of(diagnostic) -> dict[str, AnswerValue]:
    """The diagnostic's answers as plain data, by question code (two queries)."""
    values = {}
    for answer in diagnostic.answers.select_related("question").prefetch_related("options"):
        values[answer.question.code] = AnswerValue(
            options=frozenset(o.code for o in answer.options.all()),
            number=None if answer.number is None else float(answer.number),
            text=answer.text,
        )
    return values


def compute(diagnostic) -> Result:
    return compute_from(spec_of(diagnostic.version), answers_of(diagnostic))
