"""Writes of the plan (guichet/plans/services/): each refusal in French, each write in the
audit log, and what the evaluation then shows — changing a target changes the status; manual
and computed indicators are evaluated together."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guichet.core.audit import acting_as
from guichet.core.models import AuditEvent
from guichet.plans import selectors, services
from guichet.plans.computations import Filters
from guichet.plans.models import (
    Axis,
    Indicator,
    LibraryEntry,
    ManualValue,
    Measure,
    MeasureReport,
    Plan,
    YearTarget,
)
from tests.conftest import make_user
from tests.plans import e_helpers  # noqa: F401  (registers test_e_count)
from tests.plans.conftest import make_indicator

ON = date(2025, 6, 30)  # the day the plan is evaluated in these tests


def _messages(error: ValidationError) -> dict:
    return error.value.message_dict


@pytest.fixture
def manager(org_a):
    return make_user("marie.pilote@test.example", org_a, ["manager"])


# --- plans --------------------------------------------------------------------------------


def test_plan_create_writes_the_plan_and_an_audit_row(org_a, manager):
    with acting_as(manager):
        plan = services.plan_create(
            slug="parex-3",
            name=" PAREX  3 ",
            first_year=2027,
            last_year=2031,
            owner=org_a,
            description="Troisième plan.",
            by=manager,
        )
    plan.refresh_from_db()
    assert (plan.slug, plan.name, plan.years) == (
        "parex-3",
        "PAREX 3",
        [2027, 2028, 2029, 2030, 2031],
    )
    event = AuditEvent.objects.get(object_type="plans.Plan", object_id=str(plan.pk))
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == manager
    assert event.changes["name"] == [None, "PAREX 3"]


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("nouveau", "« nouveau » est réservé par les pages du plan : choisissez-en un autre."),
        (
            "bibliotheque",
            "« bibliotheque » est réservé par les pages du plan : choisissez-en un autre.",
        ),
        (
            "PAREX 2",
            "L'identifiant s'écrit en minuscules sans accents, chiffres et tirets "
            "(par exemple parex-2).",
        ),
        ("parex-2", "L'identifiant « parex-2 » est déjà pris par un autre plan."),
        ("", "Indiquez l'identifiant du plan (par exemple parex-2)."),
    ],
)
def test_plan_create_refuses_bad_identifiers(plan, org_a, slug, message):
    with pytest.raises(ValidationError) as error:
        services.plan_create(slug=slug, name="Autre", first_year=2027, last_year=2030, owner=org_a)
    assert _messages(error)["slug"] == [message]
    assert Plan.objects.count() == 1


def test_plan_create_checks_years_name_and_owner(db):
    with pytest.raises(ValidationError) as error:
        services.plan_create(slug="p", name="", first_year=2030, last_year=2027, owner=None)
    messages = _messages(error)
    assert messages["name"] == ["Indiquez le champ « Nom du plan »."]
    assert messages["last_year"] == [
        "La dernière année (2027) ne peut pas précéder la première (2030)."
    ]
    assert messages["owner"] == ["Choisissez l'organisation pilote du plan."]
    with pytest.raises(ValidationError) as error:
        services.plan_create(slug="p", name="P", first_year=1990, last_year=2030, owner=None)
    assert _messages(error)["first_year"] == [
        "La première année doit être comprise entre 2000 et 2100."
    ]


def test_plan_update_keeps_the_years_that_hold_targets(plan, measure, org_a):
    make_indicator(measure, "1.1", targets={2022: 10, 2026: 50})
    with pytest.raises(ValidationError) as error:
        services.plan_update(
            plan=plan, name="PAREX 2", first_year=2023, last_year=2026, owner=org_a
        )
    assert _messages(error)["first_year"] == [
        "Des cibles ou des valeurs sont enregistrées pour 2022 : gardez ces années dans le plan "
        "ou supprimez-les d'abord."
    ]
    services.plan_update(plan=plan, name="PAREX II", first_year=2022, last_year=2027, owner=org_a)
    plan.refresh_from_db()
    assert (plan.name, plan.last_year, plan.slug) == ("PAREX II", 2027, "parex-2")


# --- axes, measures, reports ---------------------------------------------------------------


def test_axis_and_measure_numbers_are_unique_in_the_plan(plan, axis, measure, org_b):
    with pytest.raises(ValidationError) as error:
        services.axis_create(plan=plan, number=1, title="Doublon")
    assert _messages(error)["number"] == [
        "Le numéro 1 est déjà pris dans ce plan : Axe 1 – Communication, formation, information."
    ]
    second = services.axis_create(plan=plan, number=2, title="Accompagnement")
    moved = services.measure_create(
        plan=plan, axis=second, number=2, title="Diagnostic export", lead=org_b
    )
    assert (moved.axis, moved.lead, moved.plan) == (second, org_b, plan)
    with pytest.raises(ValidationError) as error:
        services.measure_update(measure=moved, axis=second, number=1, title="Diagnostic export")
    assert _messages(error)["number"] == [
        "Le numéro 1 est déjà pris dans ce plan : Mesure 1 – Pré-détection d'entreprises."
    ]


def test_a_measure_belongs_to_an_axis_of_its_plan(plan, org_a):
    other = Plan.objects.create(
        slug="autre", name="Autre", first_year=2022, last_year=2023, owner=org_a
    )
    foreign = Axis.objects.create(plan=other, number=1, title="Ailleurs")
    with pytest.raises(ValidationError) as error:
        services.measure_create(plan=plan, axis=foreign, number=1, title="Mesure")
    assert _messages(error)["axis"] == ["L'axe « Axe 1 – Ailleurs » appartient à un autre plan."]


def test_axis_and_measure_are_deleted_only_when_empty(plan, axis, measure):
    make_indicator(measure, "1.1")
    with pytest.raises(ValidationError) as error:
        services.measure_delete(measure=measure)
    assert "compte 1 indicateur(s)" in _messages(error)["__all__"][0]
    with pytest.raises(ValidationError):
        services.axis_delete(axis=axis)
    Indicator.objects.all().delete()
    services.measure_delete(measure=measure)
    services.axis_delete(axis=axis)
    assert not Axis.objects.filter(plan=plan).exists()


def test_measure_report_set_writes_updates_and_removes_the_year_text(measure, manager):
    report = services.measure_report_set(
        measure=measure,
        year=2024,
        text="500 entreprises différentes.\n344 diagnostiquées.",
        by=manager,
    )
    assert report.text == "500 entreprises différentes.\n344 diagnostiquées."
    assert report.author == manager
    services.measure_report_set(measure=measure, year=2024, text="510 entreprises.", by=manager)
    assert MeasureReport.objects.get(measure=measure, year=2024).text == "510 entreprises."
    assert services.measure_report_set(measure=measure, year=2024, text="  ", by=manager) is None
    assert not MeasureReport.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.measure_report_set(measure=measure, year=2030, text="Trop tard")
    assert _messages(error)["year"] == ["L'année doit être comprise entre 2022 et 2026."]


# --- indicators -----------------------------------------------------------------------------


def _indicator(plan, measure, **changes):
    values = {"plan": plan, "measure": measure, "code": "1.1", "name": "Entreprises identifiées"}
    values.update(changes)
    return services.indicator_create(**values)


def test_indicator_create_manual_and_automatic(plan, measure, org_b):
    manual = _indicator(plan, measure, unit="entreprises", owner=org_b)
    assert (manual.is_automatic, manual.breakdowns, manual.owner) == (False, [], org_b)
    automatic = _indicator(
        plan, measure, code="1.2", computation="test_e_count", breakdowns=["partner"]
    )
    assert automatic.is_automatic
    assert automatic.unit == "organisations"  # the computation's unit when none is given
    assert automatic.breakdowns == ["partner"]


def test_indicator_codes_are_unique_and_not_reserved(plan, measure):
    _indicator(plan, measure, code="M1-a")
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, code="m1-A")
    assert _messages(error)["code"] == [
        "Le code m1-A est déjà pris dans ce plan par « Entreprises identifiées »."
    ]
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, code="nouveau")
    assert _messages(error)["code"] == [
        "« nouveau » est réservé par les pages du plan : choisissez-en un autre."
    ]
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, code="1/2")
    assert "lettres sans accents, des chiffres" in _messages(error)["code"][0]


def test_breakdowns_follow_the_computation(plan, measure):
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, breakdowns=["filiere"])
    assert _messages(error)["breakdowns"] == [
        "Une valeur saisie à la main vaut pour tout le plan : elle ne se ventile pas. Décochez "
        "les ventilations ou choisissez un calcul automatique."
    ]
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, computation="test_e_count", breakdowns=["partner", "size"])
    assert _messages(error)["breakdowns"] == [
        "Le calcul « Organisations actives (test) » ne se ventile pas par : taille d'entreprise."
    ]
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, computation="inconnu")
    assert _messages(error)["computation"] == ["Ce calcul n'existe pas dans la bibliothèque."]


def test_baseline_needs_its_year_and_values_are_checked(plan, measure):
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, baseline=Decimal("120"), direction="sideways")
    messages = _messages(error)
    assert messages["baseline_year"] == ["Indiquez l'année de la valeur de référence."]
    assert messages["direction"] == ["Choisissez le sens de l'indicateur."]
    with pytest.raises(ValidationError) as error:
        _indicator(plan, measure, baseline=Decimal("-3"), baseline_year=2021)
    assert _messages(error)["baseline"] == ["La valeur de référence ne peut pas être négative."]
    ok = _indicator(plan, measure, baseline=Decimal("120.5"), baseline_year=2021)
    assert (ok.baseline, ok.baseline_year) == (Decimal("120.5"), 2021)


def test_indicator_update_and_delete_are_audited(plan, measure, manager):
    indicator = make_indicator(measure, "1.1", targets={2024: 10})
    ManualValue.objects.create(indicator=indicator, year=2024, value=4, source="Enquête")
    with acting_as(manager):
        services.indicator_update(
            indicator=indicator, measure=measure, code="1.1", name="Nouvel intitulé"
        )
        services.indicator_delete(indicator=indicator)
    assert not Indicator.objects.exists()
    assert not YearTarget.objects.exists()
    assert not ManualValue.objects.exists()
    events = AuditEvent.objects.filter(actor=manager).order_by("pk")
    assert [(e.object_type, e.action) for e in events] == [
        ("plans.Indicator", "update"),
        ("plans.ManualValue", "delete"),
        ("plans.YearTarget", "delete"),
        ("plans.Indicator", "delete"),
    ]
    assert events[0].changes["name"] == ["Indicateur 1.1", "Nouvel intitulé"]


# --- targets and values ---------------------------------------------------------------------


def test_target_set_writes_changes_and_removes(measure, manager):
    indicator = make_indicator(measure, "1.1")
    with acting_as(manager):
        services.target_set(indicator=indicator, year=2024, value=Decimal("100"))
        services.target_set(indicator=indicator, year=2024, value=Decimal("120"))
    assert YearTarget.objects.get(indicator=indicator, year=2024).value == Decimal("120")
    services.target_set(indicator=indicator, year=2024, value=None)
    assert not YearTarget.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="plans.YearTarget")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_targets_belong_to_the_plan_years(measure):
    indicator = make_indicator(measure, "1.1")
    with pytest.raises(ValidationError) as error:
        services.target_set(indicator=indicator, year=2021, value=Decimal("10"))
    assert _messages(error)["year"] == ["2021 n'est pas une année du plan PAREX 2 (2022-2026)."]
    with pytest.raises(ValidationError) as error:
        services.targets_set(
            indicator=indicator, values={2022: Decimal("10"), 2023: Decimal("-1"), 2024: None}
        )
    assert _messages(error) == {"target_2023": ["La cible ne peut pas être négative."]}
    assert not YearTarget.objects.exists()  # nothing written when one year is wrong
    services.targets_set(indicator=indicator, values={2022: Decimal("10"), 2023: Decimal("12.5")})
    assert dict(YearTarget.objects.values_list("year", "value")) == {
        2022: Decimal("10"),
        2023: Decimal("12.5"),
    }


def test_changing_a_target_updates_the_status(measure, manager):
    indicator = make_indicator(measure, "1.1", targets={2024: 100})
    services.manual_value_enter(
        indicator=indicator, year=2024, value=Decimal("80"), source="Rapport d'activité", by=manager
    )

    def status():
        fresh = selectors.indicators_of(measure.plan).get(pk=indicator.pk)
        return selectors.evaluate(fresh, Filters(year=2024), on=ON).status.key

    assert status() == "watch"  # 80 of 100
    services.target_set(indicator=indicator, year=2024, value=Decimal("80"), by=manager)
    assert status() == "reached"
    services.target_set(indicator=indicator, year=2024, value=Decimal("200"), by=manager)
    assert status() == "late"  # 40 %
    services.target_set(indicator=indicator, year=2024, value=None, by=manager)
    assert status() == "no_target"


def test_manual_value_enter_keeps_the_history_and_the_latest_counts(measure, manager, org_a):
    indicator = make_indicator(measure, "1.1")
    with acting_as(manager):
        first = services.manual_value_enter(
            indicator=indicator, year=2024, value=Decimal("40"), source="Enquête", by=manager
        )
        second = services.manual_value_enter(
            indicator=indicator,
            year=2024,
            value=Decimal("44"),
            source="Enquête corrigée",
            period="année civile",
            by=manager,
        )
    assert (second.entered_by, second.organisation, second.period) == (
        manager,
        org_a,
        "année civile",
    )
    assert list(selectors.manual_values(indicator).order_by("pk")) == [first, second]
    assert selectors.latest_manual_value(indicator, 2024) == second
    assert AuditEvent.objects.filter(object_type="plans.ManualValue", actor=manager).count() == 2


def test_manual_value_enter_refusals(measure):
    automatic = make_indicator(measure, "1.1", computation="test_e_count")
    manual = make_indicator(measure, "1.2")
    with pytest.raises(ValidationError) as error:
        services.manual_value_enter(indicator=automatic, year=2024, value=Decimal("1"), source="x")
    assert _messages(error)["__all__"] == [
        "Cet indicateur est calculé à partir des enregistrements de la plateforme : sa valeur "
        "ne se saisit pas."
    ]
    with pytest.raises(ValidationError) as error:
        services.manual_value_enter(indicator=manual, year=2024, value=Decimal("1.234"), source="")
    messages = _messages(error)
    assert messages["value"] == ["La valeur a au plus deux décimales."]
    assert messages["source"] == ["Indiquez le champ « Source »."]
    with pytest.raises(ValidationError) as error:
        services.manual_value_enter(indicator=manual, year=2019, value=Decimal("1"), source="x")
    assert _messages(error)["year"] == ["2019 n'est pas une année du plan PAREX 2 (2022-2026)."]


def test_manual_value_of_a_year_not_begun_is_refused(org_a, measure, settings):
    from django.utils import timezone

    this_year = timezone.localdate().year
    plan = Plan.objects.create(
        slug="futur", name="Futur", first_year=this_year, last_year=this_year + 2, owner=org_a
    )
    axis = Axis.objects.create(plan=plan, number=1, title="Axe")
    future_measure = Measure.objects.create(plan=plan, axis=axis, number=1, title="Mesure")
    indicator = make_indicator(future_measure, "1.1")
    with pytest.raises(ValidationError) as error:
        services.manual_value_enter(
            indicator=indicator, year=this_year + 1, value=Decimal("1"), source="x"
        )
    assert _messages(error)["year"] == [
        f"L'année {this_year + 1} n'a pas commencé : saisissez la valeur plus tard."
    ]


def test_manual_and_automatic_indicators_are_evaluated_together(
    plan, measure, org_a, org_b, manager
):
    manual = make_indicator(measure, "1.1", targets={2024: 100}, breakdowns=[])
    automatic = make_indicator(
        measure, "1.2", computation="test_e_count", targets={2024: 2}, breakdowns=["partner"]
    )
    services.manual_value_enter(
        indicator=manual, year=2024, value=Decimal("120"), source="Bilan CCI", by=manager
    )
    [measure_results] = selectors.evaluate_plan(plan, Filters(year=2024), on=ON)
    by_code = {r.indicator.code: r for r in measure_results.results}
    assert (by_code["1.1"].value, by_code["1.1"].status.key) == (Decimal("120"), "reached")
    assert by_code["1.1"].manual.source == "Bilan CCI"
    assert (by_code["1.2"].value, by_code["1.2"].status.key) == (2, "reached")  # org A and B
    assert [r.indicator for r in measure_results.results] == [manual, automatic]
    # Filtered by partner: the computation follows, the manual value (whole plan) does not.
    [filtered] = selectors.evaluate_plan(plan, Filters(year=2024, organisation_id=org_b.pk), on=ON)
    by_code = {r.indicator.code: r for r in filtered.results}
    assert by_code["1.2"].value == 1
    assert (by_code["1.1"].value, by_code["1.1"].not_broken_down) == (None, True)


# --- library -------------------------------------------------------------------------------


def test_indicator_from_library(plan, measure, manager):
    automatic_entry = LibraryEntry.objects.create(
        family="activity",
        name="nombre d'organisations actives (test E)",
        access=Decimal("4"),
        relevance=Decimal("2.5"),
        computation="test_e_count",
    )
    manual_entry = LibraryEntry.objects.create(
        family="impact",
        name="nombre de contrats obtenus par les entreprises (test E)",
        access=Decimal("2"),
        relevance=Decimal("4"),
        unit="contrats",
        source="UA 2014",
    )
    with acting_as(manager):
        first = services.indicator_from_library(
            plan=plan, measure=measure, entry=automatic_entry, by=manager
        )
        second = services.indicator_from_library(
            plan=plan, measure=measure, entry=manual_entry, by=manager
        )
    assert (first.code, first.name, first.computation) == (
        "1.1",
        "Nombre d'organisations actives (test E)",
        "test_e_count",
    )
    assert (first.unit, first.breakdowns, first.library_entry) == (
        "organisations",
        ["partner"],
        automatic_entry,
    )
    assert (second.code, second.is_automatic, second.unit, second.owner) == (
        "1.2",
        False,
        "contrats",
        plan.owner,
    )
    assert second.definition == (
        "Indicateur d'impact de la bibliothèque ARRICOD : accès à la donnée 2/5, pertinence "
        "4/5. Source : UA 2014."
    )
    assert "pertinence 2,5/5" in first.definition
    with pytest.raises(ValidationError) as error:
        services.indicator_from_library(plan=plan, measure=measure, entry=manual_entry, code="1.1")
    assert "déjà pris" in _messages(error)["code"][0]
    assert AuditEvent.objects.filter(object_type="plans.Indicator", actor=manager).count() == 2
