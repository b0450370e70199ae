"""Who may read and write the company timeline (capability 5).

The timeline tells who met the company and what was said: the members who work with companies
(every role but read-only) see it and add to it, as for contacts. Confidential events are
narrowed further to the recording organisation by `selectors.timeline_for`.
"""

from guichet.companies import permissions as company_permissions


def can_view_timeline(user, company=None) -> bool:
    return company_permissions.can_view_contacts(user, company)


def can_add_timeline_note(user, company=None) -> bool:
    return company_permissions.can_view_contacts(user, company)
