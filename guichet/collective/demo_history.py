"""The demo registrations written with their history (guichet.collective.demo plans them):
the ledger lines of the confirmations, the follow-up surveys sent, reminded and answered, the
registration history and the company timeline, the ticked preparation steps."""

import random
from datetime import timedelta
from decimal import Decimal

from guichet.collective.demo import Ctx, Plan, moment
from guichet.collective.demo_actions import COMMENTS, CONTRACT_COUNTRIES
from guichet.collective.models import (
    ChecklistTick,
    CollectiveAction,
    FeeStatus,
    FollowUpSurvey,
    Registration,
    RegistrationEvent,
    SurveyWave,
)
from guichet.collective.models import RegistrationStatus as R
from guichet.collective.services.surveys import REMINDER_AFTER_DAYS, survey_due_on


def _ceiling(plan: Plan, action: CollectiveAction) -> str:
    """Why the company cannot take this de minimis subsidy ("" when it can). GBER art. 19 has
    no three-year ceiling."""
    from guichet.stateaid.services import ceiling_problem

    registration = plan.registration
    if action.regime != "de_minimis" or not registration.subsidy_amount:
        return ""
    return (
        ceiling_problem(
            company=registration.company,
            regulation=action.regime,
            amount=registration.subsidy_amount,
            at=plan.confirmed_on,
        )
        or ""
    )


def _grant(plan: Plan, action: CollectiveAction) -> None:
    """The ledger line of the confirmation (its ceiling checked by `_ceiling` just before),
    then its cancellation when the participation was cancelled."""
    from guichet.collective.services.registrations import cost_labels, source_ref
    from guichet.collective.services.subsidy import eligible_base
    from guichet.stateaid.services import state_aid_grant_record, state_aid_grants_cancel_for

    registration = plan.registration
    if action.regime == "not_aid" or not registration.subsidy_amount:
        return
    state_aid_grant_record(
        company=registration.company,
        granted_on=plan.confirmed_on,
        amount=registration.subsidy_amount,
        regulation=action.regime,
        granting_body=action.organiser.name,
        source="collective",
        description=f"Participation à l'action collective « {action.title} »",
        source_ref=source_ref(registration),
        eligible_costs=eligible_base(action),
        cost_category=cost_labels(action),
        check_ceiling=False,
    )
    if plan.cancel_reason:
        state_aid_grants_cancel_for(
            source_ref=source_ref(registration),
            reason=f"Participation annulée : {plan.cancel_reason}"[:300],
        )


def _refused(plan: Plan, action: CollectiveAction, problem: str, held: bool) -> None:
    """The confirmation was refused (no headroom): the company stays selected, or its place is
    given up once the action is held."""
    registration = plan.registration
    index = next(i for i, s in enumerate(plan.steps) if s[2] == R.CONFIRMED)
    at = plan.steps[index][0]
    plan.steps = plan.steps[:index]
    registration.status = R.SELECTED
    registration.subsidy_amount = None
    registration.confirmed_at = None
    registration.fee_status = FeeStatus.NONE
    registration.cancelled_at, registration.cancellation_reason = None, ""
    plan.cancel_reason, plan.confirmed_on = "", None
    plan.step(at, "", "Confirmation impossible", f"Confirmation impossible : {problem}")
    if held:
        reason = "Plafond des aides de minimis atteint : participation abandonnée."
        registration.cancelled_at, registration.cancellation_reason = at, reason
        plan.step(at + timedelta(days=1), R.CANCELLED, "Inscription annulée", reason)


