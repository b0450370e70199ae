# ruff: noqa: F811 - the fixtures imported from dashboard_fixtures are parameters here
"""The plan list, the dashboard and an indicator's page as a reader sees them: values against
targets, statuses, the "dont" detail, manual values with their source, the filters, the map,
the export, the permissions."""

import io
import re

import pytest
from openpyxl import load_workbook

from guichet.partners.services import user_create
from guichet.plans.models import Plan
from guichet.plans.views import dashboard_parts
from tests.plans.dashboard_fixtures import (  # noqa: F401
    KEY,
    automatic,
    manual,
    text_of,
)


@pytest.fixture
def map_on_test_computation(monkeypatch):
    monkeypatch.setattr(dashboard_parts, "MAP_COMPUTATION", KEY)


# --- Plan list ----------------------------------------------------------------------------


def test_plan_list_shows_plans_with_years_and_owner(client_for, advisor_a, plan, automatic):
    page = text_of(client_for(advisor_a).get("/plans/"))
    assert "PAREX 2" in page
    assert "2022 – 2026" in page
    assert "Région Test" in page


def test_empty_plan_list_tells_a_reader_who_creates_the_plan(client_for, advisor_a):
    page = text_of(client_for(advisor_a).get("/plans/"))
    assert "Aucun plan pour l'instant" in page
    assert "Pilote du plan" in page
    assert "bibliothèque de l'ARRICOD" in page


def test_empty_plan_list_invites_a_manager_to_create_one(client_for, manager_a):
    page = text_of(client_for(manager_a).get("/plans/"))
    assert "Créez le plan de la région" in page
    assert "bibliothèque de l'ARRICOD" in page


# --- Dashboard ----------------------------------------------------------------------------


def test_dashboard_shows_each_indicator_against_its_target(
    client_for, advisor_a, automatic, manual
):
    response = client_for(advisor_a).get("/plans/parex-2/?year=2025")
    page = text_of(response)
    assert "Axe 1 – Communication, formation, information" in page
    assert "Mesure 1 – Pré-détection d'entreprises" in page
    # Automatic: 3 companies for a target of 3, reached; its "dont" detail.
    assert re.search(
        r"1\.1 – Entreprises suivies Calcul automatique 3 entreprises dont 2 PME "
        r"3 entreprises 100 % 100 % de la cible Cible atteinte",
        page,
    ), page
    # Manual: the latest value entered (42) with its source, against 50.
    assert "1.2 – Emplois export créés Saisie manuelle Source : Enquête emploi CCI 2025" in page
    assert "42 emplois 50 emplois" in page
    assert "84 % de la cible" in page
    assert "À surveiller" in page
    # The summary of statuses.
    assert "2 indicateurs : 1 cible atteinte 1 à surveiller" in page
    html = response.content.decode()
    assert re.search(
        r'<progress class="plans-progress plans-progress--reached"\s+max="100"\s+value="100"', html
    )
    assert 'class="plans-sparkline"' in html
    assert "style=" not in html.split("<main", 1)[1]


def test_dashboard_links_to_records_and_report_keeping_the_filters(
    client_for, advisor_a, automatic, food
):
    html = client_for(advisor_a).get(f"/plans/parex-2/?year=2024&filiere={food.pk}").content
    html = html.decode()
    assert (
        f"/plans/parex-2/indicateurs/1.1/enregistrements/?year=2024&amp;filiere={food.pk}" in html
    )
    assert f"/plans/parex-2/indicateurs/1.1/?year=2024&amp;filiere={food.pk}" in html
    assert f"/plans/parex-2/bilan/?year=2024&amp;filiere={food.pk}&amp;format=pdf" in html
    assert f"/plans/parex-2/bilan/?year=2024&amp;filiere={food.pk}&amp;format=xlsx" in html


def test_a_filiere_filter_changes_the_figure(client_for, advisor_a, automatic, food):
    client = client_for(advisor_a)
    everything = text_of(client.get("/plans/parex-2/?year=2025"))
    assert "3 entreprises dont 2 PME" in everything
    page = text_of(client.get(f"/plans/parex-2/?year=2025&filiere={food.pk}"))
    assert "2 entreprises dont 2 PME" in page
    assert "Filière : Agroalimentaire" in page


