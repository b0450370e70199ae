"""Pages that change the plan: what each member sees and may do. The managers of the plan's
pilot organisation (org A) change it; a manager of another organisation does not; a read-only
member enters no value; an advisor of the indicator's responsible partner enters its values.
A refused form keeps what was typed and says what is wrong in French."""

import html
import re
from decimal import Decimal

import pytest

from guichet.core.models import AuditEvent
from guichet.plans.models import (
    Axis,
    Indicator,
    ManualValue,
    Measure,
    MeasureReport,
    Plan,
    YearTarget,
)
from tests.conftest import make_user
from tests.plans import e_helpers
from tests.plans.conftest import make_indicator


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def _words(response) -> str:
    """The page's text without its tags."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def manager_b(org_b):
    return make_user("nina.cci@test.example", org_b, ["manager"])


@pytest.fixture
def manual(measure, org_b):
    """Entered by hand by the CCI (org B)."""
    return make_indicator(
        measure,
        "1.1",
        name="Entreprises sensibilisées",
        owner=org_b,
        breakdowns=[],
        targets={2024: 100},
    )


@pytest.fixture
def automatic(measure):
    return make_indicator(
        measure,
        "1.2",
        name="Organisations actives",
        computation=e_helpers.COUNT_KEY,
        breakdowns=["partner"],
    )


# --- plan -------------------------------------------------------------------------------------


def test_a_manager_creates_a_plan(client_for, manager_a, org_a):
    client = client_for(manager_a)
    page = _text(client.get("/plans/nouveau/"))
    assert "Nouveau plan" in page
    assert "Organisation pilote" in page
    response = client.post(
        "/plans/nouveau/",
        {
            "slug": "parex-3",
            "name": "PAREX 3",
            "description": "",
            "first_year": "2027",
            "last_year": "2031",
            "owner": str(org_a.pk),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/plans/parex-3/modifier/"
    plan = Plan.objects.get(slug="parex-3")
    assert (plan.name, plan.owner, plan.years[-1]) == ("PAREX 3", org_a, 2031)
    page = _text(client.get(response["Location"]))
    assert "Le plan PAREX 3 est créé" in page
    assert "Le plan n'a pas encore d'axe." in page


def test_a_refused_plan_keeps_what_was_typed(client_for, manager_a, org_a):
    response = client_for(manager_a).post(
        "/plans/nouveau/",
        {
            "slug": "bibliotheque",
            "name": "Mon plan régional",
            "first_year": "2031",
            "last_year": "2027",
            "owner": str(org_a.pk),
        },
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Le formulaire contient des erreurs" in page
    assert "« bibliotheque » est réservé par les pages du plan : choisissez-en un autre." in page
    assert "La dernière année (2027) ne peut pas précéder la première (2031)." in page
    assert 'value="Mon plan régional"' in page
    assert 'value="2031"' in page
    assert not Plan.objects.exists()


def test_a_manager_cannot_pilot_a_plan_for_another_organisation(client_for, manager_a, org_b):
    response = client_for(manager_a).post(
        "/plans/nouveau/",
        {
            "slug": "cci",
            "name": "Plan CCI",
            "first_year": "2027",
            "last_year": "2028",
            "owner": str(org_b.pk),
        },
    )
    assert "Sélectionnez un choix valide" in _text(response) or "Organisation inconnue." in _text(
        response
    )
    assert not Plan.objects.exists()


@pytest.mark.parametrize("who", ["advisor_a", "readonly_a"])
def test_only_managers_create_plans(client_for, request, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/plans/nouveau/").status_code == 403


def test_the_plan_editing_page_lists_the_structure(client_for, manager_a, manual, automatic):
    response = client_for(manager_a).get("/plans/parex-2/modifier/")
    assert "1.1 Entreprises sensibilisées" in _words(response)
    page = _text(response)
    assert "Modifier le plan PAREX 2" in page
    assert "Axe 1 – Communication, formation, information" in page
    assert "Mesure 1 – Pré-détection d'entreprises" in page
    assert "Responsable : CCI Test" in page
    assert "Saisie manuelle" in page
    assert "Organisations actives (test)" in page
    assert "2024 : 100" in page
    assert 'href="/plans/parex-2/indicateurs/1.1/valeurs/"' in page
    assert 'href="/plans/parex-2/indicateurs/1.2/valeurs/"' not in page  # computed
    assert 'href="/plans/parex-2/indicateurs/1.2/cibles/"' in page
    assert 'href="/plans/parex-2/mesures/1/bilan/"' in page


def test_plan_edit_saves_and_refuses_in_french(client_for, manager_a, plan, org_a):
    client = client_for(manager_a)
    data = {
        "name": "PAREX II",
        "description": "Plan régional",
        "first_year": "2022",
        "last_year": "2027",
        "owner": str(org_a.pk),
    }
    assert client.post("/plans/parex-2/modifier/", data).status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.last_year) == ("PAREX II", 2027)
    page = _text(client.post("/plans/parex-2/modifier/", data | {"last_year": "deux mille"}))
    assert "Indiquez une année sur quatre chiffres (par exemple 2024)." in page
    assert 'value="deux mille"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/plans/parex-2/modifier/",
        "/plans/parex-2/axes/nouveau/",
        "/plans/parex-2/mesures/nouvelle/",
        "/plans/parex-2/mesures/1/modifier/",
        "/plans/parex-2/mesures/1/bilan/",
        "/plans/parex-2/indicateurs/nouveau/",
        "/plans/parex-2/indicateurs/1.1/modifier/",
        "/plans/parex-2/indicateurs/1.1/cibles/",
        "/plans/parex-2/indicateurs/1.1/supprimer/",
    ],
)
def test_a_manager_of_another_organisation_cannot_edit(
    client_for, manager_b, advisor_a, manual, path
):
    assert client_for(manager_b).get(path).status_code == 403
    assert client_for(advisor_a).get(path).status_code == 403  # not a manager
    assert client_for(manager_b).post(path, {}).status_code == 403
    assert Indicator.objects.filter(code="1.1").exists()


def test_unknown_plan_or_indicator_is_not_found(client_for, manager_a, plan):
    assert client_for(manager_a).get("/plans/inconnu/modifier/").status_code == 404
    assert client_for(manager_a).get("/plans/parex-2/indicateurs/9.9/cibles/").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client_for, manual):
    response = client_for(None).get("/plans/parex-2/indicateurs/1.1/valeurs/")
    assert response.status_code == 302
    assert "/connexion/" in response["Location"] or "login" in response["Location"]


# --- axes and measures ----------------------------------------------------------------------


def test_axes_and_measures_are_added_and_changed(client_for, manager_a, plan, org_b):
    client = client_for(manager_a)
    assert (
        client.get("/plans/parex-2/mesures/nouvelle/")["Location"] == "/plans/parex-2/axes/nouveau/"
    )
    assert 'value="1"' in _text(client.get("/plans/parex-2/axes/nouveau/"))
    client.post("/plans/parex-2/axes/nouveau/", {"number": "1", "title": "Préparer"})
    axis = Axis.objects.get(plan=plan, number=1)
    page = _text(client.post("/plans/parex-2/axes/nouveau/", {"number": "1", "title": "Bis"}))
    assert "Le numéro 1 est déjà pris dans ce plan : Axe 1 – Préparer." in page
    assert 'value="Bis"' in page
    response = client.post(
        "/plans/parex-2/mesures/nouvelle/",
        {"axis": str(axis.pk), "number": "4", "title": "Team France Export", "lead": str(org_b.pk)},
    )
    assert response["Location"] == "/plans/parex-2/modifier/#structure"
    measure = Measure.objects.get(plan=plan, number=4)
    assert (measure.title, measure.lead) == ("Team France Export", org_b)
    client.post(
        "/plans/parex-2/mesures/4/modifier/",
        {"axis": str(axis.pk), "number": "5", "title": "Team France Export", "lead": ""},
    )
    measure.refresh_from_db()
    assert (measure.number, measure.lead) == (5, None)
    client.post("/plans/parex-2/axes/1/modifier/", {"number": "1", "title": "Préparer l'export"})
    axis.refresh_from_db()
    assert axis.title == "Préparer l'export"


def test_measure_report_page_writes_the_year_text(client_for, manager_a, measure):
    client = client_for(manager_a)
    page = _text(client.get("/plans/parex-2/mesures/1/bilan/?annee=2024"))
    assert "Bilan de la mesure 1 — Pré-détection d'entreprises" in page
    assert "Aucun bilan n'est encore rédigé" in page
    response = client.post(
        "/plans/parex-2/mesures/1/bilan/?annee=2024",
        {"year": "2024", "text": "500 entreprises différentes accompagnées."},
    )
    assert response["Location"] == "/plans/parex-2/mesures/1/bilan/?annee=2024"
    assert MeasureReport.objects.get(measure=measure, year=2024).author == manager_a
    page = _text(client.get(response["Location"]))
    assert "500 entreprises différentes accompagnées." in page
    assert "2024 (rédigé)" in page
    page = _text(client.post("/plans/parex-2/mesures/1/bilan/", {"year": "2031", "text": "x"}))
    assert "Choisissez une des années proposées." in page


# --- indicators -----------------------------------------------------------------------------


def _indicator_data(measure, **changes):
    data = {
        "measure": str(measure.pk),
        "code": "1.3",
        "name": "Contrats signés",
        "definition": "",
        "computation": "",
        "unit": "contrats",
        "direction": "up",
        "owner": "",
        "baseline": "",
        "baseline_year": "",
        "order": "",
    }
    data.update(changes)
    return data


def test_indicator_form_offers_manual_entry_and_the_computations(client_for, manager_a, measure):
    page = _text(client_for(manager_a).get("/plans/parex-2/indicateurs/nouveau/?mesure=1"))
    assert "Nouvel indicateur" in page
    assert '<option value="" selected>Saisie manuelle</option>' in page
    assert (
        f'<option value="{e_helpers.COUNT_KEY}">Tests – Organisations actives (test)</option>'
        in page
    )
    assert "Calculs automatiques disponibles" in page
    assert "Compte les organisations actives (calcul de test)." in page
    assert 'value="1.1"' in page  # the measure's next code
    for label in ("Partenaire", "Filière", "Département", "Taille d'entreprise"):
        assert label in page


def test_indicator_create_then_its_targets(client_for, manager_a, measure, org_b):
    client = client_for(manager_a)
    response = client.post(
        "/plans/parex-2/indicateurs/nouveau/",
        _indicator_data(
            measure,
            computation=e_helpers.COUNT_KEY,
            breakdowns=["partner"],
            unit="",
            baseline="12",
            baseline_year="2021",
            owner=str(org_b.pk),
        ),
    )
    assert response["Location"] == "/plans/parex-2/indicateurs/1.3/cibles/"
    indicator = Indicator.objects.get(code="1.3")
    assert (indicator.computation, indicator.breakdowns, indicator.unit) == (
        e_helpers.COUNT_KEY,
        ["partner"],
        "organisations",
    )
    assert (indicator.baseline, indicator.owner) == (Decimal("12"), org_b)
    page = _text(client.get(response["Location"]))
    for year in range(2022, 2027):
        assert f"Cible {year} (organisations)" in page


def test_a_refused_indicator_keeps_what_was_typed(client_for, manager_a, measure, manual):
    client = client_for(manager_a)
    url = "/plans/parex-2/indicateurs/nouveau/"
    page = _text(client.post(url, _indicator_data(measure, baseline="12,555")))
    assert "Deux décimales au plus." in page
    assert 'value="12,555"' in page
    assert 'value="Contrats signés"' in page
    page = _text(
        client.post(
            url,
            _indicator_data(
                measure, code="1.1", name="Exportateurs réguliers", breakdowns=["filiere"]
            ),
        )
    )
    assert "Le code 1.1 est déjà pris dans ce plan par « Entreprises sensibilisées »." in page
    assert "Une valeur saisie à la main vaut pour tout le plan : elle ne se ventile pas." in page
    assert 'value="Exportateurs réguliers"' in page
    assert re.search(r'<input[^>]*value="filiere"[^>]*checked', page)
    page = _text(
        client.post(
            url,
            _indicator_data(
                measure, computation=e_helpers.COUNT_KEY, breakdowns=["partner", "size"]
            ),
        )
    )
    assert (
        "Le calcul « Organisations actives (test) » ne se ventile pas par : taille d'entreprise."
        in page
    )
    assert f'<option value="{e_helpers.COUNT_KEY}" selected>' in page
    assert list(Indicator.objects.values_list("code", flat=True)) == ["1.1"]


def test_indicator_edit_changes_the_code_and_the_computation(
    client_for, manager_a, measure, manual
):
    client = client_for(manager_a)
    page = _text(client.get("/plans/parex-2/indicateurs/1.1/modifier/"))
    assert 'value="Entreprises sensibilisées"' in page
    response = client.post(
        "/plans/parex-2/indicateurs/1.1/modifier/",
        _indicator_data(
            measure, code="1.1-b", name="Entreprises sensibilisées", computation=e_helpers.COUNT_KEY
        ),
    )
    assert response.status_code == 302
    manual.refresh_from_db()
    assert (manual.code, manual.computation, manual.unit) == (
        "1.1-b",
        e_helpers.COUNT_KEY,
        "contrats",
    )
    assert YearTarget.objects.filter(indicator=manual).count() == 1  # targets kept


def test_indicator_delete_asks_first(client_for, manager_a, manual):
    ManualValue.objects.create(indicator=manual, year=2024, value=5, source="Enquête")
    client = client_for(manager_a)
    page = _text(client.get("/plans/parex-2/indicateurs/1.1/supprimer/"))
    assert "Supprimer « Entreprises sensibilisées » du plan PAREX 2 ?" in page
    assert "avec 1 cible annuelle et 1 valeur saisie." in page
    assert Indicator.objects.filter(pk=manual.pk).exists()
    response = client.post("/plans/parex-2/indicateurs/1.1/supprimer/")
    assert response["Location"] == "/plans/parex-2/modifier/#structure"
    assert not Indicator.objects.filter(pk=manual.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="plans.Indicator", action="delete", actor=manager_a
    ).exists()


def test_targets_page_one_field_per_year(client_for, manager_a, manual):
    client = client_for(manager_a)
    page = _text(client.get("/plans/parex-2/indicateurs/1.1/cibles/"))
    assert 'name="target_2024" value="100"' in page
    response = client.post(
        "/plans/parex-2/indicateurs/1.1/cibles/",
        {
            "target_2022": "",
            "target_2023": "1 250,5",
            "target_2024": "beaucoup",
            "target_2025": "",
            "target_2026": "",
        },
    )
    page = _text(response)
    assert "Indiquez un nombre (par exemple 150 ou 12,5)." in page
    assert 'value="beaucoup"' in page
    assert 'value="1 250,5"' in page
    assert dict(YearTarget.objects.values_list("year", "value")) == {2024: Decimal("100")}
    response = client.post(
        "/plans/parex-2/indicateurs/1.1/cibles/",
        {
            "target_2022": "",
            "target_2023": "1 250,5",
            "target_2024": "",
            "target_2025": "300",
            "target_2026": "",
        },
    )
    assert response.status_code == 302
    assert dict(YearTarget.objects.values_list("year", "value")) == {
        2023: Decimal("1250.5"),
        2025: Decimal("300"),
    }


# --- manual values ------------------------------------------------------------------------


VALUE = {"year": "2024", "period": "année civile", "value": "87", "source": "Enquête CCI"}


def test_the_responsible_partner_advisor_enters_a_value(client_for, advisor_b, manual, org_b):
    client = client_for(advisor_b)
    page = _text(client.get("/plans/parex-2/indicateurs/1.1/valeurs/"))
    assert "Saisir une valeur" in page
    assert "Aucune valeur n'est encore saisie pour cet indicateur." in page
    response = client.post("/plans/parex-2/indicateurs/1.1/valeurs/", VALUE)
    assert response["Location"] == "/plans/parex-2/indicateurs/1.1/valeurs/"
    value = ManualValue.objects.get(indicator=manual)
    assert (value.value, value.source, value.entered_by, value.organisation) == (
        Decimal("87"),
        "Enquête CCI",
        advisor_b,
        org_b,
    )
    client.post("/plans/parex-2/indicateurs/1.1/valeurs/", VALUE | {"value": "90,5"})
    page = _text(client.get("/plans/parex-2/indicateurs/1.1/valeurs/"))
    assert "90,5" in page
    assert "Retenue" in page
    assert "Remplacée" in page
    assert "année civile — Enquête CCI" in page
    assert "par Bruno Autre (CCI Test)" in page
    assert AuditEvent.objects.filter(object_type="plans.ManualValue", action="view").count() >= 2


def test_a_refused_value_keeps_what_was_typed(client_for, advisor_b, manual):
    response = client_for(advisor_b).post(
        "/plans/parex-2/indicateurs/1.1/valeurs/",
        {"year": "2024", "period": "S1", "value": "-4", "source": ""},
    )
    page = _text(response)
    assert "Indiquez le champ « Source »." in page
    assert "Indiquez un nombre positif ou nul." in page
    assert 'value="-4"' in page
    assert 'value="S1"' in page
    assert not ManualValue.objects.exists()


def test_a_readonly_member_sees_the_values_but_enters_none(client_for, readonly_a, manual):
    client = client_for(readonly_a)
    page = _text(client.get("/plans/parex-2/indicateurs/1.1/valeurs/"))
    assert "Historique des valeurs" in page
    assert "Saisir une valeur" not in page
    assert "les membres de CCI Test" in page
    assert client.post("/plans/parex-2/indicateurs/1.1/valeurs/", VALUE).status_code == 403
    assert not ManualValue.objects.exists()


def test_an_advisor_of_another_partner_enters_no_value(client_for, advisor_a, manager_a, manual):
    assert (
        client_for(advisor_a).post("/plans/parex-2/indicateurs/1.1/valeurs/", VALUE).status_code
        == 403
    )
    # The plan's managers may.
    assert (
        client_for(manager_a).post("/plans/parex-2/indicateurs/1.1/valeurs/", VALUE).status_code
        == 302
    )


def test_a_computed_indicator_has_no_value_form(client_for, manager_a, automatic):
    client = client_for(manager_a)
    page = _text(client.get("/plans/parex-2/indicateurs/1.2/valeurs/"))
    assert "sa valeur ne se saisit pas" in page
    assert "Saisir une valeur" not in page
    assert client.post("/plans/parex-2/indicateurs/1.2/valeurs/", VALUE).status_code == 404
