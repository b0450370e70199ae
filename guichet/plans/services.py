"""Writes of the plan: its structure (axes, measures, indicators), yearly targets, values
entered by hand and the yearly "what was done" of each measure.

Every check is here, in French, so that the pages, the API and the demo refuse the same things
with the same words. Rules:
- a plan's identifier is its address (``/plans/<slug>/``): lower-case words joined by hyphens,
  never one of the words the pages use themselves ("nouveau", "bibliotheque");
- an indicator's code is unique in its plan and is part of its address too;
- an indicator is computed by a function of the library (``computations``) or entered by hand;
  a manual value is the whole plan's, so only a computed indicator can be broken down, and only
  along the dimensions its computation's records allow;
- targets and values belong to the plan's years; a value is entered for a year that has begun;
- a value entered again for the same year does not erase the previous one: the latest counts
  and the earlier ones stay as the history.
The audit log records each write (the models are ``@audited``); the acting user is the request's
or the one given to ``guichet.core.audit.acting_as``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.plans import computations
from guichet.plans.models import (
    Axis,
    Breakdown,
    Direction,
    Indicator,
    LibraryEntry,
    ManualValue,
    Measure,
    MeasureReport,
    Plan,
    YearTarget,
)

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


# --- plans -----------------------------------------------------------------------------------


def _plan_fields(*, fields: dict, plan: Plan | None) -> dict:
    errors = _Errors()
    clean = {
        "name": _text(errors, "name", fields.get("name"), label="Nom du plan", limit=200),
        "description": _text(
            errors,
            "description",
            fields.get("description"),
            label="Description",
            limit=5000,
            required=False,
            multiline=True,
        ),
    }
    first = _year(errors, "first_year", fields.get("first_year"), label="la première année")
    last = _year(errors, "last_year", fields.get("last_year"), label="la dernière année")
    if first is not None and last is not None:
        if last < first:
            errors.add(
                "last_year",
                f"La dernière année ({last}) ne peut pas précéder la première ({first}).",
            )
        elif last - first + 1 > MAX_PLAN_YEARS:
            errors.add(
                "last_year", f"Un plan couvre au plus {MAX_PLAN_YEARS} ans ({first}-{last} ici)."
            )
        elif plan is not None:
            _years_still_cover(errors, plan, first, last)
    clean["first_year"], clean["last_year"] = first, last
    owner = fields.get("owner")
    if owner is None:
        errors.add("owner", "Choisissez l'organisation pilote du plan.")
    elif not getattr(owner, "is_active", False):
        errors.add("owner", f"L'organisation {owner} n'est plus active.")
    clean["owner"] = owner
    errors.raise_if_any()
    return clean


def _years_still_cover(errors, plan: Plan, first: int, last: int) -> None:
    """Shortening a plan must not orphan its targets and values."""
    outside = [
        year
        for year in sorted(
            set(YearTarget.objects.filter(indicator__plan=plan).values_list("year", flat=True))
            | set(ManualValue.objects.filter(indicator__plan=plan).values_list("year", flat=True))
        )
        if not first <= year <= last
    ]
    if outside:
        listed = ", ".join(str(year) for year in outside)
        errors.add(
            "first_year" if outside[0] < first else "last_year",
            f"Des cibles ou des valeurs sont enregistrées pour {listed} : gardez ces années "
            "dans le plan ou supprimez-les d'abord.",
        )


def _slug(errors, value, *, exclude_pk=None) -> str:
    slug = str(value or "").strip()
    if not slug:
        errors.add("slug", "Indiquez l'identifiant du plan (par exemple parex-2).")
    elif len(slug) > 60:
        errors.add("slug", f"L'identifiant fait {len(slug)} caractères ; 60 au plus.")
    elif not _SLUG.match(slug):
        errors.add(
            "slug",
            "L'identifiant s'écrit en minuscules sans accents, chiffres et tirets "
            "(par exemple parex-2).",
        )
    elif slug in RESERVED_SLUGS:
        errors.add(
            "slug", f"« {slug} » est réservé par les pages du plan : choisissez-en un autre."
        )
    elif Plan.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        errors.add("slug", f"L'identifiant « {slug} » est déjà pris par un autre plan.")
    return slug


@transaction.atomic
def plan_create(
    *,
    slug: str,
    name: str,
    first_year: int,
    last_year: int,
    owner,
    description: str = "",
    by=None,
) -> Plan:
    """A new plan; ``owner`` (the pilot organisation) is the one whose managers edit it."""
    errors = _Errors()
    slug = _slug(errors, slug)
    try:
        clean = _plan_fields(fields=locals(), plan=None)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(field, message)
    errors.raise_if_any()
    return Plan.objects.create(slug=slug, **clean)


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    name: str,
    first_year: int,
    last_year: int,
    owner,
    description: str = "",
    by=None,
) -> Plan:
    """Rename or re-date a plan. Its identifier does not change: links to it stay valid."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    clean = _plan_fields(fields=locals(), plan=plan)
    for name_, value in clean.items():
        setattr(plan, name_, value)
    plan.save()
    return plan


# --- axes and measures ---------------------------------------------------------------------