def test_departement_and_size_filters(client_for, advisor_a, automatic):
    client = client_for(advisor_a)
    assert "1 entreprises dont 1 PME" in text_of(
        client.get("/plans/parex-2/?year=2025&departement=39")
    )
    page = text_of(client.get("/plans/parex-2/?year=2025&size=ETI"))
    assert "1 entreprises dont 0 PME" in page
    assert "Taille d'entreprise : Entreprise de taille intermédiaire (ETI)" in page


def test_a_manual_value_does_not_follow_company_filters(client_for, advisor_a, manual, food):
    page = text_of(client_for(advisor_a).get(f"/plans/parex-2/?year=2025&filiere={food.pk}"))
    assert "Valeur saisie pour tout le plan" in page


def test_wrong_filters_are_said_in_french_and_left_out(client_for, advisor_a, automatic):
    page = text_of(client_for(advisor_a).get("/plans/parex-2/?year=1990&filiere=999&size=XXL"))
    assert "Les filtres contiennent des erreurs" in page
    assert "Cette année n'est pas couverte par le plan." in page
    assert "Filière inconnue." in page
    assert "Taille d'entreprise inconnue." in page
    assert "3 entreprises dont 2 PME" in page


def test_dashboard_without_year_shows_the_current_year_within_the_plan(
    client_for, advisor_a, automatic
):
    Plan.objects.filter(pk=automatic.plan_id).update(last_year=2024)
    page = text_of(client_for(advisor_a).get("/plans/parex-2/"))
    assert "Tableau de bord 2024" in page


def test_dashboard_map_and_its_table(client_for, advisor_a, automatic, map_on_test_computation):
    response = client_for(advisor_a).get("/plans/parex-2/?year=2025&size=PME")
    html = response.content.decode()
    assert 'class="france-map"' in html
    assert "<title>Côte-d&#x27;Or (21) : 1\u00a0entreprises</title>" in html
    assert "<title>Jura (39) : 1\u00a0entreprises</title>" in html
    assert "<title>Doubs (25) : aucune</title>" in html
    # Each département links to the dashboard filtered on it.
    assert 'href="/plans/parex-2/?year=2025&amp;departement=39&amp;size=PME"' in html
    page = text_of(response)
    assert "Carte des entreprises accompagnées" in page
    assert "Côte-d'Or (21) 1 50 %" in page
    assert "Jura (39) 1 50 %" in page


def test_funnel_section_is_shown(client_for, advisor_a, automatic):
    page = text_of(client_for(advisor_a).get("/plans/parex-2/?year=2025"))
    assert "Entonnoir du parcours export" in page
    assert "Aucune entreprise n'a franchi d'étape du parcours" in page


def test_funnel_counts_the_stages_reached_in_the_year(client_for, advisor_a, automatic, org_a):
    from datetime import datetime

    from django.utils import timezone

    from guichet.companies.models import Company
    from guichet.journeys.models import Journey, StageChange

    def moves(siren, stages):
        journey = Journey.objects.create(
            company=Company.objects.get(siren=siren), stage=stages[-1], organisation=org_a
        )
        previous = ""
        for month, stage in enumerate(stages, start=3):
            StageChange.objects.create(
                journey=journey,
                from_stage=previous,
                to_stage=stage,
                at=timezone.make_aware(datetime(2025, month, 2, 10, 0)),
            )
            previous = stage

    moves("552100554", ["identified", "contacted", "diagnosed"])
    moves("732829320", ["identified", "contacted"])
    page = text_of(client_for(advisor_a).get("/plans/parex-2/?year=2025"))
    assert (
        "Étape Entreprises Par rapport à l'étape précédente Repérées 2 – Contactées 2 100 % "
        "Diagnostiquées 1 50 % Accompagnées 0 0 %"
    ) in page


def test_dashboard_export(client_for, advisor_a, automatic, manual):
    response = client_for(advisor_a).get("/plans/parex-2/?year=2025&format=xlsx")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="parex-2-tableau-de-bord-2025-'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Axe", "Mesure", "Code", "Indicateur")
    assert rows[1][2:11] == (
        "1.1",
        "Entreprises suivies",
        "entreprises",
        2025,
        3,
        3,
        100,
        "Cible atteinte",
        "dont 2 PME",
    )
    assert rows[2][2] == "1.2"
    assert rows[2][6] == 42
    assert rows[2][11:] == ("Manuelle", "Enquête emploi CCI 2025")
    csv = client_for(advisor_a).get("/plans/parex-2/?year=2025&format=csv").content.decode()
    assert "1.1;Entreprises suivies;entreprises;2025;3;3.00;100;Cible atteinte;dont 2 PME" in csv


