"""Projection assumptions page: every member reads the defaults and the analysts' overrides,
managers change a country or put its default back; bad inputs get French messages."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.markets.models import MarketAssumption
from guichet.markets.views import assumptions as view
from guichet.reference.models import Country
from tests.conftest import make_user

LIST = "/marches/hypotheses/"
SOURCE = "Fichier macro de test (PIB et population 2019–2024)"


@pytest.fixture
def defaults(monkeypatch, reference):
    """Two countries with defaults from the macro figures (fractions over the horizon)."""
    rows = [
        {
            "iso3": "DEU",
            "name": "Allemagne",
            "gdp_growth": 0.085,
            "population_growth": 0.004,
            "source": SOURCE,
            "overridden": False,
        },
        {
            "iso3": "IND",
            "name": "Inde",
            "gdp_growth": 0.42,
            "population_growth": 0.051,
            "source": SOURCE,
            "overridden": False,
        },
    ]
    monkeypatch.setattr(view, "_defaults", lambda: (rows, 5, SOURCE))
    return rows


@pytest.fixture
def manager(org_a):
    return make_user("marie.pilote@test.example", org_a, ["manager"])


def test_anonymous_is_sent_to_login(client, defaults):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/connexion/" in response["Location"] or "login" in response["Location"]


def test_advisor_reads_defaults_and_overrides_without_edit_links(
    client_for, advisor_a, manager, defaults
):
    MarketAssumption.objects.create(
        country=Country.objects.get(iso3="IND"),
        gdp_growth_pct=Decimal("30.00"),
        population_growth_pct=Decimal("4.50"),
        source="FMI, avril 2026",
        updated_by=manager,
    )
    page = client_for(advisor_a).get(LIST).content.decode()
    assert "Allemagne" in page
    assert "Inde" in page
    assert "8,5\u00a0%" in page  # Germany's default GDP growth, in percent
    assert "42\u00a0%" in page
    assert "30\u00a0%" in page
    assert "FMI, avril 2026" in page
    assert SOURCE in page
    assert "recalculer le potentiel" in page
    assert "Modifier<" not in page
    assert client_for(advisor_a).get("/marches/hypotheses/DEU/").status_code == 403


def test_readonly_reads_but_cannot_edit(client_for, readonly_a, defaults):
    assert client_for(readonly_a).get(LIST).status_code == 200
    assert client_for(readonly_a).get("/marches/hypotheses/DEU/").status_code == 403
    response = client_for(readonly_a).post(
        "/marches/hypotheses/DEU/",
        {"gdp_growth_pct": "10", "population_growth_pct": "1", "source": "x"},
    )
    assert response.status_code == 403
    assert not MarketAssumption.objects.exists()


def test_filters_and_export(client_for, advisor_a, manager, defaults):
    MarketAssumption.objects.create(
        country=Country.objects.get(iso3="IND"),
        gdp_growth_pct=Decimal("30"),
        population_growth_pct=Decimal("4.5"),
        source="FMI, avril 2026",
        updated_by=manager,
    )
    client = client_for(advisor_a)
    page = client.get(LIST, {"q": "allem"}).content.decode()
    assert "Allemagne" in page
    assert "Inde<" not in page
    page = client.get(LIST, {"modifiees": "1"}).content.decode()
    assert "Inde" in page
    assert "Allemagne" not in page
    response = client.get(LIST, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Code ISO", "Pays", "Croissance du PIB par défaut (%)"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["IND"][2] == "42.0"
    assert by_code["IND"][5] == "30.0"
    assert by_code["IND"][7] == "oui"
    assert by_code["DEU"][7] == "non"
    assert client.get(LIST, {"format": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_manager_overrides_a_country_then_resets_it(client_for, manager, defaults):
    client = client_for(manager)
    form = client.get("/marches/hypotheses/DEU/").content.decode()
    assert 'value="8,5"' in form  # starts from the default
    response = client.post(
        "/marches/hypotheses/deu/",
        {"gdp_growth_pct": "12,5", "population_growth_pct": "-1,2 %", "source": "OCDE, 2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    saved = MarketAssumption.objects.get(country__iso3="DEU")
    assert saved.gdp_growth_pct == Decimal("12.50")
    assert saved.population_growth_pct == Decimal("-1.20")
    assert saved.source == "OCDE, 2026"
    assert saved.updated_by == manager
    event = AuditEvent.objects.get(object_type="markets.MarketAssumption", action="create")
    assert event.changes["gdp_growth_pct"] == [None, "12.50"]
    page = client.get(LIST).content.decode()
    assert "recalculé" in page  # the success message
    assert "12,5\u00a0%" in page
    assert "Modifiée" in page

    response = client.post(reverse("markets:assumption_reset", args=["DEU"]))
    assert response.status_code == 302
    assert not MarketAssumption.objects.exists()
    assert AuditEvent.objects.filter(
        object_type="markets.MarketAssumption", action="delete"
    ).exists()
    assert "reprend l&#x27;hypothèse par défaut" in client.get(LIST).content.decode()


def test_reset_is_post_only(client_for, manager, defaults):
    assert client_for(manager).get("/marches/hypotheses/DEU/defaut/").status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"gdp_growth_pct": "", "population_growth_pct": "1", "source": "s"},
            "Indiquez la croissance du PIB en %.",
        ),
        (
            {"gdp_growth_pct": "beaucoup", "population_growth_pct": "1", "source": "s"},
            "La croissance du PIB doit être un nombre",
        ),
        (
            {"gdp_growth_pct": "250", "population_growth_pct": "1", "source": "s"},
            "va de -50 % à +200 %",
        ),
        (
            {"gdp_growth_pct": "10", "population_growth_pct": "-60", "source": "s"},
            "La croissance de la population sur l&#x27;horizon va de -50 %",
        ),
        (
            {"gdp_growth_pct": "NaN", "population_growth_pct": "1", "source": "s"},
            "doit être un nombre",
        ),
        (
            {"gdp_growth_pct": "10", "population_growth_pct": "1", "source": "  "},
            "Indiquez la source de l&#x27;hypothèse",
        ),
        (
            {"gdp_growth_pct": "10", "population_growth_pct": "1", "source": "x" * 301},
            "300 caractères au plus",
        ),
    ],
)
def test_bad_inputs_are_refused_in_french_and_kept(client_for, manager, defaults, data, message):
    response = client_for(manager).post("/marches/hypotheses/IND/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Le formulaire contient" in page
    for value in data.values():
        if value.strip() and len(value) < 50:
            assert f'value="{value}"' in page  # what was typed is still there
    assert not MarketAssumption.objects.exists()


def test_unknown_country_is_404(client_for, manager, defaults):
    assert client_for(manager).get("/marches/hypotheses/XXX/").status_code == 404
    assert client_for(manager).post("/marches/hypotheses/ZZZZ/defaut/").status_code == 404


def test_country_without_default_can_be_set_from_the_list(client_for, manager, defaults):
    client = client_for(manager)
    response = client.get(LIST, {"pays": "jpn"})
    assert response["Location"] == "/marches/hypotheses/JPN/"
    page = client.get("/marches/hypotheses/JPN/").content.decode()
    assert "Aucune valeur par défaut pour ce pays" in page
    client.post(
        "/marches/hypotheses/JPN/",
        {"gdp_growth_pct": "3", "population_growth_pct": "-2", "source": "Estimation interne"},
    )
    page = client.get(LIST).content.decode()
    assert "Japon" in page
    assert "Estimation interne" in page


def test_empty_state_says_what_to_do(client_for, advisor_a, monkeypatch, reference):
    monkeypatch.setattr(view, "_defaults", lambda: ([], None, ""))
    page = client_for(advisor_a).get(LIST).content.decode()
    assert "Aucune hypothèse disponible" in page
    assert "load_macro" in page


def test_a_change_changes_the_cache_key_of_the_potential(client_for, manager, defaults):
    from guichet.markets import cache

    before = cache.inputs_key("potential", year=2022)
    client_for(manager).post(
        "/marches/hypotheses/DEU/",
        {"gdp_growth_pct": "12", "population_growth_pct": "1", "source": "OCDE"},
    )
    changed = cache.inputs_key("potential", year=2022)
    assert changed != before
    client_for(manager).post("/marches/hypotheses/DEU/defaut/")
    assert cache.inputs_key("potential", year=2022) not in {changed}
