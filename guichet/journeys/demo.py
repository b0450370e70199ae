"""Demo journeys: about fifty of the demo companies followed by the two demo advisors (CCI and
Business France), in every stage, with dated stage histories, two years of calls, meetings,
visits and e-mails, and next actions (some overdue) — idempotent: a company that already has a
journey is left alone.

The stage follows what the company's export profile says (a regular exporter is far along,
a company that never exported is at the start), and a ceased company has left the journey.
Some companies are deliberately without contact for months, so that the portfolio's "to
contact again" list has something to show.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from guichet.companies.models import Company
from guichet.core.audit import acting_as
from guichet.journeys.models import STAGE_ORDER, Journey, Stage, TimelineEvent
from guichet.journeys.services import (
    journey_set_stage,
    journey_start,
    next_action_complete,
    next_action_create,
    timeline_event_record,
)
from guichet.partners.models import User

ADVISORS = ["conseiller.cci@demo.example", "conseiller.bf@demo.example"]
JOURNEY_COUNT = 50
SEED = 5
FRESH_SHARE = 0.6  # of the companies at an early stage, those that reached it this week

# Stages a company may have reached, by its export status.
STAGES_BY_STATUS = {
    "regular": [Stage.REGULAR, Stage.REGULAR, Stage.FIRST_EXPORT, Stage.ACCOMPANIED],
    "occasional": [Stage.FIRST_EXPORT, Stage.ACCOMPANIED, Stage.DIAGNOSED],
    "new": [Stage.FIRST_EXPORT, Stage.ACCOMPANIED],
    "never": [Stage.IDENTIFIED, Stage.CONTACTED, Stage.DIAGNOSED, Stage.ACCOMPANIED],
    "": [Stage.IDENTIFIED, Stage.IDENTIFIED, Stage.CONTACTED, Stage.CONTACTED, Stage.DIAGNOSED],
}
DROP_REASONS = [
    "Pas de projet export à trois ans",
    "Reprise de l'entreprise : la nouvelle direction ne souhaite pas exporter",
    "Cessation d'activité",
    "Suivie désormais par son groupe",
]
EXCHANGES = [
    ("call", "Appel de suivi", "Point sur les prospects en cours ; relance prévue."),
    ("call", "Appel du dirigeant", "Question sur les formalités douanières d'un premier envoi."),
    ("meeting", "Rendez-vous à la CCI", "Présentation de l'offre Team France Export."),
    (
        "meeting",
        "Rendez-vous stratégie export",
        "Trois pays cibles retenus : Allemagne, Suisse, Belgique.",
    ),
    ("visit", "Visite de l'entreprise", "Visite de l'atelier, rencontre de l'équipe commerciale."),
    (
        "visit",
        "Visite sur site",
        "Capacité de production suffisante pour un distributeur étranger.",
    ),
    ("email", "Envoi de documentation", "Fiches Assurance prospection et chèque relance export."),
    ("email", "Courriel de relance", "Relance sur le dossier de salon collectif."),
    (
        "event",
        "Participation à un webinaire pays",
        "Webinaire Business France « Réussir en Allemagne ».",
    ),
]
CONFIDENTIAL_NOTES = [
    "Tensions de trésorerie évoquées par le dirigeant : prudence sur les engagements.",
    "Projet de cession en cours, à ne pas ébruiter.",
]
ACTIONS = [
    "Rappeler le dirigeant",
    "Envoyer le dossier Assurance prospection",
    "Proposer le pavillon régional du prochain salon",
    "Organiser un rendez-vous avec Bpifrance",
    "Préparer le diagnostic export",
    "Transmettre les contacts d'importateurs",
    "Faire le point après la mission de prospection",
]


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randrange(8, 18), rng.randrange(60))))


def _target(company: Company, rng: random.Random) -> str:
    if not company.is_active:
        return Stage.DROPPED
    if rng.random() < 0.05:
        return Stage.DROPPED
    return rng.choice(STAGES_BY_STATUS.get(company.export_status, STAGES_BY_STATUS[""]))


def _path(target: str, rng: random.Random) -> list[str]:
    """The stages a journey went through, possibly starting past "identified" (a company met
    at the desk or already exporting)."""
    if target == Stage.DROPPED:
        last = rng.randrange(0, 4)
        return [*STAGE_ORDER[: last + 1], Stage.DROPPED]
    end = STAGE_ORDER.index(target)
    start = 0 if rng.random() < 0.7 else min(end, rng.randrange(1, 3))
    return STAGE_ORDER[start : end + 1]


def _dates(count: int, today: date, rng: random.Random) -> list[date]:
    """Increasing days over the last two years, the last one at least a few days ago."""
    first = today - timedelta(days=rng.randrange(120, 730))
    span = (today - timedelta(days=3) - first).days
    offsets = sorted(rng.sample(range(span), count)) if span >= count else list(range(count))
    return [first + timedelta(days=offset) for offset in offsets]


def _follow(company: Company, lead: User, rng: random.Random, today: date) -> Journey:
    path = _path(_target(company, rng), rng)
    days = _dates(len(path), today, rng)
    if path[-1] in (Stage.IDENTIFIED, Stage.CONTACTED) and rng.random() < FRESH_SHARE:
        # Spotted or called this week: not yet diagnosed (the diagnostics demo dates its
        # diagnostics after the journey's current stage began, so it leaves these alone).
        days[-1] = today - timedelta(days=rng.randrange(1, 3))
    journey = journey_start(
        company=company, lead_advisor=lead, by=lead, stage=path[0], at=_moment(days[0], rng)
    )
    for stage, day in zip(path[1:], days[1:], strict=True):
        reason = ""
        if stage == Stage.DROPPED:
            reason = DROP_REASONS[2] if not company.is_active else rng.choice(DROP_REASONS)
        journey_set_stage(
            company=company, stage=stage, by=lead, reason=reason, at=_moment(day, rng)
        )
    return journey


def _exchanges(company: Company, lead: User, journey: Journey, rng, today: date) -> None:
    """Calls, meetings, visits… from the start of the journey on; some companies have had
    no contact for months (the portfolio's alert)."""
    start = timezone.localtime(journey.started_at).date()
    quiet = rng.random() < 0.2
    end = today - timedelta(days=rng.randrange(130, 200) if quiet else 1)
    if end <= start:
        return
    more = STAGE_ORDER.index(journey.stage) if journey.stage in STAGE_ORDER else 1
    for _ in range(rng.randrange(1, 3) + more):
        kind, title, text = rng.choice(EXCHANGES)
        day = start + timedelta(days=rng.randrange((end - start).days + 1))
        timeline_event_record(
            company=company,
            kind=kind,
            title=title,
            text=text,
            author=lead,
            occurred_at=_moment(day, rng),
            source="demo",
        )
    if rng.random() < 0.15:
        timeline_event_record(
            company=company,
            kind=TimelineEvent.Kind.NOTE,
            title="Note interne",
            text=rng.choice(CONFIDENTIAL_NOTES),
            author=lead,
            confidential=True,
            occurred_at=_moment(end, rng),
            source="demo",
        )


def _actions(company: Company, lead: User, journey: Journey, rng, today: date) -> None:
    """A done action in the past, and an open one — overdue for about a third."""
    if journey.stage == Stage.DROPPED:
        return
    planned = today - timedelta(days=rng.randrange(40, 90))
    done = next_action_create(
        company=company,
        title=rng.choice(ACTIONS),
        due_on=planned + timedelta(days=rng.randrange(5, 20)),
        assignee=lead,
        by=lead,
        today=planned,
    )
    next_action_complete(action=done, by=lead, at=_moment(planned + timedelta(days=10), rng))
    if rng.random() < 0.35:
        due, planned = today - timedelta(days=rng.randrange(1, 30)), today - timedelta(days=40)
    else:
        due, planned = today + timedelta(days=rng.randrange(0, 45)), today
    next_action_create(
        company=company,
        title=rng.choice(ACTIONS),
        due_on=due,
        assignee=lead,
        by=lead,
        notes="Action de démonstration",
        today=planned,
    )


def load(*, password: str, stdout) -> list:
    leads = list(User.objects.filter(email__in=ADVISORS).order_by("email"))
    if len(leads) != len(ADVISORS):
        stdout.write("Parcours de démonstration : conseillers de démonstration absents.")
        return []
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    companies = list(Company.objects.filter(journey__isnull=True).order_by("siren"))
    wanted = max(0, JOURNEY_COUNT - Journey.objects.filter(lead_advisor__in=leads).count())
    created = 0
    for index, company in enumerate(companies[:wanted]):
        lead = leads[index % len(leads)]
        with acting_as(lead, path="/demo/"):
            journey = _follow(company, lead, rng, today)
            _exchanges(company, lead, journey, rng, today)
            _actions(company, lead, journey, rng, today)
        created += 1
    stdout.write(f"Parcours de démonstration créés : {created}")
    return []
