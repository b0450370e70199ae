"""Background tasks of collective actions (django-tasks: database backend in production,
immediate in tests).

`collective_daily` runs every morning at 06:45 (Europe/Paris), after the desk's job: it
schedules the follow-up surveys of participants who attended, e-mails the surveys due and
their one reminder, and the reminders before the actions. It queues its next run, so a
running worker keeps it going; `manage.py run_collective_daily --schedule` starts it."""

import logging
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

DAILY_RUN_AT = time(6, 45)


def _reminders(today: date):
    """The reminders before the actions (written by the registrations part), when present."""
    try:
        from guichet.collective.services.reminders import reminders_send_due
    except ImportError:
        logger.error(
            "collective_daily: guichet.collective.services.reminders.reminders_send_due is "
            "missing; the reminders before the actions were NOT sent."
        )
        return None
    return reminders_send_due(today=today)


def collective_daily_run(*, today: date | None = None) -> dict:
    """One run for `today` (default: the current date in Europe/Paris). Safe to run twice:
    every e-mail is sent once."""
    from guichet.collective.services.surveys import surveys_schedule_missing, surveys_send_due

    today = today or timezone.localdate()
    summary = {"day": today.isoformat(), "surveys_scheduled": surveys_schedule_missing()}
    summary.update({f"surveys_{k}": v for k, v in surveys_send_due(today=today).items()})
    summary["reminders"] = _reminders(today)
    return summary


@task()
def collective_daily(*, today: str | None = None, reschedule: bool = True) -> dict:
    day = date.fromisoformat(today) if today else None
    summary = collective_daily_run(today=day)
    if reschedule:
        schedule_next_daily_run()
    return summary


def schedule_next_daily_run(now: datetime | None = None) -> bool:
    """Queue the next run for tomorrow 06:45 (Europe/Paris) unless one is queued. Only with a
    backend that can defer tasks (the database backend of the worker)."""
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    path = f"{collective_daily.func.__module__}.{collective_daily.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY", run_after__gt=now).exists():
        return False
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    run_after = timezone.make_aware(datetime.combine(tomorrow, DAILY_RUN_AT))
    collective_daily.using(run_after=run_after).enqueue()
    return True
