"""Demo collective actions (idempotent: created once; deterministic: one seeded generator).

- Last year's programme: the 17 operations of guichet.collective.demo_actions, all held (one
  mission cancelled for lack of registrations), with registrations in every state, attendance,
  subsidies in the state-aid ledger (a company without de minimis headroom is stopped at
  confirmation), follow-up surveys sent, reminded and answered at each action's response rate
  (80 %, 50 %, 30 %, none yet), some entered by advisors after a call.
- This year's programme: the actions already held have their attendance and the surveys due;
  the coming ones are open to registration or in selection, their preparation checklists
  partly ticked. When few actions remain this year, next year's first fairs are open too.

Rows are written directly with the dates they would have had (history, company timeline,
ledger through `state_aid_grant_record`), as the services would have written them over the
year; no e-mail is sent.
"""

import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.utils import timezone

from guichet.collective.demo_actions import (
    ACTIONS,
    CANCELLATION_REASONS,
    CANCELLATION_RULES,
    CONTACT_FIRST,
    CONTACT_LAST,
    CURRENT_SERIES,
    NEXT_SERIES,
    NOT_SELECTED_REASONS,
    SELECTION_CRITERIA,
    UPCOMING_WANTED,
)
from guichet.collective.models import (
    ChecklistItem,
    CollectiveAction,
    FeeStatus,
    Programme,
    Registration,
)
from guichet.collective.models import RegistrationStatus as R
from guichet.core.audit import acting_as

DEMO_SIREN_FROM = "990000000"
SEED = 17
CHECKLIST = [
    "Objectifs de la participation fixés",
    "Contacts cibles identifiés",
    "Supports traduits",
    "Rendez-vous B2B pris",
]
DEADLINE_DAYS = {"fair": 60, "mission": 35, "b2b": 30, "inbound": 30}
FOLLOWERS = [("cci-bfc", 65), ("business-france", 35)]


@dataclass
class Ctx:
    rng: random.Random
    today: date
    orgs: dict
    advisors: dict
    companies: list
    by_filiere: dict
    filieres: dict
    countries: dict
    counts: dict = field(default_factory=lambda: {"actions": 0, "registrations": 0, "answers": 0})


@dataclass
class Plan:
    """One registration as it went, step by step: (moment, from, to, title, text, by)."""

    registration: Registration
    steps: list = field(default_factory=list)
    created: datetime | None = None
    confirmed_on: date | None = None
    cancel_reason: str = ""
    ticks: int = 0

    def step(self, at, to, title, text="", by=None, *, from_status=None):
        before = self.registration.status if from_status is None else from_status
        self.steps.append((at, before, to, title, text, by))
        if to:
            self.registration.status = to


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _context(today: date) -> Ctx | None:
    from guichet.companies.filieres import companies_in_filiere
    from guichet.companies.models import Company, Filiere
    from guichet.partners.models import Organisation, User
    from guichet.reference.models import Country

    demo = Company.objects.filter(siren__gte=DEMO_SIREN_FROM)
    companies = list(demo.order_by("siren"))
    orgs = {o.slug: o for o in Organisation.objects.all()}
    if not companies or "cci-bfc" not in orgs:
        return None
    filieres = {f.slug: f for f in Filiere.objects.all()}
    by_filiere = {
        slug: list(companies_in_filiere(demo, f).order_by("siren")) for slug, f in filieres.items()
    }
    advisors = {
        slug: User.objects.filter(organisation__slug=slug, roles__code="advisor", is_active=True)
        .order_by("pk")
        .first()
        for slug, _w in FOLLOWERS
    }
    return Ctx(
        rng=random.Random(SEED),  # noqa: S311 (demo data)
        today=today,
        orgs=orgs,
        advisors=advisors,
        companies=companies,
        by_filiere=by_filiere,
        filieres=filieres,
        countries={c.iso2: c for c in Country.objects.all()},
    )


# --- programmes and actions ----------------------------------------------------------------