def test_editing_links_only_for_those_who_may_edit(
    client_for, advisor_a, advisor_b, manager_a, automatic, manual
):
    reader = client_for(advisor_a).get("/plans/parex-2/?year=2025").content.decode()
    assert "Modifier le plan" not in reader
    assert "Modifier<span" not in reader
    assert "Saisir une valeur" not in reader
    # The pilot organisation's manager edits the plan, its indicators and targets.
    pilot = client_for(manager_a).get("/plans/parex-2/?year=2025").content.decode()
    assert 'href="/plans/parex-2/modifier/"' in pilot
    assert 'href="/plans/parex-2/indicateurs/nouveau/"' in pilot
    assert 'href="/plans/parex-2/indicateurs/1.1/cibles/"' in pilot
    assert 'href="/plans/parex-2/mesures/1/bilan/"' in pilot
    assert 'href="/plans/parex-2/indicateurs/1.2/valeurs/"' in pilot
    # The partner responsible for a manual indicator enters its values, and nothing else.
    partner = client_for(advisor_b).get("/plans/parex-2/?year=2025").content.decode()
    assert 'href="/plans/parex-2/indicateurs/1.2/valeurs/"' in partner
    assert "Modifier le plan" not in partner
    assert "/cibles/" not in partner


def test_plan_without_indicators(client_for, advisor_a, measure):
    page = text_of(client_for(advisor_a).get("/plans/parex-2/"))
    assert "Ce plan n'a pas encore d'indicateur" in page


def test_unknown_plan_is_not_found(client_for, advisor_a, db):
    assert client_for(advisor_a).get("/plans/inconnu/").status_code == 404


# --- Indicator page -----------------------------------------------------------------------


def test_indicator_page(client_for, advisor_a, automatic, food):
    automatic.baseline, automatic.baseline_year = 1500, 2013
    automatic.save()
    response = client_for(advisor_a).get("/plans/parex-2/indicateurs/1.1/?year=2025")
    page = text_of(response)
    assert "1.1 – Entreprises suivies" in page
    assert "Entreprises actives du registre, quel que soit l'année (test)." in page
    assert "Registre (test)" in page
    assert "Valeur de référence 1 500 entreprises (2013)" in page
    # Targets per year and the realised value of each past year.
    assert "2024 4 entreprises 3 entreprises À surveiller" in page
    assert "2025 (année affichée) 3 entreprises 3 entreprises Cible atteinte" in page
    # Breakdowns: by filière, département, size.
    assert "Entreprises suivies en 2025, par filière" in page
    assert "Entreprises suivies en 2025, par département" in page
    assert "Entreprises suivies en 2025, par taille d'entreprise" in page
    assert "Département Entreprises Côte-d'Or (21) 2 Jura (39) 1" in page
    assert "Par partenaire Aucune valeur à ventiler pour ces filtres." in page
    html = response.content.decode()
    assert "/plans/parex-2/indicateurs/1.1/enregistrements/?year=2025&amp;departement=21" in html
    assert 'id="serie-1.1-title"' in html


def test_manual_indicator_page_lists_the_values_entered(client_for, advisor_a, manual):
    page = text_of(client_for(advisor_a).get("/plans/parex-2/indicateurs/1.2/?year=2025"))
    assert "Saisie manuelle par le partenaire responsable" in page
    assert "Valeurs saisies" in page
    assert "2025 année 2025 42 Enquête emploi CCI 2025 CCI Test" in page
    assert "2025 – 30 Enquête emploi 2025 (ancienne) CCI Test" in page


def test_unknown_indicator_is_not_found(client_for, advisor_a, automatic):
    assert client_for(advisor_a).get("/plans/parex-2/indicateurs/9.9/").status_code == 404


# --- Permissions --------------------------------------------------------------------------

PAGES = (
    "/plans/",
    "/plans/parex-2/",
    "/plans/parex-2/indicateurs/1.1/",
    "/plans/parex-2/indicateurs/1.1/enregistrements/?format=csv",
)


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_go_to_the_login_page(client_for, automatic, path):
    response = client_for(None).get(path)
    assert response.status_code == 302
    assert "connexion" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_an_account_without_organisation_is_refused(client_for, automatic, path):
    loner = user_create(
        email="seul@test.example",
        first_name="S",
        last_name="Eul",
        organisation=None,
        roles=["advisor"],
        password="x" * 20,
        invite=False,
    )
    assert client_for(loner).get(path).status_code == 403
