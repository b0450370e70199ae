"""Demo collective actions on a fixed day: last year's 17 operations held with their results at
different response rates, this year's programme and next year's first fairs open, the ledger
in step with the subsidised participations; loading twice changes nothing."""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from guichet.collective import demo
from guichet.collective.models import (
    ChecklistTick,
    CollectiveAction,
    FollowUpSurvey,
    Registration,
    RegistrationEvent,
)
from guichet.collective.selectors_results import programme_results
from guichet.collective.services.states import SUBSIDISED
from guichet.journeys.models import TimelineEvent
from guichet.stateaid.models import StateAidGrant

PASSWORD = "demo-password-for-tests"
TODAY = date(2026, 11, 26)


@pytest.fixture
def loaded(db):
    from guichet.companies import demo as companies_demo
    from guichet.partners import demo as partners_demo

    call_command("load_reference_data", verbosity=0)
    out = io.StringIO()
    partners_demo.load(password=PASSWORD, stdout=out)
    companies_demo.load(password=PASSWORD, stdout=out)
    demo.build(today=TODAY, stdout=out)
    return out.getvalue()


def test_last_year_programme_of_seventeen_operations(loaded):
    assert "Actions collectives : " in loaded
    actions = list(CollectiveAction.objects.filter(programme__year=2025))
    assert len(actions) == 17
    titles = " | ".join(a.title for a in actions)
    for name in (
        "CES Las Vegas",
        "Hyvolution",
        "Global Industrie Lyon",
        "Anuga Cologne",
        "ProWein",
        "Hannover Messe",
        "MEDICA",
        "Québec",
        "Webinaire",
    ):
        assert name in titles
    assert "SIAL Paris 2026" in " ".join(
        CollectiveAction.objects.filter(programme__year=2026).values_list("title", flat=True)
    )  # SIAL in even years, Anuga in odd ones
    assert {a.kind for a in actions} == {
        "fair",
        "mission",
        "b2b",
        "training",
        "export_day",
        "inbound",
    }
    assert [a.slug for a in actions if a.status == "cancelled"] == ["mission-maroc-2025"]
    assert all(a.ends_on < TODAY for a in actions)


def test_registrations_in_every_state_with_their_history(loaded):
    states = Counter(Registration.objects.values_list("status", flat=True))
    assert set(states) == {
        "interested",
        "applied",
        "selected",
        "waiting",
        "not_selected",
        "confirmed",
        "attended",
        "no_show",
        "cancelled",
    }
    assert states["attended"] > 200
    for registration in Registration.objects.select_related("action"):
        first = registration.events.order_by("at").first()
        assert registration.created_at == first.at
        assert first.at.date() <= TODAY
        assert registration.created_at.date() <= registration.action.registration_deadline
    without_history = Registration.objects.filter(events__isnull=True)
    assert not without_history.exists()
    assert (
        RegistrationEvent.objects.filter(title="Présente à l'action").count() == states["attended"]
    )
    timeline = TimelineEvent.objects.filter(source="collective.registration")
    assert timeline.count() == RegistrationEvent.objects.count()
    cancelled_action = Registration.objects.filter(action__slug="mission-maroc-2025")
    assert set(cancelled_action.values_list("status", flat=True)) == {"cancelled"}


def test_the_ledger_holds_the_subsidised_participations(loaded):
    subsidised = Registration.objects.filter(status__in=SUBSIDISED, subsidy_amount__gt=0).exclude(
        action__regime="not_aid"
    )
    live = StateAidGrant.objects.filter(source="collective", cancelled_at__isnull=True)
    assert live.count() == subsidised.count() > 150
    refs = set(live.values_list("source_ref", flat=True))
    assert refs == {
        f"collective.registration:{pk}" for pk in subsidised.values_list("pk", flat=True)
    }
    cancelled_lines = StateAidGrant.objects.filter(source="collective", cancelled_at__isnull=False)
    assert cancelled_lines.exists()
    for line in cancelled_lines:
        pk = int(line.source_ref.split(":")[1])
        assert Registration.objects.get(pk=pk).status == "cancelled"
    sample = subsidised.filter(action__slug="global-industrie-2025").first()
    assert sample.subsidy_amount == 4000  # 50 % of 8,500 € capped at 4,000 €


def test_results_at_different_response_rates(loaded):
    rows, total = programme_results(2025, today=TODAY)
    rates = {a.series: r.figure("response_rate").value for a, r in rows if r.participants}
    assert max(rates.values()) >= 70
    assert any(0 < rate <= 40 for rate in rates.values())
    assert rates["medica"] == 0  # no answer yet
    assert total.figure("contracts").value > 0
    assert total.respondents < total.participants
    # Later waves supersede earlier ones: some participants answered several times.
    answered = Counter(
        FollowUpSurvey.objects.filter(answered_at__isnull=False).values_list(
            "registration_id", flat=True
        )
    )
    assert max(answered.values()) >= 2
    assert FollowUpSurvey.objects.filter(answered_by__isnull=False).exists()
    assert FollowUpSurvey.objects.filter(
        reminded_at__isnull=False, answered_at__isnull=True
    ).exists()
    assert not FollowUpSurvey.objects.filter(due_on__gt=TODAY, sent_at__isnull=False).exists()


