"""The collective actions' daily job (fixed clock: each run is given its day): surveys
scheduled for attendance recorded elsewhere, sent once, reminded once; its next run queued
for tomorrow 06:45; the command."""

import logging
import sys
from datetime import date, datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from guichet.collective.models import FollowUpSurvey
from guichet.collective.tasks import collective_daily, collective_daily_run, schedule_next_daily_run
from tests.collective.test_surveys import attended


@pytest.fixture
def participant(action, companies, org_a):
    """Marked present without scheduling its surveys (as if recorded elsewhere)."""
    return attended(action, companies[0], org_a)


def test_the_job_schedules_sends_and_reminds_once(participant):
    first = collective_daily_run(today=date(2027, 1, 22))
    assert first["surveys_scheduled"] == 3
    assert first["surveys_sent"] == 1
    again = collective_daily_run(today=date(2027, 1, 22))
    assert (again["surveys_scheduled"], again["surveys_sent"]) == (0, 0)
    assert collective_daily_run(today=date(2027, 2, 5))["surveys_reminded"] == 1
    assert collective_daily_run(today=date(2027, 2, 6))["surveys_reminded"] == 0
    subjects = [m.subject for m in mail.outbox if participant.contact_email in m.to]
    assert len(subjects) == 2
    assert subjects[1].startswith("Rappel — ")
    survey = FollowUpSurvey.objects.get(registration=participant, wave=3)
    assert timezone.localtime(survey.sent_at) == timezone.make_aware(datetime(2027, 1, 22, 6, 45))


def test_the_job_also_sends_the_reminders_before_the_actions(action, companies, org_a):
    confirmed = attended(action, companies[1], org_a, status="confirmed")
    collective_daily_run(today=date(2026, 10, 4))  # the SIAL starts on 18/10: 14 days before
    assert confirmed.reminders.count() == 1
    assert any(confirmed.contact_email in m.to for m in mail.outbox)


def test_a_missing_reminders_service_is_logged_not_fatal(participant, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "guichet.collective.services.reminders", None)
    with caplog.at_level(logging.ERROR, logger="guichet.collective.tasks"):
        summary = collective_daily_run(today=date(2027, 1, 22))
    assert summary["reminders"] is None
    assert summary["surveys_sent"] == 1
    assert "reminders before the actions were NOT sent" in caplog.text


def test_the_task_runs_for_the_given_day(participant):
    summary = collective_daily.call(today="2027-01-22", reschedule=False)
    assert summary["day"] == "2027-01-22"
    assert summary["surveys_sent"] == 1


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_the_next_run_is_queued_once_for_tomorrow_at_0645(db, database_tasks):
    from django_tasks_db.models import DBTaskResult

    now = timezone.make_aware(datetime(2027, 3, 2, 15, 0))
    assert schedule_next_daily_run(now) is True
    assert schedule_next_daily_run(now) is False
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "guichet.collective.tasks.collective_daily"
    assert timezone.localtime(queued.run_after) == timezone.make_aware(datetime(2027, 3, 3, 6, 45))


def test_without_a_worker_backend_nothing_is_queued(db):
    assert schedule_next_daily_run() is False


def test_the_command(participant, capsys):
    call_command("run_collective_daily", "--today", "2027-01-22")
    out = capsys.readouterr().out
    assert out.startswith("2027-01-22 : 3 enquête(s) programmée(s), 1 envoyée(s), 0 relance(s)")
    with pytest.raises(CommandError, match="date invalide « 22/01/2027 »"):
        call_command("run_collective_daily", "--today", "22/01/2027")
