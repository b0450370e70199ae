"""Schemathesis against the API's OpenAPI schema: whatever a partner's system sends to any
endpoint, the API answers with a JSON error or a result, never with a server error."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from guichet.partners.services import api_key_create

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes database connections at the end of each request, which would
    end the test's transaction on PostgreSQL; Django's test client disconnects that handler
    the same way while it runs a request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(desk, org_b):
    _key, raw = api_key_create(organisation=org_b, name="Site partenaire")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_api_fail(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error])
