"""Hand-over of a person's work to a colleague in one action (an advisor leaves or changes
job). Each capability registers what it transfers (desk matches, portfolio, …) from its
AppConfig.ready(); `hand_over` runs them all in one transaction."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Handover:
    key: str
    label: str  # French, e.g. "Demandes du guichet"
    transfer: Callable  # (*, from_user, to_user, by) -> dict[str, int] of what moved
    pending: Callable  # (user) -> int: how much would move


_handovers: list[Handover] = []
_page: dict[str, str] = {}


def set_handover_page(url_name: str) -> None:
    """The page (taking the user's pk) where the hand-over is run; linked from the user page."""
    _page["url_name"] = url_name


def handover_page() -> str | None:
    return _page.get("url_name")


def register_handover(handover: Handover) -> None:
    if all(existing.key != handover.key for existing in _handovers):
        _handovers.append(handover)


def handovers() -> list[Handover]:
    return list(_handovers)


def pending_work(user) -> list[tuple[Handover, int]]:
    return [(h, h.pending(user)) for h in _handovers]


@transaction.atomic
def hand_over(*, from_user, to_user, by) -> dict[str, dict]:
    return {h.key: h.transfer(from_user=from_user, to_user=to_user, by=by) for h in _handovers}
