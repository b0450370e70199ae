"""The results page: the running organisation sees scores, level, radar, strengths and gaps,
recommendations and the action plan; other members see the level and the scores only."""

from datetime import datetime
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.diagnostics.models import Diagnostic
from tests.companies.conftest import make_company
from tests.diagnostics.results_factory import make_diagnostic, make_offer, make_version


@pytest.fixture
def company(reference):
    return make_company("552100554", "Biscuiterie de Dijon", naf=None)


@pytest.fixture
def diagnostic(company, advisor_a, org_b):
    make_offer(org_b, "assurance-prospection", ["finance"], title="Assurance prospection")
    version = make_version(notes="Chaque question vaut de 0 à 1 point.")
    return make_diagnostic(
        company,
        version,
        advisor=advisor_a,
        answers={"strategy": "high", "finance": "low", "marketing": "mid"},
        completed_at=timezone.make_aware(datetime(2025, 3, 10, 15, 0)),
    )


def _page(client, diagnostic) -> str:
    response = client.get(reverse("diagnostics:result", args=[diagnostic.pk]))
    assert response.status_code == 200
    return " ".join(unescape(response.content.decode()).split())


def test_running_organisation_sees_everything(client_for, diagnostic, advisor_a):
    page = _page(client_for(advisor_a), diagnostic)
    # Level and overall score (strategy 100, finances 0, marketing 50 → 50).
    assert "Exportateur en devenir" in page
    assert "Des atouts existent mais la démarche reste ponctuelle" in page
    assert '50<span class="fr-text--lg"> / 100</span>' in page
    # Scores per dimension, in words and on the radar with its table.
    assert "<strong>Finances et risques</strong> : 0/100" in page
    assert "<strong>Marketing et numérique</strong> : 50/100" in page
    assert 'class="radar-chart"' in page
    assert "Voir les données de ce graphique" in page
    # Strengths, gaps, recommendations, action plan.
    assert "<li>Stratégie et engagement de la direction : 100/100</li>" in page
    assert "<li>Finances et risques : 0/100</li>" in page
    assert "Renforcer : finances et risques." in page
    assert "Assurance prospection" in page
    assert "Score Finances et risques 0/100 : Ce que fait l'offre assurance-prospection." in page
    assert "Définir 3 pays cibles" in page
    # How scores are computed.
    assert "Chaque question vaut de 0 à 1 point." in page
    assert "Exportateur confirmé</strong> à partir de 75/100" in page
    # Links.
    assert reverse("diagnostics:plan_edit", args=[diagnostic.pk]) in page
    assert reverse("diagnostics:report_pdf", args=[diagnostic.pk]) in page
    assert reverse("diagnostics:share", args=[diagnostic.pk]) in page


@pytest.mark.parametrize("who", ["advisor_b", "readonly_a"])
def test_others_see_the_level_and_scores_only(request, client_for, diagnostic, who):
    page = _page(client_for(request.getfixturevalue(who)), diagnostic)
    assert "Exportateur en devenir" in page
    assert 'class="radar-chart"' in page
    assert "<strong>Finances et risques</strong>" in page
    for private in (
        "Renforcer : finances et risques.",
        "Assurance prospection",
        "Définir 3 pays cibles",
        "Claire Conseil",
        reverse("diagnostics:report_pdf", args=[diagnostic.pk]),
        reverse("diagnostics:plan_edit", args=[diagnostic.pk]),
    ):
        assert private not in page
    assert "sont réservés à l'organisation qui a mené ce diagnostic (Région Test)" in page
    # Looking does not write a plan for the organisation that ran it.
    assert not diagnostic.plan_items.exists()


def test_administrator_sees_everything(client_for, diagnostic, admin_user):
    page = _page(client_for(admin_user), diagnostic)
    assert "Renforcer : finances et risques." in page


def test_earlier_diagnostic_is_a_second_polygon_and_a_link_to_compare(
    client_for, diagnostic, company, advisor_a
):
    make_diagnostic(
        company,
        diagnostic.version,
        advisor=advisor_a,
        answers={"strategy": "low", "finance": "low", "marketing": "low"},
        completed_at=timezone.make_aware(datetime(2024, 3, 1, 10, 0)),
    )
    page = _page(client_for(advisor_a), diagnostic)
    assert page.count('class="radar-series"') == 2
    assert "Diagnostic précédent (01/03/2024)" in page
    assert "précédemment 0/100" in page
    assert reverse("diagnostics:compare", args=[company.siren]) in page


def test_a_diagnostic_in_progress_sends_the_advisor_to_the_questionnaire(
    client_for, company, advisor_a, advisor_b
):
    version = make_version()
    running = make_diagnostic(
        company, version, advisor=advisor_a, status=Diagnostic.Status.IN_PROGRESS
    )
    url = reverse("diagnostics:result", args=[running.pk])
    response = client_for(advisor_a).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics:fill", args=[running.pk])
    assert client_for(advisor_b).get(url).status_code == 404


def test_shared_plan_is_read_only(client_for, diagnostic, advisor_a):
    from guichet.diagnostics.services.plan import diagnostic_share, plan_generate

    plan_generate(diagnostic=diagnostic)
    diagnostic_share(diagnostic=diagnostic, by=advisor_a)
    page = _page(client_for(advisor_a), diagnostic)
    assert "Plan transmis le" in page
    assert reverse("diagnostics:plan_edit", args=[diagnostic.pk]) not in page
    assert reverse("diagnostics:share", args=[diagnostic.pk]) not in page
    assert reverse("diagnostics:report_pdf", args=[diagnostic.pk]) in page


def test_unknown_diagnostic_is_404(client_for, advisor_a):
    response = client_for(advisor_a).get(reverse("diagnostics:result", args=[999]))
    assert response.status_code == 404


def test_results_page_query_count_is_bounded(client_for, diagnostic, advisor_a):
    client = client_for(advisor_a)
    _page(client, diagnostic)  # the first view writes the plan
    with CaptureQueriesContext(connection) as queries:
        _page(client, diagnostic)
    assert len(queries) <= 18, [q["sql"] for q in queries.captured_queries]
