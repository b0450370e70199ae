"""Comparison of a company's diagnostics over time: per dimension, score then → now and the
difference; diagnostics of different questionnaire versions compare on the dimensions both
versions have, and the page says so."""

from datetime import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.diagnostics import report
from tests.companies.conftest import make_company
from tests.diagnostics.results_factory import make_diagnostic, make_version


def _at(year: int, month: int):
    return timezone.make_aware(datetime(year, month, 15, 10, 0))


@pytest.fixture
def company(reference):
    return make_company("552100554", "Biscuiterie de Dijon", naf=None)


@pytest.fixture
def history(company, advisor_a):
    version = make_version()
    first = make_diagnostic(
        company,
        version,
        advisor=advisor_a,
        answers={"strategy": "low", "finance": "mid", "marketing": "high"},
        completed_at=_at(2023, 5),
    )
    second = make_diagnostic(
        company,
        version,
        advisor=advisor_a,
        answers={"strategy": "mid", "finance": "mid", "marketing": "mid"},
        completed_at=_at(2024, 5),
    )
    third = make_diagnostic(
        company,
        version,
        advisor=advisor_a,
        answers={"strategy": "high", "finance": "high", "marketing": "mid"},
        completed_at=_at(2025, 5),
    )
    return first, second, third


def _page(client, company, **params) -> str:
    response = client.get(reverse("diagnostics:compare", args=[company.siren]), params)
    assert response.status_code == 200
    return " ".join(unescape(response.content.decode()).split())


def test_rows_give_then_now_and_the_trend(history):
    first, _second, third = history
    comparison = report.compare(first, third)
    rows = {r.code: r for r in comparison.rows}
    assert (rows["strategy"].before, rows["strategy"].after) == (0.0, 100.0)
    assert (rows["strategy"].delta_text, rows["strategy"].trend) == ("+100", "improved")
    assert (rows["finance"].delta_text, rows["finance"].trend) == ("+50", "improved")
    assert (rows["marketing"].delta_text, rows["marketing"].trend) == ("−50", "regressed")
    assert [r.code for r in comparison.improved] == ["strategy", "finance"]
    assert [r.code for r in comparison.regressed] == ["marketing"]
    assert comparison.same_version
    assert comparison.overall_delta.delta_text == "+33,3"


def test_page_compares_the_last_two_by_default(client_for, company, history, advisor_b):
    page = _page(client_for(advisor_b), company)  # scores are visible to every member
    assert "Du 15/05/2024 au 15/05/2025" in page
    row = "Stratégie et engagement de la direction</th> <td>50</td> <td>100</td> <td>+50</td>"
    assert row in page
    assert "En progrès" in page
    assert "Ce qui a progressé" in page
    assert page.count('class="radar-series"') == 2
    # Every completed diagnostic is listed, newest first, with the overall score over time.
    assert page.index("15/05/2025</td>") < page.index("15/05/2023</td>")
    assert "Score global des diagnostics successifs" in page


def test_page_compares_the_chosen_pair_in_date_order(client_for, company, history, advisor_a):
    first, _second, third = history
    page = _page(client_for(advisor_a), company, earlier=third.pk, later=first.pk)
    assert "Du 15/05/2023 au 15/05/2025" in page
    assert "Marketing et numérique</th> <td>100</td> <td>50</td> <td>−50</td>" in page
    assert "En recul" in page


def test_same_diagnostic_twice_is_refused_in_french(client_for, company, history, advisor_a):
    first = history[0]
    page = _page(client_for(advisor_a), company, earlier=first.pk, later=first.pk)
    assert "Choisissez deux diagnostics différents." in page
    # The default pair is shown meanwhile.
    assert "Du 15/05/2024 au 15/05/2025" in page


def test_another_companys_diagnostic_cannot_be_chosen(client_for, company, history, advisor_a):
    other = make_company("732829320", "Autre entreprise", naf=None, nic="00013")
    foreign = make_diagnostic(other, history[0].version, advisor=advisor_a)
    page = _page(client_for(advisor_a), company, earlier=foreign.pk, later=history[2].pk)
    assert "Choisissez un des diagnostics terminés de l'entreprise." in page


def test_different_versions_compare_on_common_dimensions(client_for, company, advisor_a):
    old = make_version(number=1)
    new = make_version(
        number=2,
        dimensions=[
            ("strategy", "Stratégie et direction"),
            ("finance", "Finances et risques"),
            ("experience", "Expérience internationale"),
        ],
    )
    earlier = make_diagnostic(company, old, advisor=advisor_a, completed_at=_at(2023, 1))
    later = make_diagnostic(
        company, new, advisor=advisor_a, answers={"strategy": "high"}, completed_at=_at(2025, 1)
    )
    comparison = report.compare(earlier, later)
    assert [r.code for r in comparison.rows] == ["strategy", "finance"]
    assert not comparison.same_version
    assert comparison.left_out == ["Expérience internationale", "Marketing et numérique"]
    page = _page(client_for(advisor_a), company)
    assert "versions différentes du questionnaire (version 1 puis version 2)" in page
    assert "la comparaison porte sur les 2 dimensions présentes dans les deux" in page
    assert "Non comparées : Expérience internationale, Marketing et numérique." in page
    assert "Stratégie et direction</th> <td>50</td> <td>100</td> <td>+50</td>" in page


def test_a_single_diagnostic_says_when_comparison_becomes_possible(client_for, company, advisor_a):
    make_diagnostic(company, make_version(), advisor=advisor_a)
    page = _page(client_for(advisor_a), company)
    assert "L'entreprise n'a qu'un diagnostic terminé" in page
    assert 'class="radar-series"' not in page


def test_diagnostics_in_progress_are_left_out(client_for, company, history, advisor_a):
    make_diagnostic(company, history[0].version, advisor=advisor_a, status="in_progress")
    assert len(report.completed_of(company)) == 3


def test_readers_may_compare_but_not_anonymous(client_for, company, history, readonly_a):
    assert "Du 15/05/2024 au 15/05/2025" in _page(client_for(readonly_a), company)
    response = client_for(None).get(reverse("diagnostics:compare", args=[company.siren]))
    assert response.status_code == 302


def test_unknown_company_is_404(client_for, advisor_a, db):
    response = client_for(advisor_a).get(reverse("diagnostics:compare", args=["732829320"]))
    assert response.status_code == 404
