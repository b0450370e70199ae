"""The "Offres pour cette entreprise" section of the company file: eligible offers first, then
those to check with the company (with the reason), then those it may not use (folded, with
the reason)."""

from guichet.offers import permissions
from guichet.offers.selectors import offers_for_company

# Eligible offers shown at once; the others are one click away (the file stays readable).
FIRST_SHOWN = 8


def company_offers_section(company, user, request) -> dict | None:
    if not permissions.can_view_company_offers(user, company):
        return None
    ranked = offers_for_company(company)
    eligible = [(o, e) for o, e in ranked if e.eligible]
    to_check = [(o, e) for o, e in ranked if e.to_check]
    not_eligible = [(o, e) for o, e in ranked if e.not_eligible]
    return {
        "total": len(ranked),
        "summary": _summary(len(eligible), len(to_check), len(not_eligible)),
        "eligible": eligible,
        "eligible_first": eligible[:FIRST_SHOWN],
        "eligible_more": eligible[FIRST_SHOWN:],
        "to_check": to_check,
        "not_eligible": not_eligible,
    }


def _summary(eligible: int, to_check: int, not_eligible: int) -> str:
    def plural(n: int) -> str:
        return "s" if n > 1 else ""

    parts = [
        f"{eligible} offre{plural(eligible)} accessible{plural(eligible)}"
        if eligible
        else "Aucune offre accessible d'emblée"
    ]
    if to_check:
        parts.append(f"{to_check} à vérifier avec l'entreprise")
    if not_eligible:
        parts.append(f"{not_eligible} non accessible{plural(not_eligible)}")
    return ", ".join(parts)
