"""Extension point through which other capabilities add a section to the company file.

An app registers its sections in its AppConfig.ready() (the timeline registers "Suivi", the
desk its needs…). The file shows, in `order`, every section whose `context(company, user,
request)` returns a dict; None hides it (for instance from users who may not see it).

The section's template is included with `section` = that dict and `section_key` = its key, on
top of the page's context (`company`, `request`, `user`…).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CompanySection:
    key: str
    template: str
    order: int
    context: Callable[..., dict | None]


_sections: list[CompanySection] = []


def register_company_section(section: CompanySection) -> None:
    """Registering the same key twice keeps the first (ready() may run more than once)."""
    if all(existing.key != section.key for existing in _sections):
        _sections.append(section)


def company_sections_for(company, user, request) -> list[tuple[CompanySection, dict]]:
    shown = []
    for section in sorted(_sections, key=lambda s: s.order):
        context = section.context(company, user, request)
        if context is not None:
            shown.append((section, context))
    return shown
