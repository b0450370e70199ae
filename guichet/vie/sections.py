"""The V.I.E. section of the company file: the company's missions, where they stand and what
became of the volunteers. No personal data (volunteers are not named)."""

from django.utils import timezone

from guichet.vie import durations, permissions, selectors


def missions_section(company, user, request):
    if not permissions.can_view_vie(user):
        return None
    today = timezone.localdate()
    rows = []
    for mission in selectors.missions(company=company):
        end = mission.extended_until or mission.ends_on
        status = selectors.status_of(mission, today)
        rows.append(
            {
                "mission": mission,
                "end": end,
                "duration": durations.describe(mission.starts_on, end),
                "status_label": selectors.STATUSES[status],
                "badge": selectors.BADGES.get(status, ""),
            }
        )
    return {"rows": rows, "can_record": permissions.can_record_vie(user)}
