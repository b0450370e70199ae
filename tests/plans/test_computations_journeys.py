"""Computations on the export journeys (companies that reached a stage in the year) and the
diagnostics done — on records built here, the expected numbers written out."""

from datetime import UTC, date, datetime

import pytest

from guichet.journeys.funnel import funnel
from tests.plans.computation_records import (
    agri_filiere,
    at,
    column,
    companies,
    compute,
    diagnostic,
    journey,
    no_personal_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def journeys(reference, org_a, org_b):
    """Fromagerie (org_a): identified 2023, contacted and diagnosed 2024.
    Moutarderie (org_b): identified in 2024, straight to accompanied in 2024.
    Forges (org_b): identified and contacted 2023, accompanied 2024.
    Lunetterie (org_a): identified 2024, dropped 2024.
    Robotique (org_a): identified and contacted in 2025."""
    c = companies()
    journey(
        c["fromagerie"],
        org_a,
        [("identified", at(2023, 6, 1)), ("contacted", at(2024, 1, 15)),
         ("diagnosed", at(2024, 3, 12))],
    )  # fmt: skip
    journey(
        c["moutarderie"],
        org_b,
        [("identified", at(2024, 2, 1)), ("accompanied", at(2024, 5, 6))],
    )
    journey(
        c["forges"],
        org_b,
        [("identified", at(2023, 1, 9)), ("contacted", at(2023, 2, 1)),
         ("accompanied", at(2024, 2, 5))],
    )  # fmt: skip
    journey(c["lunetterie"], org_a, [("identified", at(2024, 7, 1)), ("dropped", at(2024, 9, 2))])
    journey(c["robotique"], org_a, [("identified", at(2025, 1, 6)), ("contacted", at(2025, 2, 3))])
    return c


def test_companies_that_reached_each_stage_in_2024(journeys):
    identified = compute("journey_identified", year=2024)
    # The moutarderie and the lunetterie; the fromagerie and the forges were identified in 2023.
    assert column(identified, "Entreprise") == ["Moutarderie de Mâcon", "Lunetterie du Jura"]
    assert column(identified, "Étape atteinte le") == [date(2024, 2, 1), date(2024, 7, 1)]
    assert column(identified, "Étape actuelle") == ["Accompagnée", "Sortie du parcours"]
    # Contacted: the fromagerie, and the moutarderie and forges which went beyond it in 2024
    # (the forges were contacted in 2023: no).
    contacted = compute("journey_contacted", year=2024)
    assert column(contacted, "Entreprise") == ["Fromagerie de Bourgogne", "Moutarderie de Mâcon"]
    assert contacted.value == 2
    # Diagnosed: the fromagerie, the moutarderie (accompanied skips it), the forges.
    diagnosed = compute("journey_diagnosed", year=2024)
    assert diagnosed.value == 3
    assert column(diagnosed, "Entreprise") == [
        "Forges de Bourgogne",
        "Fromagerie de Bourgogne",
        "Moutarderie de Mâcon",
    ]
    accompanied = compute("journey_accompanied", year=2024)
    assert accompanied.value == 2
    assert column(accompanied, "Organisation référente") == [
        "CCI Test",
        "CCI Test",
    ]
    assert no_personal_data(accompanied)


def test_other_years(journeys):
    assert compute("journey_identified", year=2023).value == 2
    assert compute("journey_contacted", year=2023).value == 1
    assert compute("journey_identified", year=2025).value == 1
    assert compute("journey_contacted", year=2025).value == 1
    assert compute("journey_accompanied", year=2025).value == 0


def test_every_year_equals_the_funnel_reached_counts(journeys):
    assert compute("journey_identified").value == 5
    assert compute("journey_contacted").value == 4
    assert compute("journey_diagnosed").value == 3
    assert compute("journey_accompanied").value == 2
    reached = {stage.stage: stage.reached for stage in funnel().stages}
    for stage in ("identified", "contacted", "diagnosed", "accompanied"):
        assert compute(f"journey_{stage}").value == reached[stage]


def test_journey_filters(journeys, org_a, org_b):
    assert compute("journey_contacted", year=2024, organisation_id=org_a.pk).value == 1
    assert compute("journey_contacted", year=2024, organisation_id=org_b.pk).value == 1
    assert compute("journey_identified", year=2024, organisation_id=org_b.pk).value == 1
    assert compute("journey_diagnosed", year=2024, departement="21").value == 2
    assert compute("journey_diagnosed", year=2024, departement="71").value == 1
    assert compute("journey_identified", year=2024, departement="39").value == 1
    filiere = agri_filiere()
    identified = compute("journey_identified", year=2024, filiere_id=filiere.pk)
    assert column(identified, "Entreprise") == ["Moutarderie de Mâcon"]
    assert compute("journey_accompanied", year=2024, size="TPE").value == 1
    assert compute("journey_accompanied", year=2024, size="ETI").value == 1
    assert compute("journey_accompanied", year=2024, size="PME").value == 0


# --- diagnostics_done ----------------------------------------------------------------------


@pytest.fixture
def diagnostics(reference, org_a, org_b):
    c = companies()
    diagnostic(c["fromagerie"], org_a, completed_at=at(2024, 3, 12))
    diagnostic(c["fromagerie"], org_a, completed_at=at(2024, 11, 4), status="shared")
    diagnostic(c["moutarderie"], org_b, completed_at=at(2024, 6, 3))
    # Completed on 31 December 2023 at 23:30 UTC: 1 January 2024 in Paris.
    diagnostic(c["lunetterie"], org_a, completed_at=datetime(2023, 12, 31, 23, 30, tzinfo=UTC))
    diagnostic(c["lunetterie"], org_a, completed_at=None, status="in_progress")
    diagnostic(c["forges"], org_b, completed_at=at(2023, 10, 2))
    return c


def test_diagnostics_done_in_2024(diagnostics):
    figure = compute("diagnostics_done", year=2024)
    assert figure.value == 4
    assert figure.detail == "3 entreprises différentes"
    assert figure.parts == {"companies": 3}
    assert column(figure, "Entreprise") == [
        "Lunetterie du Jura",
        "Fromagerie de Bourgogne",
        "Moutarderie de Mâcon",
        "Fromagerie de Bourgogne",
    ]
    assert column(figure, "Terminé le") == [
        date(2024, 1, 1),
        date(2024, 3, 12),
        date(2024, 6, 3),
        date(2024, 11, 4),
    ]
    assert column(figure, "État")[-1] == "Plan d'action transmis à l'entreprise"
    assert column(figure, "Organisation")[2] == "CCI Test"
    assert no_personal_data(figure)


def test_diagnostics_done_filters(diagnostics, org_a, org_b):
    assert compute("diagnostics_done", year=2023).value == 1
    assert compute("diagnostics_done").value == 5
    assert compute("diagnostics_done", year=2024, organisation_id=org_a.pk).value == 3
    by_b = compute("diagnostics_done", year=2024, organisation_id=org_b.pk)
    assert by_b.value == 1
    assert by_b.detail == "1 entreprise différente"
    assert compute("diagnostics_done", year=2024, departement="21").value == 2
    assert compute("diagnostics_done", year=2024, departement="39").value == 1
    assert compute("diagnostics_done", year=2024, filiere_id=agri_filiere().pk).value == 3
    assert compute("diagnostics_done", year=2024, size="TPE").value == 1
    empty = compute("diagnostics_done", year=2022)
    assert empty.value == 0
    assert empty.detail == ""
