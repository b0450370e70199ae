"""The state-aid ledger in the API: a company's position at a date against each ceiling, its
single undertaking and the ledger lines. Amounts, regulations and granting bodies are not
personal data: an API key reads the ledger of every company its organisation may open (every
company of the registry, as for the company file)."""

import re
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from ninja import Router, Schema

from guichet.companies.models import Company
from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.stateaid import rules, selectors
from guichet.stateaid.forms import POSITION_YEARS
from guichet.stateaid.models import StateAidGrant

router = Router(tags=["Aides d'État"])

_SIREN = re.compile(r"^\d{9}$")
CENT = Decimal("0.01")


class UndertakingOut(Schema):
    name: str
    members: list[str]


class PositionOut(Schema):
    regulation: str
    label: str
    total: Decimal
    ceiling: Decimal | None
    headroom: Decimal | None


class GrantOut(Schema):
    id: int
    siren: str
    company: str
    granted_on: date
    amount: Decimal
    regulation: str
    regulation_label: str
    granting_body: str
    source: str
    source_label: str
    description: str
    counts: bool
    cancelled_at: datetime | None
    cancelled_reason: str


class StateAidOut(Schema):
    siren: str
    at: date
    window_start: date
    undertaking: UndertakingOut | None
    regulations: list[PositionOut]
    grants: list[GrantOut]


def _company(siren: str) -> Company:
    if not _SIREN.match(siren):
        raise _invalid(
            DjangoValidationError({"siren": "Le SIREN compte exactement 9 chiffres."}), "path"
        )
    company = Company.objects.filter(siren=siren).first()
    if company is None:
        raise ApiNotFound(f"Aucune entreprise de SIREN {siren} dans le registre.")
    return company


def _at(value: str | None) -> date:
    if value in (None, ""):
        return timezone.localdate()
    try:
        when = date.fromisoformat(value)
    except ValueError:
        when = None
    if when is None or not POSITION_YEARS[0] <= when.year <= POSITION_YEARS[1]:
        raise _invalid(
            DjangoValidationError(
                {
                    "at": "Date invalide : format AAAA-MM-JJ attendu, entre "
                    f"{POSITION_YEARS[0]} et {POSITION_YEARS[1]}."
                }
            ),
            "query",
        )
    return when


def _money(amount: Decimal | None) -> Decimal | None:
    """Amounts travel as strings with two decimals ("300000.00"): exact, unlike floats."""
    return None if amount is None else Decimal(amount).quantize(CENT)


def _grant(line: StateAidGrant, at: date) -> dict:
    return {
        "id": line.pk,
        "siren": line.company.siren,
        "company": line.company.name,
        "granted_on": line.granted_on,
        "amount": _money(line.amount),
        "regulation": line.regulation,
        "regulation_label": str(line.get_regulation_display()),
        "granting_body": line.granting_body,
        "source": line.source,
        "source_label": str(line.get_source_display()),
        "description": line.description,
        "counts": line.cancelled_at is None and rules.counts_at(line.granted_on, at),
        "cancelled_at": line.cancelled_at,
        "cancelled_reason": line.cancelled_reason,
    }


@router.get(
    "/companies/{siren}/state-aid",
    response=StateAidOut,
    summary="Aides d'État d'une entreprise : total sur trois ans, plafond et reste par règlement "
    "à une date (aujourd'hui par défaut), entreprise unique, lignes du registre",
)
def state_aid(request, siren: str, at: str | None = None):
    company = _company(siren)
    when = _at(at)
    group = selectors.group_of(company)
    undertaking = None
    if group is not None:
        members = selectors.group_members(group).order_by("company__siren")
        undertaking = {"name": group.name, "members": [m.company.siren for m in members]}
    lines = selectors.grants_of_undertaking(company, include_cancelled=True)
    return {
        "siren": company.siren,
        "at": when,
        "window_start": rules.window_start(when),
        "undertaking": undertaking,
        "regulations": [
            {
                "regulation": p.regulation,
                "label": p.label,
                "total": _money(p.total),
                "ceiling": _money(p.ceiling),
                "headroom": _money(p.headroom),
            }
            for p in selectors.positions_at(company, at=when)
        ],
        "grants": [_grant(line, when) for line in lines],
    }
