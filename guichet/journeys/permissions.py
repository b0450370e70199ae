"""Who may read and write the timeline, journeys, next actions, portfolios and the funnel
(capability 5).

The timeline tells who met the company and what was said: the members who work with companies
(every role but read-only) see it and add to it, as for contacts. Confidential events are
narrowed further to the recording organisation by `selectors.timeline_for`.

Journeys are shared between partners: an advisor of any organisation may follow a company,
change its stage or become its lead advisor. A next action belongs to its assignee's
organisation: its members (and administrators) complete or change it. A portfolio is seen by
its advisor, by the managers of the advisor's organisation and by administrators. The funnel
is for those who steer the plan (managers, administrators, read-only members).
"""

from guichet.companies import permissions as company_permissions
from guichet.core.permissions import is_platform_admin


def works_with_companies(user) -> bool:
    return company_permissions.can_view_contacts(user)


def can_view_timeline(user, company=None) -> bool:
    return company_permissions.can_view_contacts(user, company)


def can_add_timeline_note(user, company=None) -> bool:
    return company_permissions.can_view_contacts(user, company)


def can_view_journey(user, company=None) -> bool:
    return works_with_companies(user)


def can_change_journey(user, company=None) -> bool:
    return works_with_companies(user)


def can_add_action(user, company=None) -> bool:
    return works_with_companies(user)


def can_change_action(user, action) -> bool:
    if not works_with_companies(user):
        return False
    if is_platform_admin(user) or action.assignee_id == user.pk:
        return True
    return action.organisation_id is not None and action.organisation_id == user.organisation_id


def can_have_actions(user) -> bool:
    return works_with_companies(user)


def can_view_portfolio(user, owner) -> bool:
    """One's own portfolio; a colleague's for the managers of the same organisation and for
    administrators."""
    if not works_with_companies(user):
        return False
    if owner.pk == user.pk or is_platform_admin(user):
        return True
    return user.has_role("manager") and user.organisation_id == owner.organisation_id


def can_transfer_portfolio(user, owner) -> bool:
    return can_view_portfolio(user, owner)


def can_view_funnel(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (is_platform_admin(user) or user.has_role("manager", "admin", "readonly"))
    )
