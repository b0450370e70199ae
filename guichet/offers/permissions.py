"""Who may read and write the catalogue of offers (capability 6).

The catalogue is shared: every active member of a partner organisation reads it, read-only
members included (it holds no personal data), and sees which offers suit a company. An offer
is written by the platform's administrators and by the members of its provider organisation
who work with companies (every role but read-only): a partner keeps its own offers up to date,
never another's. The yearly guide is the published *programme export*: public.
"""

from guichet.companies import permissions as company_permissions
from guichet.core.permissions import is_platform_admin

_WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def can_view_catalogue(user) -> bool:
    return company_permissions.can_search_registry(user)


def can_view_company_offers(user, company=None) -> bool:
    return company_permissions.can_view_company(user, company)


def _works_for_a_partner(user) -> bool:
    return bool(
        can_view_catalogue(user)
        and user.organisation_id is not None
        and user.has_role(*_WORKING_ROLES)
        and not user.has_role("readonly")
    )


def can_create_offer(user) -> bool:
    """Administrators publish for any partner; a working member for its own organisation."""
    return is_platform_admin(user) or _works_for_a_partner(user)


def can_edit_offer(user, offer) -> bool:
    if is_platform_admin(user):
        return True
    return _works_for_a_partner(user) and offer.provider_id == user.organisation_id


def can_publish_for(user, organisation) -> bool:
    if is_platform_admin(user):
        return True
    return _works_for_a_partner(user) and organisation.pk == user.organisation_id


def provider_choices(user):
    """The organisations `user` may publish an offer for."""
    from guichet.partners.models import Organisation

    organisations = Organisation.objects.filter(is_active=True).order_by("name")
    if is_platform_admin(user):
        return organisations
    if _works_for_a_partner(user):
        return organisations.filter(pk=user.organisation_id)
    return organisations.none()
