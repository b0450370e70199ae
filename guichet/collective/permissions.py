"""Who may see and do what with collective actions (capability 7).

- The published programme is public (no personal data). Members see every action, draft ones
  included.
- Managing the programme and the actions (create, edit, publish, select participants, record
  attendance): managers of the organiser, and administrators.
- Registering a company: working members (every role but read-only) of any organisation; the
  company itself through the public form.
- A registration's details (contact, checklist, surveys) are seen by the organiser's members,
  the organisation that follows the company, and administrators; every member who may open the
  company file sees that the company takes part and its state.
- Ticking the preparation checklist, entering survey answers after a call: the participant's
  advisor, members of the following organisation and of the organiser (working roles).
- Results and the evaluator's export: members of any organisation (aggregates); the export with
  companies' names: managers and administrators.
"""

from guichet.companies.permissions import can_view_company
from guichet.core.permissions import is_platform_admin

WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def _member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


def _works(user) -> bool:
    return bool(
        _member(user) and user.has_role(*WORKING_ROLES) and not user.has_role("readonly")
    ) or is_platform_admin(user)


def can_view_actions(user) -> bool:
    return _member(user) or is_platform_admin(user)


def can_manage_action(user, action=None) -> bool:
    """Create an action (action=None: a manager of any organisation, for its own) or manage one."""
    if is_platform_admin(user):
        return True
    if not (_member(user) and user.has_role("manager") and not user.has_role("readonly")):
        return False
    return action is None or action.organiser_id == user.organisation_id


def can_manage_programme(user) -> bool:
    return can_manage_action(user)


def can_register_company(user, action=None) -> bool:
    return _works(user)


def can_view_registration_summary(user, registration) -> bool:
    return can_view_company(user, registration.company)


def can_view_registration(user, registration) -> bool:
    if is_platform_admin(user):
        return True
    return _member(user) and user.organisation_id in (
        registration.organisation_id,
        registration.action.organiser_id,
    )


def can_prepare(user, registration) -> bool:
    """Tick the checklist, enter survey answers, cancel for the company."""
    return _works(user) and (
        is_platform_admin(user)
        or registration.advisor_id == user.pk
        or user.organisation_id in (registration.organisation_id, registration.action.organiser_id)
    )


def can_view_results(user) -> bool:
    return _member(user) or is_platform_admin(user)


def can_export_participations(user) -> bool:
    return is_platform_admin(user) or bool(
        _member(user) and user.has_role("manager") and not user.has_role("readonly")
    )


def organisation_sees_registration(organisation, registration) -> bool:
    return organisation is not None and organisation.pk in (
        registration.organisation_id,
        registration.action.organiser_id,
    )
