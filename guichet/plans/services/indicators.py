"""Writes of indicators: their definition, a pick from the library, yearly targets and the
values entered by hand."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone

from guichet.plans import computations
from guichet.plans.models import (
    Breakdown,
    Direction,
    Indicator,
    LibraryEntry,
    ManualValue,
    Measure,
    Plan,
    YearTarget,
)
from guichet.plans.services.checks import (
    _CODE,
    RESERVED_CODES,
    _Errors,
    _in_plan,
    _long_text,
    _number,
    _save,
    _still_active,
    _text,
    _year,
)

# --- indicators ----------------------------------------------------------------------------


def _code(errors, value, *, plan, exclude_pk=None) -> str:
    code = str(value or "").strip()
    if not code:
        errors.add("code", "Indiquez le code de l'indicateur (par exemple 1.1).")
    elif len(code) > 20:
        errors.add("code", f"Le code fait {len(code)} caractères ; 20 au plus.")
    elif not _CODE.match(code):
        errors.add(
            "code",
            "Le code s'écrit avec des lettres sans accents, des chiffres, des points, des "
            "tirets ou des soulignés (par exemple 1.1 ou M3-b).",
        )
    elif code.lower() in RESERVED_CODES:
        errors.add(
            "code", f"« {code} » est réservé par les pages du plan : choisissez-en un autre."
        )
    else:
        taken = (
            Indicator.objects.filter(plan=plan, code__iexact=code).exclude(pk=exclude_pk).first()
        )
        if taken is not None:
            errors.add("code", f"Le code {code} est déjà pris dans ce plan par « {taken.name} ».")
    return code


def _computation_and_breakdowns(errors, key, breakdowns) -> tuple[str, list[str]]:
    key = str(key or "")
    chosen = list(dict.fromkeys(breakdowns or []))
    unknown = [b for b in chosen if b not in Breakdown.values]
    if unknown:
        errors.add("breakdowns", f"Ventilation inconnue : {', '.join(unknown)}.")
        return key, chosen
    if not key:
        if chosen:
            errors.add(
                "breakdowns",
                "Une valeur saisie à la main vaut pour tout le plan : elle ne se ventile pas. "
                "Décochez les ventilations ou choisissez un calcul automatique.",
            )
        return key, chosen
    computation = computations.get(key)
    if computation is None:
        errors.add("computation", "Ce calcul n'existe pas dans la bibliothèque.")
        return key, chosen
    refused = [b for b in chosen if b not in computation.breakdowns]
    if refused:
        labels = ", ".join(str(Breakdown(b).label).lower() for b in refused)
        errors.add(
            "breakdowns",
            f"Le calcul « {computation.label} » ne se ventile pas par : {labels}.",
        )
    order = list(Breakdown.values)
    return key, sorted(chosen, key=order.index)


def _indicator_fields(*, plan, fields, exclude_pk=None) -> dict:
    errors = _Errors()
    clean = {
        "code": _code(errors, fields.get("code"), plan=plan, exclude_pk=exclude_pk),
        "name": _text(errors, "name", fields.get("name"), label="Intitulé", limit=300),
        "definition": _long_text(errors, fields, "definition", label="Définition"),
    }
    clean["measure"] = _in_plan(
        errors,
        "measure",
        fields.get("measure"),
        model=Measure,
        plan=plan,
        missing="Choisissez la mesure de l'indicateur.",
        elsewhere="La mesure « {} » appartient à un autre plan.",
    )
    direction = fields.get("direction") or Direction.UP
    if direction not in Direction.values:
        errors.add("direction", "Choisissez le sens de l'indicateur.")
    clean["direction"] = direction
    clean["owner"] = _still_active(errors, "owner", fields.get("owner"))
    key, chosen = _computation_and_breakdowns(
        errors, fields.get("computation"), fields.get("breakdowns")
    )
    clean["computation"], clean["breakdowns"] = key, chosen
    unit = _text(errors, "unit", fields.get("unit"), label="Unité", limit=40, required=False)
    if not unit and key and computations.get(key) is not None:
        unit = computations.get(key).unit
    clean["unit"] = unit
    clean["baseline"] = _number(
        errors, "baseline", fields.get("baseline"), label="la valeur de référence", required=False
    )
    baseline_year = fields.get("baseline_year")
    if baseline_year in (None, ""):
        if clean["baseline"] is not None:
            errors.add("baseline_year", "Indiquez l'année de la valeur de référence.")
        baseline_year = None
    else:
        baseline_year = _year(
            errors,
            "baseline_year",
            baseline_year,
            label="l'année de référence",
            last=plan.last_year,
        )
        if baseline_year is not None and fields.get("baseline") in (None, ""):
            errors.add("baseline", "Indiquez la valeur de référence de cette année.")
    clean["baseline_year"] = baseline_year
    order = fields.get("order") or 0
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 999:
        errors.add("order", "L'ordre est un nombre entier de 0 à 999.")
    clean["order"] = order
    errors.raise_if_any()
    return clean


@transaction.atomic
def indicator_create(
    *,
    plan: Plan,
    measure: Measure,
    code: str,
    name: str,
    definition: str = "",
    unit: str = "",
    direction: str = Direction.UP,
    owner=None,
    baseline: Decimal | None = None,
    baseline_year: int | None = None,
    computation: str = "",
    breakdowns: list[str] | tuple[str, ...] = (),
    library_entry: LibraryEntry | None = None,
    order: int = 0,
    by=None,
) -> Indicator:
    """An indicator of ``measure``: computed when ``computation`` names a function of the
    library, entered by hand when it is empty."""
    clean = _indicator_fields(plan=plan, fields=locals())
    return Indicator.objects.create(plan=plan, library_entry=library_entry, **clean)


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    measure: Measure,
    code: str,
    name: str,
    definition: str = "",
    unit: str = "",
    direction: str = Direction.UP,
    owner=None,
    baseline: Decimal | None = None,
    baseline_year: int | None = None,
    computation: str = "",
    breakdowns: list[str] | tuple[str, ...] = (),
    order: int = 0,
    by=None,
) -> Indicator:
    """Change an indicator. Its targets and the values entered by hand are kept (switching to a
    computation leaves them as a record: a computed indicator does not read them)."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    clean = _indicator_fields(plan=indicator.plan, fields=locals(), exclude_pk=indicator.pk)
    return _save(indicator, clean)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by=None) -> None:
    """Remove an indicator with its targets and values (each removal is in the audit log)."""
    ManualValue.objects.filter(indicator=indicator).delete()
    YearTarget.objects.filter(indicator=indicator).delete()
    indicator.delete()


