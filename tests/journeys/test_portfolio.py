"""The portfolio page: stage counts, last contact, next action, filters, the companies to
contact again, exports, a colleague's portfolio, query count; the home-page block."""

import csv
import io
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from guichet.companies.services_filieres import filiere_upsert
from guichet.journeys.models import Journey, Stage
from guichet.journeys.services import (
    journey_set_stage,
    journey_start,
    next_action_create,
    timeline_event_record,
)
from tests.companies.conftest import make_company
from tests.conftest import make_user

URL = "/parcours/portefeuille/"


def _ago(days: int):
    """Noon, Paris time, `days` calendar days ago: the pages count days between Paris dates,
    and a plain `now - 200 days` lands on the previous or next date near midnight when the
    daylight-saving offset differs between then and now."""
    return timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days), time(12))
    )


@pytest.fixture
def followed(reference, advisor_a):
    """Four companies led by advisor A: a bakery in Dijon contacted 10 days ago, a cheese maker
    in Besançon contacted 200 days ago, a mechanic in Beaune never contacted (followed for a
    year), a dropped one; plus a company led by someone else."""
    bakery = make_company("552100001", "Biscuiterie Dijonnaise", naf="10.71C")
    cheese = make_company(
        "552100002",
        "Fromagerie du Doubs",
        naf="10.51C",
        commune_code="25056",
        commune_name="BESANCON",
    )
    mechanic = make_company(
        "552100003",
        "Mécanique de Beaune",
        naf="25.62A",
        commune_code="21054",
        commune_name="BEAUNE",
    )
    dropped = make_company("552100004", "Ancienne Scierie", naf="16.10A")
    for company in (bakery, cheese, mechanic, dropped):
        journey_start(company=company, lead_advisor=advisor_a, by=advisor_a, at=_ago(365))
    journey_set_stage(company=bakery, stage=Stage.DIAGNOSED, by=advisor_a, at=_ago(30))
    journey_set_stage(company=cheese, stage=Stage.CONTACTED, by=advisor_a, at=_ago(250))
    journey_set_stage(
        company=dropped, stage=Stage.DROPPED, by=advisor_a, reason="Cessation", at=_ago(300)
    )
    timeline_event_record(
        company=bakery, kind="meeting", title="Rendez-vous", author=advisor_a, occurred_at=_ago(10)
    )
    timeline_event_record(
        company=cheese, kind="call", title="Appel", author=advisor_a, occurred_at=_ago(200)
    )
    # A note is not a contact with the company.
    timeline_event_record(
        company=mechanic, kind="note", title="Note", author=advisor_a, occurred_at=_ago(2)
    )
    next_action_create(
        company=bakery,
        title="Envoyer le plan d'action",
        due_on=timezone.localdate() - timedelta(days=2),
        assignee=advisor_a,
        by=advisor_a,
        today=timezone.localdate() - timedelta(days=20),
    )
    other = make_user("marie.collegue@test.example", advisor_a.organisation, ["advisor"])
    journey_start(
        company=make_company("552100005", "Chez une collègue"), lead_advisor=other, by=other
    )
    return {"bakery": bakery, "cheese": cheese, "mechanic": mechanic, "dropped": dropped}


def _table(html: str) -> str:
    return unescape(html[html.index('<caption class="fr-sr-only">Entreprises du portefeuille') :])


def test_portfolio_lists_my_companies(client_for, advisor_a, followed):
    html = unescape(client_for(advisor_a).get(URL).content.decode())
    assert '<h1 class="fr-mb-1w">Mon portefeuille</h1>' in html
    assert "4 entreprises suivies" in html
    assert "Repérée : 1" in html
    assert "Diagnostiquée : 1" in html
    assert "Sortie du parcours : 1" in html
    assert "1 action en retard" in html
    table = _table(html)
    assert "Chez une collègue" not in table
    assert table.index("Ancienne Scierie") < table.index("Biscuiterie Dijonnaise")
    bakery = table[table.index("Biscuiterie Dijonnaise") : table.index("Fromagerie du Doubs")]
    assert f"{timezone.localtime(_ago(10)):%d/%m/%Y}</time>" in bakery
    assert "il y a 10 j" in bakery
    assert "Envoyer le plan d'action" in bakery
    assert "En retard" in bakery
    assert "DIJON\n" in bakery
    assert "(21)" in bakery
    mechanic = table[table.index("Mécanique de Beaune") :]
    assert "aucun</span>" in mechanic[: mechanic.index("</tr>")]


