"""The demo PAREX 2 plan: 3 axes, 11 measures, indicators for each measure, manual and
automatic, a target for every year of the plan and a value for the last completed year,
values that agree with the other capabilities' demo records, a mix of statuses, a yearly text
per measure; loading twice changes nothing.

The other apps' demos are loaded once for the module, as `manage.py load_demo` does (the
markets demo, slow and read by no indicator, is left out), inside a transaction rolled back
at the end of the module."""

import importlib
import io
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from guichet.companies.models import ExportFact
from guichet.plans import computations, demo, demo_plan, demo_survey, impact, impact_data
from guichet.plans.computations import Filters
from guichet.plans.models import (
    Indicator,
    LibraryEntry,
    ManualValue,
    MeasureReport,
    Plan,
    YearTarget,
)
from guichet.plans.selectors import evaluate_plan, plan_by_slug, value_for

PASSWORD = "demo-password-for-tests"
SKIPPED = {"guichet.markets", "guichet.plans"}


def load_others(out) -> None:
    call_command("load_reference_data", verbosity=0)
    for config in apps.get_app_configs():
        if not config.name.startswith("guichet.") or config.name in SKIPPED:
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        module.load(password=PASSWORD, stdout=out)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every demo loaded once; the tests read it (each inside its own savepoint)."""
    private = tmp_path_factory.mktemp("private")
    with (
        django_db_blocker.unblock(),
        override_settings(
            GUICHET_PRIVATE_DIR=private,
            GUICHET_MARKETS_DIR=private / "markets",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        out = io.StringIO()
        load_others(out)
        demo.load(password=PASSWORD, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def plan(loaded, db) -> Plan:
    return plan_by_slug("parex-2")


def today() -> date:
    return timezone.localdate()


def last_completed() -> int:
    return today().year - 1


def test_the_plan_has_three_axes_and_eleven_measures(loaded, plan):
    assert "Plan PAREX 2 : 3 axes, 11 mesures" in loaded
    assert plan.name == "PAREX 2 – Plan régional d'actions pour l'export"
    assert plan.owner.slug == "region-bfc"
    assert [a.title for a in plan.axes.order_by("number")] == [
        "Communication, formation, information",
        "Coordination d'actions collectives",
        "Appui individuel aux entreprises",
    ]
    measures = list(plan.measures.order_by("number").select_related("axis", "lead"))
    assert [m.number for m in measures] == list(range(1, 12))
    assert [m.axis.number for m in measures] == [1] * 4 + [2] * 4 + [3] * 3
    assert measures[0].title == "Pré-détection d'entreprises ayant la capacité d'exporter"
    assert "Innov'export" in measures[10].title
    assert all(m.lead is not None and m.description for m in measures)
    # The plan covers the years of the demo records: up to the current one.
    assert plan.first_year <= last_completed() - 1
    assert plan.last_year >= today().year


def test_every_measure_has_indicators_manual_and_automatic(plan):
    indicators = list(plan.indicators.select_related("measure", "owner"))
    per_measure = Counter(i.measure.number for i in indicators)
    assert set(per_measure) == set(range(1, 12))
    automatic = [i for i in indicators if i.is_automatic]
    manual = [i for i in indicators if not i.is_automatic]
    assert len(automatic) >= 15
    assert len(manual) >= 8
    unknown = [i.computation for i in automatic if computations.get(i.computation) is None]
    assert unknown == []
    assert all(i.owner is not None and i.definition and i.unit for i in indicators)
    # Automatic indicators allow the breakdowns their computation offers.
    for indicator in automatic:
        allowed = computations.get(indicator.computation).breakdowns
        assert indicator.breakdowns
        assert set(indicator.breakdowns) <= allowed
    # The seed's manual indicators.
    names = {i.code: i.name for i in manual}
    assert names["M3-1"] == "Fiches de veille publiées"
    assert names["M7-1"] == "V.I.E. en poste à Hong Kong et au Chili"
    assert "évaluation externe" in names["M6-3"]
    assert "Candidatures V.I.E." in names["M4-2"]


def test_baselines_are_the_parex_1_figures(plan):
    baselines = {i.code: (i.baseline, i.baseline_year) for i in plan.indicators.all()}
    assert baselines["M1-3"] == (Decimal("344"), 2013)
    assert baselines["M5-1"] == (Decimal("500"), 2013)
    assert baselines["M4-1"] == (Decimal("1200"), 2013)
    assert baselines["M10-1"] == (Decimal("76"), 2013)
    assert baselines["M10-2"] == (Decimal("28"), 2013)
    assert baselines["M11-1"] == (Decimal("6.97"), 2013)
    assert "76 emplois dont 28 V.I.E." in plan.indicators.get(code="M10-1").definition


def test_indicators_picked_from_the_library(plan):
    contracts = plan.indicators.get(code="M7-2")
    assert contracts.library_entry.source == "ARRICOD, indicateurs d'impact (UA 2014)"
    assert contracts.library_entry.name.startswith("nombre de contrats obtenus")
    assert LibraryEntry.objects.filter(source__startswith="ARRICOD").count() == 18


def test_a_target_for_every_year_and_a_value_for_the_last_completed_one(plan):
    year = last_completed()
    indicators = list(plan.indicators.all())
    for indicator in indicators:
        years = set(YearTarget.objects.filter(indicator=indicator).values_list("year", flat=True))
        assert years == set(plan.years), indicator.code
    without_value = []
    for indicator in indicators:
        value, figure, manual, _ = value_for(indicator, Filters(year=year))
        if value is None:
            without_value.append(indicator.code)
            # Only a ratio over no record has no value (no need received, no file closed).
            assert indicator.unit in ("%", "€ par € d'aide")
            assert figure is not None
            assert not figure.records.exists()
        if not indicator.is_automatic:
            assert manual is not None, indicator.code
            assert manual.source
            assert manual.entered_by
            assert manual.organisation
            assert manual.period == f"année {year}"
    assert len(without_value) <= 2
    # Each past year of the plan has manual values, entered after the year ended.
    for manual in ManualValue.objects.filter(indicator__plan=plan, year__lt=today().year):
        assert timezone.localtime(manual.entered_at).year == manual.year + 1


def test_the_current_year_is_filled_too(plan):
    results = [r for m in evaluate_plan(plan, Filters(year=today().year)) for r in m.results]
    with_value = [r for r in results if r.value is not None]
    assert len(with_value) >= len(results) - 2
    if today().month > 1:
        manual = [r for r in results if not r.indicator.is_automatic]
        assert all(r.manual is not None for r in manual)
        assert all(r.manual.period.startswith("1er janvier") for r in manual)


def test_statuses_are_a_mix(plan):
    for year in (last_completed(), today().year):
        statuses = Counter(
            r.status.key for m in evaluate_plan(plan, Filters(year=year)) for r in m.results
        )
        assert statuses["reached"] >= 3, (year, statuses)
        assert statuses["watch"] >= 2, (year, statuses)
        assert statuses["late"] >= 2, (year, statuses)


def test_targets_follow_the_demo_volumes(plan):
    """Where the records give a value, the target is of the same order (from 60 % to 130 %
    of what the year called for, the current one pro rata)."""
    year = last_completed()
    for indicator in plan.indicators.prefetch_related("targets"):
        value, *_ = value_for(indicator, Filters(year=year))
        target = indicator.targets.get(year=year).value
        if value:
            assert Decimal("0.6") <= Decimal(value) / target <= Decimal("1.3"), indicator.code
        if indicator.unit == "%":
            assert target <= 95


def test_values_agree_with_the_other_capabilities_records(plan):
    from guichet.diagnostics.models import Diagnostic
    from guichet.vie import selectors as vie

    year = last_completed()
    missions = {t.key: t.count for t in vie.missions_per_year()}
    assert missions[year] > 0

    def value(code):
        return value_for(plan.indicators.get(code=code), Filters(year=year))[0]

    assert value("M10-2") == missions[year]
    assert value("M4-1") == vie.students_made_aware(year).students > 0
    completed = Diagnostic.objects.filter(completed_at__year=year).count()
    assert completed > 0
    assert value("M1-3") == completed
    assert value("M9-1") > 0
    assert value("M5-1") > 0
    assert value("M6-1") > 0


def test_a_yearly_text_for_each_measure(plan):
    reports = MeasureReport.objects.filter(measure__plan=plan)
    years = range(plan.first_year, today().year + 1)
    assert reports.count() == 11 * len(years)
    assert all(r.author is not None and r.text for r in reports)
    past = reports.get(measure__number=1, year=last_completed())
    assert "Chiffres de l'année : " in past.text
    assert "Diagnostics export réalisés : " in past.text
    current = reports.get(measure__number=1, year=today().year)
    assert "Chiffres" not in current.text  # the year is not over


def test_loading_twice_changes_nothing(plan):
    def snapshot():
        return (
            list(Plan.objects.values_list("pk", "updated_at")),
            list(Indicator.objects.values_list("pk", "code")),
            list(YearTarget.objects.order_by("pk").values_list("pk", "year", "value")),
            list(ManualValue.objects.order_by("pk").values_list("pk", "value")),
            list(MeasureReport.objects.order_by("pk").values_list("pk", "text")),
            LibraryEntry.objects.count(),
        )

    before = snapshot()
    out = io.StringIO()
    demo.load(password=PASSWORD, stdout=out)
    assert "Plan PAREX 2 : déjà chargé" in out.getvalue()
    assert snapshot() == before


def test_the_demo_survey_gives_the_impact_page_an_estimate(loaded, plan):
    """The regional survey's wave (demo_survey) gives the impact page, on its default period
    and outcome, accompanied companies paired with comparable non-accompanied ones, and this
    year's new exporters."""
    assert "Enquête export régionale : " in loaded
    year = today().year
    assert demo_survey.default_period(today()) == (plan.first_year, min(plan.last_year, year))
    table = impact_data.company_table(
        outcome="exporter", first_year=plan.first_year, last_year=year, observed_on=today()
    )
    result = impact.estimate_impact(
        impact_data.analysis_table(table, "exporter"),
        covariates=impact_data.COVARIATES,
        exact=("prior_status",),
    )
    assert result.n_pairs >= 10
    assert result.att.low < result.att.high
    assert computations.get("new_exporters").compute(Filters(year=year)).value > 0
    # A second load records no second wave.
    answers = ExportFact.objects.filter(comment=demo_survey.COMMENT).count()
    demo.load(password=PASSWORD, stdout=io.StringIO())
    assert ExportFact.objects.filter(comment=demo_survey.COMMENT).count() == answers > 0


