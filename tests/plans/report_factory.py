"""A small plan for the report and API tests (helper F): two axes, two measures, one
automatic indicator counted by a test computation, two manual ones, and four companies.

``test_f_count``: companies of the registry created (creation_date) in the year, detail "dont N
PME"; no partner on these records, so a partner filter keeps nothing."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from guichet.companies.models import Company
from guichet.plans.computations import Column, Figure, Filters, register
from guichet.plans.computations.scope import restrict
from guichet.plans.models import Axis, ManualValue, Measure, MeasureReport
from tests.companies.conftest import make_company
from tests.plans.conftest import make_indicator


@register(
    key="test_f_count",
    label="Entreprises créées (test F)",
    unit="entreprises",
    description="Entreprises du registre créées dans l'année (date de création SIRENE).",
    source="Registre des entreprises",
    breakdowns=("filiere", "departement", "size"),
)
def count_created(filters: Filters) -> Figure:
    records = restrict(Company.objects.all(), filters, company="", date="creation_date")
    records = records.order_by("siren")
    pme = records.filter(size_category="PME").count()
    return Figure(
        value=records.count(),
        records=records,
        columns=(
            Column("SIREN", lambda c: c.siren),
            Column("Entreprise", lambda c: c.name),
            Column("Créée le", lambda c: c.creation_date),
            Column("Taille", lambda c: c.size_category),
        ),
        detail=f"dont {pme} PME",
        parts={"pme": pme},
    )


@dataclass
class ReportPlan:
    plan: object
    measure: object
    measure2: object
    created: object  # automatic indicator
    jobs: object  # manual indicator with values
    money: object  # manual indicator without value


def company(siren: str, name: str, created: date, **fields) -> Company:
    made = make_company(siren, name, **fields)
    Company.objects.filter(pk=made.pk).update(creation_date=created)
    return made


def build(plan, measure, org_a) -> ReportPlan:
    company("552100554", "Fromagerie de Bourgogne", date(2025, 3, 1), size_category="PME")
    company("732829320", "Lunetterie de Dijon", date(2025, 6, 1), size_category="PME")
    company(
        "401234567",
        "Comté du Jura",
        date(2025, 9, 1),
        commune_code="39478",
        size_category="TPE",
    )
    company("383456789", "Moutarderie ancienne", date(2024, 1, 10), size_category="ETI")
    created = make_indicator(
        measure,
        "ENT-1",
        name="Entreprises accompagnées",
        computation="test_f_count",
        targets={2024: 1, 2025: 4},
        breakdowns=["departement", "size"],
    )
    jobs = make_indicator(
        measure,
        "EMP-1",
        name="Emplois à l'international financés",
        unit="emplois",
        targets={2025: 80},
        order=2,
    )
    ManualValue.objects.create(
        indicator=jobs,
        year=2025,
        value=Decimal(70),
        source="Premier relevé",
        organisation=org_a,
        entered_at=timezone.make_aware(datetime(2025, 6, 30, 12)),
    )
    ManualValue.objects.create(
        indicator=jobs,
        year=2025,
        period="année 2025",
        value=Decimal(76),
        source="Tableau de suivi des emplois de la Région",
        organisation=org_a,
        entered_at=timezone.make_aware(datetime(2026, 1, 15, 12)),
    )
    axis2 = Axis.objects.create(plan=plan, number=2, title="Soutien individuel aux entreprises")
    measure2 = Measure.objects.create(
        plan=plan, axis=axis2, number=2, title="Innov'export : appui aux entreprises innovantes"
    )
    money = make_indicator(
        measure2, "INN-1", name="Montant d'aide Innov'export", unit="€", targets={2025: 330000}
    )
    MeasureReport.objects.create(
        measure=measure,
        year=2025,
        text="Programme régional concerté : 12 actions collectives menées avec les CCI.",
    )
    return ReportPlan(plan, measure, measure2, created, jobs, money)