def test_alert_lists_companies_without_contact(client_for, advisor_a, followed):
    html = unescape(client_for(advisor_a).get(URL).content.decode())
    alert = html[
        html.index('id="a-relancer"') : html.index("</div>", html.index('id="a-relancer"'))
    ]
    assert "2 entreprises sans contact depuis plus de 120 jours" in alert
    # Never contacted first, then the oldest contact; the dropped company needs none.
    assert alert.index("Mécanique de Beaune") < alert.index("Fromagerie du Doubs")
    assert "aucun contact enregistré" in alert
    assert "(200 jours)" in alert
    assert "Ancienne Scierie" not in alert
    assert "Biscuiterie" not in alert


def test_alert_days_come_from_the_query_and_the_setting(client_for, advisor_a, followed, settings):
    html = unescape(client_for(advisor_a).get(URL, {"jours": "5"}).content.decode())
    assert "3 entreprises sans contact depuis plus de 5 jours" in html
    settings.GUICHET_PORTFOLIO_ALERT_DAYS = 400
    html = unescape(client_for(advisor_a).get(URL).content.decode())
    assert "Toutes les entreprises suivies ont eu un contact depuis moins de 400 jours." in html


def test_filters(client_for, advisor_a, followed):
    client = client_for(advisor_a)

    def names(**params) -> list[str]:
        response = client.get(URL, {**params, "format": "csv"})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        return [row[1] for row in rows[1:]]

    assert names() == [
        "Ancienne Scierie",
        "Biscuiterie Dijonnaise",
        "Fromagerie du Doubs",
        "Mécanique de Beaune",
    ]
    assert names(stage="contacted") == ["Fromagerie du Doubs"]
    assert names(departement="25") == ["Fromagerie du Doubs"]
    assert names(relance="on") == ["Fromagerie du Doubs", "Mécanique de Beaune"]
    assert names(relance="on", jours="300") == ["Mécanique de Beaune"]
    filiere_upsert(slug="agro", name="Agroalimentaire", naf_codes=["10"], description="")
    from guichet.companies.models import Filiere

    agro = Filiere.objects.get(slug="agro")
    assert names(filiere=agro.pk) == ["Biscuiterie Dijonnaise", "Fromagerie du Doubs"]


def test_bad_filter_says_so_in_french(client_for, advisor_a, followed):
    html = unescape(client_for(advisor_a).get(URL, {"jours": "-3", "stage": "x"}).content.decode())
    assert "Les filtres contiennent une erreur" in html
    assert "Saisissez au moins 1 jour." in html
    assert "Cette étape n'existe pas." in html
    assert "4 entreprises\n" in html


def test_exports(client_for, advisor_a, followed):
    client = client_for(advisor_a)
    response = client.get(URL, {"format": "xlsx", "stage": "diagnosed"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:7] == (
        "SIREN",
        "Entreprise",
        "Étape",
        "À cette étape depuis",
        "Dernier contact",
        "Jours sans contact",
        "Prochaine action",
    )
    assert rows[1][:3] == ("552100001", "Biscuiterie Dijonnaise", "Diagnostiquée")
    assert rows[1][5] == 10
    assert rows[1][6] == "Envoyer le plan d'action"
    assert rows[1][11] == "http://testserver/entreprises/552100001/"


def test_query_count_is_bounded_for_200_companies(client_for, advisor_a, reference):
    def count() -> int:
        client = client_for(advisor_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"relance": "on", "stage": "identified"}).status_code == 200
        return len(queries)

    for n in range(3):
        company = make_company(f"55300{n:04d}", f"Entreprise {n:03d}")
        journey_start(company=company, lead_advisor=advisor_a, by=advisor_a, at=_ago(200))
    few = count()
    for n in range(3, 200):
        company = make_company(f"55300{n:04d}", f"Entreprise {n:03d}")
        journey_start(company=company, lead_advisor=advisor_a, by=advisor_a, at=_ago(200))
        timeline_event_record(company=company, kind="call", title="Appel", occurred_at=_ago(n))
        next_action_create(
            company=company,
            title="Rappeler",
            due_on=timezone.localdate() + timedelta(days=n),
            assignee=advisor_a,
            by=advisor_a,
        )
    many = count()
    assert few == many
    assert many <= 20
    html = unescape(client_for(advisor_a).get(URL).content.decode())
    assert "200 entreprises\n" in html
    assert "Entreprise 099" in html
    assert "Entreprise 100" not in html  # second page


