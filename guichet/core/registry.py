"""Extension points through which each capability adds itself to the frame.

An app registers its navigation entries and home-page panels in its AppConfig.ready(); the
main navigation therefore shows one entry per capability that exists, and only to the users a
predicate admits.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int
    visible: Callable = field(default=lambda user: True)
    active_prefix: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A block of a user's home page; `context` returns its template context or None (hidden)."""

    key: str
    template: str
    order: int
    context: Callable


@dataclass(frozen=True)
class Retention:
    """Personal data a capability deletes or anonymises once its retention period is over.
    `pending()` counts what `purge()` would handle; both take no argument (today's date)."""

    key: str
    label: str  # plural French noun, e.g. "contact(s)"
    infinitive: str  # "supprimer", "anonymiser"
    done: str  # "supprimé(s)", "anonymisée(s)"
    rule: str  # the announced period, e.g. "3 ans après le dernier échange"
    pending: Callable
    purge: Callable


_nav: list[NavEntry] = []
_retentions: list[Retention] = []


def register_retention(retention: Retention) -> None:
    if all(existing.key != retention.key for existing in _retentions):
        _retentions.append(retention)


def retentions() -> list[Retention]:
    return list(_retentions)


_panels: list[HomePanel] = []


def register_nav(entry: NavEntry) -> None:
    if all(existing.url_name != entry.url_name for existing in _nav):
        _nav.append(entry)


def register_home_panel(panel: HomePanel) -> None:
    """A later registration under the same key replaces the earlier one: a capability replaces
    the empty-state block core registered for it."""
    _panels[:] = [existing for existing in _panels if existing.key != panel.key]
    _panels.append(panel)


def nav_entries_for(user) -> list[NavEntry]:
    return [entry for entry in sorted(_nav, key=lambda e: e.order) if entry.visible(user)]


def home_panels_for(user) -> list[tuple[HomePanel, dict]]:
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(user)
        if context is not None:
            shown.append((panel, context))
    return shown
