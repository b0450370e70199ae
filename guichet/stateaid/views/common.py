"""What the ledger's pages share: finding the company, breadcrumbs, service errors on forms,
the warning shown when a single undertaking is over a ceiling."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from guichet.companies.models import Company
from guichet.core.money import euros
from guichet.stateaid import rules


def company_or_404(siren: str) -> Company:
    company = Company.objects.filter(siren=siren).first()
    if company is None:
        raise Http404("Aucune entreprise n'a ce numéro SIREN dans le registre.")
    return company


def company_breadcrumb(company: Company, current: str) -> dict:
    return {
        "links": [
            {"url": reverse("companies:search"), "title": "Entreprises"},
            {"url": reverse("companies:detail", args=[company.siren]), "title": company.name},
        ],
        "current": current,
        "root_dir": "/",
    }


def groups_breadcrumb(current: str | None = None) -> dict:
    links = []
    if current:
        links.append({"url": reverse("stateaid:groups"), "title": "Entreprises uniques"})
    return {"links": links, "current": current or "Entreprises uniques", "root_dir": "/"}


def add_errors(form, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def over_ceiling_messages(totals: dict[str, Decimal]) -> list[str]:
    """One French sentence per ceiling the single undertaking already exceeds (aids declared
    afterwards, or companies linked together, can take it over: the facts are recorded, the
    next grants will be refused)."""
    found = []
    for rule in rules.CEILING_RULES:
        used = sum((totals.get(code, Decimal("0")) for code in rule.counted), Decimal("0"))
        if used > rule.ceiling:
            found.append(
                f"Plafond dépassé — {rule.label} : {euros(used)} sur trois ans pour un plafond "
                f"de {euros(rule.ceiling)}. Aucune nouvelle aide ne pourra être accordée à ce "
                f"titre tant que des aides anciennes ne sortent pas de la période."
            )
    return found
