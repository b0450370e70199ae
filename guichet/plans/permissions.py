"""Who may see and change the plan (capability 10).

Every active member of a partner organisation reads the plan, its figures and their drill-down
lists: the lists show companies and amounts, never a person. The plan's structure (axes,
measures, indicators, targets) is changed by the managers of the plan's pilot organisation and
the platform's administrators. A manual value is entered by a working member of the
indicator's responsible partner, or by those who may change the plan. The impact evaluation
is read like the figures.
"""

from guichet.companies import permissions as company_permissions
from guichet.core.permissions import is_platform_admin

_WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def can_view_plans(user) -> bool:
    return company_permissions.can_search_registry(user)


def can_create_plan(user) -> bool:
    return is_platform_admin(user) or bool(
        can_view_plans(user) and user.has_role("manager") and not user.has_role("readonly")
    )


def can_edit_plan(user, plan) -> bool:
    if is_platform_admin(user):
        return True
    return bool(
        can_view_plans(user)
        and user.has_role("manager")
        and not user.has_role("readonly")
        and plan.owner_id is not None
        and plan.owner_id == user.organisation_id
    )


def can_enter_value(user, indicator) -> bool:
    if can_edit_plan(user, indicator.plan):
        return True
    return bool(
        can_view_plans(user)
        and user.organisation_id is not None
        and indicator.owner_id == user.organisation_id
        and user.has_role(*_WORKING_ROLES)
        and not user.has_role("readonly")
    )
