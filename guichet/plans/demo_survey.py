"""The demo's regional export survey: a follow-up wave of this year, so that the demo impact
page (guichet.plans.impact) has later outcomes to compare and a planted effect to find.

Every other demo accompanies all of the 60 demo companies, and their export profiles are
dated 2025 only: the impact page had no company to compare with and nothing observed after the
support. Loaded by the plans demo before the plan is built:

1. **Comparison companies.** The registry is extended with more demo companies built exactly
   like the first 60 (guichet.companies.demo_companies.load_companies, up to REGISTRY_COUNT):
   same trades, communes, sizes and ages, same kind of 2025 export profile. Loaded after every
   other demo, none of them is accompanied: they are the companies of the region the partners
   did not support, and the impact page pairs them with the accompanied ones. A registry holds
   many more of them than of accompanied companies; with a pool of about five candidates per
   accompanied company most accompanied companies find a close match.
2. **The wave.** Every active demo company with an export status answers a survey dated this
   year before today (source "survey", comment COMMENT, the Région as recorder): its export
   status and its export share, drawn from its latest status and share by the rule of
   ``answer`` with one seeded random stream per company.

The planted effect — companies accompanied during the demo plan's default period (the impact
page's definition: guichet.plans.impact_data.supported_company_ids over the plan's first year
to this year) progress more than the others:

- a non-exporter becomes primo-exportateur with p = 0.35 if accompanied, 0.12 otherwise;
- a primo-exportateur becomes an occasional exporter with p = 0.55 (0.30 otherwise) and stops
  exporting with p = 0.10 (0.30 otherwise);
- an occasional exporter becomes a regular one with p = 0.25 (0.10 otherwise);
- an exporter's share of turnover abroad gains 4 points on average if accompanied, 1 point
  otherwise (± a normal noise of 2 points, kept within 0–100); a company that starts exporting
  declares 2 to 8 %, one that stops 0 %.

Idempotent: a wave already recorded this year (a survey fact with COMMENT dated this year) is
not recorded again; the comparison companies are created once (by SIREN).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from guichet.companies.demo_companies import load_companies
from guichet.companies.models import Company, ExportFact, ExportStatus
from guichet.companies.services import export_fact_record
from guichet.partners.models import Organisation
from guichet.plans import demo_plan
from guichet.plans.impact_data import supported_company_ids

Attribute = ExportFact.Attribute
SOURCE = ExportFact.Source.SURVEY
COMMENT = "Enquête export régionale (démonstration)"
SEED = 2609
# Demo companies in the registry once the comparison ones are added (the companies demo makes
# 60): about five candidates per accompanied company, so that most find a close match.
REGISTRY_COUNT = 250
DEMO_SIREN_FROM = "990000000"  # demo companies are numbered 990 000 000 – 999 999 999
# The wave's answers are spread over WAVE_DAYS days ending WAVE_CLOSED_DAYS before today.
WAVE_DAYS = 45
WAVE_CLOSED_DAYS = 14
SHARE_NOISE = 2.0  # standard deviation of the yearly change of the export share, in points
STARTING_SHARE = (2, 8)  # export share (%) declared by a new primo-exportateur


@dataclass(frozen=True)
class Progress:
    """Yearly transition probabilities between export statuses, and the mean share gain."""

    starts: float  # never → primo-exportateur
    settles: float  # primo-exportateur → occasional
    stops: float  # primo-exportateur → never
    regular: float  # occasional → regular
    share_gain: float  # points of export share


ACCOMPANIED = Progress(starts=0.35, settles=0.55, stops=0.10, regular=0.25, share_gain=4.0)
OTHERS = Progress(starts=0.12, settles=0.30, stops=0.30, regular=0.10, share_gain=1.0)


@dataclass(frozen=True)
class Answer:
    status: str
    export_share: float


def company_rng(siren: str, year: int) -> random.Random:
    """One stream per company and wave: an answer does not depend on who else answers."""
    return random.Random(f"{SEED}-{siren}-{year}")  # noqa: S311 - demo data, not security


def next_status(status: str, progress: Progress, rng: random.Random) -> str:
    draw = rng.random()
    if status == ExportStatus.NEW:
        if draw < progress.settles:
            return ExportStatus.OCCASIONAL
        return ExportStatus.NEVER if draw < progress.settles + progress.stops else status
    if status == ExportStatus.OCCASIONAL:
        return ExportStatus.REGULAR if draw < progress.regular else status
    if status == ExportStatus.REGULAR:
        return status
    return ExportStatus.NEW if draw < progress.starts else ExportStatus.NEVER


def answer(*, status: str, share: float, accompanied: bool, rng: random.Random) -> Answer:
    """The company's answer a year after its latest known ``status`` and ``share``."""
    progress = ACCOMPANIED if accompanied else OTHERS
    later = next_status(status, progress, rng)
    gain = rng.gauss(progress.share_gain, SHARE_NOISE)
    if later == ExportStatus.NEVER:
        return Answer(later, 0)
    if status == ExportStatus.NEVER:
        return Answer(later, rng.randint(*STARTING_SHARE))
    return Answer(later, round(min(100.0, max(0.0, share + gain))))


