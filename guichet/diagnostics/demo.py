"""Demo diagnostics: about a hundred completed diagnostics of the last three years on the demo
companies, answered with the default questionnaire, with their action plans (idempotent: they
are created once, deterministically).

Each company has a maturity profile; a company diagnosed two or three times progresses from
one diagnostic to the next (with now and then a dimension that slips back), so that the
comparison pages have something to show. Everything goes through the services, as a real
diagnostic would: answers saved, the company's own answers sent through its link for some,
completion (scores, timeline, journey moved to "diagnosed"), plan proposed, target countries,
and the plan handed over for most of those older than a few weeks.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.companies.models import Company
from guichet.core.audit import acting_as
from guichet.diagnostics import scoring
from guichet.diagnostics.models import Diagnostic
from guichet.reference.models import Country

DEMO_SIREN_FROM = "990000000"  # demo companies are numbered 990 000 000 – 999 999 999
SEED = 5
# How many companies get 3, 2 and 1 diagnostics: 15×3 + 20×2 + 15 = 100 (fewer where the
# companies' journeys leave no room: see window_of).
PLAN = ((3, 15), (2, 20), (1, 15))
YEARS_BACK = 3
MIN_GAP_DAYS = 180  # between two diagnostics of a company
RECENT_DAYS = 45  # diagnostics more recent than this keep their plan open (not shared)
COMPANY_FILLED_SHARE = 0.2
# Starting maturity (0..1) by export status: a regular exporter answers better than a company
# that never exported.
MATURITY_BY_STATUS = {
    "never": (0.1, 0.45),
    "new": (0.25, 0.6),
    "occasional": (0.35, 0.7),
    "regular": (0.5, 0.85),
}
COUNTRIES = ["DE", "BE", "CH", "IT", "ES", "GB", "US", "CA", "JP", "CN", "MA", "NL", "SE", "PL"]
TEXT_ANSWERS = [
    "Des contacts réguliers avec un distributeur en Suisse, à développer.",
    "Le dirigeant souhaite viser l'Allemagne puis le Benelux.",
    "Demande d'un client canadien reçue via le site : à étudier.",
    "Une personne parle anglais dans l'équipe commerciale.",
]
SUMMARIES = [
    "Entreprise motivée, moyens encore limités : commencer par un marché proche et une "
    "assurance prospection.",
    "Bonne base produit ; l'organisation export reste à construire (référent, langues).",
    "Démarche export déjà engagée : consolider les marchés européens avant le grand export.",
    "",
]


@dataclass
class Profile:
    """A company's maturity: a level 0..1 per dimension, raised at each new diagnostic."""

    levels: dict[str, float]

    def progress(self, rng: random.Random) -> None:
        codes = list(self.levels)
        slipping = rng.choice(codes) if rng.random() < 0.5 else None
        for code in codes:
            step = -rng.uniform(0.03, 0.1) if code == slipping else rng.uniform(0.04, 0.16)
            self.levels[code] = min(0.97, max(0.03, self.levels[code] + step))


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _single(question: scoring.QuestionSpec, target: float, rng) -> str:
    wanted = _clamp(target + rng.gauss(0, 0.15))
    return min(question.options, key=lambda o: (abs(o.score - wanted), rng.random())).code


def _multiple(question: scoring.QuestionSpec, target: float, rng) -> list[str]:
    wanted = _clamp(target + rng.gauss(0, 0.12))
    zero = [o for o in question.options if o.score <= 0]
    scored = [o for o in question.options if o.score > 0]
    if (wanted < 0.12 and zero) or not scored:
        return [zero[0].code] if zero else [question.options[0].code]
    rng.shuffle(scored)
    chosen, total = [], 0.0
    for option in scored:
        if total >= wanted and chosen:
            break
        chosen.append(option.code)
        total += option.score
    return chosen


def _number(question: scoring.QuestionSpec, target: float, rng) -> float:
    bands = list(question.number_bands)
    index = min(range(len(bands)), key=lambda i: (abs(bands[i][1] - target), rng.random()))
    lower = bands[index - 1][0] if index else 0
    upper = bands[index][0]
    if upper is None:
        return round((lower or 0) * rng.uniform(1.1, 2.0) + 1)
    return round(rng.uniform(lower or 0, upper)) if upper > (lower or 0) else upper


def answer_for(question: scoring.QuestionSpec, target: float, rng):
    """A plausible answer to `question` for a company whose level there is `target`."""
    if question.kind == scoring.SINGLE:
        return _single(question, target, rng)
    if question.kind == scoring.MULTIPLE:
        return _multiple(question, target, rng)
    if question.kind == scoring.SCALE:
        low, high = question.scale_min or 1, question.scale_max or 5
        return round(low + (high - low) * _clamp(target + rng.gauss(0, 0.15)))
    if question.kind == scoring.NUMBER and question.number_bands:
        return _number(question, target, rng)
    if question.kind == scoring.TEXT and rng.random() < 0.5:
        return rng.choice(TEXT_ANSWERS)
    return None


def _moment(day, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59))))


