import pytest

# The shared assertion helpers show pytest's detailed comparison too.
pytest.register_assert_rewrite("tests.plans.activity_records")
