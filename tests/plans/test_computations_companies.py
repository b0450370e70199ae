"""Computations on accompanied companies: distinct companies accompanied, new exporters and
regular exporters among them — each on records built here, the expected numbers written out."""

from datetime import date

import pytest

from guichet.plans import computations
from tests.plans.computation_records import (
    agri_filiere,
    aid,
    at,
    column,
    companies,
    compute,
    diagnostic,
    f,
    headers,
    journey,
    match,
    need,
    no_personal_data,
    registration,
    status_fact,
    vie_mission,
)

pytestmark = pytest.mark.django_db

HELPER_A_KEYS = (
    "companies_accompanied",
    "journey_identified",
    "journey_contacted",
    "journey_diagnosed",
    "journey_accompanied",
    "new_exporters",
    "regular_exporters",
    "diagnostics_done",
    "needs_received",
    "needs_answered_in_time_share",
)


@pytest.fixture
def world(reference, org_a, org_b):
    """Accompanied in 2024: the fromagerie (diagnostic of org_a, desk need taken by org_b), the
    moutarderie (collective action with org_b, journey of org_b accompanied), the lunetterie
    (aid granted by org_a), the forges (journey of org_b accompanied). The robotique company had
    a V.I.E. with org_a in 2023 only. Refused or unfinished supports count for nobody."""
    c = companies()
    diagnostic(c["fromagerie"], org_a, completed_at=at(2024, 3, 12))
    desk_need = need(c["fromagerie"], at(2024, 5, 2))
    match(desk_need, org_b, status="taken", taken_at=at(2024, 5, 3))
    registration(c["moutarderie"], org_b, starts_on=date(2024, 10, 14))
    journey(
        c["moutarderie"],
        org_b,
        [("identified", at(2024, 2, 1)), ("accompanied", at(2024, 5, 6))],
    )
    aid(c["lunetterie"], org_a, decided_on=date(2024, 6, 20))
    journey(
        c["forges"],
        org_b,
        [("identified", at(2023, 1, 9)), ("contacted", at(2023, 2, 1)),
         ("accompanied", at(2024, 2, 5))],
    )  # fmt: skip
    vie_mission(c["robotique"], org_a, starts_on=date(2023, 9, 1))
    # Not supports: a refused need, a diagnostic in progress, a rejected aid, a cancelled
    # registration, a journey only contacted.
    refused = need(c["robotique"], at(2024, 4, 2))
    match(refused, org_a, status="refused", answered=at(2024, 4, 3))
    diagnostic(c["robotique"], org_a, completed_at=None, status="in_progress")
    aid(c["robotique"], org_a, decided_on=date(2024, 6, 20), status="rejected")
    registration(c["robotique"], org_a, starts_on=date(2024, 3, 4), status="cancelled")
    journey(c["robotique"], org_a, [("identified", at(2024, 1, 3)), ("contacted", at(2024, 2, 3))])
    return c


# --- companies_accompanied -----------------------------------------------------------------


def test_companies_accompanied_counts_each_company_once(world):
    figure = compute("companies_accompanied", year=2024)
    # Fromagerie (diagnostic + desk), moutarderie (collective + journey), lunetterie, forges.
    assert figure.value == 4
    assert column(figure, "Entreprise") == [
        "Forges de Bourgogne",
        "Fromagerie de Bourgogne",
        "Lunetterie du Jura",
        "Moutarderie de Mâcon",
    ]
    assert column(figure, "Accompagnements") == [
        "Parcours accompagné",
        "Guichet unique, Diagnostic export",
        "Aide individuelle",
        "Action collective, Parcours accompagné",
    ]
    assert column(figure, "SIREN")[0] == "100000005"
    assert column(figure, "Département du siège")[1] == "Côte-d'Or (21)"
    assert column(figure, "Catégorie d'entreprise")[0] == "Entreprise de taille intermédiaire (ETI)"
    assert no_personal_data(figure)


def test_companies_accompanied_by_year(world):
    # 2023: only the V.I.E. of the robotique company.
    figure = compute("companies_accompanied", year=2023)
    assert figure.value == 1
    assert column(figure, "Accompagnements") == ["V.I.E."]
    assert compute("companies_accompanied", year=2025).value == 0
    # Every year: the five companies.
    assert compute("companies_accompanied").value == 5


def test_companies_accompanied_by_partner(world, org_a, org_b):
    # org_a: the fromagerie's diagnostic, the lunetterie's aid.
    by_a = compute("companies_accompanied", year=2024, organisation_id=org_a.pk)
    assert by_a.value == 2
    assert column(by_a, "Accompagnements") == ["Diagnostic export", "Aide individuelle"]
    # org_b: the fromagerie's need, the moutarderie, the forges.
    by_b = compute("companies_accompanied", year=2024, organisation_id=org_b.pk)
    assert by_b.value == 3
    assert column(by_b, "Entreprise") == [
        "Forges de Bourgogne",
        "Fromagerie de Bourgogne",
        "Moutarderie de Mâcon",
    ]


