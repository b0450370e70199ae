"""The computation library's building blocks.

A computation turns the platform's records into one figure for a set of filters (year, partner,
filière, département, company size) and always says which records it counted: ``Figure.records``
is the drill-down list, ``Figure.columns`` how to show it. A figure nobody can check is not
shown, so every computation returns its records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

Number = int | Decimal


@dataclass(frozen=True)
class Filters:
    """What the dashboard, the report and the API filter on. ``year`` None means every year."""

    year: int | None = None
    organisation_id: int | None = None
    filiere_id: int | None = None
    departement: str | None = None
    size: str | None = None

    def with_(self, **changes: Any) -> Filters:
        return replace(self, **changes)

    @property
    def has_company_filter(self) -> bool:
        return bool(self.filiere_id or self.departement or self.size)


@dataclass(frozen=True)
class Column:
    """One column of a drill-down list: a French header and how to read the value from a
    record (numbers stay numbers for the spreadsheet)."""

    header: str
    value: Callable[[Any], Any]


@dataclass
class Figure:
    """A computed figure. ``value`` is None when it cannot be computed (a ratio over nothing).
    ``detail`` adds the "dont …" part of a figure ("76 emplois dont 28 V.I.E.")."""

    value: Number | None
    records: QuerySet
    columns: tuple[Column, ...]
    detail: str = ""
    parts: dict[str, Number] = field(default_factory=dict)


@dataclass(frozen=True)
class Computation:
    key: str
    label: str  # French, shown in the indicator form's choice list
    unit: str  # French unit ("entreprises", "€", "%", "€ par € d'aide")
    description: str  # French: exactly what is counted, and from which records
    source: str  # the capability it reads ("Guichet unique", "Aides individuelles"…)
    compute: Callable[[Filters], Figure]
    # Breakdowns the records allow (subset of plans.models.Breakdown values).
    breakdowns: frozenset[str] = frozenset({"partner", "filiere", "departement", "size"})
    # Templates read a computation's label and description; they must not call it.
    do_not_call_in_templates = True

    def __call__(self, filters: Filters) -> Figure:
        return self.compute(filters)


_REGISTRY: dict[str, Computation] = {}


def register(
    *,
    key: str,
    label: str,
    unit: str,
    description: str,
    source: str,
    breakdowns: Iterable[str] = ("partner", "filiere", "departement", "size"),
) -> Callable[[Callable[[Filters], Figure]], Callable[[Filters], Figure]]:
    """Decorator: add a function ``f(filters) -> Figure`` to the library under ``key``."""

    def add(function: Callable[[Filters], Figure]) -> Callable[[Filters], Figure]:
        if key in _REGISTRY and _REGISTRY[key].compute is not function:
            raise ValueError(f"computation {key!r} registered twice")
        _REGISTRY[key] = Computation(
            key=key,
            label=label,
            unit=unit,
            description=description,
            source=source,
            compute=function,
            breakdowns=frozenset(breakdowns),
        )
        return function

    return add


def get(key: str) -> Computation | None:
    return _REGISTRY.get(key)


def all_computations() -> list[Computation]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.source, c.label))


def choices() -> list[tuple[str, str]]:
    return [(c.key, f"{c.source} – {c.label}") for c in all_computations()]
