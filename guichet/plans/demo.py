"""The demo PAREX 2 plan (capability 10), loaded last by `manage.py load_demo` so that every
other capability's demo records exist.

- The indicator library (ARRICOD and the plans' activity indicators) is installed or brought
  up to date (the data migration does the same for every database).
- The plan (guichet.plans.demo_plan): three years back to next year, 3 axes, 11 measures,
  their indicators — automatic ones on the computation library, manual ones where the
  platform holds no record — with PAREX 1 baselines.
- Targets of automatic indicators are derived, at load time, from what the other demos
  recorded (guichet.plans.selectors.value_for), so that the statuses are a mix of reached,
  to watch and late whatever the other demos' volumes; a year before a capability has any
  record gets a target of 0 (the measure had not started on the platform). Manual indicators
  get values entered by their owner partner (source, author, date) and targets the same way.
- A yearly text per measure ("what was done"), with the past years' figures.

Written directly with the ORM (as the collective actions' demo does), inside acting_as so that
the audit trail names the demo load. Idempotent: nothing is written once the plan exists.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import timezone

from guichet.core.audit import acting_as
from guichet.core.charts import fr_number
from guichet.core.money import euros
from guichet.partners.models import Organisation, User
from guichet.plans import computations, demo_plan, demo_survey, library_data
from guichet.plans.computations import Filters
from guichet.plans.models import (
    Axis,
    Direction,
    Indicator,
    LibraryEntry,
    ManualValue,
    Measure,
    MeasureReport,
    Plan,
    YearTarget,
)
from guichet.plans.selectors import value_for
from guichet.plans.status import status_for, year_elapsed_share

# The statuses wanted in turn, indicator after indicator (shifted each year).
PATTERN = ("reached", "watch", "reached", "late", "reached", "watch", "late")
# Realised value / target wanted for each status (current year: / the share expected by today).
RATIOS = {"reached": Decimal("1.05"), "watch": Decimal("0.85"), "late": Decimal("0.68")}
ACCEPTED = {"reached": {"reached", "on_track"}, "watch": {"watch"}, "late": {"late"}}
FALLBACK = {
    "reached": ("watch", "late"),
    "watch": ("reached", "late"),
    "late": ("watch", "reached"),
}
GROWTH = Decimal("1.1")  # next years' targets
MAX_SHARE = Decimal(95)  # no target of a percentage above this
MAX_OVER = Decimal("1.3")  # a reached target is not below 1/1.3 of the value


def computation_of(spec: demo_plan.Spec) -> str:
    """The first of the spec's computations that the library has ("" for a manual one)."""
    for key in spec.computations:
        if computations.get(key) is not None:
            return key
    return ""


def _step(value: Decimal, unit: str) -> Decimal:
    if unit == "%":
        return Decimal(1)
    if unit == "€ par € d'aide":
        return Decimal("0.5")
    if unit == "€":
        return Decimal(1000) if value < 100_000 else Decimal(5000)
    if value < 50:
        return Decimal(1)
    return Decimal(5) if value < 500 else Decimal(10)


def _round(value: Decimal, step: Decimal, rounding) -> Decimal:
    return ((value / step).to_integral_value(rounding=rounding) * step).quantize(Decimal("0.01"))


def target_for_status(
    value: Decimal, wanted: str, *, year: int, unit: str, today: date
) -> tuple[Decimal, str]:
    """A round target that gives `value` the `wanted` status (or the nearest other one when no
    round number does, e.g. "to watch" for a value of 2), and the status it gives."""
    share = year_elapsed_share(year, today)
    for status in (wanted, *FALLBACK[wanted]):
        expected = value / RATIOS[status]
        if status == "reached":
            raw, rounding = expected, ROUND_FLOOR
        else:
            raw, rounding = expected / share, ROUND_CEILING
        step = _step(value, unit)
        candidates = [_round(raw, step, rounding), _round(raw, Decimal(1), rounding)]
        if status == "reached":
            candidates.append(value.quantize(Decimal("0.01")))  # small values: 2 for 2
        for candidate in candidates:
            if candidate <= 0 or (unit == "%" and candidate > MAX_SHARE):
                continue
            if status == "reached" and value / candidate > MAX_OVER:
                continue
            got = status_for(value, candidate, year=year, direction=Direction.UP, today=today)
            if got.key in ACCEPTED[status]:
                return candidate, status
    return max(value, Decimal(1)).quantize(Decimal("0.01")), "reached"


