"""Demo V.I.E. missions and awareness sessions: about 60 missions from 2022 on, in the usual
countries, 12 to 24 months, some extended, outcomes for most ended missions (about 60 % hired),
costs of 2,500 to 4,500 €; about 20 sessions of 20 to 150 students; loading twice changes
nothing."""

import io
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.companies.models import Company
from guichet.journeys.models import TimelineEvent
from guichet.partners.models import Organisation
from guichet.vie import demo, durations, selectors
from guichet.vie.models import AwarenessSession, VieMission

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def loaded(db):
    from guichet.companies import demo as companies_demo
    from guichet.partners import demo as partners_demo

    call_command("load_reference_data", verbosity=0)
    out = io.StringIO()
    partners_demo.load(password=PASSWORD, stdout=out)
    companies_demo.load(password=PASSWORD, stdout=out)
    demo.load(password=PASSWORD, stdout=out)
    return out.getvalue()


def test_demo_missions(loaded):
    assert "V.I.E. :" in loaded
    missions = list(VieMission.objects.all())
    assert 55 <= len(missions) <= 60
    today = timezone.localdate()
    assert min(m.starts_on for m in missions).year == 2022
    assert max(m.starts_on for m in missions) <= today + timedelta(days=60)
    countries = Counter(m.country_id for m in missions)
    assert countries.most_common(1)[0][0] in {"DE", "US"}
    assert set(countries) >= {"DE", "US", "IT", "ES", "GB"}
    for m in missions:
        months, days = durations.duration(m.starts_on, m.ends_on)
        assert (12 <= months <= 24 and days == 0) or months == 24
        assert 2500 <= m.monthly_cost <= 4500
        if m.extended_until:
            assert m.ends_on < m.extended_until
            assert durations.lasts_at_most(m.starts_on, m.extended_until, 24)
    assert sum(1 for m in missions if m.extended_until) >= 5
    share = selectors.hired_share(today=today)
    assert share.known >= 20
    assert 0.45 <= share.hired / share.known <= 0.75
    assert share.unknown >= 1
    assert all(
        m.hired is None
        for m in missions
        if selectors.status_of(m, today) in ("ongoing", "upcoming")
    )
    # Each mission is on its company's timeline.
    assert TimelineEvent.objects.filter(source="vie.mission").values(
        "source_id"
    ).distinct().count() == len(missions)


def test_demo_sessions(loaded):
    sessions = list(AwarenessSession.objects.all())
    assert len(sessions) == 20
    assert all(20 <= s.students <= 150 for s in sessions)
    assert all(s.held_on <= timezone.localdate() for s in sessions)
    assert all(
        s.departement_id in {"21", "25", "39", "58", "70", "71", "89", "90"} for s in sessions
    )
    assert {s.level for s in sessions} >= {"lycee", "bts", "business", "engineering"}
    assert any(s.vie_candidates is not None for s in sessions)
    assert any(s.vie_candidates is None for s in sessions)


def test_loading_twice_changes_nothing(loaded):
    counts = (VieMission.objects.count(), AwarenessSession.objects.count())
    out = io.StringIO()
    demo.load(password=PASSWORD, stdout=out)
    assert "déjà chargés" in out.getvalue()
    assert (VieMission.objects.count(), AwarenessSession.objects.count()) == counts


def test_load_vie_demo_is_deterministic(db):
    from guichet.companies import demo as companies_demo
    from guichet.partners import demo as partners_demo

    call_command("load_reference_data", verbosity=0)
    out = io.StringIO()
    partners_demo.load(password=PASSWORD, stdout=out)
    companies_demo.load(password=PASSWORD, stdout=out)
    companies = list(Company.objects.filter(siren__gte="990000000").order_by("siren"))
    organisations = list(Organisation.objects.order_by("slug"))
    made = demo.load_vie_demo(
        companies=companies,
        organisations=organisations,
        today=date(2026, 6, 1),
        rng=random.Random(1),
    )
    first = list(
        VieMission.objects.order_by("pk").values_list("company__siren", "country", "starts_on")
    )
    VieMission.objects.all().delete()
    AwarenessSession.objects.all().delete()
    again = demo.load_vie_demo(
        companies=companies,
        organisations=organisations,
        today=date(2026, 6, 1),
        rng=random.Random(1),
    )
    second = list(
        VieMission.objects.order_by("pk").values_list("company__siren", "country", "starts_on")
    )
    assert made == again
    assert first == second