def test_a_manager_opens_a_colleagues_portfolio(client_for, advisor_a, manager_a, followed):
    html = unescape(client_for(manager_a).get(URL, {"conseiller": advisor_a.pk}).content.decode())
    assert "Portefeuille de Claire Conseil" in html
    assert "Biscuiterie Dijonnaise" in html
    assert f'<option value="{advisor_a.pk}" selected>Claire Conseil — Région Test</option>' in html
    # A manager's own portfolio is empty.
    html = unescape(client_for(manager_a).get(URL).content.decode())
    assert "Vous n'êtes encore le conseiller référent d'aucune entreprise." in html


def test_confidential_last_contact_of_another_organisation_is_not_shown(
    client_for, advisor_a, org_b, reference
):
    company = make_company("552100009", "Discrète SA")
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a, at=_ago(300))
    other = make_user("oscar.autre@test.example", org_b, ["advisor"])
    timeline_event_record(
        company=company, kind="call", title="Secret", author=other, confidential=True
    )
    html = unescape(client_for(advisor_a).get(URL).content.decode())
    assert "1 entreprise sans contact depuis plus de 120 jours" in html


@pytest.mark.parametrize(
    ("fixture", "status"),
    [("advisor_b", 403), ("readonly_a", 403), ("admin_user", 200), ("advisor_a", 200)],
)
def test_who_opens_advisor_as_portfolio(request, client_for, advisor_a, fixture, status, db):
    user = request.getfixturevalue(fixture)
    response = client_for(user).get(URL, {"conseiller": advisor_a.pk})
    assert response.status_code == status


def test_another_advisor_of_the_same_organisation_may_not(client_for, advisor_a, org_a):
    colleague = make_user("marie.collegue@test.example", org_a, ["advisor"])
    assert client_for(colleague).get(URL, {"conseiller": advisor_a.pk}).status_code == 403
    assert client_for(colleague).get(URL, {"conseiller": "abc"}).status_code == 404


def test_manager_of_another_organisation_may_not(client_for, advisor_a, org_b):
    manager_b = make_user("mia.pilote@test.example", org_b, ["manager"])
    assert client_for(manager_b).get(URL, {"conseiller": advisor_a.pk}).status_code == 403


def test_anonymous_goes_to_login(client_for, db):
    for url in (
        URL,
        "/parcours/actions/",
        "/parcours/entonnoir/",
        "/parcours/portefeuille/transfert/",
    ):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/?next=")


def test_readonly_gets_403_on_work_pages(client_for, readonly_a):
    client = client_for(readonly_a)
    for url in (URL, "/parcours/actions/", "/parcours/portefeuille/transfert/"):
        assert client.get(url).status_code == 403


# --- Home page -------------------------------------------------------------------------------


def test_home_block_counts_stages_overdue_actions_and_companies_to_contact(
    client_for, advisor_a, followed
):
    html = unescape(client_for(advisor_a).get("/").content.decode())
    block = html[html.index('id="panel-portfolio"') :]
    block = block[: block.index("</section>")]
    assert 'href="/parcours/portefeuille/">4 entreprises</a>' in block
    assert "Diagnostiquée : 1" in block
    assert "1 action en retard\n" in block
    assert "2 entreprises sans contact depuis plus de 120 jours" in block
    assert "Les entreprises dont vous êtes le conseiller référent apparaîtront ici" not in html


def test_home_block_for_an_advisor_without_portfolio(client_for, advisor_a):
    html = unescape(client_for(advisor_a).get("/").content.decode())
    assert "Les entreprises dont vous êtes le conseiller référent apparaîtront ici" in html
    assert "Je deviens le conseiller référent" in html


def test_home_block_hidden_from_readonly_and_managers_without_portfolio(
    client_for, readonly_a, manager_a
):
    assert 'id="panel-portfolio"' not in client_for(readonly_a).get("/").content.decode()
    assert 'id="panel-portfolio"' not in client_for(manager_a).get("/").content.decode()


def test_journeys_count_for_the_bakery(followed):
    assert Journey.objects.get(company=followed["bakery"]).stage == Stage.DIAGNOSED