def _number_in_plan(errors, value, *, model, plan, label, exclude_pk=None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 999:
        errors.add("number", f"Le numéro de {label} est un nombre entier de 1 à 999.")
        return None
    taken = model.objects.filter(plan=plan, number=value).exclude(pk=exclude_pk).first()
    if taken is not None:
        errors.add("number", f"Le numéro {value} est déjà pris dans ce plan : {taken}.")
    return value


def _axis_fields(*, plan, fields, exclude_pk=None) -> dict:
    errors = _Errors()
    clean = {
        "number": _number_in_plan(
            errors,
            fields.get("number"),
            model=Axis,
            plan=plan,
            label="l'axe",
            exclude_pk=exclude_pk,
        ),
        "title": _text(errors, "title", fields.get("title"), label="Intitulé", limit=200),
        "description": _text(
            errors,
            "description",
            fields.get("description"),
            label="Description",
            limit=5000,
            required=False,
            multiline=True,
        ),
    }
    errors.raise_if_any()
    return clean


@transaction.atomic
def axis_create(*, plan: Plan, number: int, title: str, description: str = "", by=None) -> Axis:
    clean = _axis_fields(plan=plan, fields=locals())
    return Axis.objects.create(plan=plan, **clean)


@transaction.atomic
def axis_update(*, axis: Axis, number: int, title: str, description: str = "", by=None) -> Axis:
    axis = Axis.objects.select_for_update().get(pk=axis.pk)
    clean = _axis_fields(plan=axis.plan, fields=locals(), exclude_pk=axis.pk)
    for name, value in clean.items():
        setattr(axis, name, value)
    axis.save()
    return axis


@transaction.atomic
def axis_delete(*, axis: Axis, by=None) -> None:
    """An axis is removed once it holds no measure (its measures' indicators and figures are
    never deleted as a side effect)."""
    count = Measure.objects.filter(axis=axis).count()
    if count:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"L'axe {axis.number} compte {count} mesure(s) : déplacez-les "
                "ou supprimez-les d'abord."
            }
        )
    axis.delete()


def _measure_fields(*, plan, fields, exclude_pk=None) -> dict:
    errors = _Errors()
    clean = {
        "number": _number_in_plan(
            errors,
            fields.get("number"),
            model=Measure,
            plan=plan,
            label="la mesure",
            exclude_pk=exclude_pk,
        ),
        "title": _text(errors, "title", fields.get("title"), label="Intitulé", limit=200),
        "description": _text(
            errors,
            "description",
            fields.get("description"),
            label="Description",
            limit=5000,
            required=False,
            multiline=True,
        ),
    }
    axis = fields.get("axis")
    if not isinstance(axis, Axis):
        errors.add("axis", "Choisissez l'axe de la mesure.")
    elif axis.plan_id != plan.pk:
        errors.add("axis", f"L'axe « {axis} » appartient à un autre plan.")
    clean["axis"] = axis
    lead = fields.get("lead")
    if lead is not None and not lead.is_active:
        errors.add("lead", f"L'organisation {lead} n'est plus active.")
    clean["lead"] = lead
    errors.raise_if_any()
    return clean


@transaction.atomic
def measure_create(
    *,
    plan: Plan,
    axis: Axis,
    number: int,
    title: str,
    description: str = "",
    lead=None,
    by=None,
) -> Measure:
    clean = _measure_fields(plan=plan, fields=locals())
    return Measure.objects.create(plan=plan, **clean)


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    axis: Axis,
    number: int,
    title: str,
    description: str = "",
    lead=None,
    by=None,
) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    clean = _measure_fields(plan=measure.plan, fields=locals(), exclude_pk=measure.pk)
    for name, value in clean.items():
        setattr(measure, name, value)
    measure.save()
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, by=None) -> None:
    count = Indicator.objects.filter(measure=measure).count()
    if count:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"La mesure {measure.number} compte {count} indicateur(s) : "
                "supprimez-les d'abord."
            }
        )
    measure.delete()


@transaction.atomic
def measure_report_set(*, measure: Measure, year: int, text: str, by=None) -> MeasureReport | None:
    """What was done for the measure in ``year`` (the yearly report's text). An empty text
    removes the year's text."""
    errors = _Errors()
    plan = measure.plan
    year = _year(errors, "year", year, label="l'année", first=plan.first_year, last=plan.last_year)
    text = _text(
        errors, "text", text, label="Réalisations", limit=20000, required=False, multiline=True
    )
    errors.raise_if_any()
    report = MeasureReport.objects.select_for_update().filter(measure=measure, year=year).first()
    if not text:
        if report is not None:
            report.delete()
        return None
    if report is None:
        return MeasureReport.objects.create(measure=measure, year=year, text=text, author=by)
    report.text, report.author = text, by
    report.save()
    return report


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
        "definition": _text(
            errors,
            "definition",
            fields.get("definition"),
            label="Définition",
            limit=5000,
            required=False,
            multiline=True,
        ),
    }
    measure = fields.get("measure")
    if not isinstance(measure, Measure):
        errors.add("measure", "Choisissez la mesure de l'indicateur.")
    elif measure.plan_id != plan.pk:
        errors.add("measure", f"La mesure « {measure} » appartient à un autre plan.")
    clean["measure"] = measure
    direction = fields.get("direction") or Direction.UP
    if direction not in Direction.values:
        errors.add("direction", "Choisissez le sens de l'indicateur.")
    clean["direction"] = direction
    owner = fields.get("owner")
    if owner is not None and not owner.is_active:
        errors.add("owner", f"L'organisation {owner} n'est plus active.")
    clean["owner"] = owner
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
    for name_, value in clean.items():
        setattr(indicator, name_, value)
    indicator.save()
    return indicator


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
