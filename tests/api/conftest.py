# The desk's fixtures (rules, subjects), so the fuzzed API has needs to route.
from tests.desk.conftest import bpi, desk, fallback, subjects  # noqa: F401
