"""The default export-readiness questionnaire: published as version 1 by migration, seven
dimensions with their codes, about forty questions of every kind, option scores between 0 and
1, a recommendation on every weak option, and a scoring explanation that matches the rules."""

import copy

import pytest

from guichet.diagnostics import scoring
from guichet.diagnostics.models import Option, Question, QuestionnaireVersion
from guichet.diagnostics.questionnaire import (
    DEFAULT_QUESTIONNAIRE,
    DEFAULT_SLUG,
    content_problems,
    load_default,
    load_questionnaire,
)

DIMENSIONS = [
    ("strategy", "Stratégie et engagement de la direction"),
    ("offer", "Offre et adaptation"),
    ("organisation", "Organisation et compétences (langues, personnel export)"),
    ("finance", "Finances et maîtrise des risques"),
    ("compliance", "Conformité (normes, douane, propriété intellectuelle)"),
    ("marketing", "Marketing et numérique"),
    ("experience", "Expérience internationale"),
]


def test_the_default_questionnaire_is_published_as_version_1(version):
    assert version.questionnaire.slug == DEFAULT_SLUG
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    assert version.published_at is not None
    dimensions = list(version.dimensions.order_by("order").values_list("code", "label"))
    assert dimensions == DIMENSIONS


def test_about_forty_questions_of_every_kind(version):
    questions = list(version.questions.all())
    assert 38 <= len(questions) <= 45
    assert {q.kind for q in questions} == {"single", "multiple", "scale", "number", "text"}
    for dimension in version.dimensions.all():
        assert dimension.questions.count() >= 5, dimension.code


def test_options_score_between_0_and_1_and_weak_answers_carry_a_recommendation(version):
    options = Option.objects.filter(question__version=version).select_related("question")
    assert options.count() > 100
    for option in options:
        assert 0 <= option.score <= 1
        # A weak answer: under 0.5 to a single choice; "none of these" (0) to a multiple one.
        weak = option.score < 0.5 if option.question.kind == "single" else option.score == 0
        if weak:
            assert option.recommendation.strip(), f"{option.question.code}/{option.code}"
    # Every choice question can reach full marks: improving an answer is always possible.
    for question in version.questions.filter(kind__in=["single", "multiple"]):
        scores = [o.score for o in question.options.all()]
        best = max(scores) if question.kind == "single" else min(sum(scores), 1)
        assert best == 1, question.code


def test_scales_and_numbers_are_scorable(version):
    for question in version.questions.filter(kind=Question.Kind.SCALE):
        assert question.scale_min < question.scale_max
    for question in version.questions.filter(kind=Question.Kind.NUMBER):
        bands = question.number_bands
        assert bands[-1][0] is None, question.code
        uppers = [upper for upper, _score in bands[:-1]]
        assert uppers == sorted(uppers)
        assert all(0 <= score <= 1 for _upper, score in bands)
        assert question.unit


def test_the_scoring_notes_state_the_rules_the_code_applies(version):
    notes = version.scoring_notes
    for level in scoring.LEVELS:
        assert f"« {level.label} »" in notes
        if level.minimum:
            assert f"{level.minimum:.0f}" in notes
    assert f"{scoring.STRENGTH_THRESHOLD:.0f} ou plus est un point fort" in notes
    assert f"sous {scoring.GAP_THRESHOLD:.0f}, un axe de progrès" in notes
    strategy = version.dimensions.get(code="strategy")
    assert strategy.weight == 1.5
    assert "une fois et demie" in notes


def test_loading_twice_changes_nothing(version):
    before = Question.objects.count()
    assert load_default() == version
    assert Question.objects.count() == before


def test_problems_of_a_content_are_found():
    content = copy.deepcopy(DEFAULT_QUESTIONNAIRE)
    assert content_problems(content) == []
    questions = content["dimensions"][0]["questions"]
    questions[1]["code"] = questions[0]["code"]
    questions[0]["options"][0]["score"] = 1.5
    questions[2]["options"] = []
    problems = content_problems(content)
    assert "Le code de question « strategy-place » est répété." in problems
    assert "Une réponse de « strategy-place » a un score hors de 0 à 1." in problems
    assert "La question à choix « strategy-plan » n'a aucune réponse possible." in problems
    with pytest.raises(ValueError, match="répété"):
        load_questionnaire(content, models={})


def test_the_questionnaire_page_shows_the_questions_and_how_the_score_is_computed(
    client_for, advisor_a, version
):
    from html import unescape

    from django.urls import reverse

    page = unescape(
        client_for(advisor_a)
        .get(reverse("diagnostics:version", args=[DEFAULT_SLUG, 1]))
        .content.decode()
    )
    assert "Comment le score est calculé" in page
    assert "cocher une réponse de plus ne fait jamais baisser le score" in page
    assert "Exportateur confirmé" in page
    assert "Quelle place l'export occupe-t-il dans la stratégie de l'entreprise ?" in page
    assert "Déposer votre marque" in page  # a recommendation
    assert "Modifier" not in page  # advisors read, administrators edit drafts
    assert "Créer une nouvelle version" not in page