def test_companies_accompanied_by_company_filters(world):
    filiere = agri_filiere()
    agri = compute("companies_accompanied", year=2024, filiere_id=filiere.pk)
    assert agri.value == 2  # fromagerie, moutarderie
    # Côte-d'Or head offices: the fromagerie and the forges (the robotique was not accompanied
    # in 2024).
    cote_dor = compute("companies_accompanied", year=2024, departement="21")
    assert column(cote_dor, "Entreprise") == ["Forges de Bourgogne", "Fromagerie de Bourgogne"]
    assert compute("companies_accompanied", year=2024, departement="39").value == 1
    assert compute("companies_accompanied", year=2024, size="PME").value == 2
    assert compute("companies_accompanied", year=2024, size="TPE").value == 1
    assert compute("companies_accompanied", year=2024, size="GE").value == 0
    # Filters combine: agri-food TPE in Saône-et-Loire accompanied by org_b.
    assert (
        compute(
            "companies_accompanied",
            year=2024,
            filiere_id=filiere.pk,
            departement="71",
            size="TPE",
        ).value
        == 1
    )


@pytest.mark.parametrize(
    ("build", "label"),
    [
        (lambda c, o: diagnostic(c, o, completed_at=at(2024, 2, 1)), "Diagnostic export"),
        (
            lambda c, o: match(need(c, at(2024, 2, 1)), o, status="done", taken_at=at(2024, 2, 2)),
            "Guichet unique",
        ),
        (
            lambda c, o: registration(c, o, starts_on=date(2024, 2, 1), status="confirmed"),
            "Action collective",
        ),
        (lambda c, o: aid(c, o, decided_on=date(2024, 2, 1), status="paid"), "Aide individuelle"),
        (lambda c, o: vie_mission(c, o, starts_on=date(2024, 2, 1)), "V.I.E."),
        (
            lambda c, o: journey(c, o, [("regular", at(2024, 2, 1))]),
            "Parcours accompagné",
        ),
    ],
)
def test_each_kind_of_support_counts_in_its_year(reference, org_a, org_b, build, label):
    company = companies()["fromagerie"]
    build(company, org_a)
    figure = compute("companies_accompanied", year=2024)
    assert figure.value == 1
    assert column(figure, "Accompagnements") == [label]
    assert compute("companies_accompanied", year=2023).value == 0
    assert compute("companies_accompanied", year=2024, organisation_id=org_a.pk).value == 1
    assert compute("companies_accompanied", year=2024, organisation_id=org_b.pk).value == 0


# --- new_exporters -------------------------------------------------------------------------


@pytest.fixture
def exporters(world):
    c = world
    # Fromagerie: did not export, primo-exportateur in September 2024.
    status_fact(c["fromagerie"], "never", date(2022, 1, 10))
    status_fact(c["fromagerie"], "new", date(2024, 9, 1))
    # Moutarderie: primo-exportateur since 2023 (confirmed in 2024): became one in 2023.
    status_fact(c["moutarderie"], "new", date(2023, 5, 2))
    status_fact(c["moutarderie"], "new", date(2024, 3, 1))
    # Lunetterie: exported occasionally in 2021, regular exporter at the end of 2024.
    status_fact(c["lunetterie"], "occasional", date(2021, 4, 1))
    status_fact(c["lunetterie"], "new", date(2024, 2, 1))
    status_fact(c["lunetterie"], "regular", date(2024, 11, 15))
    # Robotique (V.I.E. in 2023): primo-exportateur in February 2024.
    status_fact(c["robotique"], "new", date(2024, 2, 20))
    # Forges: regular exporter from February 2025.
    status_fact(c["forges"], "occasional", date(2020, 6, 1))
    status_fact(c["forges"], "regular", date(2025, 2, 3))
    return c


def test_new_exporters_of_the_year(exporters):
    figure = compute("new_exporters", year=2024)
    # The fromagerie and the robotique company (accompanied in 2023, before it exported); not
    # the moutarderie (first export in 2023) nor the lunetterie (exported in 2021).
    assert figure.value == 2
    assert column(figure, "Entreprise") == ["Fromagerie de Bourgogne", "Robotique Dijonnaise"]
    assert column(figure, "Primo-exportatrice depuis le") == [date(2024, 9, 1), date(2024, 2, 20)]
    assert column(figure, "Accompagnements") == ["Guichet unique, Diagnostic export", "V.I.E."]
    # 2023: the moutarderie became one, but was not accompanied before the end of 2023.
    assert compute("new_exporters", year=2023).value == 0
    # Every year: fromagerie, moutarderie, robotique.
    assert compute("new_exporters").value == 3
    assert no_personal_data(figure)


