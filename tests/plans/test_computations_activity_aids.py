"""Computations of helper B on individual aids: applications, amounts granted and paid, jobs
financed (recruitment aids and V.I.E.), the export revenue per euro of aid. Same three
companies as test_computations_activity.py; the Région (org_a) provides the V.I.E. support and
the recruitment aid, the CCI (org_b) a GBER consultancy aid."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.aids.models import Application, Payment
from guichet.plans.computations import Filters
from tests.aids.conftest import make_scheme
from tests.plans.activity_records import assert_values, at, figure, nonce, rows
from tests.plans.conftest import make_indicator


def application(scheme, company, organisation, status, **fields):
    values = {
        "title": "Projet export",
        "contact_name": "Claire Martin",
        "contact_email": "claire.martin@example.fr",
        "filed_by": "advisor",
        "access_nonce": nonce(),
    }
    values.update(fields)
    return Application.objects.create(
        scheme=scheme, company=company, organisation=organisation, status=status, **values
    )


@pytest.fixture
def schemes(org_a, org_b):
    return {
        "vie": make_scheme(org_a),
        "recruitment": make_scheme(
            org_a,
            slug="recrutement-cadre-export",
            name="Recrutement d'un cadre export",
            max_months_since_hiring=4,
            extension_rate=None,
        ),
        "consulting": make_scheme(
            org_b, slug="conseil-pme-rgec", name="Conseil export aux PME", regime="gber_18"
        ),
        "innov": make_scheme(org_a, slug="innov-export", name="Innov'export"),
        "prospection": make_scheme(
            org_b, slug="programme-prospection", name="Programme de prospection export"
        ),
    }


# --- applications -----------------------------------------------------------------------------


def test_aid_applications_filed_in_the_year(firms, schemes, org_a, org_b, named_filters):
    cheese, optician, jura = firms
    vie = schemes["vie"]
    b1 = application(vie, cheese, org_a, "approved", submitted_at=at(2024, 2, 1))
    b2 = application(vie, optician, org_b, "rejected", submitted_at=at(2024, 3, 1))
    b3 = application(vie, jura, org_a, "instruction", submitted_at=at(2024, 10, 1))
    application(vie, cheese, org_b, "draft")  # never filed: not counted
    application(vie, jura, org_b, "closed", submitted_at=at(2023, 6, 1))

    fig = figure("aid_applications", year=2024)
    assert fig.value == 3
    assert fig.detail == "dont 1 accordée"
    assert fig.parts == {"granted": 1, "rejected": 1, "pending": 1}
    assert rows(fig, "Référence", "SIREN", "État", "Organisme qui suit le dossier") == [
        (b1.reference, "552100554", "Accordée", "Région Test"),
        (b2.reference, "732829320", "Refusée", "CCI Test"),
        (b3.reference, "401234567", "En instruction", "Région Test"),
    ]
    assert_values(
        "aid_applications",
        named_filters,
        {"2023": 1, "all years": 4, "CCI 2024": 1, "food 2024": 2, "Jura": 2, "ETI": 1},
    )


# --- amounts granted and paid ------------------------------------------------------------------


@pytest.fixture
def grants(firms, schemes, org_a, org_b):
    cheese, optician, jura = firms
    vie, consulting = schemes["vie"], schemes["consulting"]

    def grant(scheme, company, follower, status, decided, amount):
        return application(
            scheme,
            company,
            follower,
            status,
            decided_on=decided,
            granted_amount=Decimal(amount),
        )

    made = {
        # The CCI follows this file, the Région grants it.
        "g1": grant(vie, cheese, org_b, "approved", date(2024, 3, 10), "10000"),
        "g2": grant(vie, optician, org_a, "closed", date(2024, 7, 1), "12500.50"),
        "g3": grant(consulting, jura, org_a, "signed", date(2024, 9, 1), "8000"),
        # Withdrawn after its approval: no longer granted.
        "g4": grant(vie, jura, org_a, "withdrawn", date(2024, 5, 1), "5000"),
        "g5": grant(vie, cheese, org_a, "approved", date(2023, 12, 20), "7000"),
    }

    def pay(app, kind, amount, on):
        Payment.objects.create(application=app, kind=kind, amount=Decimal(amount), paid_on=on)

    pay(made["g1"], "advance", "5000", date(2024, 4, 1))
    pay(made["g2"], "balance", "12500.50", date(2025, 1, 15))
    pay(made["g3"], "advance", "4000", date(2024, 10, 1))
    pay(made["g5"], "balance", "7000", date(2024, 2, 1))
    return made


def test_aid_granted_amount_by_decision_year_and_granting_body(grants, named_filters):
    fig = figure("aid_granted_amount", year=2024)
    assert fig.value == Decimal("30500.50")
    assert fig.detail == "3 aides accordées"
    assert rows(fig, "Référence", "Financeur", "Montant accordé (€)") == [
        (grants["g1"].reference, "Région Test", Decimal("10000.00")),
        (grants["g2"].reference, "Région Test", Decimal("12500.50")),
        (grants["g3"].reference, "CCI Test", Decimal("8000.00")),
    ]
    assert_values(
        "aid_granted_amount",
        named_filters,
        {
            "2023": Decimal("7000.00"),
            "all years": Decimal("37500.50"),
            "Région 2024": Decimal("22500.50"),
            "CCI 2024": Decimal("8000.00"),
            "food 2024": Decimal("18000.00"),
            "Jura": Decimal("8000.00"),
            "ETI": Decimal("12500.50"),
        },
    )


def test_aid_granted_amount_per_regime(grants):
    assert figure("aid_granted_amount_regime_gber_18", year=2024).value == Decimal("8000.00")
    assert figure("aid_granted_amount_regime_de_minimis", year=2024).value == Decimal("22500.50")
    assert figure("aid_granted_amount_regime_not_aid", year=2024).value == Decimal("0.00")


def test_aid_granted_amount_of_the_innovation_schemes(grants, schemes, firms, org_a):
    cheese = firms[0]
    innov = application(
        schemes["innov"],
        cheese,
        org_a,
        "signed",
        decided_on=date(2024, 11, 4),
        granted_amount=Decimal("15000"),
    )
    fig = figure("aid_granted_amount_innov_export", year=2024)
    assert (fig.value, fig.detail) == (Decimal("15000.00"), "1 aide accordée")
    assert [a.reference for a in fig.records] == [innov.reference]
    assert figure("aid_granted_amount", year=2024).value == Decimal("45500.50")


def test_granted_and_paid_agree_with_the_envelopes(grants, schemes):
    from guichet.aids.selectors import envelope_position

    positions = [envelope_position(scheme, 2024) for scheme in schemes.values()]
    assert figure("aid_granted_amount", year=2024).value == sum(p.committed for p in positions)
    assert figure("aid_paid_amount", year=2024).value == sum(p.paid for p in positions)


def test_aid_paid_amount_on_the_year_s_grants(grants, named_filters):
    fig = figure("aid_paid_amount", year=2024)
    # Paid on the aids granted in 2024, whenever: 5,000 + 12,500.50 (in 2025) + 4,000.
    assert fig.value == Decimal("21500.50")
    assert fig.detail == "3 versements sur 3 dossiers"
    assert rows(fig, "Payé le", "Dossier", "SIREN", "Nature", "Montant (€)") == [
        (date(2024, 4, 1), grants["g1"].reference, "552100554", "Avance", Decimal("5000.00")),
        (date(2024, 10, 1), grants["g3"].reference, "401234567", "Avance", Decimal("4000.00")),
        (date(2025, 1, 15), grants["g2"].reference, "732829320", "Solde", Decimal("12500.50")),
    ]
    assert_values(
        "aid_paid_amount",
        named_filters,
        {
            "2023": Decimal("7000.00"),
            "CCI 2024": Decimal("4000.00"),
            "food 2024": Decimal("9000.00"),
            "Jura": Decimal("4000.00"),
            "ETI": Decimal("12500.50"),
        },
    )


def test_aid_paid_in_year_by_payment_date(grants, org_a):
    assert figure("aid_paid_in_year", year=2024).value == Decimal("16000.00")
    assert figure("aid_paid_in_year", year=2025).value == Decimal("12500.50")
    assert figure("aid_paid_in_year", year=2024, organisation_id=org_a.pk).value == Decimal(
        "12000.00"
    )


# --- jobs financed -----------------------------------------------------------------------------


@pytest.fixture
def jobs(firms, schemes, org_a, org_b):
    from guichet.reference.models import Country
    from guichet.vie.models import VieMission

    cheese, optician, jura = firms
    recruitment, vie = schemes["recruitment"], schemes["vie"]

    def grant(scheme, company, follower, status, decided, **extra):
        return application(
            scheme,
            company,
            follower,
            status,
            decided_on=decided,
            granted_amount=Decimal("10000"),
            **extra,
        )

    def mission(company, aid, starts):
        return VieMission.objects.create(
            company=company,
            organisation=aid.organisation,
            job_title="Chargé d'affaires",
            country=Country.objects.get(iso2="IT"),
            city="Padoue",
            starts_on=starts,
            ends_on=date(starts.year + 1, starts.month, 1),
            monthly_cost=Decimal("3000"),
            aid_application=aid,
        )

    made = {
        "a1": grant(recruitment, cheese, org_b, "approved", date(2024, 4, 2)),
        "a2": grant(recruitment, optician, org_a, "closed", date(2024, 6, 10)),
        "a3": grant(recruitment, jura, org_a, "rejected", date(2024, 5, 2)),
        # A renewal finances the same job again: not a new one.
        "a4": grant(recruitment, cheese, org_a, "approved", date(2024, 8, 1), is_extension=True),
        "a5": grant(recruitment, jura, org_a, "withdrawn", date(2024, 3, 1)),
        # One V.I.E. support financing two missions of the same company.
        "a6": grant(vie, cheese, org_a, "signed", date(2024, 2, 1)),
        # A V.I.E. support without a mission recorded: not counted.
        "a7": grant(vie, optician, org_a, "approved", date(2024, 9, 1)),
        "a8": grant(vie, jura, org_b, "paid", date(2023, 11, 2)),
        # Not an aid tied to a hiring.
        "a9": grant(schemes["prospection"], optician, org_b, "approved", date(2024, 3, 3)),
    }
    mission(cheese, made["a6"], date(2024, 3, 1))
    mission(cheese, made["a6"], date(2024, 9, 1))
    mission(jura, made["a8"], date(2024, 1, 1))
    return made


def test_jobs_financed_recruitment_aids_and_vie(jobs, org_b, named_filters):
    fig = figure("jobs_financed", year=2024)
    assert fig.value == 4
    assert fig.detail == "dont 2 V.I.E."
    assert fig.parts == {"vie": 2, "recruitment": 2}
    assert rows(fig, "Référence", "SIREN", "Nature", "Emplois") == [
        (jobs["a6"].reference, "552100554", "V.I.E.", 2),
        (jobs["a1"].reference, "552100554", "Recrutement", 1),
        (jobs["a2"].reference, "732829320", "Recrutement", 1),
    ]
    assert sum(row[0] for row in rows(fig, "Emplois")) == fig.value
    assert_values(
        "jobs_financed",
        named_filters,
        {
            "2023": 1,
            "all years": 5,
            "Région 2024": 3,
            "CCI 2024": 1,
            "food 2024": 3,
            "Jura": 1,
            "ETI": 1,
        },
    )
    assert figure("jobs_financed", year=2023).detail == "dont 1 V.I.E."
    assert figure("jobs_financed", year=2024, organisation_id=org_b.pk).detail == "dont 0 V.I.E."
    nothing = figure("jobs_financed", year=2022)
    assert (nothing.value, nothing.detail, list(nothing.records)) == (0, "", [])


def test_jobs_financed_in_an_indicator(jobs, measure):
    from guichet.plans import selectors

    indicator = make_indicator(
        measure, "EMP", computation="jobs_financed", unit="emplois", targets={2024: 8}
    )
    result = selectors.evaluate(indicator, Filters(year=2024))
    assert (result.value, result.detail, result.progress_percent) == (4, "dont 2 V.I.E.", 50)


# --- return ratio ------------------------------------------------------------------------------


@pytest.fixture
def results(firms, schemes, org_a, org_b):
    """The Innov'export of PAREX 1: 22 companies, €330,000, €2.3 M of revenue; and one
    prospection programme of the CCI."""
    cheese, optician, jura = firms
    innov, prospection = schemes["innov"], schemes["prospection"]

    def closed(scheme, company, paid, revenue, closed_at, status="closed"):
        app = application(
            scheme,
            company,
            org_a,
            status,
            decided_on=date(2022, 6, 1),
            granted_amount=Decimal(paid),
            export_revenue=None if revenue is None else Decimal(revenue),
            closed_at=closed_at,
        )
        Payment.objects.create(
            application=app, kind="balance", amount=Decimal(paid), paid_on=date(2023, 6, 1)
        )
        return app

    for _ in range(20):
        closed(innov, cheese, "15000", "100000", at(2024, 3, 1))
    closed(innov, optician, "15000", "100000", at(2024, 4, 1))
    closed(innov, jura, "15000", "200000", at(2024, 5, 1))
    closed(prospection, optician, "25000", "50000", at(2024, 6, 1))
    # Results without revenue, results of another year: not in 2024's ratio.
    closed(innov, jura, "15000", None, at(2024, 7, 1))
    closed(innov, jura, "10000", "30000", at(2023, 7, 1))
    # Paid, results awaited.
    closed(innov, cheese, "15000", None, None, status="paid")


def test_revenue_per_aid_euro_innov_export_like_parex_1(results, named_filters):
    fig = figure("revenue_per_aid_euro_innov_export", year=2024)
    # 2,300,000 / 330,000 = 6.9696…
    assert fig.value == Decimal("6.97")
    assert fig.parts == {
        "revenue": Decimal("2300000.00"),
        "paid": Decimal("330000.00"),
        "files": 22,
    }
    assert fig.detail == (
        "2\u202f300\u202f000\u202f€ de chiffre d'affaires export pour 330\u202f000\u202f€ "
        "d'aide versée (22 dossiers)"
    )
    assert fig.records.count() == 22
    assert rows(fig, "SIREN", "Aide versée (€)", "Chiffre d'affaires export réalisé (€)")[-1] == (
        "401234567",
        Decimal("15000.00"),
        Decimal("200000.00"),
    )
    assert_values(
        "revenue_per_aid_euro_innov_export",
        named_filters,
        {
            "2023": Decimal("3.00"),
            "Jura 2024": Decimal("13.33"),
            "ETI 2024": Decimal("6.67"),
            # 20 × 100,000 + 200,000 over 21 × 15,000.
            "food 2024": Decimal("6.98"),
            "CCI 2024": None,
        },
    )


def test_revenue_per_aid_euro_over_every_scheme(results, org_b):
    fig = figure("revenue_per_aid_euro", year=2024)
    # (2,300,000 + 50,000) / (330,000 + 25,000) = 6.6197…
    assert fig.value == Decimal("6.62")
    assert fig.parts["files"] == 23
    assert figure("revenue_per_aid_euro", year=2024, organisation_id=org_b.pk).value == Decimal(
        "2.00"
    )
    assert figure("revenue_per_aid_euro", year=2022).value is None
    assert figure("revenue_per_aid_euro", year=2022).detail == ""
