"""Who sees which events: confidential events stay within the recording organisation."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from guichet.journeys.selectors import timeline_for
from guichet.journeys.services import timeline_event_record
from tests.companies.conftest import make_company
from tests.conftest import make_user


def _titles(events) -> list[str]:
    return [event.title for event in events]


def test_newest_first_and_confidential_only_for_its_organisation(
    company, log_event, advisor_a, advisor_b, org_a
):
    now = timezone.now()
    log_event("Ancien appel", author=advisor_a, occurred_at=now - timedelta(days=10))
    log_event(
        "Note confidentielle A",
        author=advisor_a,
        confidential=True,
        kind="note",
        occurred_at=now - timedelta(days=1),
    )
    log_event("Visite récente", author=advisor_b, kind="visit", occurred_at=now)

    colleague = make_user("nina.collegue@test.example", org_a, ["advisor"])
    assert _titles(timeline_for(company=company, user=colleague)) == [
        "Visite récente",
        "Note confidentielle A",
        "Ancien appel",
    ]
    assert _titles(timeline_for(company=company, user=advisor_b)) == [
        "Visite récente",
        "Ancien appel",
    ]
    assert _titles(timeline_for(company=company, user=AnonymousUser())) == [
        "Visite récente",
        "Ancien appel",
    ]


def test_confidential_event_of_b_is_hidden_from_a(company, log_event, advisor_a, advisor_b):
    log_event("Secret B", author=advisor_b, confidential=True)
    assert _titles(timeline_for(company=company, user=advisor_a)) == []
    assert _titles(timeline_for(company=company, user=advisor_b)) == ["Secret B"]


def test_kinds_narrow_the_timeline_and_other_companies_stay_out(company, log_event, advisor_a):
    other = make_company("130025265", "Autre entreprise", naf=None, nic="00013")
    now = timezone.now()
    log_event("Appel", kind="call", occurred_at=now - timedelta(hours=3))
    log_event("Visite", kind="visit", occurred_at=now - timedelta(hours=2))
    log_event("Courriel", kind="email", occurred_at=now - timedelta(hours=1))
    timeline_event_record(company=other, kind="call", title="Ailleurs")
    assert _titles(timeline_for(company=company, user=advisor_a, kinds=["call", "visit"])) == [
        "Visite",
        "Appel",
    ]
    assert _titles(timeline_for(company=other, user=advisor_a)) == ["Ailleurs"]
