"""Computations of helper B on collective actions: the companies that took part, the contracts
and their value reported in the follow-up surveys. Same three companies as
test_computations_activity.py; the CCI (org_b) follows the optician and the Jura company at
some actions, the Région (org_a) the rest."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.collective.models import FollowUpSurvey, Registration
from tests.collective.conftest import make_action
from tests.plans.activity_records import assert_values, at, figure, rows


@pytest.fixture
def programme(firms, org_a, org_b):
    cheese, optician, jura = firms
    sial = make_action(org_a, slug="sial-2024", year=2024)
    japan = make_action(
        org_b,
        slug="mission-japon-2024",
        year=2024,
        kind="mission",
        title="Mission de prospection au Japon",
        starts_on=date(2024, 5, 13),
        ends_on=date(2024, 5, 17),
    )
    sial_2023 = make_action(org_a, slug="sial-2023", year=2023)
    draft = make_action(org_a, slug="projet-2024", year=2024, status="draft", title="Projet")

    def register(action, company, organisation, status):
        return Registration.objects.create(
            action=action,
            company=company,
            organisation=organisation,
            status=status,
            contact_name="Claire Martin",
            contact_email="claire.martin@example.fr",
        )

    regs = {
        "r1": register(sial, cheese, org_a, "attended"),
        "r2": register(sial, optician, org_b, "attended"),
        "r3": register(sial, jura, org_a, "no_show"),
        "r4": register(japan, cheese, org_a, "attended"),
        "r5": register(sial_2023, jura, org_b, "attended"),
        "r6": register(draft, optician, org_a, "attended"),
    }

    def survey(registration, wave, answered=True, contracts=None, value=None):
        return FollowUpSurvey.objects.create(
            registration=registration,
            wave=wave,
            due_on=date(2025, 1, 1),
            answered_at=at(2025, 1, 5) if answered else None,
            contracts_signed=contracts,
            contracts_value=None if value is None else Decimal(value),
        )

    # The cheese maker's +6-month answer includes the +3-month one: only the latest counts.
    survey(regs["r1"], 3, contracts=1, value="10000")
    survey(regs["r1"], 6, contracts=2, value="30000")
    survey(regs["r1"], 12, answered=False)
    survey(regs["r2"], 3, contracts=0, value="0")
    survey(regs["r4"], 6, contracts=3, value="45000.50")
    # Absent at the fair: its answer does not count.
    survey(regs["r3"], 3, contracts=5, value="99000")
    survey(regs["r5"], 3, contracts=1, value="5000")
    return regs


def test_collective_participants_count_companies_once(programme, named_filters):
    fig = figure("collective_participants", year=2024)
    assert fig.value == 2
    assert fig.detail == "3 participations"
    assert fig.parts == {"participations": 3}
    assert rows(fig, "SIREN", "Entreprise", "Participations", "Actions") == [
        (
            "552100554",
            "Fromagerie de Bourgogne",
            2,
            "Mission de prospection au Japon (13/05/2024) ; "
            "SIAL Paris — pavillon Bourgogne-Franche-Comté (18/10/2024)",
        ),
        (
            "732829320",
            "Lunetterie de Dijon",
            1,
            "SIAL Paris — pavillon Bourgogne-Franche-Comté (18/10/2024)",
        ),
    ]
    assert_values(
        "collective_participants",
        named_filters,
        {
            "2023": 1,
            "all years": 3,
            "Région 2024": 1,
            "CCI 2024": 1,
            "food 2024": 1,
            "Jura 2024": 0,
            "Jura": 1,
            "ETI": 1,
        },
    )


def test_collective_contracts_from_the_latest_answers(programme, named_filters):
    fig = figure("collective_contracts", year=2024)
    assert fig.value == 5
    assert fig.detail == "pour 75\u202f000,50\u202f€ (sur 3 répondants / 3 participants, 100 %)"
    assert fig.parts == {"value": Decimal("75000.50"), "respondents": 3, "participants": 3}
    assert rows(fig, "SIREN", "Vague (mois)", "Contrats signés", "Montant des contrats (€)") == [
        ("552100554", 6, 3, Decimal("45000.50")),
        ("552100554", 6, 2, Decimal("30000.00")),
        ("732829320", 3, 0, Decimal("0.00")),
    ]
    assert_values(
        "collective_contracts",
        named_filters,
        {
            "2023": 1,
            "all years": 6,
            "Région 2024": 5,
            "CCI 2024": 0,
            "food 2024": 5,
            "Jura": 1,
            "ETI": 0,
        },
    )


def test_collective_contracts_value(programme, named_filters):
    fig = figure("collective_contracts_value", year=2024)
    assert fig.value == Decimal("75000.50")
    assert fig.detail == "5 contrats (sur 3 répondants / 3 participants, 100 %)"
    assert_values(
        "collective_contracts_value",
        named_filters,
        {
            "2023": Decimal("5000.00"),
            "all years": Decimal("80000.50"),
            "Région 2024": Decimal("75000.50"),
            "food 2024": Decimal("75000.50"),
            "ETI": Decimal("0.00"),
        },
    )


def test_a_year_without_participants_has_no_detail(programme):
    fig = figure("collective_contracts", year=2022)
    assert (fig.value, fig.detail) == (0, "")
    assert figure("collective_participants", year=2022).value == 0


def test_collective_figures_agree_with_the_results_page(programme):
    from guichet.collective.selectors_results import programme_results

    for year in (2023, 2024):
        _rows, total = programme_results(year, today=date(2026, 1, 1))
        assert figure("collective_contracts", year=year).value == total.figure("contracts").value
        assert (
            figure("collective_contracts_value", year=year).value
            == total.figure("contracts_value").value
        )
