"""The funnel of the export journey: how many companies are at each stage, how many reached
it, the share that went on to the next stage and the median time it took.

A company "reached" a stage when its journey was ever at that stage or a later one (a
company met for the first time when it already exports reached every stage before). The
time between two stages is counted for the journeys that recorded both: from the first day at
a stage to the first day at the next.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from django.db.models import Count, QuerySet

from guichet.companies.filieres import companies_in_filiere
from guichet.companies.models import Company, Establishment
from guichet.journeys.models import STAGE_ORDER, Journey, Stage, StageChange

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class FunnelFilters:
    organisation_id: int | None = None
    filiere: object = None  # a Filiere
    departement: str = ""


@dataclass(frozen=True)
class StageFigures:
    stage: str
    label: str
    current: int  # companies at this stage now
    reached: int  # companies that were ever at this stage or a later one
    next_label: str = ""  # the following stage ("" for the last one)
    converted: int = 0  # of those that reached this stage, how many reached the next
    median_days: float | None = None  # median days from this stage to the next
    timed: int = 0  # journeys that measured that time

    @property
    def conversion(self) -> float | None:
        """Share (in %) of the companies that reached this stage and reached the next."""
        if not self.next_label or not self.reached:
            return None
        return 100 * self.converted / self.reached


@dataclass(frozen=True)
class Funnel:
    stages: list[StageFigures]
    dropped: int
    total: int


def journeys_for(filters: FunnelFilters) -> QuerySet[Journey]:
    journeys = Journey.objects.all()
    if filters.organisation_id:
        journeys = journeys.filter(organisation_id=filters.organisation_id)
    if filters.filiere is not None:
        members = companies_in_filiere(Company.objects.all(), filters.filiere).values("pk")
        journeys = journeys.filter(company_id__in=members)
    if filters.departement:
        located = Establishment.objects.filter(
            is_headquarters=True, departement_id=filters.departement
        ).values("company_id")
        journeys = journeys.filter(company_id__in=located)
    return journeys


def _histories(journeys: QuerySet[Journey]) -> dict[int, list[tuple[str, datetime]]]:
    rows = (
        StageChange.objects.filter(journey__in=journeys.values("pk"))
        .order_by("journey_id", "at", "pk")
        .values_list("journey_id", "to_stage", "at")
    )
    histories: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for journey_id, stage, at in rows.iterator(chunk_size=5000):
        histories[journey_id].append((stage, at))
    return histories


def _reached_and_durations(histories) -> tuple[list[int], list[list[float]]]:
    reached = [0] * len(STAGE_ORDER)
    durations: list[list[float]] = [[] for _ in STAGE_ORDER]
    for moves in histories.values():
        first_at: dict[int, datetime] = {}
        highest = -1
        for stage, at in moves:
            if stage in STAGE_ORDER:
                rank = STAGE_ORDER.index(stage)
                first_at.setdefault(rank, at)
                highest = max(highest, rank)
        for rank in range(highest + 1):
            reached[rank] += 1
        for rank in range(len(STAGE_ORDER) - 1):
            start, end = first_at.get(rank), first_at.get(rank + 1)
            if start is not None and end is not None and end >= start:
                durations[rank].append((end - start).total_seconds() / SECONDS_PER_DAY)
    return reached, durations


def funnel(filters: FunnelFilters | None = None) -> Funnel:
    journeys = journeys_for(filters or FunnelFilters())
    current = dict(
        journeys.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    reached, durations = _reached_and_durations(_histories(journeys))
    stages = []
    for rank, stage in enumerate(STAGE_ORDER):
        last = rank == len(STAGE_ORDER) - 1
        stages.append(
            StageFigures(
                stage=stage.value,
                label=str(stage.label),
                current=current.get(stage.value, 0),
                reached=reached[rank],
                next_label="" if last else str(STAGE_ORDER[rank + 1].label),
                converted=0 if last else reached[rank + 1],
                median_days=median(durations[rank]) if durations[rank] else None,
                timed=len(durations[rank]),
            )
        )
    dropped = current.get(Stage.DROPPED.value, 0)
    return Funnel(stages=stages, dropped=dropped, total=sum(current.values()))
