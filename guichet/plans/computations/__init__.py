"""The library of computations: each figure of the plan computed from the platform's records,
with the records behind it. Modules register their functions with ``base.register``."""

from guichet.plans.computations.base import (
    Column,
    Computation,
    Figure,
    Filters,
    all_computations,
    choices,
    get,
    register,
)

# Modules holding computations; each registers its functions when imported.
MODULES = (
    "guichet.plans.computations.companies",
    "guichet.plans.computations.journeys",
    "guichet.plans.computations.desk",
    "guichet.plans.computations.activity",
    "guichet.plans.computations.aids",
    "guichet.plans.computations.collective",
)

__all__ = [
    "MODULES",
    "Column",
    "Computation",
    "Figure",
    "Filters",
    "all_computations",
    "choices",
    "get",
    "load_all",
    "register",
]


def load_all() -> None:
    from importlib import import_module

    for name in MODULES:
        import_module(name)