def _programme(year: int) -> Programme:
    programme, _created = Programme.objects.get_or_create(
        year=year,
        defaults={
            "title": f"Programme d'actions collectives {year}",
            "introduction": "Salons, missions de prospection, rencontres d'affaires et "
            "formations de la Team France Export Bourgogne-Franche-Comté : la Région prend en "
            "charge jusqu'à la moitié du coût de participation des PME.",
            "is_published": True,
        },
    )
    return programme


def _dates(spec: dict, year: int) -> tuple[date, date, date]:
    starts = date(year, spec["month"], spec["day"])
    ends = starts + timedelta(days=spec["days"] - 1)
    deadline = starts - timedelta(days=DEADLINE_DAYS.get(spec["kind"], 4))
    return starts, ends, deadline


def _action(ctx: Ctx, spec: dict, year: int, *, cancelled: str = "") -> CollectiveAction:
    starts, ends, deadline = _dates(spec, year)
    odd = year % 2 == 1
    aid = spec.get("regime", "gber_19") != "not_aid"
    where = spec.get("where", ("", ""))[odd]
    action = CollectiveAction.objects.create(
        programme=_programme(year),
        kind=spec["kind"],
        title=spec["title"].format(year=year, where=where),
        slug=f"{spec['series']}-{year}",
        series=spec["series"],
        description=spec["description"],
        status=CollectiveAction.Status.CANCELLED if cancelled else "published",
        starts_on=starts,
        ends_on=ends,
        city=spec.get("odd_city", spec["city"]) if odd else spec["city"],
        country=ctx.countries[spec["country"]],
        organiser=ctx.orgs[spec["organiser"]],
        capacity=spec["capacity"],
        selection_criteria=SELECTION_CRITERIA if aid else "",
        registration_deadline=deadline,
        free_cancellation_until=deadline + timedelta(days=14) if aid else None,
        cancellation_rules=CANCELLATION_RULES if aid else "",
        full_cost=Decimal(spec["full_cost"]),
        company_fee=Decimal(spec["fee"]),
        eligible_costs=[{"label": label, "amount": str(amount)} for label, amount in spec["costs"]],
        subsidy_rate=Decimal(spec.get("rate_of_costs", "0.5")) if aid else Decimal("0"),
        subsidy_cap=Decimal(spec["cap"]) if spec["cap"] else None,
        subsidised_participations_limit=3 if aid else None,
        regime=spec.get("regime", "gber_19"),
        budget=Decimal(spec["budget"]),
        reminder_days=[14, 3] if aid else [2],
    )
    action.filieres.set([ctx.filieres[s] for s in spec["filieres"] if s in ctx.filieres])
    action.partners.set([ctx.orgs[s] for s in spec["partners"] if s in ctx.orgs])
    if spec["kind"] in DEADLINE_DAYS:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(action=action, label=label, order=order)
            for order, label in enumerate(CHECKLIST, start=1)
        )
    ctx.counts["actions"] += 1
    return action


def _held_this_year(spec: dict, year: int) -> bool:
    parity = spec.get("years")
    return parity is None or (parity == "even") == (year % 2 == 0)


def _actions(ctx: Ctx) -> list[tuple[CollectiveAction, dict]]:
    specs = {s["series"]: s for s in ACTIONS}
    year = ctx.today.year
    made = [
        (_action(ctx, s, year - 1, cancelled=s.get("cancelled", "")), s)
        for s in ACTIONS
        if _held_this_year(s, year - 1)
    ]
    current = [specs[k] for k in CURRENT_SERIES if _held_this_year(specs[k], year)]
    made += [(_action(ctx, s, year), s) for s in current]
    upcoming = sum(1 for s in current if _dates(s, year)[0] >= ctx.today)
    if upcoming < UPCOMING_WANTED:
        made += [
            (_action(ctx, specs[k], year + 1), specs[k])
            for k in NEXT_SERIES
            if _held_this_year(specs[k], year + 1)
        ]
    return made


# --- registrations -------------------------------------------------------------------------


def _pool(ctx: Ctx, spec: dict) -> list:
    pool = {c.pk: c for slug in spec["filieres"] for c in ctx.by_filiere.get(slug, [])}
    return sorted(pool.values(), key=lambda c: c.siren) or list(ctx.companies)


