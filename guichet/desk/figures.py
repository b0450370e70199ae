"""Figures of the desk: what managers follow and what the public page shows.

Rules shared by every figure:
- needs flagged as spam and needs attached to an open need (duplicates) are not counted;
- the period [start, end) applies to the date the need was received (`submitted_at`);
- filters: a partner organisation (needs routed to it), a subject, a département;
- figures can be grouped by month, partner, subject or département. A need with two subjects
  (or routed to two partners) counts once in each group it belongs to, and once in the totals.
- Per partner (a partner filter or the grouping by partner), delays are those of the partner's
  own match, counted from the day the need reached it (`routed_at`): a partner is not held
  responsible for the days the need spent with another. Otherwise they are the need's: the
  first match taken in charge (or first answer) against the day it was received. Likewise
  per partner, refusals are its own, "waiting" means its match is still pending, and the
  survey counts only the needs it dealt with; "closed with help" stays the need's outcome.

Reads are set-based; Python only counts working days (weekends and French public holidays),
which the database cannot do portably.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import lru_cache

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from guichet.desk.calendar import add_working_days, working_days_between
from guichet.desk.models import DeskPolicy, Match, MatchStatus, Need, Subject, SurveyResponse
from guichet.desk.status import NeedStatus, with_status

GROUPS = {
    "month": "Mois",
    "partner": "Partenaire",
    "subject": "Sujet",
    "departement": "Département",
}
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
# Matches whose partner actually dealt with the company (the survey speaks about them).
HANDLED = (MatchStatus.TAKEN, MatchStatus.DONE, MatchStatus.DONE_NO_HELP, MatchStatus.UNREACHABLE)
NO_KEY_LABELS = {
    "partner": "Non orientée",
    "subject": "Sans sujet",
    "departement": "Département inconnu",
    "month": "",
}


@dataclass(frozen=True)
class Scope:
    """Which needs a figure is computed on. `end` is excluded; None means unbounded."""

    start: date | None = None
    end: date | None = None
    organisation_id: int | None = None
    subject_id: int | None = None
    departement: str | None = None

    def whole_history(self) -> "Scope":
        return replace(self, start=None, end=None)

    @classmethod
    def year(cls, year: int, **filters) -> "Scope":
        return cls(start=date(year, 1, 1), end=date(year + 1, 1, 1), **filters)


@dataclass(frozen=True)
class Share:
    count: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.total if self.total else None


@dataclass(frozen=True)
class Satisfaction:
    answers: int = 0
    contacted: int = 0
    useful_yes: int = 0
    useful_partly: int = 0
    useful_no: int = 0

    @property
    def rated(self) -> int:
        return self.useful_yes + self.useful_partly + self.useful_no

    @property
    def contacted_share(self) -> Share:
        return Share(self.contacted, self.answers)

    @property
    def yes_share(self) -> Share:
        return Share(self.useful_yes, self.rated)

    @property
    def partly_share(self) -> Share:
        return Share(self.useful_partly, self.rated)

    @property
    def no_share(self) -> Share:
        return Share(self.useful_no, self.rated)


# --- Rows ---------------------------------------------------------------------------------
# Each figure reads one kind of row: needs, matches or survey answers. `_Rows` names the path
# from that row to the need and to the partner's match, so that filters and groupings are
# written once.


@dataclass(frozen=True)
class _Rows:
    model: type
    need: str  # prefix from the row to its need ("" for needs)
    match: str  # path from the row to the match of a partner


_NEEDS = _Rows(Need, "", "matches")
_MATCHES = _Rows(Match, "need__", "")
_SURVEYS = _Rows(SurveyResponse, "need__", "need__matches")


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def per_partner(scope: Scope, group: str | None) -> bool:
    return scope.organisation_id is not None or group == "partner"


def _path(rows: _Rows, field: str) -> str:
    return f"{rows.match}__{field}" if rows.match else field


def _filtered(
    rows: _Rows, scope: Scope, group: str | None, *, queryset=None, match_statuses=None
) -> QuerySet:
    """The rows of the scope, in ONE filter() call: the join to the partner's match made here
    is the one the grouping key and the aggregates reuse."""
    p = rows.need
    conditions = {f"{p}is_spam": False, f"{p}duplicate_of__isnull": True}
    if scope.start:
        conditions[f"{p}submitted_at__gte"] = _moment(scope.start)
    if scope.end:
        conditions[f"{p}submitted_at__lt"] = _moment(scope.end)
    if scope.subject_id:
        conditions[f"{p}subjects"] = scope.subject_id
    if scope.departement:
        conditions[f"{p}departement_id"] = scope.departement
    if scope.organisation_id:
        conditions[_path(rows, "organisation_id")] = scope.organisation_id
    if match_statuses is not None and per_partner(scope, group):
        conditions[_path(rows, "status__in")] = list(match_statuses)
    base = queryset if queryset is not None else rows.model.objects.all()
    return base.filter(**conditions).order_by()


def _key(rows: _Rows, group: str):
    p = rows.need
    return {
        "month": TruncMonth(f"{p}submitted_at"),
        "partner": F(_path(rows, "organisation")),
        "subject": F(f"{p}subjects"),
        "departement": F(f"{p}departement_id"),
    }[group]


def _normalise(group: str | None, key):
    if group == "month" and isinstance(key, datetime):
        return (timezone.localtime(key) if timezone.is_aware(key) else key).date()
    return key


def _aggregate(queryset: QuerySet, rows: _Rows, group: str | None, **aggregates) -> dict:
    """{group key: {name: value}}; the single key None when there is no grouping."""
    if group is None:
        return {None: queryset.aggregate(**aggregates)}
    values = queryset.values(key=_key(rows, group)).annotate(**aggregates)
    return {_normalise(group, row.pop("key")): row for row in values}


def _unwrap(result: dict, group: str | None, empty):
    if group is None:
        return result.get(None, empty)
    return result


# --- Working days -------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _deadline(start: date, days: int) -> date:
    """The first day on which a need received on `start` is late: working_days_between(start,
    day) > days exactly when day >= this date."""
    return add_working_days(start, days + 1)


@lru_cache(maxsize=16384)
def _working_days(start: date, end: date) -> int:
    return working_days_between(start, end)


@dataclass(frozen=True)
class Timing:
    """One need (or one partner's match): its group, the day the delay starts, the days of
    its first taking in charge and of its first answer (local dates)."""

    key: object
    started: date
    taken: date | None
    answered: date | None


def timings(scope: Scope, group: str | None = None) -> list[Timing]:
    """The dates the delays are counted on, one query for both delay figures. The start is the
    day the need was received — per partner, the day it reached the partner."""
    queryset = _filtered(_NEEDS, scope, group)
    start = "matches__routed_at" if per_partner(scope, group) else "submitted_at"
    # Months are taken from the reception date here rather than truncated by the database
    # (on SQLite truncation is a Python call per row).
    fields = {"key": _key(_NEEDS, group)} if group and group != "month" else {}
    rows = queryset.values("pk", **fields).annotate(
        started=Min(start),
        received=Min("submitted_at"),
        taken=Min("matches__taken_at"),
        answered=Min("matches__first_answer_at"),
    )
    tz = timezone.get_current_timezone()

    def day(moment):
        return moment.astimezone(tz).date() if moment is not None else None

    found = []
    for row in rows:
        if row["started"] is None:
            continue
        key = day(row["received"]).replace(day=1) if group == "month" else row.get("key")
        found.append(Timing(key, day(row["started"]), day(row["taken"]), day(row["answered"])))
    return found


# --- Figures ------------------------------------------------------------------------------


def needs_received(scope: Scope, group: str | None = None):
    """Number of needs received (int, or {group: int})."""
    queryset = _filtered(_NEEDS, scope, group)
    result = _aggregate(queryset, _NEEDS, group, n=Count("pk", distinct=True))
    return _unwrap({k: v["n"] for k, v in result.items()}, group, 0)


def taken_within_delay(
    scope: Scope,
    group: str | None = None,
    *,
    today: date | None = None,
    rows: list[Timing] | None = None,
):
    """Share of needs taken in charge within the policy's first-answer delay (working days).
    A need not yet taken counts only once its delay is over: until then it may still make it.
    `rows`: the scope's timings when the caller already read them."""
    days = DeskPolicy.current().first_answer_days
    today = today or timezone.localdate()
    counts: dict = defaultdict(lambda: [0, 0])
    for row in timings(scope, group) if rows is None else rows:
        deadline = _deadline(row.started, days)
        if row.taken is None:
            if today >= deadline:
                counts[row.key][1] += 1
            continue
        counts[row.key][1] += 1
        if row.taken < deadline:
            counts[row.key][0] += 1
    result = {k: Share(*v) for k, v in counts.items()}
    return _unwrap(result, group, Share())


def median_first_answer_days(
    scope: Scope, group: str | None = None, *, rows: list[Timing] | None = None
):
    """Median number of working days until the first answer of a partner (any answer:
    taken in charge, closed, refused); None without any answer."""
    delays: dict = defaultdict(list)
    for row in timings(scope, group) if rows is None else rows:
        if row.answered is not None:
            delays[row.key].append(_working_days(row.started, row.answered))
    result = {k: statistics.median(v) for k, v in delays.items()}
    return _unwrap(result, group, None)


def closed_with_help(scope: Scope, group: str | None = None):
    """Share of closed needs whose derived status is "closed with help"."""
    queryset = with_status(_filtered(_NEEDS, scope, group))
    result = _aggregate(
        queryset,
        _NEEDS,
        group,
        closed=Count("pk", distinct=True, filter=Q(status__in=NeedStatus.CLOSED)),
        helped=Count("pk", distinct=True, filter=Q(status=NeedStatus.CLOSED_HELP)),
    )
    shares = {k: Share(v["helped"], v["closed"]) for k, v in result.items()}
    return _unwrap(shares, group, Share())


def _refusals(scope: Scope, group: str | None) -> QuerySet:
    queryset = Match.objects.filter(status=MatchStatus.REFUSED)
    return _filtered(_MATCHES, scope, group, queryset=queryset)


def refusals_by_reason(scope: Scope) -> list[tuple[str, str, int]]:
    """(reason code, French label, number of refusals), most frequent first."""
    rows = _refusals(scope, None).values("refusal_reason").annotate(n=Count("pk", distinct=True))
    labels = dict(Match._meta.get_field("refusal_reason").choices)
    found = [
        (
            row["refusal_reason"],
            str(labels.get(row["refusal_reason"], "Motif non indiqué")),
            row["n"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda item: (-item[2], item[1]))


def refusals(scope: Scope, group: str | None = None):
    """Number of refusals by partners (int, or {group: int})."""
    result = _aggregate(_refusals(scope, group), _MATCHES, group, n=Count("pk", distinct=True))
    return _unwrap({k: v["n"] for k, v in result.items()}, group, 0)


def satisfaction(scope: Scope, group: str | None = None):
    """The survey's answers: contacted or not, useful yes / partly / no. Per partner, only the
    needs the partner dealt with (not those it refused or left unanswered)."""
    queryset = _filtered(_SURVEYS, scope, group, match_statuses=HANDLED)
    result = _aggregate(
        queryset,
        _SURVEYS,
        group,
        answers=Count("pk", distinct=True),
        contacted=Count("pk", distinct=True, filter=Q(contacted=True)),
        useful_yes=Count("pk", distinct=True, filter=Q(useful=SurveyResponse.Useful.YES)),
        useful_partly=Count("pk", distinct=True, filter=Q(useful=SurveyResponse.Useful.PARTLY)),
        useful_no=Count("pk", distinct=True, filter=Q(useful=SurveyResponse.Useful.NO)),
    )
    answers = {k: Satisfaction(**v) for k, v in result.items()}
    return _unwrap(answers, group, Satisfaction())


def waiting_now(scope: Scope, group: str | None = None):
    """Needs waiting today to be taken in charge (a partner has not answered, or no partner
    was found yet). Per partner: needs whose match with it is still pending."""
    if per_partner(scope, group):
        queryset = _filtered(_NEEDS, scope, group, match_statuses=[MatchStatus.PENDING])
    else:
        queryset = with_status(_filtered(_NEEDS, scope, group)).filter(
            status__in=[NeedStatus.WAITING, NeedStatus.UNROUTED]
        )
    result = _aggregate(queryset, _NEEDS, group, n=Count("pk", distinct=True))
    return _unwrap({k: v["n"] for k, v in result.items()}, group, 0)


def survey_comments(scope: Scope, viewer, *, limit: int = 50) -> list[dict]:
    """Survey comments as `viewer` may read them. The desk's administrators read them all (a
    comment the company did not agree to pass on stays with them, flagged `shared: False`);
    anyone else reads only the comments shared with the partner that handled the need, when
    that partner is their organisation."""
    from guichet.core.permissions import is_platform_admin

    queryset = _filtered(_SURVEYS, scope, None, queryset=SurveyResponse.objects.exclude(comment=""))
    if not is_platform_admin(viewer):
        queryset = queryset.filter(
            comment_shared=True,
            need__in=Match.objects.filter(
                organisation_id=viewer.organisation_id, status__in=HANDLED
            ).values("need_id"),
        )
    responses = list(queryset.select_related("need").order_by("-answered_at", "-pk")[:limit])
    partners = defaultdict(list)
    for need_id, name in (
        Match.objects.filter(need_id__in=[r.need_id for r in responses], status__in=HANDLED)
        .order_by("organisation__name")
        .values_list("need_id", "organisation__name")
    ):
        partners[need_id].append(name)
    return [
        {
            "reference": r.need.reference,
            "answered_at": r.answered_at,
            "contacted": r.contacted,
            "useful": r.get_useful_display() if r.useful else "",
            "comment": r.comment,
            "shared": r.comment_shared,
            "partners": partners[r.need_id],
        }
        for r in responses
    ]


# --- Labels, table, headline --------------------------------------------------------------


def month_label(day: date, *, short: bool = False) -> str:
    names = SHORT_MONTHS if short else MONTHS
    return f"{names[day.month - 1]} {day.year}"


def months_between(start: date, end: date) -> list[date]:
    """First days of the months of [start, end)."""
    months, day = [], start.replace(day=1)
    while day < end:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def group_labels(group: str, keys) -> dict:
    from guichet.partners.models import Organisation
    from guichet.reference.models import Departement

    keys = [k for k in keys if k is not None]
    if group == "month":
        labels = {k: month_label(k) for k in keys}
    elif group == "partner":
        labels = {pk: o.name for pk, o in Organisation.objects.in_bulk(keys).items()}
    elif group == "subject":
        labels = {pk: s.label for pk, s in Subject.objects.in_bulk(keys).items()}
    else:
        labels = {c: f"{c} — {d.name}" for c, d in Departement.objects.in_bulk(keys).items()}
    labels[None] = NO_KEY_LABELS[group]
    return labels


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    received: int
    within_delay: Share
    median_days: float | None
    closed_help: Share
    refusals: int
    satisfaction: Satisfaction
    waiting: int


def _sort_key(group: str, row: Row):
    if group == "month":
        return (0, row.key or date.min, "")
    if group == "subject":
        return (row.key is None, -row.received, row.label)
    return (row.key is None, row.label.lower())


def table(scope: Scope, group: str, *, today: date | None = None) -> list[Row]:
    """Every figure, one row per group (each month of the period when grouping by month)."""
    received = needs_received(scope, group)
    timed = timings(scope, group)
    within = taken_within_delay(scope, group, today=today, rows=timed)
    medians = median_first_answer_days(scope, group, rows=timed)
    helped = closed_with_help(scope, group)
    refused = refusals(scope, group)
    answers = satisfaction(scope, group)
    waiting = waiting_now(scope, group)
    keys = set(received) | set(refused) | set(answers)
    if group == "month" and scope.start and scope.end:
        keys |= set(months_between(scope.start, scope.end))
    labels = group_labels(group, keys)
    rows = [
        Row(
            key=key,
            label=labels.get(key, str(key)),
            received=received.get(key, 0),
            within_delay=within.get(key, Share()),
            median_days=medians.get(key),
            closed_help=helped.get(key, Share()),
            refusals=refused.get(key, 0),
            satisfaction=answers.get(key, Satisfaction()),
            waiting=waiting.get(key, 0),
        )
        for key in keys
    ]
    return sorted(rows, key=lambda row: _sort_key(group, row))


def overall(scope: Scope, *, today: date | None = None, label: str = "Ensemble") -> Row:
    """Every figure for the whole scope (not the sum of the groups: a need in two groups
    counts once here)."""
    timed = timings(scope)
    return Row(
        key=None,
        label=label,
        received=needs_received(scope),
        within_delay=taken_within_delay(scope, today=today, rows=timed),
        median_days=median_first_answer_days(scope, rows=timed),
        closed_help=closed_with_help(scope),
        refusals=refusals(scope),
        satisfaction=satisfaction(scope),
        waiting=waiting_now(scope),
    )


@dataclass(frozen=True)
class Headline:
    """The figures of the tiles: the whole scope, and the needs waiting today."""

    total: Row
    waiting: int
    first_answer_days: int

    @property
    def received(self) -> int:
        return self.total.received

    @property
    def within_delay(self) -> Share:
        return self.total.within_delay

    @property
    def median_days(self) -> float | None:
        return self.total.median_days

    @property
    def closed_help(self) -> Share:
        return self.total.closed_help

    @property
    def satisfaction(self) -> Satisfaction:
        return self.total.satisfaction


def headline(scope: Scope, *, today: date | None = None) -> Headline:
    """Waiting needs are counted over the whole history (with the scope's filters): a need
    received last year may still wait today."""
    return Headline(
        total=overall(scope, today=today),
        waiting=waiting_now(scope.whole_history()),
        first_answer_days=DeskPolicy.current().first_answer_days,
    )
