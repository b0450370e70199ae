"""Transfer of a portfolio (whole or part) from the page and through the hand-over registry;
the "Mes actions" page and its exports."""

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guichet.journeys.models import Journey, NextAction, TimelineEvent
from guichet.journeys.services import journey_start, next_action_complete, next_action_create
from guichet.partners.handover import hand_over, pending_work
from tests.companies.conftest import make_company
from tests.conftest import make_user

TRANSFER = "/parcours/portefeuille/transfert/"
ACTIONS = "/parcours/actions/"


@pytest.fixture
def colleague(org_a):
    return make_user("marie.collegue@test.example", org_a, ["advisor"])


@pytest.fixture
def portfolio(reference, advisor_a):
    companies = [make_company(f"55210000{n}", f"Entreprise {n}") for n in range(1, 4)]
    for company in companies:
        journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    return companies


def _led_by(user) -> set[str]:
    return set(Journey.objects.filter(lead_advisor=user).values_list("company__siren", flat=True))


def test_transfer_page_offers_colleagues_and_companies(
    client_for, advisor_a, colleague, portfolio, advisor_b
):
    html = unescape(client_for(advisor_a).get(TRANSFER).content.decode())
    assert "Marie Collegue — Région Test" in html
    assert "Bruno Autre" not in html
    assert "Entreprise 1 — Repérée" in html
    assert "tout le portefeuille de Claire Conseil (3 entreprises)" in html


def test_transfer_the_whole_portfolio(client_for, advisor_a, colleague, portfolio):
    next_action_create(
        company=portfolio[0],
        title="Rappeler",
        due_on=timezone.localdate(),
        assignee=advisor_a,
        by=advisor_a,
    )
    client = client_for(advisor_a)
    response = client.post(TRANSFER, {"scope": "all", "to_user": colleague.pk})
    assert response.status_code == 302
    assert response["Location"] == "/parcours/portefeuille/"
    assert _led_by(advisor_a) == set()
    assert _led_by(colleague) == {"552100001", "552100002", "552100003"}
    assert NextAction.objects.get().assignee == colleague
    html = unescape(client.get(response["Location"]).content.decode())
    assert (
        "3 entreprises passent du portefeuille de Claire Conseil à celui de Marie Collegue, "
        "avec 1 action à mener." in html
    )


def test_transfer_part_of_the_portfolio(client_for, advisor_a, colleague, portfolio):
    client_for(advisor_a).post(
        TRANSFER,
        {"scope": "some", "companies": [portfolio[1].pk], "to_user": colleague.pk},
    )
    assert _led_by(colleague) == {"552100002"}
    assert _led_by(advisor_a) == {"552100001", "552100003"}
    event = TimelineEvent.objects.filter(company=portfolio[1]).order_by("-pk").first()
    assert event.title == "Conseiller référent : Marie Collegue (Région Test)"


def test_transfer_refusals_keep_the_choices(client_for, advisor_a, colleague, portfolio, advisor_b):
    client = client_for(advisor_a)
    html = unescape(
        client.post(TRANSFER, {"scope": "some", "to_user": colleague.pk}).content.decode()
    )
    assert "Cochez au moins une entreprise à transférer." in html
    assert f'<option value="{colleague.pk}" selected>' in html
    html = unescape(
        client.post(TRANSFER, {"scope": "all", "to_user": advisor_b.pk}).content.decode()
    )
    assert "Choisissez un collègue de la liste." in html
    html = unescape(client.post(TRANSFER, {"scope": "all"}).content.decode())
    assert "Choisissez le collègue qui reprend le suivi." in html
    assert _led_by(advisor_a) == {"552100001", "552100002", "552100003"}


def test_a_manager_transfers_a_colleagues_portfolio(
    client_for, advisor_a, colleague, manager_a, portfolio
):
    response = client_for(manager_a).post(
        f"{TRANSFER}?conseiller={advisor_a.pk}", {"scope": "all", "to_user": colleague.pk}
    )
    assert response["Location"] == f"/parcours/portefeuille/?conseiller={advisor_a.pk}"
    assert len(_led_by(colleague)) == 3


@pytest.mark.parametrize("fixture", ["advisor_b", "readonly_a", "colleague"])
def test_others_may_not_transfer(request, client_for, advisor_a, colleague, portfolio, fixture):
    user = request.getfixturevalue(fixture)
    response = client_for(user).post(
        f"{TRANSFER}?conseiller={advisor_a.pk}", {"scope": "all", "to_user": colleague.pk}
    )
    assert response.status_code == 403
    assert len(_led_by(advisor_a)) == 3