def _values(rng: random.Random, spec: dict, before: FollowUpSurvey | None) -> dict:
    """What a participant reports "since the action": cumulative from one wave to the next."""
    scale = {"fair": 1.0, "mission": 0.7, "b2b": 0.5, "inbound": 0.5}.get(spec["kind"], 0.12)
    if before is None:
        contacts = max(0, round(rng.randint(4, 40) * scale))
        meetings = round(contacts * rng.uniform(0.2, 0.5))
        quotes = round(meetings * rng.uniform(0.2, 0.6))
        contracts = rng.choices([0, 1, 2], [55, 35, 10])[0] if scale >= 0.5 else 0
        value = Decimal(0)
    else:
        contacts = before.contacts_made + rng.randint(0, round(6 * scale) + 1)
        meetings = before.meetings_held + rng.randint(0, round(3 * scale) + 1)
        quotes = before.quotes_sent + rng.randint(0, round(2 * scale) + 1)
        new = rng.choices([0, 1, 2], [50, 40, 10])[0] if scale >= 0.5 else 0
        contracts, value = before.contracts_signed + new, before.contracts_value or Decimal(0)
    gained = contracts - (before.contracts_signed if before else 0)
    value += sum(Decimal(rng.randint(8, 90) * 1000) for _ in range(gained))
    expected = None
    if rng.random() < 0.6 and scale >= 0.5:
        expected = max(value * 2, Decimal(rng.randint(2, 30) * 10000))
    satisfaction = before.satisfaction if before else rng.choices([5, 4, 3, 2], [35, 40, 18, 7])[0]
    return {
        "contacts_made": contacts,
        "meetings_held": meetings,
        "quotes_sent": quotes,
        "contracts_signed": contracts,
        "contracts_value": value,
        "expected_export_revenue": expected,
        "satisfaction": satisfaction,
        "comment": rng.choice(COMMENTS),
    }


def _answer(ctx: Ctx, plan: Plan, survey: FollowUpSurvey, spec: dict, before) -> list:
    """Answer `survey` (maybe after the reminder, maybe through the advisor); its countries."""
    from guichet.collective.services.surveys import answer_summary

    rng, today = ctx.rng, ctx.today
    label = survey.get_wave_display().lower()
    by_advisor = rng.random() < 0.25 and plan.registration.advisor is not None
    after_reminder = by_advisor or rng.random() < 0.4
    reminder_day = survey.due_on + timedelta(days=REMINDER_AFTER_DAYS)
    if after_reminder and reminder_day <= today:
        survey.reminded_at = moment(reminder_day, 6, 45)
        plan.step(survey.reminded_at, "", f"Relance de l'enquête de suivi {label}")
        day = reminder_day + timedelta(days=rng.randint(1, 20))
    else:
        day = survey.due_on + timedelta(days=rng.randint(1, REMINDER_AFTER_DAYS - 1))
    if day >= today:
        return []
    for name, value in _values(rng, spec, before).items():
        setattr(survey, name, value)
    survey.answered_at = moment(day, rng.randint(9, 17), rng.choice([0, 15, 30, 45]))
    survey.answered_by = plan.registration.advisor if by_advisor else None
    text = answer_summary(survey)
    if by_advisor:
        text += f" (saisies par {survey.answered_by.get_full_name()} après un appel)"
    plan.step(
        survey.answered_at,
        "",
        f"Enquête de suivi {label} : réponses enregistrées",
        text,
        survey.answered_by,
    )
    ctx.counts["answers"] += 1
    if not survey.contracts_signed:
        return []
    choices = CONTRACT_COUNTRIES.get(spec["country"], ["DE"])
    return rng.sample(choices, min(len(choices), rng.randint(1, 2)))


