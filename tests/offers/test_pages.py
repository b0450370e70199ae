"""The catalogue pages: who sees and who edits, what the list and the offer page show, the
form's French errors, exports."""

import csv
import html
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guichet.offers.models import Offer
from tests.conftest import make_user


@pytest.fixture
def catalogue(org_a, org_b, offer_factory):
    offer_factory(
        "Assurance prospection",
        slug="assurance-prospection",
        kind="insurance",
        summary="Couvrir le risque d'échec de la prospection.",
        sizes=["PME", "ETI"],
        stages=["accompanied"],
        cost_to_company="Prime de 3 % du budget",
    )
    offer_factory(
        "Pavillon régional au salon",
        slug="pavillon",
        provider=org_b,
        kind="collective",
        summary="Exposer sous la bannière de la région.",
        description="Stand clé en main, à moitié prix.",
    )
    offer_factory(
        "Formation Incoterms",
        slug="incoterms",
        provider=org_b,
        kind="training",
        summary="Choisir la bonne règle de livraison.",
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    offer_factory("Ancienne offre", slug="ancienne", is_active=False, summary="Retirée.")


def _texts(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("who", ["advisor_a", "advisor_b", "readonly_a", "admin_user"])
def test_every_member_reads_the_catalogue(request, client_for, catalogue, who):
    user = request.getfixturevalue(who)
    response = client_for(user).get("/offres/")
    assert response.status_code == 200
    page = _texts(response)
    assert "Assurance prospection" in page
    assert "Pavillon régional au salon" in page
    assert "Ancienne offre" not in page
    assert "3 offres" in page
    detail = client_for(user).get("/offres/pavillon/")
    assert "Stand clé en main, à moitié prix." in _texts(detail)


def test_anonymous_is_sent_to_login(client_for, catalogue):
    for path in (
        "/offres/",
        "/offres/pavillon/",
        "/offres/nouvelle/",
        "/offres/pavillon/modifier/",
    ):
        response = client_for(None).get(path)
        assert response.status_code == 302
        assert "/connexion" in response["Location"] or "login" in response["Location"]


def test_member_without_organisation_is_refused(client_for, catalogue, db):
    from guichet.partners.services import user_create

    loner = user_create(
        email="seul@test.example",
        first_name="S",
        last_name="Eul",
        organisation=None,
        roles=["advisor"],
        password="x" * 20,
        invite=False,
    )
    assert client_for(loner).get("/offres/").status_code == 403


def test_search_and_filters(client_for, advisor_a, catalogue):
    client = client_for(advisor_a)
    page = _texts(client.get("/offres/?q=prospection"))
    assert "1 offre" in page
    assert "Assurance prospection" in page
    # Accents and case ignored, provider name searched.
    assert "Pavillon régional" in _texts(client.get("/offres/?q=REGIONAL"))
    assert "2 offres" in _texts(client.get("/offres/?q=cci+test"))
    page = _texts(client.get("/offres/?kind=training"))
    assert "Formation Incoterms" in page
    assert "Pavillon" not in page
    page = _texts(client.get("/offres/?size=TPE"))
    # The insurance is for PME and ETI; the others have no size restriction.
    assert "Assurance prospection" not in page
    assert "Pavillon régional au salon" in page
    page = _texts(client.get("/offres/?stage=contacted"))
    assert "Assurance prospection" not in page
    page = _texts(client.get("/offres/?current=on"))
    assert "Formation Incoterms" not in page
    assert "2 offres" in page
    page = _texts(client.get("/offres/?provider=cci-test"))
    assert "Assurance prospection" not in page
    page = _texts(client.get("/offres/?withdrawn=on"))
    assert "Ancienne offre" in page
    assert "Retirée du catalogue" in page


def test_bad_filter_is_explained(client_for, advisor_a, catalogue):
    page = _texts(client_for(advisor_a).get("/offres/?kind=gift&q=salon"))
    assert "Type d'offre inconnu : « gift »." in page
    assert "Corrigez la recherche pour voir les offres." in page
    assert 'value="salon"' in page


def test_empty_states(client_for, advisor_a, admin_user, readonly_a, org_a):
    assert "Publiez les offres de votre organisation" in _texts(
        client_for(advisor_a).get("/offres/")
    )
    page = _texts(client_for(readonly_a).get("/offres/"))
    assert "Le catalogue ne contient encore aucune offre." in page
    assert "Nouvelle offre" not in page


def test_no_match_state(client_for, advisor_a, catalogue):
    page = _texts(client_for(advisor_a).get("/offres/?q=zzzz"))
    assert "Aucune offre ne correspond à cette recherche." in page


def test_csv_and_xlsx_exports(client_for, advisor_a, catalogue):
    response = client_for(advisor_a).get("/offres/?format=csv&kind=insurance")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Intitulé", "Organisme", "Type"]
    assert rows[1][:3] == ["Assurance prospection", "Région Test", "Assurance et garantie"]
    assert rows[1][5] == "PME, ETI"
    assert rows[1][4] == "Accompagnée"
    assert len(rows) == 2
    response = client_for(advisor_a).get("/offres/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Assurance prospection", "Formation Incoterms", "Pavillon régional au salon"]


def test_catalogue_query_count(
    client_for, advisor_a, catalogue, offer_factory, django_assert_max_num_queries
):
    for n in range(10):
        offer_factory(f"Offre {n}", slug=f"offre-{n}")
    client = client_for(advisor_a)
    client.get("/offres/")
    with django_assert_max_num_queries(14):
        response = client.get("/offres/")
    assert "13 offres" in _texts(response)


def test_detail_shows_audience_and_practicalities(client_for, advisor_b, catalogue):
    page = _texts(client_for(advisor_b).get("/offres/assurance-prospection/"))
    assert "Taille : PME et ETI" in page
    assert "Étapes du parcours : accompagnée" in page
    assert "Prime de 3 % du budget" in page
    assert "Modifier l'offre" not in page
    assert client_for(advisor_b).get("/offres/inconnue/").status_code == 404


# --- who edits -----------------------------------------------------------------------------------

FORM = {
    "title": "Rendez-vous d'affaires en Allemagne",
    "kind": "collective",
    "summary": "Des rendez-vous qualifiés avec des acheteurs allemands.",
    "sizes": ["PME", "ETI"],
    "stages": ["accompanied"],
    "dimensions": ["marketing", "experience"],
    "cost_to_company": "1 500 € HT",
    "link": "https://www.example.fr/rdv",
    "contact_email": "export@example.fr",
    "valid_from": "2025-01-01",
    "valid_until": "2025-12-31",
}


def test_admin_creates_for_any_partner(client_for, admin_user, org_b, reference):
    response = client_for(admin_user).post("/offres/nouvelle/", {**FORM, "provider": org_b.pk})
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/offres/{offer.slug}/"
    assert offer.provider == org_b
    assert offer.sizes == ["PME", "ETI"]
    assert offer.dimensions == ["marketing", "experience"]
    assert offer.valid_until == date(2025, 12, 31)


def test_provider_member_creates_for_its_own_organisation_only(client_for, advisor_a, org_a, org_b):
    client = client_for(advisor_a)
    page = _texts(client.get("/offres/nouvelle/"))
    assert "Région Test" in page
    assert "CCI Test" not in page
    response = client.post("/offres/nouvelle/", {**FORM, "provider": org_b.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in _texts(response)
    assert not Offer.objects.exists()
    client.post("/offres/nouvelle/", {**FORM, "provider": org_a.pk})
    assert Offer.objects.get().provider == org_a


def test_form_errors_are_french_and_keep_the_input(client_for, advisor_a, org_a):
    response = client_for(advisor_a).post(
        "/offres/nouvelle/",
        {
            **FORM,
            "provider": org_a.pk,
            "valid_until": "2024-12-31",
            "min_employees": "50",
            "max_employees": "10",
            "link": "example.fr",
        },
    )
    page = _texts(response)
    assert response.status_code == 200
    assert "La fin de validité doit suivre son début (ou le même jour)." in page
    assert "L'effectif maximum doit être au moins l'effectif minimum." in page
    assert "Le lien doit commencer par https:// (ou http://)." in page
    assert "Rendez-vous d'affaires en Allemagne" in page
    assert not Offer.objects.exists()
    response = client_for(advisor_a).post("/offres/nouvelle/", {"provider": org_a.pk})
    page = _texts(response)
    assert "Indiquez l'intitulé de l'offre." in page
    assert "Choisissez le type d'offre." in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_user", 200),
        ("advisor_a", 200),
        ("manager_a", 200),
        ("advisor_b", 403),
        ("readonly_a", 403),
    ],
)
def test_who_may_edit_an_offer_of_org_a(request, client_for, offer_factory, who, status):
    offer = offer_factory("Salon", slug="salon")
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get("/offres/salon/modifier/").status_code == status
    response = client.post("/offres/salon/retrait/")
    offer.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert offer.is_active is False
        assert "Modifier l'offre" in _texts(client.get("/offres/salon/"))
    else:
        assert response.status_code == 403
        assert offer.is_active is True
        assert "Modifier l'offre" not in _texts(client.get("/offres/salon/"))


def test_edit_saves_and_keeps_the_slug(client_for, advisor_a, org_a, offer_factory):
    offer_factory("Salon", slug="salon", summary="Avant.")
    client = client_for(advisor_a)
    page = _texts(client.get("/offres/salon/modifier/"))
    assert 'value="Avant."' in page
    response = client.post(
        "/offres/salon/modifier/", {**FORM, "provider": org_a.pk, "title": "Salon renommé"}
    )
    assert response["Location"] == "/offres/salon/"
    offer = Offer.objects.get()
    assert offer.title == "Salon renommé"
    assert offer.slug == "salon"


def test_expert_of_a_pole_edits_its_offers(client_for, offer_factory, db):
    from guichet.partners.services import organisation_create

    pole = organisation_create(name="Pôle Test", kind="pole", slug="pole-test")
    expert = make_user("eve.experte@test.example", pole, ["expert"])
    offer_factory("Mission pôle", slug="mission", provider=pole)
    assert client_for(expert).get("/offres/mission/modifier/").status_code == 200


def test_restore_a_withdrawn_offer(client_for, admin_user, offer_factory):
    offer = offer_factory("Salon", slug="salon", is_active=False)
    response = client_for(admin_user).post("/offres/salon/retrait/", follow=True)
    offer.refresh_from_db()
    assert offer.is_active is True
    assert "est de nouveau publiée" in _texts(response)
    assert client_for(admin_user).get("/offres/salon/retrait/").status_code == 405
