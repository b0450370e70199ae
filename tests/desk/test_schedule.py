"""The worker keeps the daily job going: one run queued for tomorrow 06:30, never two."""

from datetime import datetime

import pytest
from django.utils import timezone

from guichet.desk.services import schedule_next_daily_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_the_next_run_is_queued_once_for_tomorrow_morning(database_tasks):
    from django_tasks_db.models import DBTaskResult

    now = timezone.make_aware(datetime(2026, 3, 2, 15, 0))
    assert schedule_next_daily_run(now) is True
    assert schedule_next_daily_run(now) is False
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "guichet.desk.tasks.desk_daily"
    assert timezone.localtime(queued.run_after) == timezone.make_aware(datetime(2026, 3, 3, 6, 30))


def test_without_a_worker_backend_nothing_is_queued():
    assert schedule_next_daily_run() is False
