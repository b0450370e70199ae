"""Permission helpers shared by every app: a predicate's refusal becomes a 403."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def is_platform_admin(user) -> bool:
    """Administrators run the platform: partners, users, roles, audit log."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role("admin"))
        and not user.has_role("readonly")
    )


def can_view_audit_log(user) -> bool:
    return is_platform_admin(user)
