"""The demo journeys: about fifty companies led by the two demo advisors, in every stage, with
dated histories, exchanges, and next actions (some overdue); loading twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.journeys.models import Journey, NextAction, Stage, StageChange, TimelineEvent
from guichet.journeys.portfolio import to_contact
from guichet.partners.models import User

pytestmark = pytest.mark.django_db


def test_load_demo_creates_portfolios_in_every_stage_once(monkeypatch):
    monkeypatch.setenv("GUICHET_DEMO_PASSWORD", "demo-password-long-enough")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Parcours de démonstration créés : 50" in out.getvalue()
    advisors = User.objects.filter(
        email__in=["conseiller.cci@demo.example", "conseiller.bf@demo.example"]
    )
    # Other capabilities' demos (diagnostics) may start more journeys for these advisors.
    led = Journey.objects.filter(lead_advisor__in=advisors)
    assert led.count() >= 50
    assert all(led.filter(lead_advisor=advisor).count() >= 25 for advisor in advisors)
    assert set(led.values_list("stage", flat=True)) == set(Stage.values)
    dropped = led.filter(stage=Stage.DROPPED)
    assert all(journey.dropped_reason for journey in dropped)
    # Histories are dated over the last years.
    oldest = StageChange.objects.order_by("at").first().at
    assert (timezone.now() - oldest).days > 365
    assert StageChange.objects.filter(journey__in=led).count() > 100
    kinds = set(TimelineEvent.objects.filter(source="demo").values_list("kind", flat=True))
    assert {"call", "meeting", "visit", "email"} <= kinds
    today = timezone.localdate()
    open_actions = NextAction.objects.filter(done_at__isnull=True, assignee__in=advisors)
    assert open_actions.filter(due_on__lt=today).exists()
    assert open_actions.filter(due_on__gte=today).exists()
    assert NextAction.objects.filter(done_at__isnull=False).exists()
    cci = advisors.get(email="conseiller.cci@demo.example")
    assert to_contact(owner=cci, viewer=cci, days=120).exists()

    counts = (Journey.objects.count(), TimelineEvent.objects.count(), NextAction.objects.count())
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "Parcours de démonstration créés : 0" in again.getvalue()
    assert (
        Journey.objects.count(),
        TimelineEvent.objects.count(),
        NextAction.objects.count(),
    ) == counts