def test_new_exporters_filters(exporters, org_a, org_b):
    assert compute("new_exporters", year=2024, organisation_id=org_a.pk).value == 2
    by_b = compute("new_exporters", year=2024, organisation_id=org_b.pk)
    assert column(by_b, "Entreprise") == ["Fromagerie de Bourgogne"]
    filiere = agri_filiere()
    assert compute("new_exporters", year=2024, filiere_id=filiere.pk).value == 1
    assert compute("new_exporters", year=2024, departement="21").value == 2
    assert compute("new_exporters", year=2024, departement="71").value == 0
    assert compute("new_exporters", year=2024, size="PME").value == 2
    assert compute("new_exporters", year=2024, size="TPE").value == 0


def test_a_company_not_accompanied_is_not_a_new_exporter_of_the_plan(reference):
    company = companies()["fromagerie"]
    status_fact(company, "new", date(2024, 9, 1))
    assert compute("new_exporters", year=2024).value == 0


# --- regular_exporters ---------------------------------------------------------------------


def test_regular_exporters_at_the_end_of_the_year(exporters, org_a, org_b):
    figure = compute("regular_exporters", year=2024)
    # The lunetterie (regular since November 2024); the forges only from 2025.
    assert figure.value == 1
    assert column(figure, "Entreprise") == ["Lunetterie du Jura"]
    assert column(figure, "Statut export constaté le") == [date(2024, 11, 15)]
    assert compute("regular_exporters", year=2024, organisation_id=org_a.pk).value == 1
    assert compute("regular_exporters", year=2024, organisation_id=org_b.pk).value == 0
    assert compute("regular_exporters", year=2024, departement="39").value == 1
    assert compute("regular_exporters", year=2024, departement="21").value == 0
    assert compute("regular_exporters", year=2024, size="PME").value == 1
    assert compute("regular_exporters", year=2024, filiere_id=agri_filiere().pk).value == 0
    # Every year: their latest status — the lunetterie and the forges.
    every_year = compute("regular_exporters")
    assert column(every_year, "Entreprise") == ["Forges de Bourgogne", "Lunetterie du Jura"]
    assert compute("regular_exporters", size="ETI").value == 1
    assert no_personal_data(figure)


def test_regular_exporter_not_accompanied_that_year_is_not_counted(exporters):
    # The lunetterie is regular at the end of 2025 too, but was not accompanied in 2025.
    assert compute("regular_exporters", year=2025).value == 0


# --- every key of helper A -----------------------------------------------------------------


@pytest.mark.parametrize("key", HELPER_A_KEYS)
def test_every_key_is_registered_with_a_french_label_and_description(key):
    computation = computations.get(key)
    assert computation is not None
    assert computation.label
    assert computation.unit
    assert computation.source
    # French: the words of the descriptions and labels are French ones.
    assert "dans l'année" in computation.description
    assert computation.label.split()[0] in {
        "Entreprises",
        "Nouveaux",
        "Exportateurs",
        "Diagnostics",
        "Demandes",
        "Part",
    }
    assert len(computation.description) > 80
    assert set(computation.breakdowns) == {"partner", "filiere", "departement", "size"}


@pytest.mark.parametrize("key", HELPER_A_KEYS)
def test_every_key_gives_records_and_columns_without_personal_headers(world, key):
    figure = compute(key, year=2024)
    assert figure.columns
    assert figure.records is not None
    assert not {"Nom", "Prénom", "Courriel", "Téléphone", "Contact"} & set(headers(figure))
    assert no_personal_data(figure)


# --- through the plan's selectors ----------------------------------------------------------


def test_indicator_on_companies_accompanied_is_evaluated_and_broken_down(world, measure, org_b):
    from guichet.plans.selectors import breakdown, evaluate
    from guichet.plans.status import REACHED
    from tests.plans.conftest import make_indicator

    indicator = make_indicator(
        measure, "1.1", computation="companies_accompanied", targets={2024: 4}
    )
    result = evaluate(indicator, f(year=2024), on=date(2025, 1, 15))
    assert result.value == 4
    assert result.status == REACHED
    by_departement = {
        row.key: row.value for row in breakdown(indicator, f(year=2024), "departement")
    }
    # Head offices: Côte-d'Or (fromagerie, forges; not the robotique, 2023), Saône-et-Loire, Jura.
    assert by_departement == {"21": 2, "39": 1, "71": 1}
    by_partner = {row.key: row.value for row in breakdown(indicator, f(year=2024), "partner")}
    assert by_partner[str(org_b.pk)] == 3
    by_size = {row.key: row.value for row in breakdown(indicator, f(year=2024), "size")}
    assert by_size == {"TPE": 1, "PME": 2, "ETI": 1, "GE": 0}
