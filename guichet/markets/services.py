"""Writes of the market pages: cooperation agreements.

An agreement belongs to the organisation that recorded it (the région, a chamber, an
agency): it is shown on the country's fact sheet as part of the partners' presence. Every
check is here, in French, so that the page and any later API refuse the same things with
the same words; every write is in the audit log.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from guichet.core import audit
from guichet.markets.models import CooperationAgreement
from guichet.reference.models import Country

TITLE_MAX = 200
COUNTERPART_MAX = 200
FIRST_YEAR = 1950  # earlier dates are typing mistakes


def _errors(
    *, country, title: str, counterpart: str, signed_on: date | None, ends_on: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(country, Country):
        errors["country"] = ["Choisissez le pays de l'accord."]
    if not title:
        errors["title"] = ["Donnez un intitulé à l'accord."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"L'intitulé fait {len(title)} caractères ; {TITLE_MAX} au plus."]
    if len(counterpart) > COUNTERPART_MAX:
        errors["counterpart"] = [
            f"Le partenaire étranger fait {len(counterpart)} caractères ; "
            f"{COUNTERPART_MAX} au plus."
        ]
    for name, day in (("signed_on", signed_on), ("ends_on", ends_on)):
        if day is not None and day.year < FIRST_YEAR:
            errors[name] = [f"Date trop ancienne : indiquez une date après {FIRST_YEAR}."]
    if signed_on and ends_on and ends_on < signed_on and "ends_on" not in errors:
        errors["ends_on"] = [
            f"L'accord ne peut pas prendre fin avant d'être signé (le {signed_on:%d/%m/%Y})."
        ]
    return errors


def _fields(**values) -> dict:
    values["title"] = (values.get("title") or "").strip()
    values["counterpart"] = (values.get("counterpart") or "").strip()
    values["description"] = (values.get("description") or "").strip()
    return values


@transaction.atomic
def agreement_create(
    *,
    country: Country | None,
    title: str,
    organisation,
    by,
    counterpart: str = "",
    signed_on: date | None = None,
    ends_on: date | None = None,
    description: str = "",
) -> CooperationAgreement:
    """Record an agreement for `organisation` (the recording member's, or one an
    administrator chooses)."""
    values = _fields(
        country=country,
        title=title,
        counterpart=counterpart,
        signed_on=signed_on,
        ends_on=ends_on,
        description=description,
    )
    errors = _errors(**{k: v for k, v in values.items() if k != "description"})
    if organisation is None:
        errors.setdefault("organisation", []).append(
            "Choisissez l'organisation qui a signé ou suit l'accord."
        )
    if errors:
        raise ValidationError(errors)
    agreement = CooperationAgreement.objects.create(
        organisation=organisation, created_by=by, **values
    )
    audit.record(
        action="create",
        obj=agreement,
        actor=by,
        changes={name: _shown(value) for name, value in values.items()},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: CooperationAgreement,
    by,
    country: Country | None,
    title: str,
    counterpart: str = "",
    signed_on: date | None = None,
    ends_on: date | None = None,
    description: str = "",
) -> CooperationAgreement:
    values = _fields(
        country=country,
        title=title,
        counterpart=counterpart,
        signed_on=signed_on,
        ends_on=ends_on,
        description=description,
    )
    errors = _errors(**{k: v for k, v in values.items() if k != "description"})
    if errors:
        raise ValidationError(errors)
    changes = {}
    for name, value in values.items():
        before = getattr(agreement, name)
        if before != value:
            changes[name] = [_shown(before), _shown(value)]
            setattr(agreement, name, value)
    if changes:
        agreement.save()
        audit.record(action="update", obj=agreement, actor=by, changes=changes)
    return agreement


def _shown(value):
    if isinstance(value, Country):
        return value.iso3
    if isinstance(value, date):
        return value.isoformat()
    return value
