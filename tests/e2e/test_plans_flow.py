"""Main path of capability 10 in a real browser: a partner's advisor opens the plan's
dashboard, filters it by filière, drills an indicator down to its records, and downloads the
yearly report as a PDF."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.plans.dashboard_fixtures import KEY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world(transactional_db):
    from django.core.management import call_command

    from guichet.companies.models import Filiere
    from guichet.partners.services import organisation_create
    from guichet.plans.models import Axis, Measure, Plan
    from tests.companies.conftest import make_company
    from tests.plans.conftest import make_indicator

    call_command("load_reference_data", verbosity=0)
    region = organisation_create(name="Région Bourgogne-Franche-Comté", kind="region")
    cci = organisation_create(name="CCI Bourgogne-Franche-Comté", kind="cci")
    dairy = Filiere.objects.create(name="Agroalimentaire", slug="agroalimentaire")
    dairy.naf_codes.add("10.71C")
    make_company("552100554", "FROMAGERIE DE BOURGOGNE", size_category="PME")
    make_company("732829320", "LUNETTERIE DE DIJON", naf="32.50A", size_category="ETI")
    make_company("401234567", "COMTÉ DU JURA", commune_code="39478", size_category="PME")
    plan = Plan.objects.create(
        slug="parex-2", name="PAREX 2", first_year=2022, last_year=2026, owner=region
    )
    axis = Axis.objects.create(plan=plan, number=1, title="Communication, formation, information")
    measure = Measure.objects.create(
        plan=plan, axis=axis, number=1, title="Pré-détection d'entreprises"
    )
    make_indicator(measure, "1.1", computation=KEY, name="Entreprises suivies", targets={2025: 3})
    return make_user("claire.conseil@test.example", cci, ["advisor"])


def test_dashboard_filter_drill_down_and_report(page, live_server, world):
    base = live_server.url
    page.goto(f"{base}/plans/parex-2/?year=2025")
    page.get_by_label("Adresse électronique").fill("claire.conseil@test.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/plans/parex-2/\?year=2025$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("PAREX 2")
    row = page.locator("#indicateur-1\\.1")
    expect(row).to_contain_text("3 entreprises")
    expect(row).to_contain_text("Cible atteinte")

    # Filter by filière: the figure follows.
    page.locator("#id_filiere").select_option(label="Agroalimentaire")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"filiere=\d+"))
    expect(page.get_by_text("Filière : Agroalimentaire")).to_be_visible()
    expect(row).to_contain_text("2 entreprises")

    # Drill down to the records behind the figure, the filter kept.
    row.get_by_role("link", name="Enregistrements de 1.1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrements de l'indicateur 1.1")
    expect(page.get_by_role("heading", name="2 enregistrements")).to_be_visible()
    table = page.locator("table").first
    expect(table).to_contain_text("FROMAGERIE DE BOURGOGNE")
    expect(table).to_contain_text("COMTÉ DU JURA")
    expect(table).not_to_contain_text("LUNETTERIE DE DIJON")

    # Back to the dashboard, download the yearly report.
    page.get_by_role("link", name="Revenir au tableau de bord").click()
    expect(page).to_have_url(re.compile(r"/plans/parex-2/\?year=2025&filiere=\d+$"))
    href = page.get_by_role("link", name="Bilan 2025 (PDF)").get_attribute("href")
    assert re.match(r"^/plans/parex-2/bilan/\?year=2025&filiere=\d+&format=pdf$", href)
    pdf = page.context.request.get(f"{base}{href}")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
