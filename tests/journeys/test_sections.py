"""The company file's sections registry, through which journeys (and the desk) add sections."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.companies import sections
from guichet.companies.sections import (
    CompanySection,
    company_sections_for,
    register_company_section,
)


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(sections, "_sections", [])


def test_sections_come_in_order_and_hidden_ones_are_left_out(clean_registry, advisor_a, company):
    seen = []

    def context_of(label):
        def build(company, user, request):
            seen.append((label, company, user, request))
            return None if label == "hidden" else {"label": label}

        return build

    register_company_section(CompanySection("late", "x.html", 50, context_of("late")))
    register_company_section(CompanySection("early", "y.html", 10, context_of("early")))
    register_company_section(CompanySection("hidden", "z.html", 20, context_of("hidden")))
    register_company_section(CompanySection("early", "dup.html", 1, context_of("dup")))
    shown = company_sections_for(company, advisor_a, "request")
    assert [(section.key, section.template, ctx) for section, ctx in shown] == [
        ("early", "y.html", {"label": "early"}),
        ("late", "x.html", {"label": "late"}),
    ]
    assert [label for label, *_ in seen] == ["early", "hidden", "late"]
    assert seen[0][1:] == (company, advisor_a, "request")


def test_journeys_registers_its_section_once():
    keys = [section.key for section in sections._sections]
    assert keys.count("timeline") == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_company_file_queries_do_not_grow_with_events(client_for, advisor_a, advisor_b, log_event):
    client = client_for(advisor_a)
    url = "/entreprises/552100554/"
    log_event("Premier appel", author=advisor_a)
    client.get(url)  # warm the session and caches
    few = _queries(client, url)
    now = timezone.now()
    for number in range(15):
        author = advisor_a if number % 2 else advisor_b
        log_event(f"Appel {number}", author=author, occurred_at=now - timedelta(hours=number))
    assert _queries(client, url) == few
