"""Who may see and do what with individual aids (capability 8).

- Schemes: every member reads them; administrators and the managers of the provider
  organisation edit them.
- Filing: working members (every role but read-only) of any organisation file an application
  for a company; the company files through the account-less form or its signed link.
- The whole file (contact, expenses, documents, declarations, instruction, payments) belongs
  to the organisation that follows it, to the scheme's provider (who instructs and pays) and
  to administrators. Every other member who may open the company file sees that an aid
  exists, its scheme, status and amounts — never the documents or the contact.
- Instruction, committee decisions, agreements and payments: instructors and managers of the
  scheme's provider organisation, and administrators.
"""

from guichet.companies.permissions import can_view_company
from guichet.core.permissions import is_platform_admin

WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")
DECIDING_ROLES = ("instructor", "manager")


def _member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


def _works_with_companies(user) -> bool:
    return bool(
        _member(user) and user.has_role(*WORKING_ROLES) and not user.has_role("readonly")
    ) or is_platform_admin(user)


def _instructs_for(user, organisation_id) -> bool:
    return bool(
        _member(user)
        and not user.has_role("readonly")
        and user.has_role(*DECIDING_ROLES)
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


# --- schemes ---------------------------------------------------------------------------------


def can_view_schemes(user) -> bool:
    return _member(user) or is_platform_admin(user)


def can_manage_scheme(user, scheme=None) -> bool:
    """Create a scheme (scheme=None: a manager of any organisation, for its own) or edit one."""
    if is_platform_admin(user):
        return True
    if not (_member(user) and user.has_role("manager") and not user.has_role("readonly")):
        return False
    return scheme is None or scheme.provider_id == user.organisation_id


# --- applications ----------------------------------------------------------------------------


def can_file_application(user, company=None) -> bool:
    return _works_with_companies(user)


def can_view_application_summary(user, application) -> bool:
    """Scheme, status, amounts: whoever may open the company file."""
    return can_view_company(user, application.company)


def can_view_application(user, application) -> bool:
    """The whole file, documents and contact included (read-only members of those
    organisations read it too)."""
    if is_platform_admin(user):
        return True
    if not _member(user):
        return False
    return user.organisation_id in (application.organisation_id, application.scheme.provider_id)


def can_edit_application(user, application) -> bool:
    """Fill a draft or complete an incomplete file on the company's behalf."""
    from guichet.aids.services.states import COMPANY_EDITABLE

    return (
        _works_with_companies(user)
        and can_view_application(user, application)
        and application.status in COMPANY_EDITABLE
    )


def can_instruct(user, application) -> bool:
    return is_platform_admin(user) or _instructs_for(user, application.scheme.provider_id)


def can_decide(user, application) -> bool:
    return can_instruct(user, application)


def can_pay(user, application) -> bool:
    return can_instruct(user, application)


def can_withdraw(user, application) -> bool:
    return can_view_application(user, application) and _works_with_companies(user)


def can_list_applications(user) -> bool:
    return _works_with_companies(user) or (_member(user) and user.has_role(*DECIDING_ROLES))


# --- committee sessions, envelopes, ledger exports -------------------------------------------


def can_manage_sessions(user) -> bool:
    return is_platform_admin(user) or bool(
        _member(user) and not user.has_role("readonly") and user.has_role(*DECIDING_ROLES)
    )


def can_view_envelopes(user) -> bool:
    return is_platform_admin(user) or bool(
        _member(user) and user.has_role(*DECIDING_ROLES, "readonly")
    )


# --- API keys --------------------------------------------------------------------------------


def organisation_sees_file(organisation, application) -> bool:
    return organisation is not None and organisation.pk in (
        application.organisation_id,
        application.scheme.provider_id,
    )
