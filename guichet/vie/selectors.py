"""Reads of V.I.E. missions and awareness sessions, and the figures the plan's indicators reuse
(issue 9): each figure gives its counts and the records behind them (querysets), so that an
indicator can show what it counted.

Conventions:
- a mission belongs to the year it starts (missions per year, country, filière);
- a mission has ended the day after its last day (its extension's, if extended); the share
  hired is taken among ended missions whose outcome is known, and says how many are not; by
  year, it is the year the mission ended;
- a session belongs to the year it was held; candidates to the V.I.E. platform are summed over
  the sessions where they are known.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from guichet.companies.filieres import (
    companies_in_filiere,
    companies_with_activity,
    naf_subclasses_under,
)
from guichet.companies.models import Company, Filiere
from guichet.vie.models import AwarenessSession, HiredWhere, SchoolLevel, VieMission

STATUSES = {
    "upcoming": "À venir",
    "ongoing": "En cours",
    "ended": "Terminée",
    "hired": "Terminée — embauché",
    "not_hired": "Terminée — non embauché",
    "unknown": "Terminée — issue à renseigner",
}
BADGES = {
    "upcoming": "info",
    "ongoing": "new",
    "hired": "success",
    "not_hired": "warning",
    "unknown": "",
}
NO_FILIERE = "Hors filière"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def with_end(queryset: QuerySet) -> QuerySet:
    """`end`: the mission's last day, extension included."""
    return queryset.annotate(end=Coalesce("extended_until", "ends_on"))


def status_of(mission: VieMission, today: date | None = None) -> str:
    today = _today(today)
    end = mission.extended_until or mission.ends_on
    if mission.starts_on > today:
        return "upcoming"
    if end >= today:
        return "ongoing"
    return {True: "hired", False: "not_hired", None: "unknown"}[mission.hired]


def status_filter(status: str, today: date | None = None) -> Q:
    """The condition of a status of STATUSES on a queryset annotated by with_end()."""
    today = _today(today)
    ended = Q(end__lt=today)
    return {
        "upcoming": Q(starts_on__gt=today),
        "ongoing": Q(starts_on__lte=today, end__gte=today),
        "ended": ended,
        "hired": ended & Q(hired=True),
        "not_hired": ended & Q(hired=False),
        "unknown": ended & Q(hired__isnull=True),
    }[status]


def missions(
    *,
    year: int | None = None,
    country=None,
    filiere: Filiere | None = None,
    status: str = "",
    organisation=None,
    company=None,
    today: date | None = None,
) -> QuerySet:
    """Missions with what a list shows, newest first. `year`: the year they start."""
    queryset = with_end(VieMission.objects.all())
    if year:
        queryset = queryset.filter(starts_on__year=year)
    if country is not None:
        queryset = queryset.filter(country=country)
    if filiere is not None:
        queryset = queryset.filter(company__in=companies_in_filiere(Company.objects.all(), filiere))
    if status:
        queryset = queryset.filter(status_filter(status, today))
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if company is not None:
        queryset = queryset.filter(company=company)
    return queryset.select_related(
        "company", "country", "organisation", "aid_application__scheme"
    ).order_by("-starts_on", "-pk")


def mission_for_page(pk: int) -> VieMission | None:
    return (
        with_end(VieMission.objects.filter(pk=pk))
        .select_related("company", "country", "organisation", "created_by", "aid_application")
        .first()
    )