def _wanted(index: int, year_index: int) -> str:
    return PATTERN[(index + 2 * year_index) % len(PATTERN)]


def _targets(
    values: dict[int, Decimal | None],
    *,
    index: int,
    plan: Plan,
    spec: demo_plan.Spec,
    today: date,
) -> dict[int, Decimal]:
    """A target for each year of the plan from the realised values of the years so far."""
    if spec.target is not None:
        return {year: Decimal(spec.target) for year in plan.years}
    targets: dict[int, Decimal] = {}
    last = Decimal(0)
    for year_index, year in enumerate(plan.years):
        if year > today.year:
            if last:
                last = _round(last * GROWTH, _step(last, spec.unit), ROUND_CEILING)
                if spec.unit == "%":
                    last = min(last, MAX_SHARE)
            targets[year] = last
            continue
        value = values.get(year)
        if value is None or value == 0:
            # No record yet: a ratio keeps its nominal target; a count its last target
            # (0 before the capability's first record).
            targets[year] = Decimal(spec.nominal) if spec.nominal else last
            last = targets[year]
            continue
        target, _status = target_for_status(
            Decimal(value),
            _wanted(index, year_index),
            year=year,
            unit=spec.unit,
            today=today,
        )
        targets[year] = target
        last = target
    return targets


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour=hour)))


def _author(slug: str, users: dict[str, User]) -> User | None:
    return users.get(demo_plan.AUTHORS.get(slug, "")) or users.get(
        demo_plan.AUTHORS[demo_plan.OWNER]
    )


def _manual_values(indicator, spec, *, plan, organisations, users, today) -> int:
    made = 0
    for offset, text in sorted(spec.values.items()):
        year = today.year + offset
        if year < plan.first_year:
            continue
        if year < today.year:
            period = f"année {year}"
            entered = date(year + 1, 1, 10) + timedelta(days=zlib.crc32(spec.code.encode()) % 20)
        else:
            month_end = today.replace(day=1) - timedelta(days=1)
            if month_end.year < year:
                continue  # January: nothing to report for this year yet
            period = f"1er janvier – {month_end.day} {_MONTHS[month_end.month]} {year}"
            entered = min(today, month_end + timedelta(days=5))
        organisation = organisations.get(spec.owner)
        ManualValue.objects.create(
            indicator=indicator,
            year=year,
            period=period,
            value=Decimal(text),
            source=spec.source,
            entered_by=_author(spec.owner, users),
            organisation=organisation,
            entered_at=_moment(entered),
        )
        made += 1
    return made


