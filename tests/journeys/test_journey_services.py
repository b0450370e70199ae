"""The journey services: stages kept dated, the reason to leave, automation only forward, lead
advisor, transfer of a portfolio; next actions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.core.models import AuditEvent
from guichet.journeys.models import Journey, NextAction, Stage, StageChange, TimelineEvent
from guichet.journeys.services import (
    journey_set_lead,
    journey_set_stage,
    journey_start,
    journey_transfer,
    next_action_complete,
    next_action_create,
    next_action_reopen,
    next_action_update,
)
from tests.companies.conftest import make_company
from tests.conftest import make_user


def _history(company) -> list[tuple[str, str]]:
    return list(
        StageChange.objects.filter(journey__company=company)
        .order_by("at", "pk")
        .values_list("from_stage", "to_stage")
    )


def test_start_is_idempotent(company, advisor_a, advisor_b, org_a):
    first = journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    again = journey_start(
        company=company, lead_advisor=advisor_b, by=advisor_b, stage=Stage.CONTACTED
    )
    assert again.pk == first.pk
    journey = Journey.objects.get(company=company)
    assert (journey.stage, journey.lead_advisor, journey.organisation) == (
        Stage.IDENTIFIED,
        advisor_a,
        org_a,
    )
    assert _history(company) == [("", "identified")]
    event = TimelineEvent.objects.get(company=company)
    assert event.title == "Étape : Repérée (début du suivi)"
    assert event.text == "Conseiller référent : Claire Conseil"


def test_every_move_is_dated_and_kept(company, advisor_a):
    now = timezone.now()
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a, at=now - timedelta(30))
    journey_set_stage(
        company=company, stage=Stage.CONTACTED, by=advisor_a, at=now - timedelta(days=20)
    )
    journey_set_stage(company=company, stage=Stage.DIAGNOSED, by=advisor_a)
    journey_set_stage(company=company, stage=Stage.CONTACTED, by=advisor_a)
    assert _history(company) == [
        ("", "identified"),
        ("identified", "contacted"),
        ("contacted", "diagnosed"),
        ("diagnosed", "contacted"),
    ]
    journey = Journey.objects.get(company=company)
    assert journey.stage == Stage.CONTACTED
    assert now - journey.stage_since < timedelta(minutes=1)
    titles = list(
        TimelineEvent.objects.filter(company=company)
        .order_by("occurred_at", "pk")
        .values_list("title", flat=True)
    )
    assert titles[1:] == ["Étape : Contactée", "Étape : Diagnostiquée", "Étape : Contactée"]
    change = StageChange.objects.filter(journey=journey).last()
    assert change.by == advisor_a
    assert AuditEvent.objects.filter(object_type="journeys.Journey", action="update").exists()


def test_moving_to_the_same_stage_changes_nothing(company, advisor_a):
    journey_set_stage(company=company, stage=Stage.CONTACTED, by=advisor_a)
    journey_set_stage(company=company, stage=Stage.CONTACTED, by=advisor_a)
    assert _history(company) == [("", "contacted")]
    assert TimelineEvent.objects.filter(company=company).count() == 1


def test_set_stage_starts_the_journey_with_the_advisor_as_lead(company, advisor_a, manager_a):
    journey = journey_set_stage(company=company, stage=Stage.DIAGNOSED, by=advisor_a)
    assert (journey.stage, journey.lead_advisor) == (Stage.DIAGNOSED, advisor_a)
    other = make_company("552100555", "Fromagerie de Bresse")
    by_manager = journey_set_stage(company=other, stage=Stage.CONTACTED, by=manager_a)
    assert by_manager.lead_advisor is None
    assert by_manager.organisation == manager_a.organisation


def test_leaving_needs_a_reason(company, advisor_a):
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    with pytest.raises(ValidationError) as error:
        journey_set_stage(company=company, stage=Stage.DROPPED, by=advisor_a, reason="  ")
    assert error.value.message_dict == {
        "reason": ["Indiquez pourquoi l'entreprise sort du parcours (motif de sortie)."]
    }
    assert Journey.objects.get(company=company).stage == Stage.IDENTIFIED
    journey_set_stage(
        company=company, stage=Stage.DROPPED, by=advisor_a, reason="Pas de projet export"
    )
    journey = Journey.objects.get(company=company)
    assert (journey.stage, journey.dropped_reason) == (Stage.DROPPED, "Pas de projet export")
    assert StageChange.objects.filter(reason="Pas de projet export").exists()
    event = TimelineEvent.objects.filter(company=company).order_by("-pk").first()
    assert event.title == "Étape : Sortie du parcours"
    assert event.text.startswith("Motif : Pas de projet export")
    journey_set_stage(company=company, stage=Stage.CONTACTED, by=advisor_a)
    assert Journey.objects.get(company=company).dropped_reason == ""


def test_unknown_stage_and_future_date_are_refused(company, advisor_a):
    with pytest.raises(ValidationError) as error:
        journey_set_stage(company=company, stage="flying", by=advisor_a)
    assert error.value.message_dict["stage"][0].startswith("L'étape « flying » n'existe pas.")
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    with pytest.raises(ValidationError) as error:
        journey_set_stage(
            company=company,
            stage=Stage.CONTACTED,
            by=advisor_a,
            at=timezone.now() + timedelta(days=2),
        )
    assert error.value.message_dict == {
        "at": ["La date du changement d'étape ne peut pas être future."]
    }
    with pytest.raises(ValidationError) as error:
        journey_set_stage(
            company=company,
            stage=Stage.CONTACTED,
            by=advisor_a,
            at=timezone.now() - timedelta(days=2),
        )
    assert "ne peut pas précéder l'arrivée à l'étape actuelle" in error.value.messages[0]


def test_automation_only_moves_forward(company, advisor_a):
    journey_set_stage(company=company, stage=Stage.ACCOMPANIED, by=advisor_a)
    journey_set_stage(company=company, stage=Stage.DIAGNOSED, by=None, only_forward=True)
    assert Journey.objects.get(company=company).stage == Stage.ACCOMPANIED
    journey_set_stage(company=company, stage=Stage.FIRST_EXPORT, by=None, only_forward=True)
    assert Journey.objects.get(company=company).stage == Stage.FIRST_EXPORT
    journey_set_stage(company=company, stage=Stage.DROPPED, by=advisor_a, reason="Cessation")
    journey_set_stage(company=company, stage=Stage.DIAGNOSED, by=None, only_forward=True)
    assert Journey.objects.get(company=company).stage == Stage.DIAGNOSED
    last = StageChange.objects.filter(journey__company=company).last()
    assert (last.from_stage, last.to_stage, last.by) == ("dropped", "diagnosed", None)


def test_automation_dated_before_the_current_stage_is_not_refused(company, advisor_a):
    journey = journey_set_stage(company=company, stage=Stage.CONTACTED, by=advisor_a)
    journey_set_stage(
        company=company,
        stage=Stage.DIAGNOSED,
        by=None,
        at=timezone.now() - timedelta(days=3),
        only_forward=True,
    )
    change = StageChange.objects.filter(journey=journey).last()
    assert (change.to_stage, change.at) == ("diagnosed", journey.stage_since)


def test_automation_starts_a_journey_without_lead(company):
    journey = journey_set_stage(company=company, stage=Stage.DIAGNOSED, by=None, only_forward=True)
    assert (journey.stage, journey.lead_advisor, journey.organisation) == (
        Stage.DIAGNOSED,
        None,
        None,
    )


def test_set_lead(company, advisor_a, advisor_b, readonly_a):
    journey = journey_set_lead(company=company, lead_advisor=advisor_a, by=advisor_a)
    assert (journey.stage, journey.lead_advisor) == (Stage.IDENTIFIED, advisor_a)
    journey_set_lead(company=company, lead_advisor=advisor_b, by=advisor_b)
    journey = Journey.objects.get(company=company)
    assert (journey.lead_advisor, journey.organisation) == (advisor_b, advisor_b.organisation)
    event = TimelineEvent.objects.filter(company=company).order_by("-pk").first()
    assert event.title == "Conseiller référent : Bruno Autre (CCI Test)"
    assert event.text == "Précédemment : Claire Conseil."
    with pytest.raises(ValidationError) as error:
        journey_set_lead(company=company, lead_advisor=readonly_a, by=advisor_a)
    assert "Louis Lecteur ne peut pas être le conseiller référent" in error.value.messages[0]


@pytest.fixture
def portfolio(reference, advisor_a):
    companies = [make_company(f"55210{n:04d}", f"Entreprise {n}") for n in range(4)]
    for company in companies:
        journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    return companies


def _action(company, assignee, title="Rappeler", due=None):
    return next_action_create(
        company=company,
        title=title,
        due_on=due or timezone.localdate() + timedelta(days=3),
        assignee=assignee,
        by=assignee,
    )


def test_transfer_of_the_whole_portfolio(portfolio, advisor_a, org_a, manager_a):
    colleague = make_user("marie.collegue@test.example", org_a, ["advisor"])
    open_action = _action(portfolio[0], advisor_a)
    elsewhere = _action(make_company("552109999", "Hors portefeuille"), advisor_a, "Relancer")
    done = next_action_complete(action=_action(portfolio[1], advisor_a), by=advisor_a)
    moved = journey_transfer(from_user=advisor_a, to_user=colleague, by=manager_a)
    assert moved == {"journeys": 4, "actions": 2}
    assert not Journey.objects.filter(lead_advisor=advisor_a).exists()
    assert Journey.objects.filter(lead_advisor=colleague).count() == 4
    for action in (open_action, elsewhere):
        action.refresh_from_db()
        assert action.assignee == colleague
    done.refresh_from_db()
    assert done.assignee == advisor_a
    event = TimelineEvent.objects.filter(company=portfolio[2]).order_by("-pk").first()
    assert event.title == "Conseiller référent : Marie Collegue (Région Test)"
    assert event.author == manager_a
    assert event.text.startswith("Transfert du portefeuille de Claire Conseil.")


def test_transfer_of_part_of_the_portfolio(portfolio, advisor_a, org_a):
    colleague = make_user("marie.collegue@test.example", org_a, ["advisor"])
    kept_action = _action(portfolio[3], advisor_a)
    moved_action = _action(portfolio[0], advisor_a)
    moved = journey_transfer(
        from_user=advisor_a,
        to_user=colleague,
        by=advisor_a,
        company_ids=[portfolio[0].pk, portfolio[1].pk],
    )
    assert moved == {"journeys": 2, "actions": 1}
    led = set(Journey.objects.filter(lead_advisor=colleague).values_list("company_id", flat=True))
    assert led == {portfolio[0].pk, portfolio[1].pk}
    kept_action.refresh_from_db()
    moved_action.refresh_from_db()
    assert (kept_action.assignee, moved_action.assignee) == (advisor_a, colleague)


def test_transfer_only_to_an_active_colleague(portfolio, advisor_a, advisor_b):
    with pytest.raises(ValidationError) as error:
        journey_transfer(from_user=advisor_a, to_user=advisor_b, by=advisor_a)
    assert "même organisation" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        journey_transfer(from_user=advisor_a, to_user=advisor_a, by=advisor_a)
    assert error.value.messages == ["Choisissez un collègue (pas la personne elle-même)."]
    assert Journey.objects.filter(lead_advisor=advisor_a).count() == 4


def test_next_action_lifecycle(company, advisor_a, advisor_b):
    due = timezone.localdate() + timedelta(days=7)
    action = next_action_create(
        company=company,
        title=" Envoyer la plaquette Team France Export ",
        due_on=due,
        assignee=advisor_a,
        by=advisor_b,
        notes="Version anglaise",
    )
    saved = NextAction.objects.get(pk=action.pk)
    assert (saved.title, saved.due_on, saved.assignee, saved.created_by) == (
        "Envoyer la plaquette Team France Export",
        due,
        advisor_a,
        advisor_b,
    )
    assert saved.organisation == advisor_a.organisation
    next_action_update(action=saved, by=advisor_a, due_on=due + timedelta(days=1), title="Autre")
    saved.refresh_from_db()
    assert (saved.title, saved.due_on) == ("Autre", due + timedelta(days=1))
    next_action_complete(action=saved, by=advisor_a)
    saved.refresh_from_db()
    first_done = saved.done_at
    assert first_done is not None
    assert saved.done_by == advisor_a
    next_action_complete(action=saved, by=advisor_b)
    saved.refresh_from_db()
    assert (saved.done_at, saved.done_by) == (first_done, advisor_a)
    next_action_reopen(action=saved, by=advisor_a)
    saved.refresh_from_db()
    assert saved.done_at is None


def test_next_action_refusals_are_french_and_complete(company, advisor_a, readonly_a):
    with pytest.raises(ValidationError) as error:
        next_action_create(
            company=company,
            title=" ",
            due_on=timezone.localdate() - timedelta(days=1),
            assignee=readonly_a,
            by=advisor_a,
        )
    messages = error.value.message_dict
    assert messages["title"] == ["Indiquez l'action à mener."]
    assert messages["due_on"] == [
        "L'échéance est passée : choisissez aujourd'hui ou une date à venir."
    ]
    assert "ne peut pas être la personne à qui l'action est confiée" in messages["assignee"][0]
    assert not NextAction.objects.exists()
    past = next_action_create(
        company=company,
        title="Planifiée autrefois",
        due_on=date(2024, 1, 10),
        assignee=advisor_a,
        by=advisor_a,
        today=date(2024, 1, 2),
    )
    next_action_update(action=past, by=advisor_a, title="Toujours en retard")
    with pytest.raises(ValidationError):
        next_action_update(action=past, by=advisor_a, due_on=date(2024, 1, 11))
