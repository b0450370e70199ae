"""Reads of the partner inbox: the matches an organisation has to answer, their age in working
days against the service levels, the need as a partner sees it, and the home-page counts."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from guichet.core.permissions import is_platform_admin
from guichet.desk.calendar import is_working_day, working_days_between
from guichet.desk.models import (
    OPEN_MATCH_STATUSES,
    DeskPolicy,
    Match,
    MatchStatus,
    Need,
    NeedEvent,
)
from guichet.desk.status import NeedStatus, need_status

WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")

# DSFR badge severity of a match's status (the label says it; the colour only helps).
MATCH_BADGES = {
    MatchStatus.PENDING: "new",
    MatchStatus.TAKEN: "info",
    MatchStatus.DONE: "success",
    MatchStatus.DONE_NO_HELP: "success",
    MatchStatus.UNREACHABLE: "",
    MatchStatus.REFUSED: "error",
    MatchStatus.EXPIRED: "error",
    MatchStatus.CANCELLED: "",
}


def match_badge(match: Match) -> str:
    return MATCH_BADGES.get(match.status, "")


def today() -> date:
    """The desk's "today" (one place for the pages and the tests to agree on)."""
    return timezone.localdate()


# --- Age of a match -----------------------------------------------------------------------


def earliest_start(day: date, days: int) -> date:
    """The earliest date d such that working_days_between(d, day) <= days: a match routed on or
    after it is at most `days` working days old on `day`."""
    start = day
    counted = 0
    while True:
        if is_working_day(start):
            if counted == days:
                return start
            counted += 1
        start -= timedelta(days=1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def routed_on_or_after(day: date, days: int) -> Q:
    """Matches at most `days` working days old on `day`."""
    return Q(routed_at__gte=_midnight(earliest_start(day, days)))


def routed_before(day: date, days: int) -> Q:
    """Matches more than `days` working days old on `day`."""
    return Q(routed_at__lt=_midnight(earliest_start(day, days)))


@dataclass(frozen=True)
class Delay:
    days: int
    severity: str  # DSFR badge: success, warning, error, or "" (no service level applies)
    label: str
    closed: bool = False  # counted up to the closure of the match

    @property
    def text(self) -> str:
        unit = "jour ouvré" if self.days < 2 else "jours ouvrés"
        return f"{self.days} {unit}"


def delay_of(match: Match, policy: DeskPolicy, day: date) -> Delay:
    """Age of a match in working days since it was routed. The first-answer delay applies to a
    match that waits for its answer: green within it, orange up to the escalation to the
    manager, red beyond. An answered match is only aged (up to its closure when closed)."""
    end = timezone.localtime(match.closed_at).date() if match.closed_at else day
    days = working_days_between(timezone.localtime(match.routed_at).date(), end)
    if match.status != MatchStatus.PENDING:
        return Delay(days, "", "", closed=match.closed_at is not None)
    if days <= policy.first_answer_days:
        return Delay(days, "success", "dans les délais")
    if days <= policy.escalation_day:
        return Delay(days, "warning", "délai dépassé")
    return Delay(days, "error", "en retard")


# --- Age buckets of the filter ------------------------------------------------------------


def age_choices(policy: DeskPolicy) -> list[tuple[str, str]]:
    first, escalation, reroute = (
        policy.first_answer_days,
        policy.escalation_day,
        policy.reroute_day,
    )
    return [
        ("recent", f"{first} jours ouvrés ou moins"),
        ("late", f"Plus de {first} jours ouvrés (hors délai)"),
        ("escalation", f"De {first + 1} à {escalation} jours ouvrés"),
        ("overdue", f"De {escalation + 1} à {reroute} jours ouvrés"),
        ("old", f"Plus de {reroute} jours ouvrés"),
    ]


def age_filter(bucket: str, policy: DeskPolicy, day: date) -> Q:
    first, escalation, reroute = (
        policy.first_answer_days,
        policy.escalation_day,
        policy.reroute_day,
    )
    return {
        "recent": lambda: routed_on_or_after(day, first),
        "late": lambda: routed_before(day, first),
        "escalation": lambda: routed_before(day, first) & routed_on_or_after(day, escalation),
        "overdue": lambda: routed_before(day, escalation) & routed_on_or_after(day, reroute),
        "old": lambda: routed_before(day, reroute),
    }.get(bucket, Q)()


# --- The inbox ----------------------------------------------------------------------------


@dataclass
class InboxFilters:
    status: str = "open"  # "open" (pending + taken), "all", or a MatchStatus value
    subject: str = ""  # Subject code
    departement: str = ""  # Departement code
    age: str = ""  # a key of age_choices
    mine: bool = False
    q: str = ""
    organisation: int | None = None  # administrators only


def inbox_scope(user) -> QuerySet:
    """The matches a person may see in the inbox: their organisation's; every organisation's
    for an administrator."""
    matches = Match.objects.all()
    if is_platform_admin(user):
        return matches
    if user.organisation_id is None:
        return matches.none()
    return matches.filter(organisation_id=user.organisation_id)


def _filter_status(matches: QuerySet, status: str) -> QuerySet:
    if status == "open":
        return matches.filter(status__in=OPEN_MATCH_STATUSES)
    if status in MatchStatus.values:
        return matches.filter(status=status)
    return matches


def inbox_matches(user, filters: InboxFilters, *, policy: DeskPolicy, day: date) -> QuerySet:
    """The inbox list, newest routing first, with everything a row shows loaded."""
    matches = _filter_status(inbox_scope(user), filters.status)
    if filters.organisation and is_platform_admin(user):
        matches = matches.filter(organisation_id=filters.organisation)
    if filters.subject:
        matches = matches.filter(need__subjects__code=filters.subject)
    if filters.departement:
        matches = matches.filter(need__departement_id=filters.departement)
    if filters.age:
        matches = matches.filter(age_filter(filters.age, policy, day))
    if filters.mine:
        matches = matches.filter(assignee=user)
    if filters.q:
        query = filters.q.strip()
        matches = matches.filter(
            Q(need__reference__icontains=query)
            | Q(need__company_name__icontains=query)
            | Q(need__company__name__icontains=query)
        )
    return with_rows(matches).order_by("-routed_at", "-pk")


def with_rows(matches: QuerySet) -> QuerySet:
    return matches.select_related(
        "need__company", "need__departement", "organisation", "assignee", "subject"
    ).prefetch_related(
        "need__subjects",
        Prefetch("need__matches", queryset=Match.objects.only("pk", "need_id", "status")),
    )


@dataclass
class InboxRow:
    match: Match
    need: Need
    need_status: str
    delay: Delay

    @property
    def match_badge(self) -> str:
        return match_badge(self.match)

    @property
    def need_status_label(self) -> str:
        return NeedStatus.label(self.need_status)

    @property
    def need_status_badge(self) -> str:
        return NeedStatus.BADGES.get(self.need_status, "")

    @property
    def subjects(self) -> list:
        return list(self.need.subjects.all())

    @property
    def subject_labels(self) -> str:
        return ", ".join(s.label for s in self.subjects)


def inbox_rows(matches, *, policy: DeskPolicy, day: date) -> list[InboxRow]:
    return [
        InboxRow(
            match=match,
            need=match.need,
            need_status=need_status(match.need),
            delay=delay_of(match, policy, day),
        )
        for match in matches
    ]


# --- One need -----------------------------------------------------------------------------


def need_for_detail(reference: str) -> Need | None:
    return (
        Need.objects.select_related(
            "company",
            "departement",
            "region",
            "source_organisation",
            "recorded_by",
            "duplicate_of",
        )
        .prefetch_related(
            "subjects",
            Prefetch(
                "matches",
                queryset=Match.objects.select_related(
                    "organisation", "assignee", "answered_by", "subject"
                ).order_by("routed_at", "pk"),
            ),
            Prefetch("attached_needs", queryset=Need.objects.order_by("submitted_at")),
            Prefetch(
                "events",
                queryset=NeedEvent.objects.select_related("actor", "organisation").order_by(
                    "at", "pk"
                ),
            ),
            "company_emails",
        )
        .filter(reference=reference.strip().upper())
        .first()
    )


def survey_of(need: Need):
    from guichet.desk.models import SurveyResponse

    return SurveyResponse.objects.filter(need=need).first()


# --- Home panel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxCounts:
    waiting: int
    overdue: int
    mine: int


def inbox_counts(user, *, policy: DeskPolicy, day: date) -> InboxCounts:
    from django.db.models import Count, Q

    pending = Q(status=MatchStatus.PENDING)
    counts = inbox_scope(user).aggregate(
        waiting=Count("pk", filter=pending),
        overdue=Count("pk", filter=pending & routed_before(day, policy.first_answer_days)),
        mine=Count("pk", filter=Q(assignee=user, status__in=OPEN_MATCH_STATUSES)),
    )
    return InboxCounts(**counts)


# --- People -------------------------------------------------------------------------------


def colleagues(organisation_id, *, exclude=None) -> QuerySet:
    """Active members of an organisation who work at the desk (read-only members excluded)."""
    from guichet.partners.models import User

    if organisation_id is None:
        return User.objects.none()
    working = User.objects.filter(roles__code__in=WORKING_ROLES).values("pk")
    members = (
        User.objects.filter(organisation_id=organisation_id, is_active=True, pk__in=working)
        .exclude(roles__code="readonly")
        .order_by("last_name", "first_name", "pk")
    )
    if exclude is not None:
        members = members.exclude(pk=exclude.pk)
    return members
