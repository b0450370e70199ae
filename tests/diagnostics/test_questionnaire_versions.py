"""Questionnaire versioning: a published version never changes (services and pages refuse
it), a new version is a draft copy that can be edited and published (retiring the previous
one), and a diagnostic keeps its version — a new version does not change old results."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.diagnostics import scoring
from guichet.diagnostics.models import Option, Question, QuestionnaireVersion
from guichet.diagnostics.questionnaire import DEFAULT_SLUG
from guichet.diagnostics.services import (
    diagnostic_complete,
    diagnostic_start,
    dimension_update,
    option_update,
    question_update,
    version_new_from,
    version_notes_update,
    version_publish,
)
from tests.diagnostics.filling_factory import answer_all

Status = QuestionnaireVersion.Status


def text(response) -> str:
    return unescape(response.content.decode())


def version_url(number, action=""):
    names = {"": "version", "new": "version_new", "publish": "version_publish"}
    return reverse(f"diagnostics:{names[action]}", args=[DEFAULT_SLUG, number])


# --- a published version is frozen ----------------------------------------------------------


def test_editing_a_published_version_is_refused(version):
    question = version.questions.get(code="strategy-place")
    option = question.options.get(code="none")
    dimension = version.dimensions.get(code="strategy")
    attempts = [
        lambda: question_update(question=question, text="Autre", weight=1, required=True),
        lambda: option_update(option=option, label="Autre", score="1"),
        lambda: dimension_update(dimension=dimension, label="Autre", weight=2),
        lambda: version_notes_update(version=version, scoring_notes="Autre calcul."),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [
            "La version 1 est publiée : elle ne peut plus être modifiée, car des diagnostics y "
            "répondent ou y répondront. Créez une nouvelle version pour la faire évoluer."
        ]
    question.refresh_from_db()
    option.refresh_from_db()
    assert question.text == "Quelle place l'export occupe-t-il dans la stratégie de l'entreprise ?"
    assert option.score == 0


def test_the_edit_pages_of_a_published_version_refuse_too(client_for, admin_user, version):
    admin = client_for(admin_user)
    edit = reverse("diagnostics:question_edit", args=[DEFAULT_SLUG, 1, "strategy-place"])
    response = admin.get(edit, follow=True)
    assert "La version 1 est publiée : elle ne peut plus être modifiée" in text(response)
    response = admin.post(
        edit,
        {
            "text": "Texte changé",
            "weight": "1",
            "options-0-label": "X",
            "options-0-score": "1",
            "options-1-label": "X",
            "options-1-score": "1",
            "options-2-label": "X",
            "options-2-score": "1",
            "options-3-label": "X",
            "options-3-score": "1",
        },
    )
    assert "La version 1 est publiée : elle ne peut plus être modifiée" in text(response)
    assert not Question.objects.filter(text="Texte changé").exists()
    assert not Option.objects.filter(label="X").exists()
    notes = reverse("diagnostics:version_notes", args=[DEFAULT_SLUG, 1])
    admin.post(notes, {"scoring_notes": "Changé"})
    version.refresh_from_db()
    assert version.scoring_notes != "Changé"


# --- new version, edit, publish --------------------------------------------------------------


def test_a_new_version_is_a_draft_copy(version):
    draft = version_new_from(version=version)
    assert (draft.number, draft.status) == (2, Status.DRAFT)
    assert draft.scoring_notes == version.scoring_notes
    assert list(draft.dimensions.values_list("code", "weight")) == list(
        version.dimensions.values_list("code", "weight")
    )
    copied = draft.questions.get(code="offer-materials")
    original = version.questions.get(code="offer-materials")
    assert copied.pk != original.pk
    assert copied.dimension.version == draft
    assert list(copied.options.values_list("code", "score", "recommendation")) == list(
        original.options.values_list("code", "score", "recommendation")
    )
    assert draft.questions.count() == version.questions.count()
    with pytest.raises(ValidationError, match="La version 2 est déjà en brouillon"):
        version_new_from(version=version)


def test_a_draft_is_edited_then_published_and_retires_the_previous_version(version, admin_user):
    draft = version_new_from(version=version)
    question = draft.questions.get(code="strategy-place")
    question_update(
        question=question,
        text="L'export fait-il partie de la stratégie ?",
        help_text="",
        weight="3",
        required=True,
        options=[{"code": "opportunistic", "label": "Au coup par coup", "score": "0,2"}],
        by=admin_user,
    )
    question.refresh_from_db()
    assert (question.text, question.weight) == ("L'export fait-il partie de la stratégie ?", 3)
    assert question.options.get(code="opportunistic").score == Decimal("0.2")
    published = version_publish(version=draft, by=admin_user)
    version.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert version.status == Status.RETIRED
    with pytest.raises(ValidationError, match="La version 2 est publiée"):
        question_update(question=question, text="Encore", weight=1, required=True)
    with pytest.raises(ValidationError, match="n'est pas un brouillon"):
        version_publish(version=version)


def test_wrong_edits_of_a_draft_are_refused_in_french(version):
    draft = version_new_from(version=version)
    question = draft.questions.get(code="strategy-place")
    with pytest.raises(ValidationError) as error:
        question_update(
            question=question,
            text="",
            weight="lourd",
            required=True,
            options=[{"code": "none", "label": "", "score": "2"}],
        )
    errors = error.value.message_dict
    assert errors["text"] == ["Le texte de la question est obligatoire."]
    assert errors["weight"] == ["Le poids doit être un nombre."]
    assert errors["options-0-label"] == ["Le libellé de la réponse est obligatoire."]
    assert errors["options-0-score"] == ["Le score de la réponse doit être compris entre 0 et 1."]


def test_an_incomplete_draft_cannot_be_published(version):
    draft = version_new_from(version=version)
    scale = draft.questions.get(code="strategy-commitment")
    scale.scale_max = scale.scale_min
    scale.save()
    draft.questions.get(code="offer-materials").options.all().delete()
    with pytest.raises(ValidationError) as error:
        version_publish(version=draft)
    assert error.value.messages == [
        "L'échelle de la question « Quel temps la direction est-elle prête à consacrer au "
        "développement export ? » doit avoir un minimum inférieur au maximum.",
        "La question « De quels supports de vente disposez-vous en langue étrangère ? » n'a "
        "aucune réponse possible.",
    ]


# --- old results do not change ---------------------------------------------------------------


def test_a_new_version_does_not_change_old_results(version, company, advisor_a, admin_user):
    old = diagnostic_start(company=company, by=advisor_a)
    answer_all(old, level="middle")
    before = diagnostic_complete(diagnostic=old, by=advisor_a)
    draft = version_new_from(version=version)
    for question in draft.questions.filter(kind__in=["single", "multiple"]):
        question_update(
            question=question,
            text=question.text,
            weight="5",
            required=True,
            options=[
                {"code": o.code, "label": o.label, "score": "1"} for o in question.options.all()
            ],
            by=admin_user,
        )
    version_publish(version=draft, by=admin_user)
    old.refresh_from_db()
    assert old.version == version
    assert old.overall_score == Decimal(str(before.overall))
    assert scoring.compute(old) == before  # recomputing from its own version: the same result
    new = diagnostic_start(company=company, by=advisor_a)
    assert new.version == draft
    answer_all(new, level="middle")
    assert scoring.compute(new).overall > before.overall


# --- pages -----------------------------------------------------------------------------------


def test_administrators_create_edit_and_publish_a_version_from_the_pages(
    client_for, admin_user, version
):
    admin = client_for(admin_user)
    page = text(admin.get(reverse("diagnostics:questionnaires")))
    assert "Version 1" in page
    assert "Publiée" in page
    response = admin.post(version_url(1, "new"))
    assert response.url == version_url(2)
    page = text(admin.get(response.url))
    assert "Brouillon" in page
    assert "Publier la version 2" in page
    edit = reverse("diagnostics:question_edit", args=[DEFAULT_SLUG, 2, "compliance-ip"])
    form = text(admin.get(edit))
    assert "Vos marques, brevets ou dessins sont-ils protégés dans les pays visés ?" in form
    data = {
        "text": "Vos marques sont-elles protégées à l'étranger ?",
        "help_text": "",
        "weight": "1,5",
        "required": "on",
    }
    for index, option in enumerate(
        Question.objects.get(version__number=2, code="compliance-ip").options.order_by("order")
    ):
        data[f"options-{index}-label"] = option.label
        data[f"options-{index}-score"] = "0,25" if index == 0 else str(option.score)
        data[f"options-{index}-recommendation"] = option.recommendation
    response = admin.post(edit, data)
    assert response.url == version_url(2) + "#question-compliance-ip"
    question = Question.objects.get(version__number=2, code="compliance-ip")
    assert question.weight == Decimal("1.5")
    assert question.options.get(code="no").score == Decimal("0.25")
    data["options-1-score"] = "7"
    response = admin.post(edit, data)
    assert "Le score de la réponse doit être compris entre 0 et 1." in text(response)
    assert 'value="7"' in text(response)  # what was typed is kept
    response = admin.post(version_url(2, "publish"), follow=True)
    assert "La version 2 est publiée" in text(response)
    assert QuestionnaireVersion.objects.get(number=1).status == Status.RETIRED


def test_only_administrators_manage_versions(client_for, advisor_a, manager_a, version):
    for user in (advisor_a, manager_a):
        client = client_for(user)
        assert client.post(version_url(1, "new")).status_code == 403
        assert client.post(version_url(1, "publish")).status_code == 403
        edit = reverse("diagnostics:question_edit", args=[DEFAULT_SLUG, 1, "strategy-place"])
        assert client.get(edit).status_code == 403
        assert client.get(version_url(1)).status_code == 200  # reading is open to members
    assert QuestionnaireVersion.objects.count() == 1
    assert client_for(None).get(version_url(1)).status_code == 302


def test_administrators_rewrite_the_scoring_explanation_of_a_draft(client_for, admin_user, version):
    admin = client_for(admin_user)
    page = text(admin.get(version_url(1)))
    assert "Créer une nouvelle version à partir de celle-ci" in page
    assert "Modifier l'explication du score" not in page  # published: read-only
    version_new_from(version=version)
    notes = reverse("diagnostics:version_notes", args=[DEFAULT_SLUG, 2])
    response = admin.post(notes, {"scoring_notes": ""})
    assert "Expliquez comment le score est calculé." in text(response)
    response = admin.post(notes, {"scoring_notes": "Chaque réponse vaut de 0 à 1.\n\nVoilà."})
    assert response.url == version_url(2)
    page = text(admin.get(version_url(2)))
    assert "<p>Chaque réponse vaut de 0 à 1.</p>" in page
    assert "Modifier l'explication du score" in page
    page = text(admin.get(version_url(1)))
    assert "La version 2 est en brouillon" in page