def mission_years() -> list[int]:
    """Years some mission starts in, latest first."""
    years = (
        VieMission.objects.annotate(year=ExtractYear("starts_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(years)


def session_years() -> list[int]:
    years = (
        AwarenessSession.objects.annotate(year=ExtractYear("held_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(years)


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """One line of a figure: what it is about, how many, and the records counted."""

    key: object
    label: str
    count: int
    records: QuerySet


def _started(year: int | None) -> QuerySet:
    queryset = VieMission.objects.all()
    return queryset.filter(starts_on__year=year) if year else queryset


def missions_per_year() -> list[Tally]:
    """Missions started each year, from the first year to the last (years without any
    included, at 0)."""
    counts = dict(
        VieMission.objects.annotate(year=ExtractYear("starts_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
        .order_by()
    )
    if not counts:
        return []
    return [
        Tally(year, str(year), counts.get(year, 0), _started(year))
        for year in range(min(counts), max(counts) + 1)
    ]


def missions_by_country(year: int | None = None) -> list[Tally]:
    """Missions per country (started in `year`, or all), most frequent first."""
    rows = (
        _started(year)
        .values("country_id", "country__name_fr", "country__sort_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "country__sort_name")
    )
    return [
        Tally(
            row["country_id"],
            row["country__name_fr"],
            row["n"],
            _started(year).filter(country_id=row["country_id"]),
        )
        for row in rows
    ]


def missions_by_filiere(year: int | None = None) -> list[Tally]:
    """Missions per filière of their host company. A company in two filières counts in both;
    missions of companies in no filière are the last line (when there are any)."""
    base = _started(year)
    tallies = []
    codes: list[str] = []
    for filiere in Filiere.objects.prefetch_related("naf_codes").order_by("name"):
        filiere_codes = [n.code for n in filiere.naf_codes.all()]
        codes += filiere_codes
        subclasses = naf_subclasses_under(filiere_codes)
        records = base.filter(
            company__in=companies_with_activity(Company.objects.all(), subclasses)
        )
        tallies.append(Tally(filiere.pk, filiere.name, records.count(), records))
    inside = companies_with_activity(Company.objects.all(), naf_subclasses_under(codes))
    outside = base.exclude(company__in=inside)
    count = outside.count()
    if count:
        tallies.append(Tally(None, NO_FILIERE, count, outside))
    return tallies


@dataclass(frozen=True)
class HiredShare:
    """Ended missions and what became of their volunteers."""

    hired: int
    not_hired: int
    unknown: int
    by_place: list[Tally]
    ended_records: QuerySet
    hired_records: QuerySet
    known_records: QuerySet
    unknown_records: QuerySet

    @property
    def ended(self) -> int:
        return self.hired + self.not_hired + self.unknown

    @property
    def known(self) -> int:
        return self.hired + self.not_hired

    @property
    def percent(self) -> float | None:
        return 100 * self.hired / self.known if self.known else None


def hired_share(year: int | None = None, *, today: date | None = None) -> HiredShare:
    """Share of volunteers hired among the missions ended (in `year`, or by `today`) whose
    outcome is known; `unknown` counts the ended missions without an outcome yet."""
    ended = with_end(VieMission.objects.all()).filter(end__lt=_today(today))
    if year:
        ended = ended.filter(end__year=year)
    totals = ended.aggregate(
        n_hired=Count("pk", filter=Q(hired=True)),
        n_not_hired=Count("pk", filter=Q(hired=False)),
        n_unknown=Count("pk", filter=Q(hired__isnull=True)),
    )
    hired = ended.filter(hired=True)
    places = dict(
        hired.values("hired_where").annotate(n=Count("pk")).values_list("hired_where", "n")
    )
    by_place = [
        Tally(code, str(label), places.get(code, 0), hired.filter(hired_where=code))
        for code, label in HiredWhere.choices
    ]
    return HiredShare(
        hired=totals["n_hired"],
        not_hired=totals["n_not_hired"],
        unknown=totals["n_unknown"],
        by_place=by_place,
        ended_records=ended,
        hired_records=hired,
        known_records=ended.filter(hired__isnull=False),
        unknown_records=ended.filter(hired__isnull=True),
    )


def hired_by_end_year(*, today: date | None = None) -> list[tuple[int, HiredShare]]:
    """hired_share() for each year some mission ended in."""
    years = (
        with_end(VieMission.objects.all())
        .filter(end__lt=_today(today))
        .annotate(year=ExtractYear(F("end")))
        .values_list("year", flat=True)
        .distinct()
        .order_by("year")
    )
    return [(year, hired_share(year, today=today)) for year in years]


@dataclass(frozen=True)
class Awareness:
    """Students made aware: sessions, students, candidates to the V.I.E. platform (summed
    over the sessions that know them), by level."""

    sessions: int
    students: int
    candidates: int
    sessions_with_candidates: int
    by_level: list[Tally] = field(default_factory=list)
    records: QuerySet | None = None


def _held(year: int | None) -> QuerySet:
    queryset = AwarenessSession.objects.all()
    return queryset.filter(held_on__year=year) if year else queryset


def students_made_aware(year: int | None = None) -> Awareness:
    """Students made aware (in sessions held in `year`, or all); by_level counts students."""
    records = _held(year)
    totals = records.aggregate(
        n_sessions=Count("pk"),
        n_students=Coalesce(Sum("students"), 0),
        n_candidates=Coalesce(Sum("vie_candidates"), 0),
        n_with_candidates=Count("pk", filter=Q(vie_candidates__isnull=False)),
    )
    levels = dict(
        records.values("level").annotate(n=Sum("students")).values_list("level", "n").order_by()
    )
    by_level = [
        Tally(code, str(label), levels.get(code, 0), records.filter(level=code))
        for code, label in SchoolLevel.choices
        if code in levels
    ]
    return Awareness(
        sessions=totals["n_sessions"],
        students=totals["n_students"],
        candidates=totals["n_candidates"],
        sessions_with_candidates=totals["n_with_candidates"],
        by_level=by_level,
        records=records,
    )


def students_per_year() -> list[tuple[int, Awareness]]:
    """students_made_aware() of every year from the first session's to the last's."""
    years = session_years()
    if not years:
        return []
    return [(year, students_made_aware(year)) for year in range(min(years), max(years) + 1)]


def sessions(
    *, year: int | None = None, level: str = "", departement=None, organisation=None
) -> QuerySet:
    queryset = _held(year)
    if level:
        queryset = queryset.filter(level=level)
    if departement is not None:
        queryset = queryset.filter(departement=departement)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.select_related("departement", "organisation").order_by("-held_on", "-pk")
