"""Who may see and change what in the state-aid ledger (capability 8).

- The ledger holds amounts, regulations, granting bodies and dates — no personal data: every
  member who may open the company file sees it (and the single undertaking it belongs to).
- Declaring an aid the company received elsewhere: working members (every role but
  read-only), as they collect the company's declarations.
- Linking companies into a single undertaking, unlinking them, cancelling a ledger line and
  exporting the year's grants for the national register: instructors and managers of any
  organisation (they instruct aids against the ceilings), and administrators.
"""

from guichet.companies.permissions import can_view_company
from guichet.core.permissions import is_platform_admin

WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")
LEDGER_ROLES = ("instructor", "manager")


def _member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


def _working(user) -> bool:
    return bool(_member(user) and not user.has_role("readonly") and user.has_role(*WORKING_ROLES))


def _keeps_ledger(user) -> bool:
    return is_platform_admin(user) or bool(
        _member(user) and not user.has_role("readonly") and user.has_role(*LEDGER_ROLES)
    )


def can_view_ledger(user, company=None) -> bool:
    return can_view_company(user, company)


def can_declare_aid(user, company=None) -> bool:
    return can_view_ledger(user, company) and (_working(user) or is_platform_admin(user))


def can_view_undertakings(user) -> bool:
    return can_view_company(user)


def can_manage_undertakings(user) -> bool:
    """Create a single undertaking, link a company into it, unlink one."""
    return _keeps_ledger(user)


def can_cancel_grant(user, grant=None) -> bool:
    return _keeps_ledger(user)


def can_export_register(user) -> bool:
    return _keeps_ledger(user)
