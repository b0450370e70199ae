"""Records built for the computation tests of helper A (companies, journeys, desk,
diagnostics): small factories writing straight to the models, dated where the test says."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from guichet.companies.models import ExportFact
from guichet.companies.services_filieres import filiere_create
from guichet.plans import computations
from guichet.plans.computations.base import Filters
from tests.companies.conftest import make_company

CONTACT_FIRST = "Clémentine"
CONTACT_LAST = "Personnelle"
CONTACT_EMAIL = "clementine.personnelle@example.fr"


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A moment in Paris time."""
    return timezone.make_aware(datetime(year, month, day, hour, 0))


def companies() -> dict[str, object]:
    """Five companies: agri-food ones in Côte-d'Or (21) and Saône-et-Loire (71), an optician in
    the Jura (39), another Côte-d'Or one outside the filière, a large one in Côte-d'Or."""
    return {
        "fromagerie": make_company("100000001", "Fromagerie de Bourgogne", naf="10.51C"),
        "moutarderie": make_company(
            "100000002", "Moutarderie de Mâcon", naf="10.84Z", commune_code="71270",
            size_category="TPE",
        ),
        "lunetterie": make_company(
            "100000003", "Lunetterie du Jura", naf="32.50A", commune_code="39478"
        ),
        "robotique": make_company("100000004", "Robotique Dijonnaise", naf="28.99B"),
        "forges": make_company(
            "100000005", "Forges de Bourgogne", naf="24.10Z", size_category="ETI"
        ),
    }  # fmt: skip


def agri_filiere():
    return filiere_create(name="Agroalimentaire", naf_codes=["10"])


def need(company, submitted_at, *, departement=None, **fields):
    from guichet.desk.models import Need

    values = {
        "company": company,
        "company_name": company.name if company else "Entreprise sans SIREN",
        "description": "Trouver un distributeur en Allemagne.",
        "contact_first_name": CONTACT_FIRST,
        "contact_last_name": CONTACT_LAST,
        "contact_email": CONTACT_EMAIL,
        "channel": "web",
        "submitted_at": submitted_at,
        "departement_id": departement,
    }
    values.update(fields)
    return Need.objects.create(**values)


def match(need_, organisation, *, status="pending", routed_at=None, taken_at=None, answered=None):
    from guichet.desk.models import Match

    return Match.objects.create(
        need=need_,
        organisation=organisation,
        via="manual",
        status=status,
        routed_at=routed_at or need_.submitted_at,
        taken_at=taken_at,
        first_answer_at=answered or taken_at,
    )


def diagnostic(company, organisation, *, completed_at, status="completed"):
    from guichet.diagnostics.models import Diagnostic
    from guichet.diagnostics.questionnaire import DEFAULT_SLUG
    from guichet.diagnostics.selectors import version_by_number

    return Diagnostic.objects.create(
        company=company,
        version=version_by_number(DEFAULT_SLUG, 1),
        organisation=organisation,
        filled_by="advisor",
        status=status,
        started_at=completed_at or at(2024, 1, 2),
        completed_at=completed_at,
        overall_score=Decimal("62.5") if completed_at else None,
        level="intermediaire" if completed_at else "",
    )


def registration(company, organisation, *, starts_on: date, status="attended", slug=None):
    from guichet.collective.models import Registration
    from tests.collective.conftest import make_action

    action = make_action(
        organisation,
        slug=slug or f"salon-{starts_on:%Y%m%d}-{company.siren}",
        year=starts_on.year,
        starts_on=starts_on,
        ends_on=starts_on,
    )
    return Registration.objects.create(
        action=action,
        company=company,
        organisation=organisation,
        status=status,
        contact_name=f"{CONTACT_FIRST} {CONTACT_LAST}",
        contact_email=CONTACT_EMAIL,
    )


def aid(company, organisation, *, decided_on: date | None, status="approved"):
    from guichet.aids.models import AidScheme
    from tests.aids.conftest import make_application, make_scheme

    scheme = AidScheme.objects.filter(slug="soutien-vie").first() or make_scheme(organisation)
    return make_application(
        scheme,
        company,
        organisation,
        status=status,
        decided_on=decided_on,
        granted_amount=Decimal("10000") if decided_on else None,
        contact_name=f"{CONTACT_FIRST} {CONTACT_LAST}",
        contact_email=CONTACT_EMAIL,
        access_nonce=secrets.token_hex(16),
    )


def vie_mission(company, organisation, *, starts_on: date):
    from guichet.reference.models import Country
    from guichet.vie.models import VieMission

    return VieMission.objects.create(
        company=company,
        job_title="Développeur commercial",
        country=Country.objects.get(iso2="DE"),
        city="Munich",
        starts_on=starts_on,
        ends_on=date(starts_on.year + 1, starts_on.month, 1),
        monthly_cost=Decimal("3200"),
        organisation=organisation,
    )


def journey(company, organisation, moves: list[tuple[str, datetime]]):
    """A journey moved through `moves` [(stage, when)], its current stage the last one."""
    from guichet.journeys.models import Journey, StageChange

    record = Journey.objects.create(
        company=company,
        organisation=organisation,
        stage=moves[-1][0],
        stage_since=moves[-1][1],
        started_at=moves[0][1],
    )
    previous = ""
    for stage, when in moves:
        StageChange.objects.create(journey=record, from_stage=previous, to_stage=stage, at=when)
        previous = stage
    return record


def status_fact(company, value: str, observed_on: date):
    return ExportFact.objects.create(
        company=company,
        attribute=ExportFact.Attribute.STATUS,
        value=value,
        observed_on=observed_on,
        source=ExportFact.Source.ADVISOR,
    )


def rows(figure) -> list[list]:
    """The drill-down list as a user reads it: one list of values per record."""
    return [[column.value(record) for column in figure.columns] for record in figure.records]


def headers(figure) -> list[str]:
    return [column.header for column in figure.columns]


def column(figure, header: str) -> list:
    index = headers(figure).index(header)
    return [row[index] for row in rows(figure)]


def no_personal_data(figure) -> bool:
    text = " ".join(str(value) for row in rows(figure) for value in row)
    return not any(word in text for word in (CONTACT_FIRST, CONTACT_LAST, CONTACT_EMAIL))


def f(**fields) -> Filters:
    return Filters(**fields)


def compute(key: str, **filters):
    """The figure of the computation ``key`` under the given filters."""
    return computations.get(key)(Filters(**filters))
