"""Who may see and change what in the company registry (capability 1).

SIRENE identity data is public: every active member of a partner organisation may search the
registry and open a company file. Contacts are personal data: members who work with companies
(every role but read-only) see and edit them, and each read is audited. The export profile is
edited by the same members. Filières and SIRENE imports are run by administrators.
"""

from guichet.core.permissions import is_platform_admin

_WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def can_search_registry(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None) or (
        is_platform_admin(user)
    )


def can_view_company(user, company=None) -> bool:
    return can_search_registry(user)


def _works_with_companies(user) -> bool:
    return bool(
        can_search_registry(user)
        and user.has_role(*_WORKING_ROLES)
        and not user.has_role("readonly")
    )


def can_view_contacts(user, company=None) -> bool:
    return _works_with_companies(user)


def can_edit_contacts(user, company=None) -> bool:
    return _works_with_companies(user)


def can_edit_export_profile(user, company=None) -> bool:
    return _works_with_companies(user)


def can_manage_filieres(user) -> bool:
    return is_platform_admin(user)


def can_run_imports(user) -> bool:
    return is_platform_admin(user)