def _participants(ctx: Ctx, action: CollectiveAction, spec: dict) -> list:
    low, high = spec.get("registrations", (action.capacity - 2, action.capacity + 3))
    wanted = max(2, ctx.rng.randint(low, high))
    if spec.get("cancelled") and action.status == CollectiveAction.Status.CANCELLED:
        wanted = 3
    pool = _pool(ctx, spec)
    chosen = ctx.rng.sample(pool, min(wanted, len(pool)))
    if len(chosen) < wanted:
        others = [c for c in ctx.companies if c not in chosen]
        chosen += ctx.rng.sample(others, min(wanted - len(chosen), len(others)))
    return chosen


def _new_plan(ctx: Ctx, action: CollectiveAction, company, applied: date) -> Plan:
    rng = ctx.rng
    follower = rng.choices([s for s, _w in FOLLOWERS], [w for _s, w in FOLLOWERS])[0]
    first, last = rng.choice(CONTACT_FIRST), rng.choice(CONTACT_LAST)
    by_company = rng.random() < 0.4
    registration = Registration(
        action=action,
        company=company,
        status="",
        motivation=rng.choice(
            [
                "Rencontrer des distributeurs et importateurs.",
                "Tester notre nouvelle gamme auprès d'acheteurs étrangers.",
                "Retrouver nos clients et en rencontrer de nouveaux.",
                "",
            ]
        ),
        contact_name=f"{first} {last}",
        contact_email=f"contact+{company.siren}@example.fr",
        contact_phone=f"03 8{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        advisor=ctx.advisors.get(follower),
        organisation=ctx.orgs[follower],
        registered_by_company=by_company,
        access_nonce=secrets.token_hex(16),
    )
    plan = Plan(registration=registration)
    who = "par l'entreprise" if by_company else "par un conseiller"
    interested = rng.random() < 0.12
    to = R.INTERESTED if interested else R.APPLIED
    title = "Intérêt signalé" if interested else "Candidature reçue"
    advisor = None if by_company else registration.advisor
    plan.created = moment(applied, rng.randint(8, 18))
    plan.step(plan.created, to, f"{title} ({who})", by=advisor, from_status="")
    return plan


def _select(ctx: Ctx, plans: list[Plan], action: CollectiveAction, day: date, *, held: bool):
    """The organiser's selection after the deadline: places in order of application, one
    applicant not selected, the others on the waiting list (not selected once held)."""
    rng = ctx.rng
    applicants = [p for p in plans if p.registration.status == R.APPLIED]
    if len(applicants) > 3 and rng.random() < 0.6:
        rejected = applicants.pop(rng.randrange(len(applicants)))
        rejected.registration.not_selected_reason = rng.choice(NOT_SELECTED_REASONS[::2])
        rejected.step(
            moment(day, 11),
            R.NOT_SELECTED,
            "Candidature non retenue",
            rejected.registration.not_selected_reason,
        )
    for index, plan in enumerate(applicants):
        if index < action.capacity:
            plan.registration.selected_at = moment(day, 11)
            plan.step(moment(day, 11), R.SELECTED, "Entreprise retenue")
        elif held:
            plan.registration.not_selected_reason = NOT_SELECTED_REASONS[1]
            plan.step(
                moment(day, 11), R.NOT_SELECTED, "Candidature non retenue", NOT_SELECTED_REASONS[1]
            )
        else:
            rank = index - action.capacity + 1
            plan.registration.waiting_rank = rank
            plan.step(moment(day, 11), R.WAITING, f"Liste d'attente (rang {rank})")


