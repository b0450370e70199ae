"""The desk's demo: rules for the whole region, ~200 needs in every state, loaded once."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from guichet.desk.models import Need, RoutingRule, Subject, SurveyResponse
from guichet.desk.routing import matching_rules, profile_for
from guichet.desk.status import NeedStatus, with_status
from guichet.reference.models import Departement

pytestmark = pytest.mark.django_db


def test_demo_rules_cover_the_region_and_needs_are_in_every_state(monkeypatch):
    monkeypatch.setenv("GUICHET_DEMO_PASSWORD", "demo-password-long-enough")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demandes du guichet créées : 200" in out.getvalue()
    assert mail.outbox == []  # the past is recorded, not e-mailed

    rules = list(RoutingRule.objects.all())
    for departement in Departement.objects.filter(region_id="27"):
        postal = f"{departement.code}000"
        profile = profile_for(company=None, postal_code=postal)
        for subject in Subject.objects.filter(is_active=True):
            assert matching_rules(profile, subject, rules), (subject.code, departement.code)

    statuses = set(with_status(Need.objects.all()).values_list("status", flat=True))
    expected = {
        NeedStatus.WAITING,
        NeedStatus.IN_PROGRESS,
        NeedStatus.CLOSED_HELP,
        NeedStatus.CLOSED_NO_HELP,
        NeedStatus.UNREACHABLE,
        NeedStatus.ABANDONED,
        NeedStatus.ATTACHED,
        NeedStatus.SPAM,
    }
    assert expected <= statuses
    assert Need.objects.filter(matches__status="refused").exists()
    assert Need.objects.filter(company__isnull=False).exists()
    assert Need.objects.filter(company__isnull=True).exists()
    assert SurveyResponse.objects.exists()

    call_command("load_demo", stdout=StringIO())
    assert Need.objects.count() == 200