def _unused_code(plan: Plan, base: str) -> str:
    taken = {c.lower() for c in Indicator.objects.filter(plan=plan).values_list("code", flat=True)}
    if base.lower() not in taken:
        return base
    n = 2
    while f"{base}-{n}".lower() in taken:
        n += 1
    return f"{base}-{n}"


def suggested_code(measure: Measure) -> str:
    """The next free code of a measure: "3.1", "3.2"…"""
    count = Indicator.objects.filter(measure=measure).count()
    return _unused_code(measure.plan, f"{measure.number}.{count + 1}")


@transaction.atomic
def indicator_from_library(
    *, plan: Plan, measure: Measure, entry: LibraryEntry, code: str = "", by=None
) -> Indicator:
    """A library entry picked into a measure: its name and unit, its proposed computation when
    the library has it (with every breakdown that computation allows), else entered by hand.
    Targets are set afterwards. ``code`` defaults to the measure's next free code."""
    computation = computations.get(entry.computation) if entry.computation else None
    family = entry.get_family_display()
    definition = (
        f"{family} de la bibliothèque ARRICOD : accès à la donnée "
        f"{_rating(entry.access)}/5, pertinence {_rating(entry.relevance)}/5."
    )
    if entry.source:
        definition += f" Source : {entry.source}."
    return indicator_create(
        plan=plan,
        measure=measure,
        code=code or suggested_code(measure),
        name=entry.name[:1].upper() + entry.name[1:],
        definition=definition,
        unit=entry.unit or (computation.unit if computation else ""),
        owner=plan.owner if plan.owner and plan.owner.is_active else None,
        computation=computation.key if computation else "",
        breakdowns=sorted(computation.breakdowns, key=list(Breakdown.values).index)
        if computation
        else (),
        library_entry=entry,
        by=by,
    )


def _rating(value) -> str:
    return f"{Decimal(value):f}".rstrip("0").rstrip(".").replace(".", ",")


# --- targets and values --------------------------------------------------------------------


def _plan_year(errors, field, indicator: Indicator, year) -> int | None:
    plan = indicator.plan
    if isinstance(year, int) and not isinstance(year, bool) and year not in plan.years:
        errors.add(
            field,
            f"{year} n'est pas une année du plan {plan.name} ({plan.first_year}-{plan.last_year}).",
        )
        return None
    return _year(errors, field, year, label="l'année")


@transaction.atomic
def target_set(*, indicator: Indicator, year: int, value: Decimal | None, by=None):
    """The indicator's target for ``year`` (a year of the plan); None removes it."""
    errors = _Errors()
    year = _plan_year(errors, "year", indicator, year)
    number = _number(errors, "value", value, label="la cible", required=False)
    errors.raise_if_any()
    return _write_target(indicator, year, number)


def _write_target(indicator, year, number):
    current = YearTarget.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if number is None:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return YearTarget.objects.create(indicator=indicator, year=year, value=number)
    if current.value != number:
        current.value = number
        current.save()
    return current


@transaction.atomic
def targets_set(*, indicator: Indicator, values: dict[int, Decimal | None], by=None) -> None:
    """Every year's target at once (the targets page): all are checked before any is written.
    Errors are keyed ``target_<year>``."""
    errors = _Errors()
    clean = {}
    for year, value in values.items():
        field = f"target_{year}"
        if _plan_year(errors, field, indicator, year) is not None:
            clean[year] = _number(errors, field, value, label="la cible", required=False)
    errors.raise_if_any()
    for year, number in clean.items():
        _write_target(indicator, year, number)


@transaction.atomic
def manual_value_enter(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal,
    source: str,
    period: str = "",
    by=None,
) -> ManualValue:
    """A realised value of a manual indicator for a year that has begun. It becomes the year's
    value; the earlier entries stay as the history."""
    errors = _Errors()
    if indicator.is_automatic:
        errors.add(
            NON_FIELD_ERRORS,
            "Cet indicateur est calculé à partir des enregistrements de la plateforme : "
            "sa valeur ne se saisit pas.",
        )
    year = _plan_year(errors, "year", indicator, year)
    today = timezone.localdate()
    if year is not None and year > today.year:
        errors.add("year", f"L'année {year} n'a pas commencé : saisissez la valeur plus tard.")
    number = _number(errors, "value", value, label="la valeur")
    source = _text(errors, "source", source, label="Source", limit=300)
    period = _text(errors, "period", period, label="Période", limit=60, required=False)
    errors.raise_if_any()
    return ManualValue.objects.create(
        indicator=indicator,
        year=year,
        period=period,
        value=number,
        source=source,
        entered_by=by if getattr(by, "pk", None) else None,
        organisation=getattr(by, "organisation", None),
        entered_at=timezone.now(),
    )