def test_the_hand_over_registry_moves_portfolio_and_open_actions(
    advisor_a, colleague, portfolio, admin_user
):
    elsewhere = make_company("552109999", "Hors portefeuille")
    open_action = next_action_create(
        company=elsewhere,
        title="Relancer",
        due_on=timezone.localdate(),
        assignee=advisor_a,
        by=advisor_a,
    )
    work = {h.key: (h.label, count) for h, count in pending_work(advisor_a)}
    assert work["portfolio"] == ("Portefeuille d'entreprises suivies", 3)
    results = hand_over(from_user=advisor_a, to_user=colleague, by=admin_user)
    assert results["portfolio"] == {"entreprise(s) suivie(s)": 3, "action(s) à mener": 1}
    assert len(_led_by(colleague)) == 3
    open_action.refresh_from_db()
    assert open_action.assignee == colleague


def test_the_desk_hand_over_page_moves_the_portfolio(
    client_for, advisor_a, colleague, portfolio, admin_user
):
    client = client_for(admin_user)
    page = unescape(client.get(f"/guichet/transfert/{advisor_a.pk}/").content.decode())
    assert "Portefeuille d'entreprises suivies" in page
    response = client.post(f"/guichet/transfert/{advisor_a.pk}/", {"to_user": colleague.pk})
    assert response.status_code == 302
    assert len(_led_by(colleague)) == 3
    html = unescape(client.get(response["Location"]).content.decode())
    assert (
        "Portefeuille d'entreprises suivies : 3 entreprise(s) suivie(s), 0 action(s) à mener"
        in html
    )


# --- My actions -------------------------------------------------------------------------------


@pytest.fixture
def my_actions(portfolio, advisor_a, advisor_b):
    today = timezone.localdate()
    overdue = next_action_create(
        company=portfolio[0],
        title="Envoyer le devis traduit",
        due_on=today - timedelta(days=3),
        assignee=advisor_a,
        by=advisor_a,
        today=today - timedelta(days=10),
    )
    due_today = next_action_create(
        company=portfolio[1],
        title="Appeler la dirigeante",
        due_on=today,
        assignee=advisor_a,
        by=advisor_a,
    )
    upcoming = next_action_create(
        company=portfolio[2],
        title="Préparer le salon",
        due_on=today + timedelta(days=20),
        assignee=advisor_a,
        by=advisor_b,
    )
    done = next_action_create(
        company=portfolio[2], title="Premier appel", due_on=today, assignee=advisor_a, by=advisor_a
    )
    next_action_complete(action=done, by=advisor_a)
    next_action_create(
        company=portfolio[2],
        title="Action de Bruno",
        due_on=today,
        assignee=advisor_b,
        by=advisor_b,
    )
    return {"overdue": overdue, "today": due_today, "upcoming": upcoming, "done": done}


def test_my_actions_page(client_for, advisor_a, my_actions):
    html = unescape(client_for(advisor_a).get(ACTIONS).content.decode())
    assert "Action de Bruno" not in html
    late = html.index('id="en-retard"')
    today = html.index('id="aujourd-hui"')
    upcoming = html.index('id="a-venir"')
    assert late < html.index("Envoyer le devis traduit") < today
    assert today < html.index("Appeler la dirigeante") < upcoming
    assert upcoming < html.index("Préparer le salon")
    assert "En retard</p>" in html[late:today]
    assert "de 3 jours" in html[late:today]
    done = html.index("Actions faites (1)")
    assert done < html.index("Premier appel")
    assert "<details" in html[done - 200 : done]


def test_mark_done_from_my_actions_comes_back_to_the_page(client_for, advisor_a, my_actions):
    action = my_actions["today"]
    response = client_for(advisor_a).post(
        f"/parcours/actions/{action.pk}/faite/", {"next": ACTIONS}
    )
    assert response["Location"] == ACTIONS
    action.refresh_from_db()
    assert action.done_by == advisor_a
    client_for(advisor_a).post(f"/parcours/actions/{action.pk}/rouvrir/", {"next": ACTIONS})
    action.refresh_from_db()
    assert action.done_at is None
    assert client_for(advisor_a).get(f"/parcours/actions/{action.pk}/faite/").status_code == 405


def test_my_actions_exports(client_for, advisor_a, my_actions):
    client = client_for(advisor_a)
    response = client.get(ACTIONS, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Entreprise", "SIREN", "Action", "Précisions", "Échéance", "État"]
    states = {row[2]: row[5] for row in rows[1:]}
    assert states == {
        "Envoyer le devis traduit": "en retard",
        "Appeler la dirigeante": "aujourd'hui",
        "Préparer le salon": "à venir",
        "Premier appel": "faite",
    }
    sheet = load_workbook(io.BytesIO(client.get(ACTIONS, {"format": "xlsx"}).content)).active
    assert next(sheet.values)[0] == "Entreprise"
    assert sheet.max_row == 5


def test_no_action_says_what_to_do(client_for, advisor_a):
    html = unescape(client_for(advisor_a).get(ACTIONS).content.decode())
    assert "Aucune action en cours ne vous est confiée." in html
    assert "Planifiez la prochaine action d'une entreprise depuis sa fiche" in html
