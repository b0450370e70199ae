"""Individual aids and the state-aid ledger: the position of a company in a five-company
single undertaking against the ceilings, the ceiling check of a new grant, the instructors'
pages over 2,000 applications (list, file, instruction with its checks, envelopes), and a
committee decision (ledger line, decision letter PDF). Data is generated once in the bench
database and reused; the companies are those of bench/followup.py."""

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from guichet.aids.models import (
    AidScheme,
    Application,
    BudgetEnvelope,
    CommitteeSession,
    CostCategory,
    PlannedExpense,
)
from guichet.aids.services.committee import application_decide
from guichet.companies.models import Company
from guichet.core.audit import acting_as
from guichet.partners.models import Organisation, User
from guichet.partners.services import organisation_create, user_create
from guichet.stateaid import selectors as ledger
from guichet.stateaid.models import StateAidGrant, UndertakingGroup, UndertakingMembership
from guichet.stateaid.services import ceiling_problem

APPLICATIONS = 2000
LINES_PER_COMPANY = 20
STATES = ["submitted", "instruction", "committee", "approved", "signed", "paying", "closed"]


def _instructor() -> User:
    organisation = Organisation.objects.filter(slug="bench-aids").first() or (
        organisation_create(name="Mesure aides", kind="region", slug="bench-aids")
    )
    return User.objects.filter(email="instructor@bench-aids.example").first() or user_create(
        email="instructor@bench-aids.example",
        first_name="Instruction",
        last_name="Mesure",
        organisation=organisation,
        roles=["instructor"],
        invite=False,
    )


def _scheme(instructor: User) -> AidScheme:
    scheme, created = AidScheme.objects.get_or_create(
        slug="bench-prospection",
        defaults={
            "name": "Prospection (mesure)",
            "provider": instructor.organisation,
            "purpose": "Mesure.",
            "rate": Decimal("0.5"),
            "ceiling_per_aid": Decimal("75000"),
            "regime": "de_minimis",
        },
    )
    if created:
        CostCategory.objects.create(scheme=scheme, code="salons", label="Salons", order=1)
        BudgetEnvelope.objects.create(
            scheme=scheme, year=timezone.localdate().year, amount=Decimal("100000000")
        )
    return scheme


def _data(instructor: User, scheme: AidScheme, companies: list[Company]) -> None:
    if Application.objects.filter(scheme=scheme).count() >= APPLICATIONS:
        return
    rng = random.Random(7)
    category = scheme.cost_categories.get()
    today = timezone.localdate()
    applications = [
        Application(
            scheme=scheme,
            company=rng.choice(companies),
            status=rng.choice(STATES),
            title=f"Programme {index}",
            contact_name="Contact Mesure",
            contact_email="contact@bench.example",
            filed_by="company",
            organisation=instructor.organisation,
            requested_amount=Decimal(rng.randrange(5000, 60000, 100)),
            eligible_costs=Decimal("80000"),
            eligible_amount=Decimal("40000"),
            proposed_amount=Decimal("40000"),
            submitted_at=timezone.now() - timedelta(days=rng.randint(1, 700)),
        )
        for index in range(APPLICATIONS)
    ]
    Application.objects.bulk_create(applications, batch_size=500)
    PlannedExpense.objects.bulk_create(
        [
            PlannedExpense(
                application=application,
                category=category,
                description="Salon",
                amount=Decimal("80000"),
            )
            for application in Application.objects.filter(scheme=scheme)
        ],
        batch_size=1000,
    )
    StateAidGrant.objects.bulk_create(
        [
            StateAidGrant(
                company=company,
                granted_on=today - timedelta(days=rng.randint(0, 1400)),
                amount=Decimal(rng.randrange(500, 9000, 50)),
                regulation=rng.choice(["de_minimis", "de_minimis", "gber_19"]),
                granting_body="Mesure",
                source="platform_aid",
                description="Ligne de mesure",
            )
            for company in companies
            for _ in range(LINES_PER_COMPANY)
        ],
        batch_size=1000,
    )
    group = UndertakingGroup.objects.create(name="Groupe de mesure", reason="Mesure.")
    for company in companies[:5]:
        UndertakingMembership.objects.create(group=group, company=company, reason="Mesure.")


def _each_ms(fn, runs: int) -> float:
    start = time.perf_counter()
    for _ in range(runs):
        fn()
    return (time.perf_counter() - start) / runs * 1000


def _pages(client: Client, url: str, runs: int = 10) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[-1]


def _decision(instructor: User, scheme: AidScheme, company: Company) -> float:
    today = timezone.localdate()
    session = CommitteeSession.objects.create(
        title="Commission de mesure", held_on=today, organisation=instructor.organisation
    )
    application = Application.objects.create(
        scheme=scheme,
        company=company,
        status="committee",
        title="Décision mesurée",
        contact_name="Contact Mesure",
        contact_email="contact@bench.example",
        filed_by="company",
        organisation=instructor.organisation,
        requested_amount=Decimal("1000"),
        eligible_costs=Decimal("2000"),
        eligible_amount=Decimal("1000"),
        proposed_amount=Decimal("1000"),
        session=session,
        submitted_at=timezone.now(),
    )
    start = time.perf_counter()
    with acting_as(instructor, path="bench"):
        application_decide(
            application=application,
            decision="approved",
            amount=Decimal("1000"),
            decided_on=today,
            by=instructor,
            session=session,
        )
    return (time.perf_counter() - start) * 1000


def run() -> None:
    from bench.followup import _advisor, _companies

    companies = _companies(_advisor())
    instructor = _instructor()
    scheme = _scheme(instructor)
    _data(instructor, scheme, companies)
    grouped = companies[0]
    today = date.today()
    lines = ledger.grants_of_undertaking(grouped).count()
    ms = _each_ms(lambda: ledger.positions_at(grouped, at=today), 200)
    print(f"state-aid position of a 5-company undertaking ({lines} lines): {ms:.2f} ms")
    back = today - timedelta(days=500)
    ms = _each_ms(
        lambda: ceiling_problem(
            company=grouped, regulation="de_minimis", amount=Decimal("1000"), at=back
        ),
        50,
    )
    print(f"ceiling check of a grant dated 500 days back (every later window): {ms:.1f} ms")

    client = Client()
    client.force_login(instructor)
    count = Application.objects.filter(scheme=scheme).count()
    p50, worst = _pages(client, "/aides/dossiers/")
    print(f"applications list, {count} files: p50 {p50:.0f} ms, max {worst:.0f} ms")
    reference = (
        Application.objects.filter(scheme=scheme, status="instruction").values_list(
            "reference", flat=True
        )
    ).first()
    p50, worst = _pages(client, f"/aides/dossiers/{reference}/")
    print(f"application page: p50 {p50:.0f} ms, max {worst:.0f} ms")
    p50, worst = _pages(client, f"/aides/dossiers/{reference}/instruction/")
    print(f"instruction page (checks, amount breakdown): p50 {p50:.0f} ms, max {worst:.0f} ms")
    p50, worst = _pages(client, "/aides/enveloppes/")
    print(f"envelopes page: p50 {p50:.0f} ms, max {worst:.0f} ms")
    ms = _decision(instructor, scheme, companies[10])
    print(f"committee approval (ledger check and line, decision letter PDF): {ms:.0f} ms")
