"""The desk's daily job: absences applied, escalation to managers, re-routing to the fallback
organisation, abandonment with an apology, one digest per person per day, surveys.

Ages are counted in working days (guichet.desk.calendar) from the day a match was routed
(escalation, re-routing) or the need received (abandonment)."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from guichet.desk.calendar import is_working_day, working_days_between
from guichet.desk.models import (
    CompanyEmail,
    DeskPolicy,
    DigestLog,
    Match,
    MatchStatus,
    Need,
    NeedEvent,
)
from guichet.desk.services.answers import after_change
from guichet.desk.services.common import company_email, event
from guichet.desk.services.people import absences_starting
from guichet.desk.services.routing import _route_fallback
from guichet.desk.status import NeedStatus, need_status, with_status

RECEIVER_ROLES = ("advisor", "expert")
DAILY_RUN_AT = time(6, 30)

SECTION_WAITING = "En attente de votre réponse"
SECTION_ESCALATED = "Sans réponse de votre organisation depuis plus de {days} jours ouvrés"
SECTION_TO_CLOSE = "Prises en charge à clore"
SECTION_UNROUTED = "Demandes qu'aucune règle n'oriente"


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _moment(today: date) -> datetime:
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, DAILY_RUN_AT))


def _organisation_people(organisation_id: int, roles) -> list:
    from guichet.partners.models import User

    return list(
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, roles__code__in=roles
        ).distinct()
    )


def _receivers(match: Match, cache: dict) -> list:
    if match.assignee_id and match.assignee.is_active:
        return [match.assignee]
    key = match.organisation_id
    if key not in cache:
        people = _organisation_people(key, RECEIVER_ROLES) or _organisation_people(
            key, ("manager", "admin")
        )
        cache[key] = people
    return cache[key]


def _abandon(today: date, policy: DeskPolicy, at: datetime) -> int:
    """Needs nobody took in charge within `abandon_day` working days: their pending matches
    expire, the need closes without an answer and the company gets an apology."""
    count = 0
    waiting = with_status(Need.objects.all()).filter(status=NeedStatus.WAITING)
    for need in waiting.only("pk", "submitted_at", "reference", "company_id", "contact_email"):
        if working_days_between(_local_day(need.submitted_at), today) < policy.abandon_day:
            continue
        with transaction.atomic():
            need.matches.filter(status=MatchStatus.PENDING).update(
                status=MatchStatus.EXPIRED, closed_at=at
            )
            event(
                need,
                NeedEvent.Kind.ABANDONED,
                text=f"Aucune prise en charge en {policy.abandon_day} jours ouvrés",
                at=at,
            )
            after_change(need, NeedStatus.WAITING, at=at)
        count += 1
    return count


def _reroute(today: date, policy: DeskPolicy, at: datetime) -> int:
    """Matches without an answer for `reroute_day` working days go to the fallback
    organisation (when it does not hold the need already); when another partner has taken
    the need in charge, the silent match simply expires."""
    count = 0
    pending = Match.objects.filter(status=MatchStatus.PENDING).exclude(via=Match.Via.FALLBACK)
    for match in pending.select_related("need", "organisation", "subject"):
        if working_days_between(_local_day(match.routed_at), today) < policy.reroute_day:
            continue
        need = match.need
        with transaction.atomic():
            # Another partner took the need in charge (and may have closed it already).
            taken = need.matches.filter(taken_at__isnull=False).exists()
            held = set(need.matches.values_list("organisation_id", flat=True))
            fallback = policy.fallback_organisation
            if not taken and (fallback is None or fallback.pk in held):
                continue  # nobody else to ask: the match stays, escalated, until abandonment
            before = need_status(Need.objects.prefetch_related("matches").get(pk=need.pk))
            match.status = MatchStatus.EXPIRED
            match.closed_at = at
            match.save(update_fields=["status", "closed_at"])
            if not taken:
                new = _route_fallback(need, match.subject, taken_orgs=held, at=at)
                names = ", ".join(m.organisation.name for m in new)
                text = f"Sans réponse de {match.organisation.name} : transmise à {names}"
            else:
                text = f"Sans réponse de {match.organisation.name} (déjà prise en charge)"
            event(need, NeedEvent.Kind.REROUTED, match=match, text=text, at=at)
            after_change(need, before, at=at)
        count += 1
    return count


def _escalate(today: date, policy: DeskPolicy, at: datetime) -> list[Match]:
    escalated = []
    pending = Match.objects.filter(status=MatchStatus.PENDING).select_related(
        "need", "organisation"
    )
    for match in pending:
        if working_days_between(_local_day(match.routed_at), today) < policy.escalation_day:
            continue
        if match.escalated_at is None:
            match.escalated_at = at
            match.save(update_fields=["escalated_at"])
            event(
                match.need,
                NeedEvent.Kind.ESCALATED,
                match=match,
                organisation=match.organisation,
                text=f"Signalée aux responsables de {match.organisation.name}",
                at=at,
            )
        escalated.append(match)
    return escalated


def _absent_user_ids(today: date) -> set[int]:
    from guichet.desk.models import Absence

    return set(
        Absence.objects.filter(starts_on__lte=today, ends_on__gte=today).values_list(
            "user_id", flat=True
        )
    )


def build_digests(today: date, policy: DeskPolicy, escalated: list[Match]) -> dict:
    """{user: {section title: [match or need, …]}} of what waits for each person today."""
    digests: dict = defaultdict(lambda: defaultdict(list))
    cache: dict = {}
    pending = Match.objects.filter(status=MatchStatus.PENDING).select_related(
        "need", "organisation", "assignee", "subject"
    )
    for match in pending.order_by("routed_at"):
        for person in _receivers(match, cache):
            digests[person][SECTION_WAITING].append(match)
    escalation_title = SECTION_ESCALATED.format(days=policy.escalation_day)
    for match in escalated:
        for manager in _organisation_people(match.organisation_id, ("manager",)):
            digests[manager][escalation_title].append(match)
    taken = Match.objects.filter(status=MatchStatus.TAKEN).select_related(
        "need", "organisation", "assignee", "subject"
    )
    for match in taken.order_by("taken_at"):
        if working_days_between(_local_day(match.taken_at), today) < policy.close_reminder_day:
            continue
        for person in _receivers(match, cache):
            digests[person][SECTION_TO_CLOSE].append(match)
    unrouted = with_status(Need.objects.all()).filter(status=NeedStatus.UNROUTED)
    unrouted = list(unrouted.order_by("submitted_at"))
    if unrouted:
        from guichet.partners.models import User

        admins = User.objects.filter(is_active=True, roles__code="admin").distinct()
        for admin in admins:
            digests[admin][SECTION_UNROUTED].extend(unrouted)
    absent = _absent_user_ids(today)
    return {user: dict(sections) for user, sections in digests.items() if user.pk not in absent}


def send_digests(today: date, digests: dict) -> int:
    """At most one digest per person per day: the DigestLog row is the guard."""
    from guichet.desk.services.mail import send_digest

    sent = 0
    for user, sections in digests.items():
        items = sum(len(v) for v in sections.values())
        if not items:
            continue
        _log, created = DigestLog.objects.get_or_create(
            user=user, day=today, defaults={"items": items}
        )
        if not created:
            continue
        send_digest(user=user, sections=sections, day=today)
        sent += 1
    return sent


def send_surveys(today: date, policy: DeskPolicy, at: datetime) -> int:
    """The satisfaction survey, `survey_delay_days` after a need closed with or without
    help (not after an apology), once."""
    count = 0
    closed = (
        with_status(Need.objects.all())
        .filter(status__in=[NeedStatus.CLOSED_HELP, NeedStatus.CLOSED_NO_HELP])
        .exclude(company_emails__kind=CompanyEmail.Kind.SURVEY)
        .prefetch_related("matches")
    )
    limit = today - timedelta(days=policy.survey_delay_days)
    for need in closed:
        closed_on = max(
            (_local_day(m.closed_at) for m in need.matches.all() if m.closed_at), default=None
        )
        if closed_on is None or closed_on > limit:
            continue
        if need_status(need) not in NeedStatus.CLOSED:
            continue
        if company_email(need, CompanyEmail.Kind.SURVEY, at=at):
            count += 1
    return count


def desk_daily_run(*, today: date | None = None) -> dict:
    """Run the daily job for `today` (default: the current date in Europe/Paris). On a
    weekend or public holiday nothing ages and nothing is sent."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return {"day": today.isoformat(), "working_day": False}
    policy = DeskPolicy.current()
    at = _moment(today)
    summary = {"day": today.isoformat(), "working_day": True}
    summary["absences_applied"] = absences_starting(today)
    summary["abandoned"] = _abandon(today, policy, at)
    summary["rerouted"] = _reroute(today, policy, at)
    escalated = _escalate(today, policy, at)
    summary["escalated"] = len(escalated)
    summary["digests"] = send_digests(today, build_digests(today, policy, escalated))
    summary["surveys"] = send_surveys(today, policy, at)
    return summary


def schedule_next_daily_run(now: datetime | None = None) -> bool:
    """Queue the next daily run for tomorrow 06:30 (Europe/Paris) unless one is queued. Only
    with a backend that can defer tasks (the database backend of the worker)."""
    from django_tasks import default_task_backend

    from guichet.desk.tasks import desk_daily

    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    path = f"{desk_daily.func.__module__}.{desk_daily.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY", run_after__gt=now).exists():
        return False
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    run_after = timezone.make_aware(datetime.combine(tomorrow, DAILY_RUN_AT))
    desk_daily.using(run_after=run_after).enqueue()
    return True