def _surveys(ctx: Ctx, action: CollectiveAction, spec: dict, plans: list[Plan]) -> list:
    """[(survey, countries)] of the participants present: the waves due sent (then reminded
    or answered), the others scheduled."""
    rows = []
    for plan in plans:
        if plan.registration.status != R.ATTENDED:
            continue
        respondent = ctx.rng.random() < spec["rate"]
        before = None
        for wave in SurveyWave:
            survey = FollowUpSurvey(
                registration=plan.registration, wave=wave.value, due_on=survey_due_on(action, wave)
            )
            countries = []
            if survey.due_on <= ctx.today:
                survey.sent_at = moment(survey.due_on, 6, 45)
                plan.step(
                    survey.sent_at,
                    "",
                    f"Enquête de suivi {wave.label.lower()} envoyée",
                    f"Courriel à {plan.registration.contact_email}",
                )
                answers = respondent and (before is not None or wave == SurveyWave.THREE)
                if answers and (before is None or ctx.rng.random() < 0.75):
                    countries = _answer(ctx, plan, survey, spec, before)
                    before = survey if survey.answered_at else before
                elif survey.due_on + timedelta(days=REMINDER_AFTER_DAYS) <= ctx.today:
                    survey.reminded_at = moment(survey.due_on + timedelta(days=14), 6, 45)
                    plan.step(
                        survey.reminded_at,
                        "",
                        f"Relance de l'enquête de suivi {wave.label.lower()}",
                    )
            rows.append((survey, countries))
    return rows


def _events(action: CollectiveAction, plans: list[Plan]) -> None:
    from guichet.journeys.models import TimelineEvent

    events, timeline = [], []
    for plan in plans:
        r = plan.registration
        for at, before, to, title, text, by in sorted(plan.steps, key=lambda s: s[0]):
            events.append(
                RegistrationEvent(
                    registration=r,
                    at=at,
                    from_status=before if to else "",
                    to_status=to,
                    title=title,
                    text=text,
                    by=by,
                )
            )
            timeline.append(
                TimelineEvent(
                    company=r.company,
                    kind="event" if to == "attended" else "collective",
                    title=f"{action.title} — {title}"[:200],
                    text=text[:4000],
                    occurred_at=at,
                    author=by,
                    organisation=r.organisation,
                    source="collective.registration",
                    source_id=str(r.pk),
                    link=f"/actions-collectives/inscriptions/{r.pk}/",
                )
            )
    RegistrationEvent.objects.bulk_create(events)
    TimelineEvent.objects.bulk_create(timeline)


def _ticks(ctx: Ctx, action: CollectiveAction, plans: list[Plan]) -> None:
    items = list(action.checklist.order_by("order"))
    ticks = []
    for plan in plans:
        start = plan.registration.selected_at
        if not plan.ticks or start is None:
            continue
        end = min(action.starts_on, ctx.today)
        for item in items[: plan.ticks]:
            span = max((end - start.date()).days, 1)
            day = start.date() + timedelta(days=ctx.rng.randint(0, span - 1))
            ticks.append(
                ChecklistTick(
                    registration=plan.registration,
                    item=item,
                    done_at=moment(day, 14),
                    by=plan.registration.advisor,
                )
            )
    ChecklistTick.objects.bulk_create(ticks)


def write(ctx: Ctx, action: CollectiveAction, spec: dict, plans: list[Plan]) -> None:
    held = action.ends_on < ctx.today
    for plan in plans:
        problem = _ceiling(plan, action) if plan.confirmed_on else ""
        if problem:
            _refused(plan, action, problem, held)
    surveys = _surveys(ctx, action, spec, plans)
    registrations = [p.registration for p in plans]
    Registration.objects.bulk_create(registrations)
    for plan in plans:  # the insert stamped them now (auto_now_add): date them back
        plan.registration.created_at = plan.created
    Registration.objects.bulk_update(registrations, ["created_at"])
    for plan in plans:
        if plan.confirmed_on:
            _grant(plan, action)
    _events(action, plans)
    _ticks(ctx, action, plans)
    FollowUpSurvey.objects.bulk_create([s for s, _c in surveys])
    through = FollowUpSurvey.contract_countries.through
    through.objects.bulk_create(
        through(followupsurvey_id=s.pk, country_id=iso)
        for s, countries in surveys
        for iso in countries
    )
    ctx.counts["registrations"] += len(plans)
