"""Who may see and change what in partners and access (capability 12).

Administrators (role `admin`) run the platform: they manage organisations, users, roles and API
keys. Every member sees the directory of partner organisations; the members of an organisation
are visible to that organisation and to administrators only.
"""

from guichet.core.permissions import is_platform_admin
from guichet.partners.models import Organisation


def can_view_directory(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_organisation(user, organisation: Organisation) -> bool:
    if not can_view_directory(user):
        return False
    return user.organisation_id == organisation.pk or is_platform_admin(user)


def can_manage_partners(user) -> bool:
    return is_platform_admin(user)


def can_manage_users(user) -> bool:
    return is_platform_admin(user)


def can_view_user(user, target) -> bool:
    if not can_view_directory(user):
        return False
    if user.pk == target.pk or is_platform_admin(user):
        return True
    return user.has_role("manager") and user.organisation_id == target.organisation_id


def can_manage_api_keys(user) -> bool:
    return is_platform_admin(user)


def can_view_key_figures(user) -> bool:
    return bool(user.is_authenticated and user.has_role("manager", "admin", "readonly"))
