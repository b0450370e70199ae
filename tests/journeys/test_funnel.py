"""The funnel: figures on a fixed set of journeys, filters, the page, its exports, who sees it."""

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guichet.companies.services_filieres import filiere_upsert
from guichet.journeys.funnel import FunnelFilters, funnel
from guichet.journeys.models import Stage
from guichet.journeys.services import journey_set_stage, journey_start
from tests.companies.conftest import make_company

URL = "/parcours/entonnoir/"


@pytest.fixture
def journeys(reference, advisor_a, advisor_b):
    """Five journeys started 200 days ago:
    A identified → contacted (+10 d) → diagnosed (+40 d) → accompanied (+100 d)
    B identified → contacted (+20 d)
    C identified → contacted (+30 d) → diagnosed (+50 d) → dropped (+60 d)
    D met at "first export" (Besançon, 25)
    E identified, led by an advisor of org B (a sawmill)."""
    t0 = timezone.now() - timedelta(days=200)

    def day(n):
        return t0 + timedelta(days=n)

    def follow(siren, name, moves, lead=advisor_a, stage=Stage.IDENTIFIED, **company):
        company = make_company(siren, name, **company)
        journey_start(company=company, lead_advisor=lead, by=lead, stage=stage, at=t0)
        for target, offset, *reason in moves:
            journey_set_stage(
                company=company,
                stage=target,
                by=lead,
                at=day(offset),
                reason=reason[0] if reason else "",
            )
        return company

    follow(
        "552100001",
        "A",
        [(Stage.CONTACTED, 10), (Stage.DIAGNOSED, 40), (Stage.ACCOMPANIED, 100)],
    )
    follow("552100002", "B", [(Stage.CONTACTED, 20)])
    follow(
        "552100003",
        "C",
        [
            (Stage.CONTACTED, 30),
            (Stage.DIAGNOSED, 50),
            (Stage.DROPPED, 60, "Projet abandonné"),
        ],
    )
    follow(
        "552100004",
        "D",
        [],
        stage=Stage.FIRST_EXPORT,
        commune_code="25056",
        commune_name="BESANCON",
    )
    follow("552100005", "E", [], lead=advisor_b, naf="16.10A")


def _by_stage(result):
    return {s.stage: s for s in result.stages}


def test_figures_on_a_fixed_set(journeys):
    result = funnel()
    stages = _by_stage(result)
    assert (result.total, result.dropped) == (5, 1)
    assert [s.current for s in result.stages] == [1, 1, 0, 1, 1, 0]
    assert [s.reached for s in result.stages] == [5, 4, 3, 2, 1, 0]
    assert [round(s.conversion) for s in result.stages[:-1]] == [80, 75, 67, 50, 0]
    assert result.stages[-1].conversion is None
    assert stages["identified"].median_days == pytest.approx(20)
    assert stages["identified"].timed == 3
    assert stages["contacted"].median_days == pytest.approx(25)
    assert stages["diagnosed"].median_days == pytest.approx(60)
    assert stages["accompanied"].median_days is None
    assert stages["accompanied"].timed == 0


def test_filters_by_partner_departement_and_filiere(journeys, org_b):
    by_partner = funnel(FunnelFilters(organisation_id=org_b.pk))
    assert (by_partner.total, [s.reached for s in by_partner.stages][:2]) == (1, [1, 0])
    by_place = funnel(FunnelFilters(departement="25"))
    assert by_place.total == 1
    assert _by_stage(by_place)["first_export"].current == 1
    wood = filiere_upsert(slug="bois", name="Bois", naf_codes=["16"], description="")
    assert funnel(FunnelFilters(filiere=wood)).total == 1


def test_page_shows_chart_table_and_exports(client_for, manager_a, journeys):
    client = client_for(manager_a)
    html = unescape(client.get(URL).content.decode())
    assert "5 entreprises suivies, dont 1 sortie du parcours." in html
    assert "<svg" in html
    assert "Entreprises par étape du parcours" in html
    table = html[html.index('id="detail"') :]
    row = table[table.index('<th scope="row">Repérée</th>') :]
    row = row[: row.index("</tr>")]
    assert "80\u00a0%" in row
    assert "(4 sur 5, vers « Contactée »)" in row
    assert "20\u00a0j" in row
    assert "(3 parcours mesurés)" in row
    response = client.get(URL, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "Étape"
    assert rows[1][:7] == ("Repérée", 1, 5, "Contactée", 4, 80.0, 20.0)
    assert rows[-1][:2] == ("Sortie du parcours", 1)
    response = client.get(URL, {"format": "csv", "departement": "25"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[5][:3] == ["Première exportation", "1", "1"]


def test_partner_filter_on_the_page(client_for, manager_a, journeys, org_b):
    html = unescape(client_for(manager_a).get(URL, {"partner": org_b.pk}).content.decode())
    assert "1 entreprise suivie." in html
    html = unescape(client_for(manager_a).get(URL, {"partner": "999"}).content.decode())
    assert "Partenaire inconnu." in html
    assert "5 entreprises suivies" in html


def test_empty_funnel_says_how_companies_enter(client_for, manager_a):
    html = unescape(client_for(manager_a).get(URL).content.decode())
    assert "Aucune entreprise suivie" in html
    assert "<svg" not in html


@pytest.mark.parametrize(
    ("fixture", "status"),
    [("manager_a", 200), ("admin_user", 200), ("readonly_a", 200), ("advisor_a", 403)],
)
def test_who_sees_the_funnel(request, client_for, fixture, status):
    user = request.getfixturevalue(fixture)
    assert client_for(user).get(URL).status_code == status
