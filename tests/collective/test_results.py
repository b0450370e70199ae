"""Results of an action and of a programme on a small known set: participation, response
rate, latest answered wave only, cost per participant, public money per contract."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.collective.models import FollowUpSurvey
from guichet.collective.selectors_results import action_results, programme_results
from guichet.collective.services.surveys import survey_answer, surveys_schedule
from tests.collective.conftest import make_action
from tests.collective.test_surveys import attended
from tests.companies.conftest import make_company

TODAY = date(2027, 5, 1)  # the SIAL 2026 ended on 22/10/2026: +3 and +6 months are due
SENT = timezone.make_aware(datetime(2027, 1, 22, 6, 45))


def _answer(registration, wave, **values):
    survey = registration.surveys.get(wave=wave)
    data = {
        "contacts_made": 0,
        "meetings_held": 0,
        "quotes_sent": 0,
        "contracts_signed": 0,
        "contracts_value": "",
        "contract_countries": [],
        "satisfaction": 3,
        **values,
    }
    return survey_answer(survey=survey, data=data)


@pytest.fixture
def known(reference, org_a):
    """Four present (A answered +3 then +6, B answered +3, C was sent +3, D nothing), one
    absent, one cancelled, one waiting; 4,000 € of subsidy each; 10,000 € of budget."""
    action = make_action(org_a, budget=Decimal("10000"), capacity=6)
    names = ["A", "B", "C", "D", "E absente", "F annulée", "G en attente"]
    companies = [
        make_company(siren, f"Entreprise {name}", nic=f"000{i}")
        for i, (siren, name) in enumerate(
            zip(
                [
                    "552100554",
                    "732829320",
                    "404833048",
                    "542065479",
                    "775672272",
                    "552081317",
                    "420495178",
                ],
                names,
                strict=True,
            )
        )
    ]
    statuses = ["attended"] * 4 + ["no_show", "cancelled", "waiting"]
    regs = [
        attended(action, company, org_a, status=status, subsidy_amount=Decimal("4000"))
        for company, status in zip(companies, statuses, strict=True)
    ]
    for registration in regs[:4]:
        surveys_schedule(registration=registration)
    FollowUpSurvey.objects.filter(registration__in=regs[:3], wave=3).update(sent_at=SENT)
    a, b = regs[0], regs[1]
    _answer(
        a,
        3,
        contacts_made=10,
        meetings_held=4,
        quotes_sent=2,
        contracts_signed=1,
        contracts_value="20000",
        contract_countries=["DE"],
        satisfaction=4,
    )
    _answer(
        a,
        6,
        contacts_made=15,
        meetings_held=6,
        quotes_sent=3,
        contracts_signed=2,
        contracts_value="50000",
        contract_countries=["DE", "IT"],
        satisfaction=5,
        expected_export_revenue="200000",
    )
    _answer(b, 3, contacts_made=5, meetings_held=1, satisfaction=3)
    return action, regs


NBSP, NNBSP = "\u00a0", "\u202f"


def test_participation_and_response_rate(known):
    action, _regs = known
    results = action_results(action, today=TODAY)
    assert results.figure("registrations").value == 7
    assert results.figure("confirmed").value == 5  # 4 present + 1 absent
    assert results.figure("participants").value == 4
    assert results.figure("participants").note == "1 absente"
    assert (
        results.figure("participants").basis_text == "Toutes les inscriptions (données complètes)"
    )
    assert results.respondents == 2
    assert results.figure("response_rate").display == f"50{NBSP}%"
    assert (
        results.figure("response_rate").basis_text
        == f"sur 2 répondants / 4 participants, 50{NBSP}%"
    )


def test_only_the_latest_answered_wave_counts(known):
    action, _regs = known
    results = action_results(action, today=TODAY)
    assert results.figure("contacts").value == 20  # 15 (A at +6, not 10 + 15) + 5 (B)
    assert results.figure("meetings").value == 7
    assert results.figure("quotes").value == 3
    assert results.figure("contracts").value == 2
    assert results.figure("contracts_value").value == Decimal("50000")
    assert results.figure("contracts_value").display == f"50{NNBSP}000{NNBSP}€"
    assert results.figure("contracts").basis_text == f"sur 2 répondants / 4 participants, 50{NBSP}%"
    assert results.figure("countries").value == 2
    assert results.figure("countries").note == "Allemagne, Italie"
    assert results.figure("satisfaction").value == 4  # (5 + 3) / 2
    assert results.figure("satisfaction").display == "4,0 / 5"
    # Only A gave an expected revenue: that figure rests on one respondent.
    assert results.figure("expected_revenue").value == Decimal("200000")
    assert results.figure("expected_revenue").basis_text == (
        f"sur 1 répondant / 4 participants, 25{NBSP}%"
    )
    counted = [
        (a.survey.registration.company.name, a.survey.wave, a.counted) for a in results.answers
    ]
    assert sorted(counted) == [
        ("Entreprise A", 3, False),
        ("Entreprise A", 6, True),
        ("Entreprise B", 3, True),
    ]


def test_waves_and_their_response_rate(known):
    action, _regs = known
    results = action_results(action, today=TODAY)
    three, six, twelve = results.waves
    assert (three.scheduled, three.due, three.sent, three.answered) == (4, 4, 3, 2)
    assert three.rate_text == f"50{NBSP}%"
    assert (six.due, six.answered) == (4, 1)
    assert (twelve.due, twelve.answered) == (0, 0)
    assert twelve.rate_text == "–"


def test_cost_and_public_money(known):
    action, _regs = known
    results = action_results(action, today=TODAY)
    # Subsidies of the 4 present + the absent (the cancelled one's line is cancelled): 20,000 €,
    # plus 10,000 € of budget.
    assert results.figure("public_money").value == Decimal("30000")
    assert results.figure("full_cost").value == Decimal("9000.00")
    assert results.figure("public_per_participant").value == Decimal("7500.00")
    assert results.figure("public_per_contract").value == Decimal("15000.00")
    assert results.figure("public_per_contract").basis_text == (
        f"sur 2 répondants / 4 participants, 50{NBSP}%"
    )
    assert "majorant" in results.figure("public_per_contract").note


def test_an_action_not_held_yet_has_no_cost_per_participant(known):
    action, _regs = known
    results = action_results(action, today=date(2026, 10, 1))
    assert results.figure("public_per_participant").value is None
    assert results.figure("public_per_participant").display == "–"
    assert results.figure("public_money").value == 0


def test_the_programme_adds_up_its_actions(known, org_a, reference):
    other = make_action(
        org_a, slug="anuga-2026", title="Anuga", series="anuga", budget=Decimal("0")
    )
    company = make_company("383474814", "Entreprise H", nic="00099")
    h = attended(other, company, org_a, subsidy_amount=Decimal("2000"))
    surveys_schedule(registration=h)
    _answer(h, 3, contacts_made=4, contracts_signed=1, contracts_value="10000", satisfaction=2)
    make_action(org_a, slug="brouillon-2026", status="draft")
    rows, total = programme_results(2026, today=TODAY)
    assert [a.slug for a, _r in rows] == ["sial-2026", "anuga-2026"]  # drafts left out
    assert total.participants == 5
    assert total.respondents == 3
    assert total.figure("contacts").value == 24
    assert total.figure("contracts").value == 3
    assert total.figure("contracts_value").value == Decimal("60000")
    assert (
        total.figure("response_rate").basis_text == f"sur 3 répondants / 5 participants, 60{NBSP}%"
    )
    assert total.figure("public_money").value == Decimal("32000")
    assert total.figure("public_per_participant").value == Decimal("6400.00")
    assert total.figure("satisfaction").display == "3,3 / 5"  # (5 + 3 + 2) / 3