def default_period(today: date) -> tuple[int, int]:
    """The impact page's default period for the demo plan: its first year to this year."""
    return today.year + demo_plan.FIRST_OFFSET, min(today.year + demo_plan.LAST_OFFSET, today.year)


def wave_window(today: date) -> tuple[date, date]:
    """The days the wave's answers are dated: this year, before today (today on 1 January)."""
    new_year = date(today.year, 1, 1)
    last = max(new_year, min(today - timedelta(days=WAVE_CLOSED_DAYS), today - timedelta(days=1)))
    return max(new_year, last - timedelta(days=WAVE_DAYS - 1)), last


def wave_recorded(year: int) -> bool:
    return ExportFact.objects.filter(
        source=SOURCE, comment=COMMENT, observed_on__year=year
    ).exists()


def respondents() -> QuerySet[Company]:
    """Active demo companies with an export status in their profile."""
    with_status = ExportFact.objects.filter(attribute=Attribute.STATUS).values("company_id")
    return Company.objects.filter(
        siren__gte=DEMO_SIREN_FROM, is_active=True, pk__in=with_status
    ).order_by("siren")


def _latest(company: Company, attribute: str, before: date):
    fact = (
        company.export_facts.filter(attribute=attribute, observed_on__lt=before)
        .order_by("-observed_on", "-recorded_at", "-pk")
        .first()
    )
    return None if fact is None else fact.value


def draw(company: Company, *, year: int, first: date, last: date, accompanied: bool):
    """The company's answer date in [first, last] and its answer (None: no status known by
    then), from the company's own seeded stream."""
    rng = company_rng(company.siren, year)
    observed_on = first + timedelta(days=rng.randrange((last - first).days + 1))
    status = _latest(company, Attribute.STATUS, observed_on)
    if status is None:
        return observed_on, None
    share = _latest(company, Attribute.EXPORT_SHARE, observed_on) or 0
    return observed_on, answer(status=status, share=share, accompanied=accompanied, rng=rng)


def record_wave(*, today: date, accompanied: set[int], organisation=None) -> int:
    """Record this year's wave for every respondent; returns how many answered (0 when the
    wave is already recorded)."""
    if wave_recorded(today.year):
        return 0
    first, last = wave_window(today)
    answered = 0
    for company in respondents():
        observed_on, reply = draw(
            company, year=today.year, first=first, last=last, accompanied=company.pk in accompanied
        )
        if reply is None:
            continue  # the only status known is later than the company's answer
        for attribute, value in (
            (Attribute.STATUS, reply.status),
            (Attribute.EXPORT_SHARE, reply.export_share),
        ):
            export_fact_record(
                company=company,
                attribute=attribute,
                value=value,
                observed_on=observed_on,
                source=SOURCE,
                by=None,
                comment=COMMENT,
                organisation=organisation,
            )
        answered += 1
    return answered


def accompanied_in_default_period(today: date) -> set[int]:
    """Companies accompanied in the demo plan's default impact period, as the page counts them."""
    return supported_company_ids(*default_period(today))


def load(*, today: date, stdout) -> int:
    """Add the comparison companies and this year's wave (see the module's docstring)."""
    created = load_companies(count=REGISTRY_COUNT)
    if wave_recorded(today.year):
        stdout.write("Enquête export régionale : déjà chargée")
        return 0
    accompanied = accompanied_in_default_period(today)
    region = Organisation.objects.filter(slug=demo_plan.OWNER).first()
    answered = record_wave(today=today, accompanied=accompanied, organisation=region)
    stdout.write(
        f"Enquête export régionale : {created} entreprises non accompagnées ajoutées au "
        f"registre, {answered} réponses ({today.year})"
    )
    return answered
