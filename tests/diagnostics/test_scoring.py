"""Scoring rules (guichet/diagnostics/scoring.py): each kind of question, weights, missing
answers, levels, strengths and gaps, recommendations; property-based checks that scores stay
within bounds and that a better answer never lowers its dimension nor the overall score."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.diagnostics import scoring
from guichet.diagnostics.scoring import (
    AnswerValue,
    DimensionSpec,
    OptionSpec,
    QuestionSpec,
    Spec,
    compute_from,
    level_for,
    question_score,
)
from tests.diagnostics.filling_factory import answer_all

YES_NO = (
    OptionSpec("no", "Non", 0.0, "Faire le nécessaire."),
    OptionSpec("partly", "En partie", 0.5),
    OptionSpec("yes", "Oui", 1.0),
)
TOOLS = (
    OptionSpec("none", "Aucun", 0.0, "S'équiper."),
    OptionSpec("site", "Site", 0.4),
    OptionSpec("crm", "CRM", 0.4),
    OptionSpec("shop", "Boutique", 0.4),
)


def q(code, kind="single", dimension="a", **extra):
    defaults = {"options": YES_NO} if kind == "single" else {}
    return QuestionSpec(code=code, dimension=dimension, kind=kind, **{**defaults, **extra})


def pick(*codes):
    return AnswerValue(options=frozenset(codes))


def number(value):
    return AnswerValue(number=value)


# --- one question ----------------------------------------------------------------------------


def test_single_choice_scores_the_chosen_option():
    assert question_score(q("x"), pick("partly")) == 0.5
    assert question_score(q("x"), pick("yes")) == 1.0


def test_multiple_choice_adds_the_options_up_to_one():
    question = q("x", "multiple", options=TOOLS)
    assert question_score(question, pick("site")) == pytest.approx(0.4)
    assert question_score(question, pick("site", "crm")) == pytest.approx(0.8)
    assert question_score(question, pick("site", "crm", "shop")) == 1.0
    assert question_score(question, pick("none")) == 0.0


def test_scale_is_linear_between_its_bounds():
    question = q("x", "scale", scale_min=1, scale_max=5)
    assert [question_score(question, number(v)) for v in (1, 2, 3, 5)] == [0, 0.25, 0.5, 1]


def test_number_takes_the_first_band_that_holds_it():
    question = q("x", "number", number_bands=((0, 0.0), (5, 0.3), (20, 0.6), (None, 1.0)))
    scores = [question_score(question, number(v)) for v in (0, 3, 5, 5.5, 20, 80)]
    assert scores == [0.0, 0.3, 0.3, 0.6, 0.6, 1.0]


def test_text_and_unanswered_questions_are_not_scored():
    assert question_score(q("x", "text"), AnswerValue(text="Parce que.")) is None
    assert question_score(q("x"), None) is None
    assert question_score(q("x"), pick()) is None


# --- dimensions, overall, level --------------------------------------------------------------


def two_dimensions(weight_b=1.0):
    return Spec(
        dimensions=(DimensionSpec("a", "Stratégie"), DimensionSpec("b", "Offre", weight_b)),
        questions=(
            q("a1", weight=2.0),
            q("a2"),
            q("a3", "text", required=False),
            q("b1", dimension="b"),
        ),
    )


def test_dimension_score_is_the_weighted_mean_of_answered_questions():
    result = compute_from(two_dimensions(), {"a1": pick("yes"), "a2": pick("no")})
    dimension = result.dimensions[0]
    assert dimension.score == pytest.approx(66.7)  # (2 × 1 + 1 × 0) / 3
    assert (dimension.answered, dimension.total) == (2, 3)
    assert result.dimensions[1].score is None
    assert result.missing == ("a3", "b1")
    assert result.missing_required == ("b1",)
    assert result.scores == {"a": 66.7}


def test_overall_is_the_weighted_mean_of_dimensions():
    answers = {"a1": pick("yes"), "a2": pick("yes"), "b1": pick("no")}
    assert compute_from(two_dimensions(), answers).overall == 50.0
    assert compute_from(two_dimensions(weight_b=3.0), answers).overall == 25.0


@pytest.mark.parametrize(
    ("overall", "code"),
    [
        (0, "initial"),
        (34.9, "initial"),
        (35, "emerging"),
        (54.9, "emerging"),
        (55, "structured"),
        (74.9, "structured"),
        (75, "advanced"),
        (100, "advanced"),
    ],
)
def test_levels_follow_the_documented_thresholds(overall, code):
    assert level_for(overall).code == code


def test_no_answer_no_level():
    result = compute_from(two_dimensions(), {})
    assert result.overall is None
    assert result.level is None


def test_strengths_gaps_and_recommendations_weakest_first():
    spec = Spec(
        dimensions=(
            DimensionSpec("a", "Stratégie"),
            DimensionSpec("b", "Offre"),
            DimensionSpec("c", "Finances"),
        ),
        questions=(
            q("a1"),
            q("b1", dimension="b"),
            q("c1", "multiple", dimension="c", options=TOOLS),
        ),
    )
    result = compute_from(spec, {"a1": pick("yes"), "b1": pick("no"), "c1": pick("none", "site")})
    assert [d.code for d in result.strengths] == ["a"]
    assert [d.code for d in result.gaps] == ["b", "c"]  # 0 then 40
    assert [(r.question, r.text) for r in result.recommendations] == [
        ("b1", "Faire le nécessaire."),
        ("c1", "S'équiper."),
    ]


# --- properties ------------------------------------------------------------------------------

scores = st.integers(min_value=0, max_value=1000).map(lambda n: n / 1000)
weights = st.integers(min_value=0, max_value=40).map(lambda n: n / 8)


@st.composite
def questions(draw, code: str, dimension: str):
    kind = draw(st.sampled_from(["single", "multiple", "scale", "number", "text"]))
    if kind in ("single", "multiple"):
        count = draw(st.integers(min_value=1, max_value=5))
        options = tuple(OptionSpec(f"o{i}", f"Option {i}", draw(scores)) for i in range(count))
        return QuestionSpec(code, dimension, kind, weight=draw(weights), options=options)
    if kind == "scale":
        low = draw(st.integers(min_value=-3, max_value=3))
        high = low + draw(st.integers(min_value=1, max_value=9))
        return QuestionSpec(
            code, dimension, kind, weight=draw(weights), scale_min=low, scale_max=high
        )
    if kind == "number":
        uppers = sorted(draw(st.lists(st.integers(0, 1000), min_size=1, max_size=4, unique=True)))
        bands = (*((float(u), draw(scores)) for u in uppers), (None, draw(scores)))
        return QuestionSpec(code, dimension, kind, weight=draw(weights), number_bands=bands)
    return QuestionSpec(code, dimension, kind, weight=0.0, required=False)


@st.composite
def answer_for(draw, question: QuestionSpec):
    if question.kind == "single":
        return pick(draw(st.sampled_from([o.code for o in question.options])))
    if question.kind == "multiple":
        codes = [o.code for o in question.options]
        return pick(*draw(st.lists(st.sampled_from(codes), min_size=1, unique=True)))
    if question.kind == "scale":
        return number(draw(st.integers(question.scale_min, question.scale_max)))
    if question.kind == "number":
        return number(draw(st.floats(min_value=0, max_value=2000, allow_nan=False)))
    return AnswerValue(text="texte")


@st.composite
def diagnostics(draw):
    dimension_count = draw(st.integers(min_value=1, max_value=4))
    dimensions = tuple(
        DimensionSpec(f"d{i}", f"Dimension {i}", draw(weights)) for i in range(dimension_count)
    )
    spec_questions = []
    for dimension in dimensions:
        for j in range(draw(st.integers(min_value=1, max_value=5))):
            spec_questions.append(draw(questions(f"{dimension.code}q{j}", dimension.code)))
    spec = Spec(dimensions, tuple(spec_questions))
    answers = {}
    for question in spec.questions:
        if draw(st.booleans()) or draw(st.booleans()):
            answers[question.code] = draw(answer_for(question))
    return spec, answers


def _improvable(spec, answers):
    """(question, better answer) pairs: a higher-scoring option, one more option, a higher
    scale value."""
    for question in spec.questions:
        answer = answers.get(question.code)
        if answer is None or not question.scored:
            continue
        if question.kind == "single":
            current = question_score(question, answer)
            for option in question.options:
                if option.score > current:
                    yield question, pick(option.code)
        elif question.kind == "multiple":
            for option in question.options:
                if option.code not in answer.options:
                    yield question, pick(*answer.options, option.code)
        elif question.kind == "scale" and answer.number < question.scale_max:
            yield question, number(answer.number + 1)


@settings(max_examples=200, deadline=None)
@given(diagnostics())
def test_scores_stay_within_bounds(case):
    spec, answers = case
    result = compute_from(spec, answers)
    for dimension in result.dimensions:
        assert dimension.score is None or 0 <= dimension.score <= 100
        assert 0 <= dimension.answered <= dimension.total
    assert result.overall is None or 0 <= result.overall <= 100
    assert (result.level is None) == (result.overall is None)
    for question in spec.questions:
        score = question_score(question, answers.get(question.code))
        assert score is None or 0 <= score <= 1


@settings(max_examples=200, deadline=None)
@given(diagnostics())
def test_a_better_answer_never_lowers_its_dimension_nor_the_overall(case):
    spec, answers = case
    before = compute_from(spec, answers)
    for question, better in _improvable(spec, answers):
        after = compute_from(spec, {**answers, question.code: better})
        index = [d.code for d in spec.dimensions].index(question.dimension)
        assert after.dimensions[index].score >= before.dimensions[index].score
        if before.overall is not None:
            assert after.overall >= before.overall


@settings(max_examples=200, deadline=None)
@given(diagnostics())
def test_answering_one_more_question_with_the_top_score_never_lowers_its_dimension(case):
    spec, answers = case
    before = compute_from(spec, answers)
    for index, dimension in enumerate(spec.dimensions):
        for question in spec.questions:
            if question.dimension != dimension.code or question.code in answers:
                continue
            if question.kind != "single":
                continue
            best = max(question.options, key=lambda o: o.score)
            if best.score < 1:
                continue
            after = compute_from(spec, {**answers, question.code: pick(best.code)})
            if before.dimensions[index].score is not None:
                assert after.dimensions[index].score >= before.dimensions[index].score


# --- the default questionnaire, from the database --------------------------------------------


def test_best_answers_to_the_default_questionnaire_reach_the_top_level(diagnostic):
    answer_all(diagnostic, level="best")
    result = scoring.compute(diagnostic)
    assert result.overall == 100.0
    assert result.level.label == "Exportateur confirmé"
    assert len(result.strengths) == 7
    assert not result.gaps
    assert result.recommendations == ()
    assert result.missing_required == ()


def test_worst_answers_give_gaps_everywhere_and_recommendations(diagnostic):
    answer_all(diagnostic, level="worst")
    result = scoring.compute(diagnostic)
    assert result.level.label == "Projet export à construire"
    assert len(result.gaps) == 7
    assert result.recommendations[0].dimension == result.gaps[0].code
    assert any("assurance prospection" in r.text for r in result.recommendations)