_MONTHS = (
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _figure_text(indicator: Indicator, value) -> str:
    if not value:
        return ""  # nothing recorded (yet) for the year
    if indicator.unit == "€":
        return f"{indicator.name} : {euros(Decimal(value).quantize(Decimal(1)))}"
    decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 1
    return f"{indicator.name} : {fr_number(float(value), decimals)} {indicator.unit}".rstrip()


def _reports(plan, measures, indicators, values, *, organisations, users, today) -> int:
    made = 0
    for number, measure in measures.items():
        lead = next(slug for n, _a, _t, _d, slug in demo_plan.MEASURES if n == number)
        for offset, text in sorted(demo_plan.REPORTS[number].items()):
            year = today.year + offset
            if year < plan.first_year:
                continue
            body = text
            if year < today.year:
                figures = [
                    _figure_text(ind, values[ind.code].get(year))
                    for ind in indicators
                    if ind.measure_id == measure.pk
                ]
                figures = [f for f in figures if f]
                if figures:
                    body += "\n\nChiffres de l'année : " + " ; ".join(figures) + "."
            MeasureReport.objects.create(
                measure=measure, year=year, text=body, author=_author(lead, users)
            )
            made += 1
    return made


def build(*, today: date, stdout) -> Plan | None:
    """Create the demo plan as of `today` (the tests may fix it). Returns None when it
    exists already."""
    library_data.install(LibraryEntry)
    if Plan.objects.filter(slug=demo_plan.PLAN_SLUG).exists():
        stdout.write("Plan PAREX 2 : déjà chargé")
        return None
    organisations = {o.slug: o for o in Organisation.objects.all()}
    users = {u.email: u for u in User.objects.filter(email__in=demo_plan.AUTHORS.values())}
    plan = Plan.objects.create(
        slug=demo_plan.PLAN_SLUG,
        name=demo_plan.PLAN_NAME,
        description=demo_plan.PLAN_DESCRIPTION,
        first_year=today.year + demo_plan.FIRST_OFFSET,
        last_year=today.year + demo_plan.LAST_OFFSET,
        owner=organisations.get(demo_plan.OWNER),
    )
    axes = {
        number: Axis.objects.create(plan=plan, number=number, title=title, description=text)
        for number, title, text in demo_plan.AXES
    }
    measures = {
        number: Measure.objects.create(
            plan=plan,
            axis=axes[axis],
            number=number,
            title=title,
            description=text,
            lead=organisations.get(lead),
        )
        for number, axis, title, text, lead in demo_plan.MEASURES
    }
    library = {e.name: e for e in LibraryEntry.objects.all()}
    indicators: list[Indicator] = []
    values: dict[str, dict[int, Decimal | None]] = {}
    manual = 0
    past = [year for year in plan.years if year <= today.year]
    for order, spec in enumerate(demo_plan.INDICATORS, start=1):
        key = computation_of(spec)
        if spec.computations and not key:
            continue  # a computation this installation does not have
        indicator = Indicator.objects.create(
            plan=plan,
            measure=measures[spec.measure],
            code=spec.code,
            name=spec.name,
            definition=spec.definition,
            unit=spec.unit,
            direction=Direction.UP,
            owner=organisations.get(spec.owner),
            baseline=Decimal(spec.baseline) if spec.baseline else None,
            baseline_year=spec.baseline_year,
            computation=key,
            breakdowns=list(spec.breakdowns),
            library_entry=library.get(spec.library),
            order=order,
        )
        if not key:
            manual += _manual_values(
                indicator, spec, plan=plan, organisations=organisations, users=users, today=today
            )
        values[spec.code] = {year: value_for(indicator, Filters(year=year))[0] for year in past}
        targets = _targets(
            values[spec.code], index=len(indicators), plan=plan, spec=spec, today=today
        )
        YearTarget.objects.bulk_create(
            YearTarget(indicator=indicator, year=year, value=value)
            for year, value in targets.items()
        )
        indicators.append(indicator)
    reports = _reports(
        plan,
        measures,
        indicators,
        values,
        organisations=organisations,
        users=users,
        today=today,
    )
    automatic = sum(1 for i in indicators if i.is_automatic)
    stdout.write(
        f"Plan PAREX 2 : {len(axes)} axes, {len(measures)} mesures, {len(indicators)} "
        f"indicateurs ({automatic} calculés, {len(indicators) - automatic} saisis, "
        f"{manual} valeurs saisies), {reports} bilans de mesure"
    )
    return plan


def load(*, password: str, stdout) -> list:
    with acting_as(None, path="load_demo"):
        demo_survey.load(today=timezone.localdate(), stdout=stdout)
        build(today=timezone.localdate(), stdout=stdout)
    return []
