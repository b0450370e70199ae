"""The "Offres pour cette entreprise" section of the company file: eligible offers first, then
those to check with the company (with the reason), then those it may not use (folded, with
the reason)."""

from guichet.offers import permissions
from guichet.offers.selectors import offers_for_company


def company_offers_section(company, user, request) -> dict | None:
    if not permissions.can_view_company_offers(user, company):
        return None
    ranked = offers_for_company(company)
    return {
        "total": len(ranked),
        "eligible": [(o, e) for o, e in ranked if e.eligible],
        "to_check": [(o, e) for o, e in ranked if e.to_check],
        "not_eligible": [(o, e) for o, e in ranked if e.not_eligible],
    }
