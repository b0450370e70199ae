"""Every write of the desk goes through these services (the pages, the API and the commands
call the same functions)."""

from guichet.desk.services.answers import (
    match_answer,
    match_assign,
    need_flag_spam,
    need_unflag_spam,
)
from guichet.desk.services.intake import (
    NEED_FIELDS,
    SubmitResult,
    client_fingerprint,
    need_submit,
    rate_limited,
    resolve_company,
)
from guichet.desk.services.people import absence_declare, desk_hand_over
from guichet.desk.services.reminders import desk_daily_run, schedule_next_daily_run
from guichet.desk.services.routing import match_create_manual, need_route

__all__ = [
    "NEED_FIELDS",
    "SubmitResult",
    "absence_declare",
    "client_fingerprint",
    "desk_daily_run",
    "desk_hand_over",
    "match_answer",
    "match_assign",
    "match_create_manual",
    "need_flag_spam",
    "need_route",
    "need_submit",
    "need_unflag_spam",
    "rate_limited",
    "resolve_company",
    "schedule_next_daily_run",
]
