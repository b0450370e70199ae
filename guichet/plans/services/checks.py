"""Checks shared by the plan's services: French messages keyed by field."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_PLAN_YEARS = 20
# Words of the pages' own addresses: "/plans/nouveau/", "/plans/bibliotheque/…",
# "/plans/<slug>/indicateurs/nouveau/".
RESERVED_SLUGS = frozenset({"nouveau", "nouvelle", "bibliotheque", "modifier", "supprimer"})
RESERVED_CODES = frozenset({"nouveau", "nouvelle"})
MAX_VALUE = Decimal("99999999999999.99")  # 16 digits, 2 decimals
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _text(errors, field, value, *, label, limit, required=True, multiline=False) -> str:
    raw = str(value or "")
    if multiline:
        text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").split("\n")).strip()
        bad = _CONTROL.search(text.replace("\n", ""))
    else:
        text = " ".join(raw.split())
        bad = _CONTROL.search(text)
    if bad:
        errors.add(field, f"Le champ « {label} » contient des caractères non autorisés.")
    elif required and not text:
        errors.add(field, f"Indiquez le champ « {label} ».")
    elif len(text) > limit:
        errors.add(field, f"« {label} » fait {len(text)} caractères ; {limit} au plus.")
    return text


def _number(errors, field, value, *, label, required=True) -> Decimal | None:
    """A figure with at most two decimals, 0 or more."""
    if value is None or value == "":
        if required:
            errors.add(field, f"Indiquez {label}.")
        return None
    if isinstance(value, bool):
        errors.add(field, f"{label.capitalize()} doit être un nombre.")
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, f"{label.capitalize()} doit être un nombre.")
        return None
    if not number.is_finite():
        errors.add(field, f"{label.capitalize()} doit être un nombre.")
    elif number < 0:
        errors.add(field, f"{label.capitalize()} ne peut pas être négative.")
    elif number > MAX_VALUE:
        errors.add(field, f"{label.capitalize()} est trop grande (100 000 milliards au plus).")
    elif number != number.quantize(Decimal("0.01")):
        errors.add(field, f"{label.capitalize()} a au plus deux décimales.")
    else:
        return number
    return None


def _year(errors, field, value, *, label, first=FIRST_YEAR, last=LAST_YEAR) -> int | None:
    if value is None or value == "":
        errors.add(field, f"Indiquez {label}.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(field, f"{label.capitalize()} doit être une année (par exemple 2024).")
        return None
    if not first <= value <= last:
        errors.add(field, f"{label.capitalize()} doit être comprise entre {first} et {last}.")
        return None
    return value


def _long_text(errors, fields: dict, field: str, *, label: str) -> str:
    """An optional text of several lines (a description, a definition)."""
    return _text(
        errors, field, fields.get(field), label=label, limit=5000, required=False, multiline=True
    )


def _in_plan(errors, field: str, value, *, model, plan, missing: str, elsewhere: str):
    """``value`` must be a ``model`` row of ``plan`` (an axis, a measure); ``elsewhere`` is
    formatted with it."""
    if not isinstance(value, model):
        errors.add(field, missing)
    elif value.plan_id != plan.pk:
        errors.add(field, elsewhere.format(value))
    return value


def _still_active(errors, field: str, organisation):
    """An organisation chosen (optional) must still be active."""
    if organisation is not None and not organisation.is_active:
        errors.add(field, f"L'organisation {organisation} n'est plus active.")
    return organisation


def _save(instance, clean: dict):
    """Write the checked fields on ``instance`` (locked by the caller) and save it."""
    for name, value in clean.items():
        setattr(instance, name, value)
    instance.save()
    return instance
