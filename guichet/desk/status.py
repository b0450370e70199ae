"""A need's status, derived from its matches (never stored): the same rule in Python (for one
need whose matches are loaded) and as a database annotation (for lists, filters and figures)."""

from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from guichet.desk.models import Match, MatchStatus


class NeedStatus:
    SPAM = "spam"
    ATTACHED = "attached"
    UNROUTED = "unrouted"
    WAITING = "waiting"
    IN_PROGRESS = "in_progress"
    CLOSED_HELP = "closed_help"
    CLOSED_NO_HELP = "closed_no_help"
    UNREACHABLE = "unreachable"
    ABANDONED = "abandoned"
    REFUSED = "refused"

    LABELS = {
        SPAM: _("Indésirable"),
        ATTACHED: _("Rattachée à une demande en cours"),
        UNROUTED: _("À orienter"),
        WAITING: _("En attente de prise en charge"),
        IN_PROGRESS: _("Prise en charge"),
        CLOSED_HELP: _("Close avec aide"),
        CLOSED_NO_HELP: _("Close sans aide"),
        UNREACHABLE: _("Close : entreprise injoignable"),
        ABANDONED: _("Close sans réponse"),
        REFUSED: _("Close : refusée par les partenaires"),
    }
    # DSFR badge severity of each status.
    BADGES = {
        SPAM: "",
        ATTACHED: "info",
        UNROUTED: "error",
        WAITING: "warning",
        IN_PROGRESS: "info",
        CLOSED_HELP: "success",
        CLOSED_NO_HELP: "success",
        UNREACHABLE: "",
        ABANDONED: "error",
        REFUSED: "error",
    }
    OPEN = frozenset({UNROUTED, WAITING, IN_PROGRESS})
    CLOSED = frozenset({CLOSED_HELP, CLOSED_NO_HELP, UNREACHABLE, ABANDONED, REFUSED})
    CHOICES = list(LABELS.items())

    @classmethod
    def label(cls, code: str) -> str:
        return str(cls.LABELS.get(code, code))


_HELPED = {MatchStatus.DONE, MatchStatus.DONE_NO_HELP}

# Order in which a closed need takes the "best" outcome among its matches.
_CLOSED_BY_OUTCOME = [
    (MatchStatus.DONE, NeedStatus.CLOSED_HELP),
    (MatchStatus.DONE_NO_HELP, NeedStatus.CLOSED_NO_HELP),
    (MatchStatus.UNREACHABLE, NeedStatus.UNREACHABLE),
    (MatchStatus.EXPIRED, NeedStatus.ABANDONED),
    (MatchStatus.REFUSED, NeedStatus.REFUSED),
]


def status_of(*, is_spam: bool, duplicate_of_id, match_statuses) -> str:
    """The status of a need from its flags and the statuses of its matches."""
    if is_spam:
        return NeedStatus.SPAM
    if duplicate_of_id:
        return NeedStatus.ATTACHED
    statuses = set(match_statuses)
    if MatchStatus.TAKEN in statuses:
        return NeedStatus.IN_PROGRESS
    if MatchStatus.PENDING in statuses:
        # A partner already helped while another has not answered yet: the need is in hand.
        if statuses & _HELPED:
            return NeedStatus.IN_PROGRESS
        return NeedStatus.WAITING
    for match_status, need_status in _CLOSED_BY_OUTCOME:
        if match_status in statuses:
            return need_status
    return NeedStatus.UNROUTED


def need_status(need) -> str:
    return status_of(
        is_spam=need.is_spam,
        duplicate_of_id=need.duplicate_of_id,
        match_statuses=[m.status for m in need.matches.all()],
    )


def _has(status) -> Exists:
    return Exists(Match.objects.filter(need=OuterRef("pk"), status=status))


def _has_any(statuses) -> Exists:
    return Exists(Match.objects.filter(need=OuterRef("pk"), status__in=list(statuses)))


def with_status(queryset: QuerySet) -> QuerySet:
    """Annotate `status` on a queryset of needs, with the same rule as `status_of`."""
    whens = [
        When(is_spam=True, then=Value(NeedStatus.SPAM)),
        When(duplicate_of__isnull=False, then=Value(NeedStatus.ATTACHED)),
        When(_has(MatchStatus.TAKEN), then=Value(NeedStatus.IN_PROGRESS)),
        When(_has(MatchStatus.PENDING) & _has_any(_HELPED), then=Value(NeedStatus.IN_PROGRESS)),
        When(_has(MatchStatus.PENDING), then=Value(NeedStatus.WAITING)),
    ]
    whens += [When(_has(m), then=Value(n)) for m, n in _CLOSED_BY_OUTCOME]
    return queryset.annotate(
        status=Case(*whens, default=Value(NeedStatus.UNROUTED), output_field=CharField())
    )
