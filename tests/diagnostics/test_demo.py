"""Demo diagnostics: about a hundred completed diagnostics over three years, answered with the
default questionnaire, with plans; companies diagnosed several times progress; journeys are at
"diagnosed" at least; loading twice changes nothing."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.diagnostics import demo
from guichet.diagnostics.models import Diagnostic, PlanItem
from guichet.diagnostics.selectors import default_version
from guichet.journeys.models import NextAction, Stage, TimelineEvent
from guichet.journeys.services import stage_rank

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def loaded(db):
    from guichet.companies import demo as companies_demo
    from guichet.journeys import demo as journeys_demo
    from guichet.offers import demo as offers_demo
    from guichet.partners import demo as partners_demo

    call_command("load_reference_data", verbosity=0)
    out = io.StringIO()
    partners_demo.load(password=PASSWORD, stdout=out)
    companies_demo.load(password=PASSWORD, stdout=out)
    journeys_demo.load(password=PASSWORD, stdout=out)
    offers_demo.load(password=PASSWORD, stdout=out)
    demo.load(password=PASSWORD, stdout=out)
    return out.getvalue()


def _check_diagnostics() -> None:
    diagnostics = Diagnostic.objects.all()
    # About a hundred: fewer where the demo journeys leave no room (companies that left the
    # journey, or spotted this week).
    assert 85 <= diagnostics.count() <= 100
    version = default_version()
    assert set(diagnostics.values_list("version", flat=True)) == {version.pk}
    today = timezone.now()
    for diagnostic in diagnostics:
        assert diagnostic.status in (Diagnostic.Status.COMPLETED, Diagnostic.Status.SHARED)
        assert today - timedelta(days=3 * 365 + 1) <= diagnostic.completed_at <= today
        assert diagnostic.level
        assert len(diagnostic.scores) == 7
        assert all(0 <= score <= 100 for score in diagnostic.scores.values())
    # Several levels are represented, and both ways of filling.
    assert diagnostics.values("level").distinct().count() >= 3
    assert diagnostics.filter(filled_by=Diagnostic.FilledBy.COMPANY).exists()


def _check_progress() -> None:
    repeated = {}
    for diagnostic in Diagnostic.objects.order_by("completed_at"):
        repeated.setdefault(diagnostic.company_id, []).append(diagnostic)
    series = [ds for ds in repeated.values() if len(ds) > 1]
    assert len(series) >= 25
    assert any(len(ds) == 3 for ds in series)
    progressed = sum(1 for ds in series if ds[-1].overall_score > ds[0].overall_score)
    assert progressed >= len(series) * 0.8


def _check_plans_and_journeys() -> None:
    assert not Diagnostic.objects.filter(plan_items__isnull=True).exists()
    assert PlanItem.objects.filter(kind=PlanItem.Kind.OFFER).exists()
    shared = Diagnostic.objects.filter(status=Diagnostic.Status.SHARED)
    assert shared.count() >= 50
    assert Diagnostic.objects.filter(status=Diagnostic.Status.COMPLETED).exists()
    for diagnostic in Diagnostic.objects.select_related("company__journey"):
        assert stage_rank(diagnostic.company.journey.stage) >= stage_rank(Stage.DIAGNOSED)
    assert NextAction.objects.filter(source="diagnostics.plan").count() == shared.count()
    assert TimelineEvent.objects.filter(kind="diagnostic", source="diagnostics").count() >= 90


def test_demo_diagnostics(loaded):
    """One load (it takes several seconds) checked from every side, then loaded again."""
    assert "Diagnostics export créés :" in loaded
    _check_diagnostics()
    _check_progress()
    _check_plans_and_journeys()
    before = (Diagnostic.objects.count(), PlanItem.objects.count(), NextAction.objects.count())
    out = io.StringIO()
    demo.load(password=PASSWORD, stdout=out)
    assert "déjà chargés" in out.getvalue()
    after = (Diagnostic.objects.count(), PlanItem.objects.count(), NextAction.objects.count())
    assert after == before
