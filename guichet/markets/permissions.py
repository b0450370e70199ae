"""Who may read and load market data (capability 9).

Trade figures are public statistics, not personal data: every active member of a partner
organisation reads the market pages, read-only members included. Loading data (which replaces
a year for everyone) and changing the projection assumptions are for managers and the
platform's administrators; cooperation agreements are recorded by managers of an organisation
and edited by that organisation.
"""

from guichet.companies import permissions as company_permissions
from guichet.core.permissions import is_platform_admin


def can_view_markets(user) -> bool:
    """Explorer, country sheets, product space, assumptions (read)."""
    return company_permissions.can_search_registry(user)


def can_load_market_data(user) -> bool:
    """Load a trade year, distances or macro figures, from the web or a server path."""
    return is_platform_admin(user)


def can_edit_assumptions(user) -> bool:
    """Change the GDP and population projections the export potential uses."""
    return is_platform_admin(user) or bool(
        can_view_markets(user)
        and user.organisation_id is not None
        and user.has_role("manager")
        and not user.has_role("readonly")
    )


def can_record_agreement(user) -> bool:
    """Record a cooperation agreement for one's own organisation."""
    return can_edit_assumptions(user)


def can_edit_agreement(user, agreement) -> bool:
    if is_platform_admin(user):
        return True
    return can_record_agreement(user) and agreement.organisation_id == user.organisation_id