# --- target choice, without the demo --------------------------------------------------------

PAST = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("value", "wanted", "unit", "expected"),
    [
        (Decimal(58), "reached", "entreprises", (Decimal(55), "reached")),
        (Decimal(58), "watch", "entreprises", (Decimal(70), "watch")),
        (Decimal(58), "late", "entreprises", (Decimal(90), "late")),
        # No whole number makes 2 "to watch" (2/3 < 75 %): the next status is taken.
        (Decimal(2), "watch", "entreprises", (Decimal(2), "reached")),
        (Decimal("385050"), "watch", "€", (Decimal(455000), "watch")),
        # A share is never given a target above 95 %.
        (Decimal(70), "late", "%", (Decimal(83), "watch")),
    ],
)
def test_target_for_status_in_a_past_year(value, wanted, unit, expected):
    assert demo.target_for_status(value, wanted, year=2025, unit=unit, today=PAST) == expected


def test_target_for_status_in_the_current_year_is_pro_rata():
    # 1 June: 152 days of 365 elapsed; 50 done is "to watch" against a target of 145
    # (60.4 expected by then, 50 / 60.4 = 83 %).
    target, status = demo.target_for_status(
        Decimal(50), "watch", year=2026, unit="diagnostics", today=PAST
    )
    assert (target, status) == (Decimal(145), "watch")


def test_the_plan_data_is_complete():
    codes = [s.code for s in demo_plan.INDICATORS]
    assert len(codes) == len(set(codes))
    assert {s.measure for s in demo_plan.INDICATORS} == set(range(1, 12))
    assert set(demo_plan.REPORTS) == set(range(1, 12))
    for spec in demo_plan.INDICATORS:
        if not spec.computations:
            assert spec.source, spec.code
            assert set(spec.values) == {-3, -2, -1, 0}, spec.code
