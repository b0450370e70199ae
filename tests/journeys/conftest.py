"""Fixtures of the timeline tests: a company of the registry, and a way to log events on it."""

import pytest
from django.core.management import call_command

from guichet.journeys.services import timeline_event_record
from tests.companies.conftest import make_company


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def company(reference):
    return make_company("552100554", "Biscuiterie de Dijon", naf=None)


@pytest.fixture
def log_event(company):
    def build(title: str, **extra):
        extra.setdefault("kind", "call")
        return timeline_event_record(company=company, title=title, **extra)

    return build
