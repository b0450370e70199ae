"""Computations on the export journeys and the diagnostics (helper A).

A company *reached* a stage of its journey in a year when its journey moved, that year, to
the stage or a later one for the first time (the same rule as the journey funnel: a company
met when it already exported passed every stage before). With every year, the figure is the
funnel's "reached" count.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, OuterRef, Subquery

from guichet.journeys.models import Journey, Stage, StageChange
from guichet.plans.computations import scope
from guichet.plans.computations.base import Column, Figure, Filters, register
from guichet.plans.computations.companies import (
    company_columns,
    count,
    local_day,
    stages_from,
    with_head_office,
)

JOURNEY_SOURCE = "Parcours export"


def journeys_reaching(stage: str, filters: Filters):
    """Journeys that reached ``stage`` (or a later one) for the first time in the year,
    annotated ``reached_at``; the partner is the journey's lead organisation."""
    first = (
        StageChange.objects.filter(journey=OuterRef("pk"), to_stage__in=stages_from(stage))
        .order_by("at", "pk")
        .values("at")
    )
    journeys = Journey.objects.annotate(reached_at=Subquery(first[:1])).filter(
        reached_at__isnull=False
    )
    journeys = scope.restrict(
        journeys, filters, company="company", date="reached_at", organisation="organisation_id"
    )
    return with_head_office(journeys.select_related("company", "organisation"), "company").order_by(
        "reached_at", "pk"
    )


JOURNEY_COLUMNS = (
    *company_columns(lambda j: j.company),
    Column("Étape atteinte le", lambda j: local_day(j.reached_at)),
    Column("Étape actuelle", lambda j: j.get_stage_display()),
    Column("Organisation référente", lambda j: j.organisation.name if j.organisation else ""),
)


def _stage_figure(stage: str, filters: Filters) -> Figure:
    records = journeys_reaching(stage, filters)
    return Figure(value=count(records), records=records, columns=JOURNEY_COLUMNS)


def _description(label: str) -> str:
    return (
        f"Entreprises dont le parcours export a atteint l'étape « {label} » (ou une étape "
        "suivante) pour la première fois dans l'année, d'après l'historique des étapes des "
        "parcours. Une entreprise passée directement à une étape suivante compte aussi. Le "
        "filtre partenaire retient les parcours dont l'organisation référente est ce "
        "partenaire ; toutes années confondues, c'est le nombre « atteint » de l'entonnoir."
    )


def _stage_computation(stage: Stage, key: str, label: str) -> Callable[[Filters], Figure]:
    """Register the count of companies that reached ``stage`` under ``key``."""

    def compute(filters: Filters) -> Figure:
        return _stage_figure(stage, filters)

    compute.__name__ = compute.__qualname__ = key
    return register(
        key=key,
        label=label,
        unit="entreprises",
        description=_description(stage.label),
        source=JOURNEY_SOURCE,
    )(compute)


journey_identified = _stage_computation(
    Stage.IDENTIFIED, "journey_identified", "Entreprises repérées (parcours)"
)
journey_contacted = _stage_computation(
    Stage.CONTACTED, "journey_contacted", "Entreprises contactées (parcours)"
)
journey_diagnosed = _stage_computation(
    Stage.DIAGNOSED, "journey_diagnosed", "Entreprises diagnostiquées (parcours)"
)
journey_accompanied = _stage_computation(
    Stage.ACCOMPANIED, "journey_accompanied", "Entreprises accompagnées (parcours)"
)


# --- Diagnostics -----------------------------------------------------------------------------


def diagnostics_completed(filters: Filters):
    from guichet.diagnostics.models import Diagnostic

    done = (Diagnostic.Status.COMPLETED, Diagnostic.Status.SHARED)
    diagnostics = Diagnostic.objects.filter(status__in=done, completed_at__isnull=False)
    diagnostics = scope.restrict(
        diagnostics, filters, company="company", date="completed_at", organisation="organisation_id"
    )
    return with_head_office(
        diagnostics.select_related("company", "organisation", "version__questionnaire"),
        "company",
    ).order_by("completed_at", "pk")


@register(
    key="diagnostics_done",
    label="Diagnostics export réalisés",
    unit="diagnostics",
    description=(
        "Nombre de diagnostics export terminés dans l'année (date de fin du diagnostic ; "
        "plan d'action transmis ou non). Le détail indique le nombre d'entreprises "
        "différentes. Le filtre partenaire retient les diagnostics de cette organisation."
    ),
    source="Diagnostics export",
)
def diagnostics_done(filters: Filters) -> Figure:
    records = diagnostics_completed(filters)
    totals = records.order_by().aggregate(
        n=Count("pk"), companies=Count("company_id", distinct=True)
    )
    companies = totals["companies"]
    plural = "s" if companies > 1 else ""
    return Figure(
        value=totals["n"],
        records=records,
        columns=(
            *company_columns(lambda d: d.company),
            Column("Terminé le", lambda d: local_day(d.completed_at)),
            Column("Questionnaire", lambda d: d.version.questionnaire.title),
            Column("Score global", lambda d: d.overall_score),
            Column("Niveau", lambda d: d.level),
            Column("État", lambda d: d.get_status_display()),
            Column("Organisation", lambda d: d.organisation.name if d.organisation else ""),
        ),
        detail=f"{companies} entreprise{plural} différente{plural}" if totals["n"] else "",
        parts={"companies": companies},
    )
