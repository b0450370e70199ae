"""The action plan page suggests target countries from the market analysis (issue 8): the
top markets for the company's filières, each added to the plan's countries in one click."""

from datetime import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.companies.models import Filiere
from guichet.markets.selectors import suggested_countries_for_company
from guichet.reference.models import Country
from tests.companies.conftest import make_company
from tests.diagnostics.results_factory import make_diagnostic, make_version
from tests.markets.conftest import write_trade

COMPLETED = timezone.make_aware(datetime(2025, 3, 10, 15, 0))
# France sells wine to the United Kingdom, hardly to China or Japan, which import a lot.
WORLD = [
    ("FRA", "GBR", "2204", 900e3),
    ("FRA", "USA", "2204", 50e3),
    ("ITA", "USA", "2204", 2000e3),
    ("ITA", "CHN", "2204", 800e3),
    ("ITA", "JPN", "2204", 700e3),
    ("ITA", "GBR", "2204", 300e3),
    ("ESP", "CHN", "2204", 600e3),
    ("ESP", "JPN", "2204", 500e3),
    ("FRA", "ITA", "2208", 100e3),
    ("DEU", "USA", "8703", 5000e3),
]


@pytest.fixture
def company(reference):
    return make_company("552100554", "Domaine de la Côte", naf="11.02A")


@pytest.fixture
def diagnostic(company, advisor_a):
    return make_diagnostic(
        company,
        make_version(),
        advisor=advisor_a,
        answers={"strategy": "high", "finance": "low", "marketing": "mid"},
        completed_at=COMPLETED,
    )


@pytest.fixture
def wine(reference):
    filiere = Filiere.objects.create(name="Vins", slug="vins")
    filiere.naf_codes.set(["11.02A"])
    return filiere


def _url(diagnostic) -> str:
    return reverse("diagnostics:plan_edit", args=[diagnostic.pk])


def test_no_market_data_no_suggestion(client_for, advisor_a, diagnostic, wine):
    assert suggested_countries_for_company(diagnostic.company) == []
    page = unescape(client_for(advisor_a).get(_url(diagnostic)).content.decode())
    assert "Pays suggérés par l'analyse des marchés" not in page
    assert "Pays cibles" in page


def test_company_without_filiere_gets_none(company, reference):
    write_trade(WORLD, year=2022, level="hs4")
    assert suggested_countries_for_company(company) == []


def test_suggestions_are_the_filieres_top_markets(company, wine):
    write_trade(WORLD, year=2022, level="hs4")
    found = suggested_countries_for_company(company, limit=5)
    assert found
    assert len(found) <= 5
    assert {s.filiere for s in found} == {"Vins"}
    unrealised = [s.unrealised for s in found]
    assert unrealised == sorted(unrealised, reverse=True)
    assert all(isinstance(s.country, Country) for s in found)


def test_one_click_adds_a_suggested_country(client_for, advisor_a, diagnostic, wine):
    write_trade(WORLD, year=2022, level="hs4")
    first = suggested_countries_for_company(diagnostic.company)[0].country
    client = client_for(advisor_a)
    page = unescape(client.get(_url(diagnostic)).content.decode())
    assert "Pays suggérés par l'analyse des marchés" in page
    assert f"Ajouter {first.name_fr} aux pays cibles" in page
    assert f'value="{first.iso2}"' in page.split("Pays suggérés")[1]
    response = client.post(_url(diagnostic), {"action": "add_country", "pays_suggere": first.iso2})
    assert response.status_code == 302
    assert response["Location"].endswith("#pays")
    assert list(diagnostic.target_countries.all()) == [first]
    page = unescape(client.get(_url(diagnostic)).content.decode())
    assert f"{first.name_fr} est ajouté aux pays cibles." in page
    assert f"Ajouter {first.name_fr} aux pays cibles" not in page
    assert "Déjà parmi les pays cibles" in page


def test_adding_keeps_the_countries_already_chosen(client_for, advisor_a, diagnostic, wine):
    write_trade(WORLD, year=2022, level="hs4")
    spain = Country.objects.get(iso2="ES")
    diagnostic.target_countries.set([spain])
    first = suggested_countries_for_company(diagnostic.company)[0].country
    client_for(advisor_a).post(
        _url(diagnostic), {"action": "add_country", "pays_suggere": first.iso2}
    )
    assert set(diagnostic.target_countries.all()) == {spain, first}


def test_the_ten_countries_limit_still_applies(client_for, advisor_a, diagnostic, wine):
    write_trade(WORLD, year=2022, level="hs4")
    first = suggested_countries_for_company(diagnostic.company)[0].country
    others = list(Country.objects.exclude(iso2=first.iso2).order_by("iso2")[:10])
    diagnostic.target_countries.set(others)
    client = client_for(advisor_a)
    client.post(_url(diagnostic), {"action": "add_country", "pays_suggere": first.iso2})
    assert diagnostic.target_countries.count() == 10
    page = unescape(client.get(_url(diagnostic)).content.decode())
    assert "Vous avez choisi 11 pays ; 10 au plus" in page


def test_unknown_country_changes_nothing(client_for, advisor_a, diagnostic):
    client = client_for(advisor_a)
    client.post(_url(diagnostic), {"action": "add_country", "pays_suggere": "ZZ"})
    assert diagnostic.target_countries.count() == 0
    page = unescape(client.get(_url(diagnostic)).content.decode())
    assert "Ce pays n'existe pas : rien n'a été modifié." in page


def test_other_organisation_cannot_add(client_for, advisor_b, diagnostic):
    response = client_for(advisor_b).post(
        _url(diagnostic), {"action": "add_country", "pays_suggere": "ES"}
    )
    assert response.status_code == 403
    assert diagnostic.target_countries.count() == 0
