"""Filières: defined by administrators as NAF codes; a company belongs to each one its
activities fall under."""

import pytest

from guichet.companies.filieres import companies_in_filiere, filieres_of_company
from guichet.companies.models import Company, Establishment, Filiere
from guichet.companies.services_filieres import filiere_create
from tests.companies.conftest import make_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def agri(reference):
    return filiere_create(name="Agroalimentaire et vins", naf_codes=["10", "11", "01.21Z"])


def test_company_belongs_by_main_activity_or_by_an_establishment(agri, reference):
    cheese = make_company("100000001", "FROMAGERIE DU JURA", naf="10.51C")
    garage = make_company("100000002", "GARAGE CENTRAL", naf="45.20A")
    mixed = make_company("100000003", "DOMAINE ET GARAGE", naf="45.20A")
    Establishment.objects.create(
        siret="10000000300020", company=mixed, naf_id="01.21Z", commune_code="21054"
    )

    members = companies_in_filiere(Company.objects.order_by("siren"), agri)

    assert [c.name for c in members] == ["FROMAGERIE DU JURA", "DOMAINE ET GARAGE"]
    assert [f.name for f in filieres_of_company(cheese)] == ["Agroalimentaire et vins"]
    assert filieres_of_company(garage) == []
    assert [f.name for f in filieres_of_company(mixed)] == ["Agroalimentaire et vins"]


def test_list_shows_filieres_codes_and_counts(client_for, advisor_a, agri):
    make_company("100000001", "FROMAGERIE DU JURA", naf="10.51C")
    make_company("100000004", "VIEILLE BRASSERIE", naf="11.05Z", is_active=False)

    html = client_for(advisor_a).get("/entreprises/filieres/").content.decode()

    assert "Agroalimentaire et vins" in html
    assert "01.21Z" in html
    assert "<td>1</td>" in html  # active companies only
    assert "Nouvelle filière" not in html  # advisors don't define filières


def test_list_exports_csv(client_for, advisor_a, agri):
    response = client_for(advisor_a).get("/entreprises/filieres/?format=csv")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Filière;Codes NAF;Entreprises actives;Description"
    assert lines[1].startswith("Agroalimentaire et vins;")
    assert "10" in lines[1].split(";")[1].split()


def test_empty_state_tells_what_to_do(client_for, admin_user, reference):
    html = client_for(admin_user).get("/entreprises/filieres/").content.decode()

    assert "Aucune filière définie" in html
    assert "Nouvelle filière" in html


def test_admin_creates_a_filiere_with_codes_of_any_level(client_for, admin_user, reference):
    response = client_for(admin_user).post(
        "/entreprises/filieres/nouvelle/",
        {"name": "Bois", "description": "Forêt et bois", "naf_codes": "02; 16, 3101z"},
    )

    assert response.status_code == 302
    filiere = Filiere.objects.get(name="Bois")
    assert filiere.slug == "bois"
    assert sorted(filiere.naf_codes.values_list("code", flat=True)) == ["02", "16", "31.01Z"]


def test_unknown_codes_are_named_and_input_kept(client_for, admin_user, reference):
    response = client_for(admin_user).post(
        "/entreprises/filieres/nouvelle/", {"name": "Bois", "naf_codes": "16, 99.99X, abc"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Codes NAF inconnus : 99.99X, abc" in html
    assert "16, 99.99X, abc" in html
    assert not Filiere.objects.exists()


def test_duplicate_name_is_refused(client_for, admin_user, agri):
    response = client_for(admin_user).post(
        "/entreprises/filieres/nouvelle/",
        {"name": "agroalimentaire ET vins", "naf_codes": "10"},
    )

    assert "Une filière porte déjà ce nom." in response.content.decode()
    assert Filiere.objects.count() == 1


def test_admin_edits_a_filiere(client_for, admin_user, agri):
    url = f"/entreprises/filieres/{agri.slug}/modifier/"
    form_html = client_for(admin_user).get(url).content.decode()
    assert "10, 11, 01.21Z" in form_html or "01.21Z, 10, 11" in form_html

    client_for(admin_user).post(url, {"name": "Agroalimentaire", "naf_codes": "10"})

    agri.refresh_from_db()
    assert agri.name == "Agroalimentaire"
    assert list(agri.naf_codes.values_list("code", flat=True)) == ["10"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin_user", 200), ("advisor_a", 403), ("advisor_b", 403), ("readonly_a", 403)],
)
def test_only_administrators_define_filieres(request, client_for, reference, who, expected):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/entreprises/filieres/nouvelle/").status_code == expected


def test_anonymous_is_sent_to_login(client_for, reference):
    response = client_for(None).get("/entreprises/filieres/")
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]
