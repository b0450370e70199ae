"""Members' pages of the actions: the list (filters, counts, budget, exports, empty states), the
action's page, creating and editing (managers of the organiser), publishing and cancelling.
The cast: a manager of the organiser (org A), a manager of another organisation (org B), an
advisor, a read-only member, an administrator, anonymous."""

import html
import io
import re
import secrets
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from guichet.collective.models import CollectiveAction, Programme, Registration
from guichet.companies.models import Filiere
from tests.collective.conftest import make_action
from tests.conftest import make_user

FORM = {
    "programme": "2027",
    "kind": "fair",
    "title": "Global Industrie 2027 — pavillon régional",
    "slug": "",
    "series": "global-industrie",
    "description": "Le salon de l'industrie.",
    "starts_on": "2027-03-09",
    "ends_on": "2027-03-12",
    "city": "Lyon",
    "country": "FR",
    "capacity": "8",
    "selection_criteria": "PME industrielles de la région.",
    "registration_deadline": "2027-01-15",
    "free_cancellation_until": "2027-02-01",
    "cancellation_rules": "Après le 1er février, la participation reste due.",
    "full_cost": "9 000",
    "company_fee": "5000",
    "eligible_costs": "Location du stand ; 6 000\nAménagement ; 3000",
    "subsidy_rate": "50",
    "subsidy_cap": "4000",
    "subsidised_participations_limit": "3",
    "regime": "gber_19",
    "budget": "32000",
    "reminder_days": "14, 3",
    "checklist": "Objectifs fixés\nSupports traduits",
}