def test_upcoming_actions_open_to_registration_with_checklists_partly_ticked(loaded):
    upcoming = CollectiveAction.objects.filter(starts_on__gt=TODAY)
    open_now = upcoming.filter(registration_deadline__gte=TODAY)
    assert open_now.count() >= 3
    for action in open_now:
        statuses = set(action.registrations.values_list("status", flat=True))
        assert statuses <= {"interested", "applied"}
    preparing = Registration.objects.filter(
        action__in=upcoming, status__in=["selected", "confirmed"]
    )
    ticks = Counter(
        ChecklistTick.objects.filter(registration__in=preparing).values_list(
            "registration_id", flat=True
        )
    )
    assert any(0 < n < 4 for n in ticks.values())
    assert len(ticks) < preparing.count()  # some not started yet


def test_loading_twice_changes_nothing(loaded):
    counts = (
        CollectiveAction.objects.count(),
        Registration.objects.count(),
        StateAidGrant.objects.count(),
        FollowUpSurvey.objects.count(),
    )
    out = io.StringIO()
    demo.load(password=PASSWORD, stdout=out)
    assert "déjà chargées" in out.getvalue()
    assert counts == (
        CollectiveAction.objects.count(),
        Registration.objects.count(),
        StateAidGrant.objects.count(),
        FollowUpSurvey.objects.count(),
    )


def test_the_results_pages_show_the_demo(loaded, client):
    from guichet.partners.models import User

    client.force_login(User.objects.get(email="pilote@demo.example"))
    html = client.get(reverse("collective:results") + "?year=2025").content.decode()
    assert "CES Las Vegas 2025" in html
    assert "Total du programme" in html
    page = client.get(reverse("collective:action_results", args=["global-industrie-2025"]))
    assert page.status_code == 200
    response = client.get(reverse("collective:evaluator_export") + "?year=2025")
    assert response.status_code == 200


def test_a_company_without_de_minimis_headroom_is_stopped_at_confirmation(reference, org_a):
    import random
    from decimal import Decimal

    from guichet.collective.demo import Ctx, Plan, moment
    from guichet.collective.demo_history import write
    from guichet.collective.models import RegistrationStatus as R
    from guichet.stateaid.services import state_aid_grant_record
    from tests.collective.conftest import make_action
    from tests.companies.conftest import make_company

    company = make_company("552100554", "Fromagerie de Bourgogne")
    state_aid_grant_record(
        company=company,
        granted_on=date(2025, 1, 15),
        amount=Decimal("299000"),
        regulation="de_minimis",
        granting_body="Région",
        source="declared",
        description="Aides reçues ailleurs",
    )
    action = make_action(org_a, slug="mission-2026", regime="de_minimis", year=2026)
    registration = Registration(
        action=action,
        company=company,
        status="",
        contact_name="Claire Martin",
        contact_email="claire@example.fr",
        organisation=org_a,
        access_nonce="n" * 32,
    )
    plan = Plan(registration=registration)
    plan.created = moment(date(2026, 5, 2))
    plan.step(moment(date(2026, 5, 2)), R.APPLIED, "Candidature reçue", from_status="")
    plan.step(moment(date(2026, 7, 3)), R.SELECTED, "Entreprise retenue")
    registration.subsidy_amount = Decimal("4000")
    plan.confirmed_on = date(2026, 7, 10)
    plan.step(moment(date(2026, 7, 10)), R.CONFIRMED, "Participation confirmée")
    plan.step(moment(date(2026, 10, 22)), R.ATTENDED, "Présente à l'action")
    ctx = Ctx(
        rng=random.Random(1),
        today=TODAY,
        orgs={},
        advisors={},
        companies=[],
        by_filiere={},
        filieres={},
        countries={},
    )
    write(ctx, action, {"rate": 1.0, "kind": "mission", "country": "FR"}, [plan])
    saved = Registration.objects.get(company=company)
    assert saved.status == "cancelled"
    assert saved.subsidy_amount is None
    titles = [e.title for e in saved.events.order_by("at", "pk")]
    assert titles == [
        "Candidature reçue",
        "Entreprise retenue",
        "Confirmation impossible",
        "Inscription annulée",
    ]
    refusal = saved.events.get(title="Confirmation impossible")
    assert "Plafond dépassé" in refusal.text
    assert not StateAidGrant.objects.filter(source="collective").exists()
    assert not FollowUpSurvey.objects.exists()
