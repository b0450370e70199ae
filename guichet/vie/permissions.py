"""Who may read and write V.I.E. missions and awareness sessions (capability 8).

Neither holds personal data (volunteers are not named, a session counts students), so every
active member of a partner organisation reads them, read-only members included: they feed
the plan's indicators. Members who work with companies (every role but read-only) record
new ones; a mission or a session is then edited by the organisation that recorded it, and by
the platform's administrators.
"""

from guichet.companies import permissions as company_permissions
from guichet.core.permissions import is_platform_admin

_WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def _works_for_a_partner(user) -> bool:
    return bool(
        company_permissions.can_search_registry(user)
        and user.organisation_id is not None
        and user.has_role(*_WORKING_ROLES)
        and not user.has_role("readonly")
    )


def can_view_vie(user) -> bool:
    """Missions, sessions and their figures."""
    return company_permissions.can_search_registry(user)


def can_record_vie(user) -> bool:
    """Record a new mission or session (for one's own organisation)."""
    return is_platform_admin(user) or _works_for_a_partner(user)


def can_edit_mission(user, mission) -> bool:
    """Edit, extend and record the outcome of a mission."""
    if is_platform_admin(user):
        return True
    return _works_for_a_partner(user) and mission.organisation_id == user.organisation_id


def can_edit_session(user, session) -> bool:
    if is_platform_admin(user):
        return True
    return _works_for_a_partner(user) and session.organisation_id == user.organisation_id


def organisation_edits(organisation, record) -> bool:
    """An API key acts for its organisation: it changes only what that organisation recorded."""
    return organisation is not None and record.organisation_id == organisation.pk