def _register(**fields) -> Registration:
    # The model's default nonce (64 characters) does not fit its 32-character column on
    # PostgreSQL: give one that does.
    fields.setdefault("access_nonce", secrets.token_hex(16))
    return Registration.objects.create(**fields)


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def _words(response) -> str:
    """The page's text without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


@pytest.fixture
def manager_b(org_b):
    return make_user("marie.cci@test.example", org_b, ["manager"])


@pytest.fixture
def programme_2027(reference, org_a):
    return Programme.objects.create(year=2027, title="Programme d'actions collectives 2027")


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_counts_and_budget_to_every_member(
    client_for, reference, org_a, org_b, companies, readonly_a, advisor_b
):
    fair = make_action(org_a, slug="sial-2026", year=2026)
    make_action(
        org_b,
        slug="mission-2026",
        year=2026,
        kind="mission",
        title="Mission Québec",
        regime="de_minimis",
        budget=Decimal("12000"),
        status="draft",
    )
    _register(
        action=fair,
        company=companies[0],
        status="confirmed",
        contact_name="Jeanne",
        contact_email="j@example.fr",
        organisation=org_a,
    )
    _register(
        action=fair,
        company=companies[1],
        status="applied",
        contact_name="Paul",
        contact_email="p@example.fr",
        organisation=org_a,
    )
    for user in (readonly_a, advisor_b):
        page = _text(client_for(user).get("/actions-collectives/?year=2026"))
        assert "2 actions en 2026" in page
        assert "SIAL Paris — pavillon Bourgogne-Franche-Comté" in page
        assert "Mission Québec" in page
        assert "1 / 2" in page  # one place held of two
        assert "52 000 €" in page  # total budget
        assert "En préparation" in page
        assert "Publiée" in page
        assert "Nouvelle action" not in page
        assert "Résultats 2026" in page  # the link to the year's results
    page = _text(client_for(readonly_a).get("/actions-collectives/?year=2026&kind=mission"))
    assert "1 action en 2026" in page
    assert "SIAL" not in page
    page = _text(
        client_for(readonly_a).get("/actions-collectives/?year=2026&organiser=region-test")
    )
    assert "1 action en 2026" in page
    assert "Mission Québec" not in page
    page = _text(client_for(readonly_a).get("/actions-collectives/?year=2026&status=draft"))
    assert "1 action en 2026" in page
    assert "Mission Québec" in page


def test_the_list_exports_csv_and_xlsx(client_for, action, advisor_a):
    response = client_for(advisor_a).get("/actions-collectives/?year=2026&format=csv")
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Identifiant;Programme;Intitulé;Type;État;Début;Fin")
    assert row.startswith("sial-2026;2026;SIAL Paris — pavillon Bourgogne-Franche-Comté;")
    assert ";9000.00;5000.00;4000.00;9000;50.00;4000.00;4000.00;3;" in row
    response = client_for(advisor_a).get("/actions-collectives/?year=2026&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Identifiant"
    assert rows[1][0] == "sial-2026"
    assert rows[1][rows[0].index("Part publique par entreprise (€)")] == 4000


def test_the_empty_list_tells_how_to_create_the_programme(client_for, manager_a, advisor_a, db):
    page = _text(client_for(manager_a).get("/actions-collectives/"))
    assert "Aucun programme d'actions collectives pour" in page
    assert "créer le programme" in page
    assert 'href="/actions-collectives/programme/' in page
    page = _text(client_for(advisor_a).get("/actions-collectives/"))
    assert "Les responsables des organismes organisateurs le préparent" in page
    assert "créer le programme" not in page


def test_an_empty_programme_invites_to_add_an_action(client_for, manager_a, programme_2027):
    page = _text(client_for(manager_a).get("/actions-collectives/?year=2027"))
    assert "Le programme 2027 ne compte encore aucune action." in page
    assert 'href="/actions-collectives/gestion/nouvelle/?annee=2027"' in page


def test_anonymous_visitors_are_sent_to_login(client_for, action):
    for url in (
        "/actions-collectives/",
        "/actions-collectives/gestion/sial-2026/",
        "/actions-collectives/gestion/nouvelle/",
        "/actions-collectives/gestion/sial-2026/modifier/",
        "/actions-collectives/programme/2026/modifier/",
    ):
        response = client_for(None).get(url)
        assert (response.status_code == 302 and "/connexion" in response["Location"]) or (
            response.status_code == 302 and "login" in response["Location"]
        ), url


# --- the programme -----------------------------------------------------------------------------


def test_a_manager_creates_and_publishes_the_programme(client_for, manager_a, readonly_a, db):
    assert (
        client_for(readonly_a).get("/actions-collectives/programme/2027/modifier/").status_code
        == 403
    )
    response = client_for(manager_a).post(
        "/actions-collectives/programme/2027/modifier/",
        {"title": "Programme export collectif 2027", "introduction": "Salons et missions."},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(year=2027)
    assert (programme.title, programme.is_published) == ("Programme export collectif 2027", False)
    client_for(manager_a).post(
        "/actions-collectives/programme/2027/modifier/",
        {"title": "Programme export collectif 2027", "introduction": "", "is_published": "on"},
    )
    programme.refresh_from_db()
    assert programme.is_published
    assert programme.introduction == ""
    response = client_for(manager_a).post(
        "/actions-collectives/programme/2027/modifier/", {"title": "", "introduction": "x"}
    )
    assert "Indiquez l'intitulé du programme." in _text(response)


# --- creating and editing ------------------------------------------------------------------------


def test_a_manager_creates_an_action_for_its_organisation(client_for, manager_a, programme_2027):
    Filiere.objects.create(name="Industrie", slug="industrie")
    data = {**FORM, "filieres": [Filiere.objects.get().pk]}
    response = client_for(manager_a).post("/actions-collectives/gestion/nouvelle/", data)
    assert response.status_code == 302
    action = CollectiveAction.objects.get()
    assert response["Location"] == f"/actions-collectives/gestion/{action.slug}/"
    assert action.slug == "global-industrie-2027-pavillon-regional"
    assert action.status == "draft"
    assert action.organiser == manager_a.organisation
    assert action.subsidy_rate == Decimal("0.5")
    assert action.full_cost == Decimal("9000")
    assert action.eligible_costs == [
        {"label": "Location du stand", "amount": "6000.00"},
        {"label": "Aménagement", "amount": "3000.00"},
    ]
    assert action.reminder_days == [14, 3]
    assert [i.label for i in action.checklist.all()] == ["Objectifs fixés", "Supports traduits"]
    assert [f.slug for f in action.filieres.all()] == ["industrie"]
    page = _words(client_for(manager_a).get(response["Location"]))
    assert "Part publique (coût complet − participation) 4 000 €" in page
    assert (
        "Prise en charge selon les règles 4 000 € "
        "50 % des coûts admissibles, plafonné à 4 000 € (plafond atteint)"
    ) in page


def test_the_new_action_form_proposes_the_default_checklist(client_for, manager_a, programme_2027):
    page = _text(client_for(manager_a).get("/actions-collectives/gestion/nouvelle/?annee=2027"))
    assert "Objectifs de la participation fixés" in page
    assert "Rendez-vous B2B pris" in page
    assert '<option value="2027" selected>' in page


def test_a_bad_action_keeps_what_was_typed_and_says_why(client_for, manager_a, programme_2027):
    data = {
        **FORM,
        "company_fee": "9500",
        "regime": "gber_19",
        "kind": "mission",
        "capacity": "0",
        "subsidy_rate": "150",
    }
    response = client_for(manager_a).post("/actions-collectives/gestion/nouvelle/", data)
    assert response.status_code == 200
    page = _text(response)
    assert "La participation demandée (9 500 €) dépasse le coût complet (9 000 €)." in page
    assert "Le RGEC art. 19 couvre la participation des PME aux foires et salons" in page
    # Every rule broken is reported at once, on its field.
    assert "« Nombre de places » doit être compris entre 1 et 5000." in page
    assert "Le taux de prise en charge est compris entre 0 et 100 %." in page
    assert 'value="Global Industrie 2027 — pavillon régional"' in page
    assert "Location du stand ; 6 000" in page
    assert not CollectiveAction.objects.exists()


def test_an_advisor_and_a_read_only_member_cannot_create(
    client_for, advisor_a, readonly_a, programme_2027
):
    for user in (advisor_a, readonly_a):
        assert client_for(user).get("/actions-collectives/gestion/nouvelle/").status_code == 403
        assert (
            client_for(user).post("/actions-collectives/gestion/nouvelle/", FORM).status_code == 403
        )
    assert not CollectiveAction.objects.exists()


def test_only_managers_of_the_organiser_edit(
    client_for, action, manager_org_a, manager_b, advisor_a, readonly_a, admin_user
):
    url = "/actions-collectives/gestion/sial-2026/modifier/"
    for user in (manager_b, advisor_a, readonly_a):
        assert client_for(user).get(url).status_code == 403
        assert (
            client_for(user).post("/actions-collectives/gestion/sial-2026/publier/").status_code
            == 403
        )
    page = _text(client_for(manager_b).get("/actions-collectives/gestion/sial-2026/"))
    assert "SIAL Paris" in page
    assert 'href="/actions-collectives/gestion/sial-2026/modifier/"' not in page
    for user in (manager_org_a, admin_user):
        assert client_for(user).get(url).status_code == 200
    form = client_for(manager_org_a).get(url).context["form"]
    data = dict(form.initial.items())
    data.update(
        {
            "title": "SIAL Paris 2026",
            "capacity": "10",
            "starts_on": "2026-10-18",
            "ends_on": "2026-10-22",
            "registration_deadline": "2026-06-30",
            "free_cancellation_until": "2026-08-31",
            "country": "FR",
            "filieres": [],
            "partners": [],
        }
    )
    response = client_for(manager_org_a).post(url, data)
    assert response.status_code == 302, _text(response)
    action.refresh_from_db()
    assert (action.title, action.capacity, action.slug) == ("SIAL Paris 2026", 10, "sial-2026")
    assert action.subsidy_rate == Decimal("0.5")
    assert action.subsidy_cap == Decimal("4000")


def test_publish_then_cancel(client_for, reference, org_a, manager_org_a, companies):
    action = make_action(org_a, slug="sial-2027", year=2027, status="draft")
    client = client_for(manager_org_a)
    page = _text(client.post("/actions-collectives/gestion/sial-2027/publier/", follow=True))
    assert "elle apparaîtra sur la page publique quand le programme 2027 sera publié" in page
    action.refresh_from_db()
    assert action.status == "published"
    waiting = _register(
        action=action,
        company=companies[0],
        status="waiting",
        waiting_rank=1,
        contact_name="Jeanne",
        contact_email="j@example.fr",
        organisation=org_a,
    )
    response = client.post(
        "/actions-collectives/gestion/sial-2027/annuler/", {"annulation-reason": ""}
    )
    assert response.status_code == 400
    assert "Indiquez le motif de l'annulation." in _text(response)
    response = client.post(
        "/actions-collectives/gestion/sial-2027/annuler/",
        {"annulation-reason": "Salon reporté par l'organisateur"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    waiting.refresh_from_db()
    assert action.status == "cancelled"
    assert waiting.status == "cancelled"
    assert waiting.waiting_rank is None
    assert waiting.cancellation_reason == "Action annulée : Salon reporté par l'organisateur"


def test_cancelling_is_refused_while_participations_are_confirmed(
    client_for, action, manager_org_a, companies, org_a
):
    _register(
        action=action,
        company=companies[0],
        status="confirmed",
        contact_name="Jeanne",
        contact_email="j@example.fr",
        organisation=org_a,
    )
    response = client_for(manager_org_a).post(
        "/actions-collectives/gestion/sial-2026/annuler/", {"annulation-reason": "Trop cher"}
    )
    assert response.status_code == 400
    assert "1 participation(s) sont confirmées : annulez d'abord ces inscriptions" in _text(
        response
    )
    action.refresh_from_db()
    assert action.status == "published"


def test_the_action_page_shows_everything(client_for, action, readonly_a):
    page = _words(client_for(readonly_a).get("/actions-collectives/gestion/sial-2026/"))
    for expected in (
        "SIAL Paris — pavillon Bourgogne-Franche-Comté",
        "Pavillon régional sur un salon",
        "Organisateur Région Test Partenaires aucun Filières toutes",
        "2 — 0 attribuée, 2 libres ; 0 demande en cours",
        "30/06/2026",
        "31/08/2026",
        "14 jours, 3 jours avant le début",
        "Rendez-vous B2B pris",
        "Location et aménagement du stand : 9 000 €",
        "RGEC art. 19 — participation des PME aux foires",
        "les 3 premières de l'entreprise dans la série « sial »",
    ):
        assert expected in page, expected
    assert "Annuler l'action" not in page


def test_the_list_makes_the_same_queries_whatever_the_number_of_actions(
    client_for, reference, org_a, readonly_a
):
    make_action(org_a, slug="a-2026", year=2026)
    client = client_for(readonly_a)
    with CaptureQueriesContext(connection) as few:
        client.get("/actions-collectives/?year=2026")
    for n in range(4):
        action = make_action(org_a, slug=f"b{n}-2026", year=2026)
        action.filieres.add(Filiere.objects.get_or_create(name=f"F{n}", slug=f"f{n}")[0])
    with CaptureQueriesContext(connection) as many:
        page = _text(client.get("/actions-collectives/?year=2026"))
    assert "5 actions en 2026" in page
    assert len(many) == len(few)


def test_an_administrator_creates_an_action_for_another_organiser(
    client_for, admin_user, org_b, programme_2027
):
    page = _text(client_for(admin_user).get("/actions-collectives/gestion/nouvelle/"))
    assert "Organisateur" in page
    response = client_for(admin_user).post(
        "/actions-collectives/gestion/nouvelle/", {**FORM, "organiser": org_b.pk}
    )
    assert response.status_code == 302
    assert CollectiveAction.objects.get().organiser == org_b


def test_the_organiser_is_not_offered_as_its_own_partner(client_for, action, manager_org_a, org_b):
    form = client_for(manager_org_a).get("/actions-collectives/gestion/sial-2026/modifier/")
    partners = list(form.context["form"].fields["partners"].queryset)
    assert partners == [org_b]
