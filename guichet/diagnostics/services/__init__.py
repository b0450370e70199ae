"""Every write of the diagnostics capability goes through these services (the pages, the API
and the commands call the same functions)."""

from guichet.diagnostics.services.filling import (
    LINK_MAX_AGE,
    LINK_SALT,
    LinkCheck,
    SaveOutcome,
    clean_answer,
    diagnostic_answers_save,
    diagnostic_company_submit,
    diagnostic_complete,
    diagnostic_from_token,
    diagnostic_link_create,
    diagnostic_link_revoke,
    diagnostic_start,
    link_token,
)
from guichet.diagnostics.services.versions import (
    dimension_update,
    ensure_draft,
    option_update,
    question_update,
    version_new_from,
    version_notes_update,
    version_problems,
    version_publish,
)

__all__ = [
    "LINK_MAX_AGE",
    "LINK_SALT",
    "LinkCheck",
    "SaveOutcome",
    "clean_answer",
    "diagnostic_answers_save",
    "diagnostic_company_submit",
    "diagnostic_complete",
    "diagnostic_from_token",
    "diagnostic_link_create",
    "diagnostic_link_revoke",
    "diagnostic_start",
    "dimension_update",
    "ensure_draft",
    "link_token",
    "option_update",
    "question_update",
    "version_new_from",
    "version_notes_update",
    "version_problems",
    "version_publish",
]
