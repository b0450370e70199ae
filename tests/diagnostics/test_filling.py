"""Filling a diagnostic: the services (start, answers with their French checks, completion)
and the advisor's pages (start from the company file, steps, saving as it goes, resuming,
progress, completion)."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.diagnostics.models import Answer, Diagnostic, QuestionnaireVersion
from guichet.diagnostics.services import (
    diagnostic_answers_save,
    diagnostic_complete,
    diagnostic_start,
    version_new_from,
)
from guichet.journeys.models import Stage, TimelineEvent
from tests.diagnostics.filling_factory import SIREN, answer_all, best_values


def text(response) -> str:
    return unescape(response.content.decode())


def answer_of(diagnostic, code):
    return Answer.objects.filter(diagnostic=diagnostic, question__code=code).first()


# --- start -----------------------------------------------------------------------------------


def test_start_uses_the_published_default_version_and_the_advisors_organisation(
    company, advisor_a, version
):
    diagnostic = diagnostic_start(company=company, by=advisor_a)
    assert diagnostic.version == version
    assert diagnostic.organisation == advisor_a.organisation
    assert diagnostic.status == Diagnostic.Status.IN_PROGRESS
    assert diagnostic.filled_by == Diagnostic.FilledBy.ADVISOR


def test_start_refuses_a_draft_version(company, advisor_a, version):
    draft = version_new_from(version=version)
    with pytest.raises(ValidationError) as error:
        diagnostic_start(company=company, by=advisor_a, version=draft)
    assert "n'est pas publiée" in str(error.value)


# --- answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("strategy-place", "peut-etre", "« peut-etre » n'est pas une réponse possible"),
        ("strategy-place", ["none", "written"], "Une seule réponse est possible"),
        ("strategy-commitment", 6, "Choisissez un nombre entier de 1 à 5."),
        ("strategy-commitment", "2,5", "Choisissez un nombre entier de 1 à 5."),
        ("experience-share", "-3", "Indiquez un nombre positif ou nul."),
        ("experience-share", "120", "Un pourcentage est compris entre 0 et 100."),
        ("experience-countries", "beaucoup", "Indiquez un nombre, par exemple 12 ou 12,5."),
        ("experience-countries", True, "Indiquez un nombre."),
        ("strategy-why", "x" * 2001, "La réponse fait 2001 caractères ; 2000 au plus"),
        ("strategy-why", 12, "Répondez par un texte."),
        ("offer-materials", [3], "Donnez le code d'une réponse possible (texte)."),
        ("inconnue", "oui", "Aucune question « inconnue » dans ce questionnaire."),
    ],
)
def test_wrong_answers_are_refused_in_french_and_nothing_is_saved(diagnostic, code, value, message):
    with pytest.raises(ValidationError) as error:
        diagnostic_answers_save(
            diagnostic=diagnostic, values={"strategy-place": "written", code: value}
        )
    assert any(message in text for text in error.value.message_dict[code])
    assert not diagnostic.answers.exists()


def test_partial_save_keeps_the_right_answers_and_reports_the_wrong_ones(diagnostic):
    outcome = diagnostic_answers_save(
        diagnostic=diagnostic,
        values={"strategy-place": "written", "strategy-commitment": "9"},
        partial=True,
    )
    assert outcome.saved == ["strategy-place"]
    assert list(outcome.errors) == ["strategy-commitment"]
    assert [o.code for o in answer_of(diagnostic, "strategy-place").options.all()] == ["written"]
    assert answer_of(diagnostic, "strategy-commitment") is None


def test_each_kind_is_stored_and_an_empty_value_removes_the_answer(diagnostic):
    diagnostic_answers_save(
        diagnostic=diagnostic,
        values={
            "offer-materials": ["brochure", "samples", "brochure"],
            "strategy-commitment": "4",
            "experience-share": "12,5",
            "finance-budget": "15 000",
            "strategy-why": "  Un client allemand nous a sollicités.  ",
        },
    )
    materials = answer_of(diagnostic, "offer-materials")
    assert sorted(o.code for o in materials.options.all()) == ["brochure", "samples"]
    assert answer_of(diagnostic, "strategy-commitment").number == Decimal("4")
    assert answer_of(diagnostic, "experience-share").number == Decimal("12.50")
    assert answer_of(diagnostic, "finance-budget").number == Decimal("15000")
    assert answer_of(diagnostic, "strategy-why").text == "Un client allemand nous a sollicités."
    outcome = diagnostic_answers_save(
        diagnostic=diagnostic,
        values={"offer-materials": [], "experience-share": "", "strategy-why": None},
    )
    assert sorted(outcome.cleared) == ["experience-share", "offer-materials", "strategy-why"]
    assert set(diagnostic.answers.values_list("question__code", flat=True)) == {
        "strategy-commitment",
        "finance-budget",
    }


# --- completion ------------------------------------------------------------------------------


def test_completion_lists_the_required_questions_left(diagnostic):
    values = best_values(diagnostic.version)
    values.pop("compliance-ip")
    values.pop("marketing-digital")
    values.pop("finance-budget")  # optional: not asked for
    diagnostic_answers_save(diagnostic=diagnostic, values=values)
    with pytest.raises(ValidationError) as error:
        diagnostic_complete(diagnostic=diagnostic)
    missing = error.value.message_dict
    assert sorted(missing) == ["compliance-ip", "marketing-digital"]
    assert missing["compliance-ip"] == [
        "Question obligatoire sans réponse (Conformité (normes, douane, propriété "
        "intellectuelle)) : « Vos marques, brevets ou dessins sont-ils protégés dans les pays "
        "visés ? »"
    ]
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.IN_PROGRESS


def test_completion_stores_scores_logs_the_timeline_and_moves_the_journey(diagnostic, advisor_a):
    answer_all(diagnostic, level="worst")
    result = diagnostic_complete(diagnostic=diagnostic, by=advisor_a)
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.COMPLETED
    assert diagnostic.completed_at is not None
    assert diagnostic.level == "initial"
    assert diagnostic.overall_score == Decimal(str(result.overall))
    assert set(diagnostic.scores) == {
        "strategy",
        "offer",
        "organisation",
        "finance",
        "compliance",
        "marketing",
        "experience",
    }
    event = TimelineEvent.objects.get(company=diagnostic.company, kind="diagnostic")
    assert event.title.startswith("Diagnostic export : Projet export à construire (")
    assert event.text.startswith("Axes de progrès : ")
    assert "Stratégie et engagement de la direction" in event.text
    assert event.author == advisor_a
    assert event.link == reverse("diagnostics:result", args=[diagnostic.pk])
    # The action plan is proposed at completion: no page read has to write it.
    steps = diagnostic.plan_items.filter(kind="step").values_list("title", flat=True)
    assert "Définir 3 pays cibles" in list(steps)
    assert diagnostic.company.journey.stage == Stage.DIAGNOSED


def test_completion_never_sends_a_journey_back(diagnostic, advisor_a):
    from guichet.journeys.services import journey_set_stage

    journey_set_stage(company=diagnostic.company, stage=Stage.FIRST_EXPORT, by=advisor_a)
    answer_all(diagnostic)
    diagnostic_complete(diagnostic=diagnostic, by=advisor_a)
    diagnostic.company.journey.refresh_from_db()
    assert diagnostic.company.journey.stage == Stage.FIRST_EXPORT


def test_a_completed_diagnostic_no_longer_changes(diagnostic, advisor_a):
    answer_all(diagnostic)
    diagnostic_complete(diagnostic=diagnostic, by=advisor_a)
    with pytest.raises(ValidationError, match="Ce diagnostic est terminé"):
        diagnostic_answers_save(diagnostic=diagnostic, values={"strategy-place": "none"})
    with pytest.raises(ValidationError, match="Ce diagnostic est terminé"):
        diagnostic_complete(diagnostic=diagnostic, by=advisor_a)


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def advisor_client(client_for, advisor_a):
    return client_for(advisor_a)


def test_company_file_lists_diagnostics_and_offers_to_start_one(
    advisor_client, company, diagnostic, advisor_b
):
    answer_all(diagnostic)
    diagnostic_complete(diagnostic=diagnostic, by=diagnostic.advisor)
    diagnostic_start(company=company, by=advisor_b)
    page = text(advisor_client.get(reverse("companies:detail", args=[SIREN])))
    assert "Diagnostics export" in page
    assert reverse("diagnostics:start", args=[SIREN]) in page
    assert "Exportateur confirmé" in page
    assert "100 / 100" in page
    assert reverse("diagnostics:result", args=[diagnostic.pk]) in page
    assert "CCI Test" in page  # the other organisation's diagnostic is listed…
    other = Diagnostic.objects.get(organisation__name="CCI Test")
    assert reverse("diagnostics:fill", args=[other.pk]) not in page  # …without its answers


def test_company_file_without_diagnostic_says_what_to_do(advisor_client, company):
    page = text(advisor_client.get(reverse("companies:detail", args=[SIREN])))
    assert "Aucun diagnostic export pour cette entreprise." in page
    assert "Nouveau diagnostic" in page


def test_start_page_creates_the_diagnostic_and_opens_the_first_step(
    advisor_client, company, version
):
    page = advisor_client.get(reverse("diagnostics:start", args=[SIREN]))
    assert "Diagnostic export (version 1)" in text(page)
    response = advisor_client.post(
        reverse("diagnostics:start", args=[SIREN]),
        {"version": version.pk, "filled_by": "advisor"},
    )
    diagnostic = Diagnostic.objects.get(company=company)
    assert response.url == reverse("diagnostics:fill", args=[diagnostic.pk])
    page = text(advisor_client.get(response.url))
    assert "Stratégie et engagement de la direction" in page
    assert "Étape 1 sur 8" in page
    assert "Quelle place l'export occupe-t-il dans la stratégie de l'entreprise ?" in page
    assert "Progression : <span data-progress-answered>0</span>" in page
    assert "Comment le score est calculé" in page


def test_start_page_with_the_company_answering_leads_to_the_link(advisor_client, company, version):
    response = advisor_client.post(
        reverse("diagnostics:start", args=[SIREN]),
        {"version": version.pk, "filled_by": "company"},
    )
    diagnostic = Diagnostic.objects.get(company=company)
    assert diagnostic.filled_by == "company"
    assert response.url == reverse("diagnostics:link", args=[diagnostic.pk])


def test_start_page_refuses_an_unpublished_version(advisor_client, company, version):
    draft = version_new_from(version=version)
    response = advisor_client.post(
        reverse("diagnostics:start", args=[SIREN]), {"version": draft.pk, "filled_by": "advisor"}
    )
    assert "Ce questionnaire n'est pas publié" in text(response)
    assert not Diagnostic.objects.exists()


def fill_url(diagnostic, step=""):
    url = reverse("diagnostics:fill", args=[diagnostic.pk])
    return f"{url}?etape={step}" if step else url


def test_a_step_saves_its_answers_and_goes_on(advisor_client, diagnostic):
    response = advisor_client.post(
        fill_url(diagnostic),
        {
            "etape": "strategy",
            "q-strategy-place": "project",
            "q-strategy-commitment": "4",
            "q-strategy-why": "Des demandes de Suisse.",
            "suite": "offer",
        },
    )
    assert response.url == fill_url(diagnostic, "offer")
    assert answer_of(diagnostic, "strategy-place").options.get().code == "project"
    assert answer_of(diagnostic, "strategy-commitment").number == 4
    page = text(advisor_client.get(response.url))
    assert "Vos réponses sont enregistrées." in page
    assert "Étape 2 sur 8" in page
    assert "(3/7)" in page  # strategy: 3 of its 7 questions answered


def test_a_wrong_value_comes_back_with_its_message_and_what_was_typed(advisor_client, diagnostic):
    response = advisor_client.post(
        fill_url(diagnostic),
        {
            "etape": "experience",
            "q-experience-share": "140",
            "q-experience-countries": "4",
            "q-experience-years": "some",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "Un pourcentage est compris entre 0 et 100." in page
    assert 'value="140"' in page
    assert "1 réponse à corriger" in page
    assert answer_of(diagnostic, "experience-countries").number == 4
    assert answer_of(diagnostic, "experience-share") is None


def test_the_page_resumes_at_the_first_unfinished_step(advisor_client, diagnostic):
    values = best_values(diagnostic.version)
    done = ("strategy", "offer", "organisation", "finance")
    diagnostic_answers_save(
        diagnostic=diagnostic,
        values={code: v for code, v in values.items() if code.startswith(done)},
    )
    page = text(advisor_client.get(fill_url(diagnostic)))
    assert "Étape 5 sur 8" in page
    assert "Connaissez-vous les normes et certifications exigées" in page
    assert "Quelle place l'export occupe-t-il" not in page
    page = text(advisor_client.get(fill_url(diagnostic, "strategy")))
    assert re.search(r'value="written"\s+checked', page)
    assert re.search(r'name="q-strategy-commitment"\s+value="5"\s+checked', page)


def test_without_any_answer_the_page_opens_the_first_step(advisor_client, diagnostic):
    assert "Étape 1 sur 8" in text(advisor_client.get(fill_url(diagnostic)))
    answer_all(diagnostic)
    assert "Étape 8 sur 8" in text(advisor_client.get(fill_url(diagnostic)))


def test_autosave_saves_one_question_and_answers_json(advisor_client, diagnostic):
    response = advisor_client.post(
        fill_url(diagnostic),
        {"autosave": "offer-materials", "q-offer-materials": ["brochure", "datasheets"]},
    )
    data = response.json()
    assert response.status_code == 200
    assert data["ok"] is True
    assert data["message"].startswith("Réponse enregistrée à ")
    assert (data["answered"], data["total"]) == (1, 43)
    assert data["dimension"] == {"code": "offer", "answered": 1, "total": 6}
    response = advisor_client.post(
        fill_url(diagnostic), {"autosave": "experience-share", "q-experience-share": "abc"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == ["Indiquez un nombre, par exemple 12 ou 12,5."]
    response = advisor_client.post(fill_url(diagnostic), {"autosave": "offer-materials"})
    assert response.json()["answered"] == 0  # every box unticked: the answer is removed


def test_summary_lists_the_missing_questions_and_completion_leads_to_the_results(
    advisor_client, diagnostic
):
    values = best_values(diagnostic.version)
    values.pop("marketing-digital")
    diagnostic_answers_save(diagnostic=diagnostic, values=values)
    page = text(advisor_client.get(fill_url(diagnostic, "recapitulatif")))
    assert "1 question obligatoire sans réponse" in page
    assert "Quelle est votre maîtrise du marketing numérique ?" in page
    response = advisor_client.post(reverse("diagnostics:complete", args=[diagnostic.pk]))
    assert "Le diagnostic ne peut pas encore être terminé" in text(response)
    diagnostic_answers_save(diagnostic=diagnostic, values={"marketing-digital": 5})
    response = advisor_client.post(reverse("diagnostics:complete", args=[diagnostic.pk]))
    assert response.url == reverse("diagnostics:result", args=[diagnostic.pk])
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.COMPLETED
    # The fill page of a completed diagnostic leads to its results.
    assert advisor_client.get(fill_url(diagnostic)).url == reverse(
        "diagnostics:result", args=[diagnostic.pk]
    )


def test_the_fill_page_costs_a_fixed_number_of_queries(
    advisor_client, diagnostic, django_assert_max_num_queries
):
    answer_all(diagnostic)
    with django_assert_max_num_queries(20):
        response = advisor_client.get(fill_url(diagnostic, "offer"))
    assert response.status_code == 200


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_company_file_section_costs_the_same_whatever_the_number_of_diagnostics(
    advisor_client, company, diagnostic, advisor_a, advisor_b
):
    url = reverse("companies:detail", args=[SIREN])
    answer_all(diagnostic)
    diagnostic_complete(diagnostic=diagnostic, by=advisor_a)
    answer_all(diagnostic_start(company=company, by=advisor_b))
    two = _queries(advisor_client, url)
    for user in (advisor_a, advisor_b, advisor_b):
        later = diagnostic_start(company=company, by=user)
        answer_all(later)
    diagnostic_complete(diagnostic=later, by=advisor_b)
    assert _queries(advisor_client, url) == two


def test_the_fill_page_costs_the_same_whatever_the_answers(advisor_client, diagnostic):
    diagnostic_answers_save(diagnostic=diagnostic, values={"offer-capacity": "yes"})
    one = _queries(advisor_client, fill_url(diagnostic, "offer"))
    answer_all(diagnostic)
    assert _queries(advisor_client, fill_url(diagnostic, "offer")) == one
    assert _queries(advisor_client, fill_url(diagnostic, "recapitulatif")) <= one


def test_published_versions_only_are_offered(advisor_client, company, version):
    version_new_from(version=version)
    page = text(advisor_client.get(reverse("diagnostics:start", args=[SIREN])))
    assert "version 2" not in page
    assert QuestionnaireVersion.objects.count() == 2
