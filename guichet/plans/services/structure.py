"""Writes of the plan's structure: the plan, its axes and measures, each measure's yearly text."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from guichet.plans.models import (
    Axis,
    Indicator,
    ManualValue,
    Measure,
    MeasureReport,
    Plan,
    YearTarget,
)
from guichet.plans.services.checks import (
    _SLUG,
    MAX_PLAN_YEARS,
    RESERVED_SLUGS,
    _Errors,
    _in_plan,
    _long_text,
    _save,
    _still_active,
    _text,
    _year,
)

# --- plans -----------------------------------------------------------------------------------


def _plan_fields(*, fields: dict, plan: Plan | None) -> dict:
    errors = _Errors()
    clean = {
        "name": _text(errors, "name", fields.get("name"), label="Nom du plan", limit=200),
        "description": _long_text(errors, fields, "description", label="Description"),
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
    return _save(plan, _plan_fields(fields=locals(), plan=plan))


# --- axes and measures ---------------------------------------------------------------------


def _number_in_plan(errors, value, *, model, plan, label, exclude_pk=None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 999:
        errors.add("number", f"Le numéro de {label} est un nombre entier de 1 à 999.")
        return None
    taken = model.objects.filter(plan=plan, number=value).exclude(pk=exclude_pk).first()
    if taken is not None:
        errors.add("number", f"Le numéro {value} est déjà pris dans ce plan : {taken}.")
    return value


def _numbered(errors, fields, *, model, plan, label, exclude_pk) -> dict:
    """The number, title and description of an axis or a measure."""
    return {
        "number": _number_in_plan(
            errors, fields.get("number"), model=model, plan=plan, label=label, exclude_pk=exclude_pk
        ),
        "title": _text(errors, "title", fields.get("title"), label="Intitulé", limit=200),
        "description": _long_text(errors, fields, "description", label="Description"),
    }


def _axis_fields(*, plan, fields, exclude_pk=None) -> dict:
    errors = _Errors()
    clean = _numbered(errors, fields, model=Axis, plan=plan, label="l'axe", exclude_pk=exclude_pk)
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
    return _save(axis, clean)


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
    clean = _numbered(
        errors, fields, model=Measure, plan=plan, label="la mesure", exclude_pk=exclude_pk
    )
    clean["axis"] = _in_plan(
        errors,
        "axis",
        fields.get("axis"),
        model=Axis,
        plan=plan,
        missing="Choisissez l'axe de la mesure.",
        elsewhere="L'axe « {} » appartient à un autre plan.",
    )
    clean["lead"] = _still_active(errors, "lead", fields.get("lead"))
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
    return _save(measure, clean)


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