@dataclass(frozen=True)
class Window:
    """When a company's diagnostics may fall. `anchor`: the day its journey reached
    "diagnosed", which is then the day of its first diagnostic."""

    start: date
    end: date
    anchor: date | None = None

    @property
    def capacity(self) -> int:
        if self.end < self.start:
            return 0
        return min(3, 1 + (self.end - self.start).days // MIN_GAP_DAYS)


def window_of(company, today: date) -> Window | None:
    """Diagnostics agree with the company's journey: none for a company that left it; for a
    company not yet diagnosed, only after it reached its current stage (a diagnostic moves it
    to "diagnosed", never back in time); for a company already past "diagnosed", the first
    one on the day it got there."""
    from guichet.journeys.models import Journey, Stage
    from guichet.journeys.services import stage_rank

    window = Window(today - timedelta(days=365 * YEARS_BACK), today - timedelta(days=3))
    journey = Journey.objects.filter(company=company).first()
    if journey is None:
        return window if company.is_active else None
    if journey.stage == Stage.DROPPED:
        return None
    if stage_rank(journey.stage) < stage_rank(Stage.DIAGNOSED):
        since = timezone.localtime(journey.stage_since).date() + timedelta(days=1)
        return Window(max(window.start, since), window.end)
    reached = journey.changes.filter(to_stage=Stage.DIAGNOSED).order_by("at").first()
    if reached is not None:
        day = timezone.localtime(reached.at).date()
        return Window(day, window.end, anchor=day)
    started = timezone.localtime(journey.started_at).date()
    return Window(max(window.start, started), window.end)


def days_in(window: Window, count: int, rng) -> list[date]:
    """`count` days of the window, MIN_GAP_DAYS apart at least, the first on the anchor."""
    count = min(count, window.capacity)
    if count == 0:
        return []
    slack = (window.end - window.start).days - MIN_GAP_DAYS * (count - 1)
    share = slack // (count + (0 if window.anchor else 1))
    day = window.anchor or window.start + timedelta(days=rng.randint(0, share))
    days = [day]
    for _ in range(count - 1):
        day += timedelta(days=MIN_GAP_DAYS + rng.randint(0, share))
        days.append(min(day, window.end))
    return days


def _advisors():
    from guichet.partners.models import User

    return list(
        User.objects.filter(is_active=True, roles__code="advisor", organisation__isnull=False)
        .select_related("organisation")
        .distinct()
        .order_by("email")
    )


def _advisor_for(company, advisors, rng):
    from guichet.journeys.models import Journey

    journey = Journey.objects.filter(company=company).select_related("lead_advisor").first()
    lead = journey.lead_advisor if journey else None
    if lead is not None and lead in advisors:
        return lead
    return rng.choice(advisors)


@dataclass
class Context:
    spec: scoring.Spec
    version: object
    countries: list
    today: object
    rng: random.Random
    question_ids: dict  # question code → id
    option_ids: dict  # (question code, option code) → id
    choice_codes: frozenset  # codes of the single and multiple choice questions


def _context(version, rng) -> Context:
    from guichet.diagnostics.models import Option

    options = Option.objects.filter(question__version=version).select_related("question")
    spec = scoring.spec_of(version)
    return Context(
        spec=spec,
        version=version,
        countries=list(Country.objects.filter(iso2__in=COUNTRIES).order_by("iso2")),
        today=timezone.localdate(),
        rng=rng,
        question_ids=dict(version.questions.values_list("code", "pk")),
        option_ids={(o.question.code, o.code): o.pk for o in options},
        choice_codes=frozenset(
            q.code for q in spec.questions if q.kind in (scoring.SINGLE, scoring.MULTIPLE)
        ),
    )


def _store_answers(ctx: Context, diagnostic: Diagnostic, values: dict) -> None:
    """The answers in four queries rather than a few per question: the values come from the
    questionnaire's own options, scales and bands, so the answering service's checks (which
    the tests of filling cover) would find nothing to refuse."""
    from guichet.diagnostics.models import Answer

    answered_at = diagnostic.started_at + timedelta(minutes=50)
    answers = Answer.objects.bulk_create(
        Answer(
            diagnostic=diagnostic,
            question_id=ctx.question_ids[code],
            number=value if isinstance(value, int | float) else None,
            text=value if isinstance(value, str) and code not in ctx.choice_codes else "",
            answered_at=answered_at,
        )
        for code, value in values.items()
    )
    links = []
    for answer, (code, value) in zip(answers, values.items(), strict=True):
        if code in ctx.choice_codes:
            chosen = value if isinstance(value, list) else [value]
            links += [
                Answer.options.through(answer_id=answer.pk, option_id=ctx.option_ids[code, c])
                for c in chosen
            ]
    Answer.options.through.objects.bulk_create(links)


def _answers(ctx: Context, profile: Profile) -> dict:
    values = {}
    for question in ctx.spec.questions:
        value = answer_for(question, profile.levels.get(question.dimension, 0.5), ctx.rng)
        if value is not None:
            values[question.code] = value
    return values


def _fill(ctx: Context, company, advisor, profile: Profile, day) -> Diagnostic:
    from guichet.diagnostics.services import (
        diagnostic_company_submit,
        diagnostic_complete,
        diagnostic_start,
    )

    rng = ctx.rng
    by_company = rng.random() < COMPANY_FILLED_SHARE
    completed_at = _moment(day, rng)
    started_at = completed_at - timedelta(days=rng.randint(3, 12) if by_company else 0, hours=2)
    diagnostic = diagnostic_start(
        company=company,
        by=advisor,
        version=ctx.version,
        filled_by=Diagnostic.FilledBy.COMPANY if by_company else Diagnostic.FilledBy.ADVISOR,
        at=started_at,
    )
    _store_answers(ctx, diagnostic, _answers(ctx, profile))
    if by_company:
        diagnostic_company_submit(diagnostic=diagnostic, at=completed_at - timedelta(days=1))
    diagnostic_complete(diagnostic=diagnostic, by=advisor, at=completed_at)
    return diagnostic


def _plan(ctx: Context, diagnostic: Diagnostic, advisor) -> bool:
    """Countries, summary, plan; shared a few days after completion unless recent. Returns
    whether the plan was shared."""
    from guichet.diagnostics.services.plan import (
        SOURCE,
        diagnostic_share,
        plan_countries_set,
        plan_generate,
    )
    from guichet.journeys.models import NextAction
    from guichet.journeys.services import next_action_complete

    rng = ctx.rng
    if rng.random() < 0.7:
        chosen = rng.sample(ctx.countries, k=min(len(ctx.countries), rng.randint(1, 3)))
        plan_countries_set(diagnostic=diagnostic, by=advisor, countries=chosen)
    summary = rng.choice(SUMMARIES)
    if summary:
        Diagnostic.objects.filter(pk=diagnostic.pk).update(summary=summary)
    plan_generate(diagnostic=diagnostic)
    age = (ctx.today - timezone.localtime(diagnostic.completed_at).date()).days
    if age < RECENT_DAYS or rng.random() < 0.15:
        return False
    shared_at = diagnostic.completed_at + timedelta(days=rng.randint(1, 10))
    diagnostic_share(diagnostic=diagnostic, by=advisor, at=shared_at)
    action = NextAction.objects.filter(source=SOURCE, source_id=str(diagnostic.pk)).first()
    done_on = shared_at + timedelta(days=rng.randint(20, 40))
    if action is not None and done_on < timezone.now():
        next_action_complete(action=action, by=advisor, at=done_on)
    return True


def _company_diagnostics(
    ctx: Context, company, window: Window, count: int, advisors
) -> tuple[int, int]:
    rng = ctx.rng
    codes = [d.code for d in ctx.spec.dimensions]
    low, high = MATURITY_BY_STATUS.get(company.export_status, (0.15, 0.6))
    base = rng.uniform(low, high)
    profile = Profile({code: _clamp(base + rng.uniform(-0.2, 0.2)) for code in codes})
    advisor = _advisor_for(company, advisors, rng)
    made = shared = 0
    for day in days_in(window, count, rng):
        try:
            with transaction.atomic():
                diagnostic = _fill(ctx, company, advisor, profile, day)
                shared += _plan(ctx, diagnostic, advisor)
        except ValidationError:
            continue  # e.g. a journey moved after that day: this diagnostic is left out
        made += 1
        profile.progress(rng)
    return made, shared


def _assign(companies, today, rng) -> list[tuple]:
    """(company, window, number of diagnostics): PLAN's mix, within what each company's
    journey allows, topped up to PLAN's total where windows leave room."""
    eligible = [(c, w) for c in companies if (w := window_of(c, today)) and w.capacity]
    rng.shuffle(eligible)
    wanted = [count for count, companies_count in PLAN for _ in range(companies_count)]
    counts = [min(n, w.capacity) for (_c, w), n in zip(eligible, wanted, strict=False)]
    missing = sum(wanted) - sum(counts)
    for index, (_company, window) in enumerate(eligible[: len(counts)]):
        extra = min(missing, window.capacity - counts[index])
        counts[index] += extra
        missing -= extra
    return [(c, w, n) for (c, w), n in zip(eligible, counts, strict=False)]


def _companies() -> list[Company]:
    return list(Company.objects.filter(siren__gte=DEMO_SIREN_FROM).order_by("siren"))


def load(*, password: str, stdout) -> list:
    from guichet.diagnostics.selectors import default_version

    version = default_version()
    if version is None:
        stdout.write("Diagnostics : aucun questionnaire publié, rien à charger")
        return []
    companies = _companies()
    if Diagnostic.objects.filter(company__in=companies).exists():
        stdout.write("Diagnostics export : déjà chargés")
        return []
    advisors = _advisors()
    if not companies or not advisors:
        stdout.write("Diagnostics export : ni entreprises ni conseillers de démonstration")
        return []
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    ctx = _context(version, rng)
    made = shared = 0
    with acting_as(None, path="load_demo"):
        for company, window, count in _assign(companies, ctx.today, rng):
            company_made, company_shared = _company_diagnostics(
                ctx, company, window, count, advisors
            )
            made += company_made
            shared += company_shared
    stdout.write(f"Diagnostics export créés : {made} (dont {shared} plans transmis)")
    return []