def _confirm(ctx: Ctx, plan: Plan, action: CollectiveAction, day: date, *, held: bool):
    from guichet.collective.services.subsidy import subsidy_for

    rng = ctx.rng
    registration = plan.registration
    amount, explanation = subsidy_for(action=action, company=registration.company)
    registration.subsidy_amount = amount
    registration.confirmed_at = moment(day, 15)
    registration.fee_status = FeeStatus.INVOICED if action.company_fee > 0 else FeeStatus.NONE
    plan.confirmed_on = day
    plan.step(moment(day, 15), R.CONFIRMED, "Participation confirmée", explanation)
    paid_on = day + timedelta(days=rng.randint(10, 30))
    if action.company_fee > 0 and paid_on < ctx.today:
        registration.fee_status = FeeStatus.PAID
        plan.step(moment(paid_on, 10), "", "Participation payée")
    cancel_on = min(day + timedelta(days=rng.randint(5, 40)), action.starts_on - timedelta(days=2))
    if rng.random() < (0.08 if held else 0.1) and cancel_on < ctx.today:
        reason = rng.choice(CANCELLATION_REASONS)
        registration.cancelled_at = moment(cancel_on, 16)
        registration.cancellation_reason = reason
        registration.fee_kept = bool(
            action.free_cancellation_until and cancel_on > action.free_cancellation_until
        )
        plan.cancel_reason = reason
        plan.step(moment(cancel_on, 16), R.CANCELLED, "Inscription annulée", reason)


def _attend(ctx: Ctx, plan: Plan, action: CollectiveAction):
    present = ctx.rng.random() < 0.93
    to, title = (
        (R.ATTENDED, "Présente à l'action") if present else (R.NO_SHOW, "Absente à l'action")
    )
    plan.step(moment(action.ends_on, 18), to, title)


def _plans(ctx: Ctx, action: CollectiveAction, spec: dict) -> list[Plan]:
    rng = ctx.rng
    today = ctx.today
    held = action.ends_on < today
    open_now = action.registration_deadline >= today
    deadline = action.registration_deadline
    plans = []
    for company in _participants(ctx, action, spec):
        applied = deadline - timedelta(days=rng.randint(3, 50))
        if open_now:
            applied = min(applied, today - timedelta(days=rng.randint(0, 20)))
        plans.append(_new_plan(ctx, action, company, applied))
    plans.sort(key=lambda p: p.steps[0][0])
    if action.status == CollectiveAction.Status.CANCELLED:
        for plan in plans:
            plan.step(
                moment(deadline + timedelta(days=2), 9),
                R.CANCELLED,
                "Action annulée",
                spec["cancelled"],
            )
            plan.registration.cancelled_at = moment(deadline + timedelta(days=2), 9)
            plan.registration.cancellation_reason = spec["cancelled"]
        return plans
    if open_now:
        return plans
    for plan in plans:
        if plan.registration.status == R.INTERESTED and (held or rng.random() < 0.5):
            plan.step(moment(deadline - timedelta(days=1), 17), R.APPLIED, "Candidature confirmée")
    _select(ctx, plans, action, deadline + timedelta(days=3), held=held)
    for plan in plans:
        if plan.registration.status != R.SELECTED:
            continue
        if held or rng.random() < 0.75:
            day = min(
                deadline + timedelta(days=rng.randint(5, 20)), action.starts_on - timedelta(days=3)
            )
            _confirm(ctx, plan, action, day, held=held)
        if plan.registration.status in (R.SELECTED, R.CONFIRMED):
            total = len(CHECKLIST) if spec["kind"] in DEADLINE_DAYS else 0
            plan.ticks = total if held else rng.randint(0, total)
        if held and plan.registration.status == R.CONFIRMED:
            _attend(ctx, plan, action)
    return plans


def build(*, today: date, stdout) -> dict:
    """Load the demo as of `today` (the tests fix it); skipped once any demo series exists."""
    if CollectiveAction.objects.filter(series__in=[s["series"] for s in ACTIONS]).exists():
        stdout.write("Actions collectives de démonstration : déjà chargées.")
        return {}
    started = time.monotonic()
    ctx = _context(today)
    if ctx is None:
        stdout.write(
            "Actions collectives de démonstration : pas d'entreprises de démo, rien à faire."
        )
        return {}
    from guichet.collective.demo_history import write

    with acting_as(None, path="load_demo"):
        for action, spec in _actions(ctx):
            write(ctx, action, spec, _plans(ctx, action, spec))
    counts = ctx.counts
    stdout.write(
        f"Actions collectives : {counts['actions']} actions, {counts['registrations']} "
        f"inscriptions, {counts['answers']} réponses aux enquêtes de suivi "
        f"({time.monotonic() - started:.1f} s)."
    )
    return counts


def load(*, password: str, stdout) -> list:
    build(today=timezone.localdate(), stdout=stdout)
    return []
