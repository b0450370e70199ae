# ruff: noqa: F811 - the fixtures imported from dashboard_fixtures are parameters here
"""The records behind a figure: the computation's rows with its columns, the filters kept,
pages, exports; for a manual indicator the values entered with their source and organisation."""

import io

from openpyxl import load_workbook

from guichet.companies.models import Company
from guichet.plans.views import drilldown
from tests.companies.conftest import make_company
from tests.plans.dashboard_fixtures import (  # noqa: F401
    automatic,
    manual,
    text_of,
)


def test_records_of_an_automatic_indicator(client_for, advisor_a, automatic):
    response = client_for(advisor_a).get(
        "/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025"
    )
    page = text_of(response)
    assert "Enregistrements de l'indicateur 1.1" in page
    assert "Entreprises suivies : 3 entreprises en 2025" in page
    assert "dont 2 PME" in page
    assert "3 enregistrements" in page
    assert (
        "SIREN Raison sociale Taille Fiche "
        "401234567 Comté du Jura PME Fiche de l'entreprise Comté du Jura "
        "552100554 Fromagerie de Bourgogne PME Fiche de l'entreprise Fromagerie de Bourgogne "
        "732829320 Lunetterie de Dijon ETI Fiche de l'entreprise Lunetterie de Dijon"
    ) in page
    # Each counted company links to its file.
    assert 'href="/entreprises/552100554/"' in response.content.decode()


def test_records_keep_the_filters(client_for, advisor_a, automatic, food):
    response = client_for(advisor_a).get(
        f"/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025&filiere={food.pk}"
    )
    page = text_of(response)
    assert "2 enregistrements" in page
    assert "Lunetterie de Dijon" not in page
    assert "Filière : Agroalimentaire" in page
    html = response.content.decode()
    assert f'href="?year=2025&amp;filiere={food.pk}&amp;format=csv"' in html
    assert f'href="/plans/parex-2/?year=2025&amp;filiere={food.pk}"' in html


def test_records_export_with_the_filters(client_for, advisor_a, automatic):
    client = client_for(advisor_a)
    response = client.get(
        "/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025&departement=21&format=xlsx"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="parex-2-1.1-2025-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [
        ("SIREN", "Raison sociale", "Taille"),
        ("552100554", "Fromagerie de Bourgogne", "PME"),
        ("732829320", "Lunetterie de Dijon", "ETI"),
    ]
    csv = client.get(
        "/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025&size=ETI&format=csv"
    ).content.decode("utf-8-sig")
    assert csv.splitlines() == ["SIREN;Raison sociale;Taille", "732829320;Lunetterie de Dijon;ETI"]


def test_records_are_paginated(client_for, advisor_a, automatic, monkeypatch):
    monkeypatch.setattr(drilldown, "PAGE_SIZE", 2)
    client = client_for(advisor_a)
    first = text_of(client.get("/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025"))
    assert "Page 1 sur 2" in first
    assert "Lunetterie de Dijon" not in first
    response = client.get("/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025&page=2")
    second = text_of(response)
    assert "Page 2 sur 2" in second
    assert "Lunetterie de Dijon" in second
    assert "Comté du Jura" not in second
    assert 'href="?year=2025&amp;page=1"' in response.content.decode()


def test_no_records_for_the_filters(client_for, advisor_a, automatic):
    Company.objects.update(is_active=False)
    page = text_of(
        client_for(advisor_a).get("/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025")
    )
    assert "Aucun enregistrement pour 2025 et ces filtres" in page


def test_records_of_a_manual_indicator(client_for, advisor_a, manual):
    client = client_for(advisor_a)
    page = text_of(client.get("/plans/parex-2/indicateurs/1.2/enregistrements/?year=2025"))
    assert "Emplois export créés : 42 emplois en 2025" in page
    assert "Année Période Valeur Source Organisation Saisie le Retenue" in page
    assert "2025 année 2025 42 Enquête emploi CCI 2025 CCI Test 3 février 2026 09:00 Oui" in page
    assert "2025 – 30 Enquête emploi 2025 (ancienne) CCI Test 10 janvier 2026 09:00 Non" in page
    response = client.get("/plans/parex-2/indicateurs/1.2/enregistrements/?year=2025&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == (2025, "année 2025", 42, "Enquête emploi CCI 2025", "CCI Test")
    assert rows[1][6] is True


def test_a_manual_indicator_filtered_by_company_says_it_is_not_broken_down(
    client_for, advisor_a, manual
):
    page = text_of(
        client_for(advisor_a).get(
            "/plans/parex-2/indicateurs/1.2/enregistrements/?year=2025&size=PME"
        )
    )
    assert "ses valeurs ne se ventilent pas" in page


def test_a_manual_indicator_without_value(client_for, advisor_a, manual):
    page = text_of(
        client_for(advisor_a).get("/plans/parex-2/indicateurs/1.2/enregistrements/?year=2024")
    )
    assert "Aucune valeur saisie pour 2024" in page
    assert "(CCI Test)" in page


def test_records_show_no_person(client_for, advisor_a, automatic, manual):
    """Drill-down lists show companies and organisations, never who entered a value."""
    from guichet.plans.models import ManualValue

    ManualValue.objects.update(entered_by=advisor_a)
    for code in ("1.1", "1.2"):
        page = text_of(
            client_for(advisor_a).get(
                f"/plans/parex-2/indicateurs/{code}/enregistrements/?year=2025"
            )
        )
        assert "Claire" not in page.replace("Claire Conseil Se déconnecter", "")


def test_unknown_indicator_records_are_not_found(client_for, advisor_a, automatic):
    assert (
        client_for(advisor_a).get("/plans/parex-2/indicateurs/X/enregistrements/").status_code
        == 404
    )


def test_another_partners_reader_sees_the_same_records(client_for, advisor_b, automatic):
    make_company("999999999", "Nouvelle Fromagerie", size_category="TPE")
    page = text_of(
        client_for(advisor_b).get("/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025")
    )
    assert "4 enregistrements" in page
