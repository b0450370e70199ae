"""Computations of helper B on V.I.E. missions, awareness sessions and the public money of the
state-aid ledger, on records built for each test: three companies — a PME cheese maker and an
ETI optician in Côte-d'Or, a PME in the Jura — the first and the last in the food filière;
partners org_a (Région Test) and org_b (CCI Test)."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.plans import computations, selectors
from guichet.plans.computations import Filters
from guichet.reference.models import Country
from tests.plans.activity_records import assert_values, at, figure, nonce, rows
from tests.plans.conftest import make_indicator

B_KEYS = (
    "collective_participants",
    "collective_contracts",
    "collective_contracts_value",
    "aid_applications",
    "aid_granted_amount",
    "aid_paid_amount",
    "jobs_financed",
    "vie_missions",
    "vie_hired_share",
    "students_made_aware",
    "public_money",
    "revenue_per_aid_euro",
)
PERSONAL_WORDS = ("contact", "courriel", "téléphone", "nom du", "volontaire", "conseiller")


# --- the library itself -----------------------------------------------------------------------


def test_every_key_of_helper_b_is_registered_with_a_description():
    for key in B_KEYS:
        computation = computations.get(key)
        assert computation is not None, key
        assert computation.description, key
        assert computation.unit, key
        assert computation.label, key
    assert computations.get("jobs_financed").unit == "emplois"
    assert computations.get("revenue_per_aid_euro").unit == "€ par € d'aide"
    assert computations.get("vie_hired_share").unit == "%"
    assert computations.get("aid_granted_amount_regime_gber_18") is not None
    assert computations.get("students_made_aware").breakdowns == {"partner", "departement"}


def test_no_drill_down_column_shows_a_person(db):
    for key in B_KEYS:
        fig = figure(key, year=2024)
        assert fig.columns, key
        for column in fig.columns:
            assert not any(word in column.header.lower() for word in PERSONAL_WORDS), (
                key,
                column.header,
            )


# --- V.I.E. missions --------------------------------------------------------------------------


@pytest.fixture
def missions(firms, org_a, org_b):
    from guichet.aids.models import Application
    from guichet.vie.models import VieMission
    from tests.aids.conftest import make_scheme

    cheese, optician, jura = firms
    scheme = make_scheme(org_a)
    aid = Application.objects.create(
        scheme=scheme,
        company=cheese,
        organisation=org_a,
        status="signed",
        title="V.I.E. à Munich",
        contact_name="Claire Martin",
        contact_email="claire.martin@example.fr",
        filed_by="company",
        decided_on=date(2024, 2, 1),
        granted_amount=Decimal("12000"),
        access_nonce=nonce(),
    )
    germany, japan = Country.objects.get(iso2="DE"), Country.objects.get(iso2="JP")

    def mission(company, organisation, starts, ends, **extra):
        return VieMission.objects.create(
            company=company,
            organisation=organisation,
            job_title="Développeur commercial",
            country=extra.pop("country", germany),
            city="Munich",
            starts_on=starts,
            ends_on=ends,
            monthly_cost=Decimal("3200"),
            **extra,
        )

    return {
        "m1": mission(
            cheese, org_a, date(2024, 3, 1), date(2025, 2, 28), hired=True, aid_application=aid
        ),
        "m2": mission(optician, org_b, date(2024, 9, 1), date(2025, 8, 31), hired=False),
        "m3": mission(
            jura,
            org_a,
            date(2023, 1, 1),
            date(2023, 12, 31),
            extended_until=date(2024, 6, 30),
            country=japan,
        ),
        "m4": mission(
            cheese, org_b, date(2025, 1, 15), date(2025, 12, 31), hired=True, hired_where="france"
        ),
    }


def test_vie_missions_count_the_missions_started_in_the_year(missions, named_filters):
    fig = figure("vie_missions", year=2024)
    assert fig.value == 2
    assert fig.detail == "dont 1 avec une aide régionale"
    assert fig.parts == {"with_aid": 1}
    assert rows(fig, "SIREN", "Début", "Aide régionale")[0][:2] == ("552100554", date(2024, 3, 1))
    assert rows(fig, "Entreprise", "Pays", "Organisme qui suit la mission", "État") == [
        ("Fromagerie de Bourgogne", "Allemagne", "Région Test", "Terminée — embauché"),
        ("Lunetterie de Dijon", "Allemagne", "CCI Test", "Terminée — non embauché"),
    ]
    assert rows(fig, "Aide régionale")[0][0].startswith("AI")
    assert_values(
        "vie_missions",
        named_filters,
        {
            "2023": 1,
            "2025": 1,
            "all years": 4,
            "Région 2024": 1,
            "CCI 2024": 1,
            "food 2024": 1,
            "food": 3,
            "Jura": 1,
            "ETI": 1,
        },
    )


def test_vie_missions_agree_with_the_vie_page(missions):
    from guichet.vie.selectors import missions_per_year

    assert {t.key: t.count for t in missions_per_year()} == {
        year: figure("vie_missions", year=year).value for year in (2023, 2024, 2025)
    }


def test_vie_hired_share_among_the_missions_ended_in_the_year(missions, named_filters):
    fig = figure("vie_hired_share", year=2025)
    # m1 hired, m2 not hired, m4 hired: 2 out of 3.
    assert fig.value == Decimal("66.7")
    assert fig.detail == "2 embauchés sur 3 missions à l'issue connue"
    assert fig.parts == {"hired": 2, "known": 3, "unknown": 0}
    assert rows(fig, "SIREN", "Embauché à l'issue", "Embauché où") == [
        ("552100554", "Oui", ""),
        ("732829320", "Non", ""),
        ("552100554", "Oui", "En France"),
    ]
    # 2024: only the Jura mission ended (its extension), outcome unknown.
    unknown = figure("vie_hired_share", year=2024)
    assert unknown.value is None
    assert unknown.detail == "0 embauché sur 0 mission à l'issue connue (1 issue à renseigner)"
    assert [m.pk for m in unknown.records] == [missions["m3"].pk]
    assert_values(
        "vie_hired_share",
        named_filters,
        {
            "all years": Decimal("66.7"),
            "Région 2025": Decimal("100.0"),
            "CCI 2025": Decimal("50.0"),
            "food 2025": Decimal("100.0"),
            "ETI": Decimal("0.0"),
            "Jura": None,
        },
    )


def test_vie_hired_share_agrees_with_the_vie_page(missions):
    from guichet.vie.selectors import hired_share

    for year in (None, 2024, 2025):
        share = hired_share(year)
        fig = figure("vie_hired_share", year=year)
        expected = None if share.percent is None else round(Decimal(share.percent), 1)
        assert fig.value == expected
        assert (fig.parts["hired"], fig.parts["known"], fig.parts["unknown"]) == (
            share.hired,
            share.known,
            share.unknown,
        )


# --- students made aware ----------------------------------------------------------------------


@pytest.fixture
def sessions(reference, org_a, org_b):
    from guichet.vie.models import AwarenessSession

    def session(organisation, held_on, students, departement=None, candidates=None):
        return AwarenessSession.objects.create(
            school="Lycée Carnot",
            level="bts",
            held_on=held_on,
            departement_id=departement,
            students=students,
            vie_candidates=candidates,
            organisation=organisation,
        )

    return [
        session(org_a, date(2024, 11, 14), 40, "21", 3),
        session(org_b, date(2024, 3, 2), 25, "39"),
        session(org_a, date(2023, 5, 5), 100),
    ]


def test_students_made_aware(sessions, named_filters):
    fig = figure("students_made_aware", year=2024)
    assert fig.value == 65
    assert fig.detail == "2 sessions, 3 candidats V.I.E."
    assert fig.parts == {"sessions": 2, "candidates": 3}
    assert rows(fig, "Date", "Département", "Organisme", "Étudiants", "Candidats V.I.E.") == [
        (date(2024, 3, 2), "Jura", "CCI Test", 25, None),
        (date(2024, 11, 14), "Côte-d'Or", "Région Test", 40, 3),
    ]
    assert_values(
        "students_made_aware",
        named_filters,
        {
            "2023": 100,
            "all years": 165,
            "Région 2024": 40,
            "Jura 2024": 25,
            # A session is not about a company: no value for a filière or a size.
            "food 2024": None,
            "PME 2024": None,
        },
    )
    assert not figure("students_made_aware", size="PME").records.exists()


def test_students_made_aware_agree_with_the_vie_page(sessions):
    from guichet.vie.selectors import students_made_aware

    for year in (None, 2023, 2024):
        assert figure("students_made_aware", year=year).value == students_made_aware(year).students


# --- public money -----------------------------------------------------------------------------


@pytest.fixture
def ledger(firms):
    from guichet.stateaid.models import StateAidGrant

    cheese, optician, jura = firms

    def line(company, on, amount, body, source, regulation="de_minimis", **extra):
        return StateAidGrant.objects.create(
            company=company,
            granted_on=on,
            amount=Decimal(amount),
            regulation=regulation,
            granting_body=body,
            source=source,
            description=f"Aide de {body}",
            **extra,
        )

    return [
        line(cheese, date(2024, 3, 1), "10000", "Région Test", "platform_aid"),
        line(optician, date(2024, 5, 1), "4000", "CCI Test", "collective", "gber_19"),
        line(jura, date(2024, 6, 1), "3500", "Région Test", "free_service"),
        # Received elsewhere and declared by the company: not the partners' money.
        line(cheese, date(2024, 7, 1), "20000", "Bpifrance", "declared"),
        # Cancelled: no longer counts.
        line(
            optician,
            date(2024, 8, 1),
            "6000",
            "Région Test",
            "platform_aid",
            cancelled_at=at(2024, 9, 1),
        ),
        line(jura, date(2023, 1, 10), "1000", "Région Test", "platform_aid"),
    ]


def test_public_money_by_granting_body(ledger, named_filters):
    fig = figure("public_money", year=2024)
    assert fig.value == Decimal("17500.00")
    assert fig.detail == (
        "dont 10\u202f000\u202f€ d'aides individuelles, 4\u202f000\u202f€ de prises en charge "
        "d'actions collectives, 3\u202f500\u202f€ de prestations gratuites"
    )
    assert fig.parts == {
        "platform_aid": Decimal("10000.00"),
        "collective": Decimal("4000.00"),
        "free_service": Decimal("3500.00"),
    }
    assert rows(fig, "Octroyée le", "SIREN", "Organisme qui accorde l'aide", "Montant (€)") == [
        (date(2024, 3, 1), "552100554", "Région Test", Decimal("10000.00")),
        (date(2024, 5, 1), "732829320", "CCI Test", Decimal("4000.00")),
        (date(2024, 6, 1), "401234567", "Région Test", Decimal("3500.00")),
    ]
    assert_values(
        "public_money",
        named_filters,
        {
            "2023": Decimal("1000.00"),
            "all years": Decimal("18500.00"),
            "Région 2024": Decimal("13500.00"),
            "CCI 2024": Decimal("4000.00"),
            "food 2024": Decimal("13500.00"),
            "Jura": Decimal("4500.00"),
            "ETI": Decimal("4000.00"),
        },
    )


def test_public_money_broken_down_by_partner_adds_up(ledger, measure, org_a, org_b):
    indicator = make_indicator(
        measure, "PM", computation="public_money", unit="€", breakdowns=["partner"]
    )
    by_partner = {
        row.label: row.value
        for row in selectors.breakdown(indicator, Filters(year=2024), "partner")
    }
    assert by_partner == {"CCI Test": Decimal("4000.00"), "Région Test": Decimal("13500.00")}
    assert sum(by_partner.values()) == figure("public_money", year=2024).value
