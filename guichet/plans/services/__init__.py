"""Writes of the plan: its structure (axes, measures, indicators), yearly targets, values
entered by hand and the yearly "what was done" of each measure.

Every check is here, in French, so that the pages, the API and the demo refuse the same things
with the same words. Rules:
- a plan's identifier is its address (``/plans/<slug>/``): lower-case words joined by hyphens,
  never one of the words the pages use themselves ("nouveau", "bibliotheque");
- an indicator's code is unique in its plan and is part of its address too;
- an indicator is computed by a function of the library (``computations``) or entered by hand;
  a manual value is the whole plan's, so only a computed indicator can be broken down, and only
  along the dimensions its computation's records allow;
- targets and values belong to the plan's years; a value is entered for a year that has begun;
- a value entered again for the same year does not erase the previous one: the latest counts
  and the earlier ones stay as the history.
The audit log records each write (the models are ``@audited``); the acting user is the request's
or the one given to ``guichet.core.audit.acting_as``.
"""

from guichet.plans.services.checks import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_PLAN_YEARS,
    MAX_VALUE,
    RESERVED_CODES,
    RESERVED_SLUGS,
)
from guichet.plans.services.indicators import (
    indicator_create,
    indicator_delete,
    indicator_from_library,
    indicator_update,
    manual_value_enter,
    suggested_code,
    target_set,
    targets_set,
)
from guichet.plans.services.structure import (
    axis_create,
    axis_delete,
    axis_update,
    measure_create,
    measure_delete,
    measure_report_set,
    measure_update,
    plan_create,
    plan_update,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_PLAN_YEARS",
    "MAX_VALUE",
    "RESERVED_CODES",
    "RESERVED_SLUGS",
    "axis_create",
    "axis_delete",
    "axis_update",
    "indicator_create",
    "indicator_delete",
    "indicator_from_library",
    "indicator_update",
    "manual_value_enter",
    "measure_create",
    "measure_delete",
    "measure_report_set",
    "measure_update",
    "plan_create",
    "plan_update",
    "suggested_code",
    "target_set",
    "targets_set",
]
