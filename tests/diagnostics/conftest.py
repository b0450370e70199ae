# Fixtures of the diagnostic-core tests (company, default questionnaire version, diagnostic),
# and the browser of tests/e2e for the filling page's browser tests.
from tests.diagnostics.filling_factory import company, diagnostic, version  # noqa: F401
from tests.e2e.conftest import browser, page  # noqa: F401
