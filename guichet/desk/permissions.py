"""Who may do what at the one-stop desk (capability 3).

- The public (no account) states a need on /besoin/ and answers the survey by a signed link.
- Members of an organisation see the needs routed to it (its inbox) and answer them; members
  of other organisations do not see them (they see, on a company file, that a need exists and
  its status only).
- Advisors record a need received by phone, e-mail or a visit.
- Administrators edit subjects, routing rules and service levels, see every need, flag spam.
- Managers see the figures of the desk; administrators and managers see them for all.
"""

from guichet.core.permissions import is_platform_admin

_WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def _member(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.organisation_id is not None
        and not user.has_role("readonly")
        and user.has_role(*_WORKING_ROLES)
    )


def can_use_inbox(user) -> bool:
    return _member(user) or is_platform_admin(user)


def can_view_need(user, need) -> bool:
    """The full need (contact details included): its partners and administrators."""
    if is_platform_admin(user):
        return True
    if not _member(user):
        return False
    if need.source_organisation_id == user.organisation_id:
        return True  # the organisation that recorded or sent the need follows it
    if need.matches.filter(organisation_id=user.organisation_id).exists():
        return True
    # A need attached to an open one is seen by the partners of the open need.
    return bool(need.duplicate_of_id) and can_view_need(user, need.duplicate_of)


def can_answer_match(user, match) -> bool:
    return _member(user) and user.organisation_id == match.organisation_id


def can_record_need(user) -> bool:
    return _member(user)


def can_manage_routing(user) -> bool:
    return is_platform_admin(user)


def can_flag_spam(user, need=None) -> bool:
    return is_platform_admin(user)


def can_reroute(user, need=None) -> bool:
    """Send a need to another partner by hand: administrators, and the organisation that
    holds it (for a company it cannot help)."""
    if is_platform_admin(user):
        return True
    return need is not None and can_view_need(user, need)


def can_view_figures(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (is_platform_admin(user) or user.has_role("manager", "readonly"))
    )


def can_declare_absence(user, target=None) -> bool:
    """Anyone working at the desk declares their own absence; a manager of the organisation
    or an administrator declares it for someone else."""
    if is_platform_admin(user):
        return True
    if target is None or target.pk == user.pk:
        return _member(user)
    return (
        _member(user)
        and user.has_role("manager")
        and user.organisation_id == target.organisation_id
    )


def can_hand_over(user, target) -> bool:
    if is_platform_admin(user):
        return True
    return (
        _member(user)
        and user.has_role("manager")
        and user.organisation_id == target.organisation_id
    )
