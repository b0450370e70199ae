"""The report downloaded from the dashboard: PDF or workbook for a year and the dashboard's
filters; a French 400 page for a bad parameter, 404 for an unknown plan, members only."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.plans.report_factory import build


@pytest.fixture
def setup(reference, plan, measure, org_a):
    return build(plan, measure, org_a)


def _url(slug="parex-2"):
    return reverse("plans:report", args=[slug])


def test_pdf_download(client_for, setup, advisor_b):
    response = client_for(advisor_b).get(_url(), {"year": "2025", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bilan-parex-2-2025.pdf"'
    assert response.content.startswith(b"%PDF")


def test_workbook_download_with_the_dashboard_filters(client_for, setup, advisor_a):
    response = client_for(advisor_a).get(
        _url(), {"year": "2025", "format": "xlsx", "size": "PME", "departement": "21"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="bilan-parex-2-2025-filtre.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Synthèse"]["G2"].value == 2
    assert workbook["Méthode"]["B3"].value == (
        "Département : Côte-d'Or (21); Taille d'entreprise : Petite ou moyenne entreprise (PME)"
    )


def test_bad_parameters_give_a_french_page(client_for, setup, advisor_a):
    response = client_for(advisor_a).get(
        _url(), {"year": "1999", "format": "doc", "filiere": "n'existe-pas", "partner": "x"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Le bilan ne peut pas être établi" in text
    assert "Format : Le format doit être « pdf » ou « xlsx »." in text
    assert "Année : L&#x27;année doit être l&#x27;une des années du plan, de 2022 à 2026." in text
    assert "Filière : Filière inconnue" in text
    assert "Partenaire : Partenaire inconnu" in text
    assert reverse("plans:dashboard", args=["parex-2"]) in text


def test_unknown_plan_is_404(client_for, setup, advisor_a):
    assert client_for(advisor_a).get(_url("parex-9")).status_code == 404


def test_a_logged_out_visitor_is_sent_to_login(client, setup):
    response = client.get(_url(), {"year": "2025"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:login"))


def test_a_user_without_organisation_is_refused(client_for, setup):
    from tests.conftest import make_user

    loner = make_user("sans.organisation@test.example", None, ["advisor"])
    assert client_for(loner).get(_url(), {"year": "2025"}).status_code == 403


def test_no_year_means_the_current_year_within_the_plan(client_for, setup, advisor_a):
    from guichet.plans.report_params import default_year

    response = client_for(advisor_a).get(_url(), {"format": "xlsx"})
    assert response.status_code == 200
    year = default_year(setup.plan)
    assert response["Content-Disposition"] == f'attachment; filename="bilan-parex-2-{year}.xlsx"'
