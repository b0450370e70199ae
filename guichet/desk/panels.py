"""Home-page block of the desk: what waits for my organisation, what is late, what is mine,
each a link into the inbox filtered."""

from urllib.parse import urlencode

from django.urls import reverse

from guichet.core.permissions import is_platform_admin
from guichet.desk import permissions, selectors
from guichet.desk.models import DeskPolicy, MatchStatus


def _inbox_url(**params) -> str:
    return reverse("desk:inbox") + "?" + urlencode(params)


def inbox_panel(user):
    if not permissions.can_use_inbox(user):
        return None
    policy = DeskPolicy.current()
    counts = selectors.inbox_counts(user, policy=policy, day=selectors.today())
    return {
        "counts": counts,
        "first_answer_days": policy.first_answer_days,
        "all_organisations": is_platform_admin(user),
        "organisation": user.organisation,
        "waiting_url": _inbox_url(status=MatchStatus.PENDING),
        "overdue_url": _inbox_url(status=MatchStatus.PENDING, age="late"),
        "mine_url": _inbox_url(mine="on"),
        "inbox_url": reverse("desk:inbox"),
    }
