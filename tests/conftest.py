"""The fixed cast of every permission test (STYLE.md habit 2).

- `org_a` (a Région) and `org_b` (a CCI), each with members;
- `admin_user`: administrator of org A; `advisor_a`: advisor of org A; `advisor_b`: advisor of
  org B (the "other organisation"); `readonly_a`: read-only member of org A; anonymous = a
  client without login.
"""

import pytest

from guichet.partners.models import Organisation, User
from guichet.partners.services import organisation_create, user_create

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded documents go to a directory of the test, never to var/private."""
    settings.GUICHET_PRIVATE_DIR = tmp_path / "private"
    # Market data (Parquet, caches, load reports) too: never var/markets.
    settings.GUICHET_MARKETS_DIR = tmp_path / "markets"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached public figures start afresh in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(db) -> Organisation:
    return organisation_create(name="Région Test", kind="region", slug="region-test")


@pytest.fixture
def org_b(db) -> Organisation:
    return organisation_create(name="CCI Test", kind="cci", slug="cci-test")


def make_user(email: str, organisation: Organisation, roles: list[str], **extra) -> User:
    # The roles are seeded by a migration; a transactional test's flush empties that table
    # for the tests pytest-django orders after it (those asking for the database only through
    # request.getfixturevalue), so make sure they are there.
    from guichet.partners.models import Role

    for code in roles:
        Role.objects.get_or_create(code=code)
    first, _, last = email.partition("@")[0].partition(".")
    return user_create(
        email=email,
        first_name=first.capitalize(),
        last_name=(last or "Test").capitalize(),
        organisation=organisation,
        roles=roles,
        password=PASSWORD,
        invite=False,
        **extra,
    )


@pytest.fixture
def admin_user(org_a) -> User:
    return make_user("alice.admin@test.example", org_a, ["admin"])


@pytest.fixture
def advisor_a(org_a) -> User:
    return make_user("claire.conseil@test.example", org_a, ["advisor"], phone="03 80 00 00 00")


@pytest.fixture
def advisor_b(org_b) -> User:
    return make_user("bruno.autre@test.example", org_b, ["advisor"])


@pytest.fixture
def readonly_a(org_a) -> User:
    return make_user("louis.lecteur@test.example", org_a, ["readonly"])


@pytest.fixture
def manager_a(org_a) -> User:
    return make_user("paul.pilote@test.example", org_a, ["manager"])


@pytest.fixture
def client_for(client):
    """Return a test client logged in as the given user (None = anonymous)."""
    from django.test import Client

    def build(user):
        if user is None:
            return Client()
        logged = Client()
        logged.force_login(user)
        return logged

    return build


@pytest.fixture
def reference(db):
    """The reference tables (NAF, régions, départements, headcount bands, countries)."""
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
