"""Fixtures of the timeline tests: a company of the registry, and a way to log events on it."""

import pytest

from guichet.journeys.services import timeline_event_record
from tests.companies.conftest import make_company


@pytest.fixture
def company(db):
    return make_company("552100554", "Biscuiterie de Dijon", naf=None)


@pytest.fixture
def log_event(company):
    def build(title: str, **extra):
        extra.setdefault("kind", "call")
        return timeline_event_record(company=company, title=title, **extra)

    return build
