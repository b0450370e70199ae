# Fixtures of the diagnostic-core tests (company, default questionnaire version, diagnostic).
from tests.diagnostics.filling_factory import company, diagnostic, version  # noqa: F401
