"""Home-page block "Mon portefeuille": the companies I lead per stage, my overdue actions and
the companies to contact again, each a link into the filtered page."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from guichet.journeys import permissions
from guichet.journeys.models import NextAction, Stage
from guichet.journeys.portfolio import alert_days, stage_counts, to_contact
from guichet.journeys.selectors import today


def _action_counts(user, day) -> dict[str, int]:
    return NextAction.objects.filter(assignee=user, done_at__isnull=True).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=day)),
        due_today=Count("pk", filter=Q(due_on=day)),
    )


def portfolio_panel(user) -> dict | None:
    if not permissions.works_with_companies(user):
        return None
    counts = stage_counts(user)
    total = sum(counts.values())
    if not total and not user.has_role("advisor"):
        return None
    day = today()
    days = alert_days()
    url = reverse("journeys:portfolio")
    return {
        "total": total,
        "stages": [
            {
                "label": label,
                "count": counts[value],
                "url": url + "?" + urlencode({"stage": value}),
            }
            for value, label in Stage.choices
            if counts[value]
        ],
        "actions": _action_counts(user, day),
        "to_contact": to_contact(owner=user, viewer=user, days=days).count() if total else 0,
        "alert_days": days,
        "alert_url": url + "?" + urlencode({"relance": "on", "jours": days}),
        "portfolio_url": url,
        "actions_url": reverse("journeys:my_actions"),
        "search_url": reverse("companies:search"),
    }
