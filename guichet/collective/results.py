"""The results of collective actions, for one action or a programme year (PAREX 2 measure 6,
whose first edition found the impact "difficult to measure").

Rules, stated on the results pages too:
- Participation comes from the registrations (complete data): registered (every state),
  confirmed (confirmed, present or absent), present (the participants).
- The surveys' figures come from the participants who answered: for each one, only its LATEST
  answered wave counts (the questions ask what happened "since the action", so the +6-month
  answer includes the +3-month one). Each figure says on how many respondents out of how many
  participants it rests, and the share: a partial picture is never shown as the whole.
- Full cost per participant: the full cost of one participation set on the action, averaged
  over the participants present.
- Public money of an action held = the subsidies granted to its participations (confirmed,
  present or absent: their state-aid ledger lines stay) + the action's own public budget;
  per participant, divided by the participants present. Per contract signed, divided by the
  contracts the respondents reported: as non-respondents may have signed contracts too, it is
  an upper bound.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from guichet.collective.models import RegistrationStatus as R
from guichet.collective.services.states import SUBSIDISED
from guichet.core.charts import fr_number
from guichet.core.money import euros

CONFIRMED = frozenset({R.CONFIRMED, R.ATTENDED, R.NO_SHOW})
COMPLETE_REGISTRATIONS = "Toutes les inscriptions (données complètes)"
COMPLETE_PARTICIPANTS = "Toutes les présences (données complètes)"
SURVEY_FIELDS = (
    ("contacts", "contacts_made", "Contacts établis"),
    ("meetings", "meetings_held", "Rendez-vous tenus"),
    ("quotes", "quotes_sent", "Devis envoyés"),
    ("contracts", "contracts_signed", "Contrats signés"),
    ("contracts_value", "contracts_value", "Montant des contrats signés"),
    ("expected_revenue", "expected_export_revenue", "Chiffre d'affaires export attendu"),
)
MONEY_FIELDS = {"contracts_value", "expected_export_revenue"}


def _plural(count: int, word: str) -> str:
    return f"{fr_number(count)} {word}{'s' if count > 1 else ''}"


def percent(part: int, whole: int) -> float | None:
    return part * 100 / whole if whole else None


@dataclass(frozen=True)
class Basis:
    """On what a figure rests: respondents out of participants."""

    respondents: int
    participants: int

    @property
    def rate(self) -> float | None:
        return percent(self.respondents, self.participants)

    @property
    def rate_text(self) -> str:
        return fr_number(self.rate, 0, "%") if self.rate is not None else "–"

    @property
    def short(self) -> str:
        """The same, for a table cell: "6 / 7 (86 %)"."""
        return f"{self.respondents} / {self.participants} ({self.rate_text})"

    @property
    def text(self) -> str:
        return (
            f"sur {_plural(self.respondents, 'répondant')} / "
            f"{_plural(self.participants, 'participant')}, {self.rate_text}"
        )


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: object
    display: str
    basis: Basis | None = None
    complete: str = ""
    note: str = ""

    @property
    def basis_text(self) -> str:
        return self.basis.text if self.basis is not None else self.complete


@dataclass(frozen=True)
class WaveStat:
    wave: int
    label: str
    scheduled: int
    due: int
    sent: int
    reminded: int
    answered: int

    @property
    def rate(self) -> float | None:
        return percent(self.answered, self.due)

    @property
    def rate_text(self) -> str:
        return fr_number(self.rate, 0, "%") if self.rate is not None else "–"


@dataclass(frozen=True)
class Answer:
    """An answered survey and whether it is the one counted for its participant."""

    survey: object
    counted: bool
    superseded_by: str = ""


@dataclass
class Results:
    registrations: int = 0
    confirmed: int = 0
    participants: int = 0
    no_show: int = 0
    cancelled: int = 0
    respondents: int = 0
    waves: list[WaveStat] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    countries: list[tuple[object, int]] = field(default_factory=list)
    public_money: Decimal = Decimal("0")
    figures: list[Figure] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    @property
    def basis(self) -> Basis:
        return Basis(self.respondents, self.participants)

    @property
    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}


def _money(value: Decimal | None) -> str:
    return euros(value) if value is not None else "–"


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def latest_answers(surveys: Iterable) -> tuple[dict[int, object], list[Answer]]:
    """{registration id: its latest answered survey} and every answer, marked counted or
    superseded (by which wave)."""
    answered = sorted(
        (s for s in surveys if s.answered_at is not None),
        key=lambda s: (s.registration_id, s.wave),
    )
    latest: dict[int, object] = {}
    for survey in answered:
        latest[survey.registration_id] = survey
    answers = []
    for survey in answered:
        kept = latest[survey.registration_id]
        answers.append(
            Answer(
                survey=survey,
                counted=kept is survey,
                superseded_by="" if kept is survey else kept.get_wave_display().lower(),
            )
        )
    return latest, answers


def _waves(surveys: list, today: date) -> list[WaveStat]:
    from guichet.collective.models import SurveyWave

    stats = []
    for wave in SurveyWave:
        rows = [s for s in surveys if s.wave == wave.value]
        stats.append(
            WaveStat(
                wave=wave.value,
                label=wave.label,
                scheduled=len(rows),
                due=sum(1 for s in rows if s.due_on <= today),
                sent=sum(1 for s in rows if s.sent_at is not None),
                reminded=sum(1 for s in rows if s.reminded_at is not None),
                answered=sum(1 for s in rows if s.answered_at is not None),
            )
        )
    return stats


def _survey_figures(latest: list, participants: int) -> tuple[list[Figure], dict]:
    figures, totals = [], {}
    for key, attribute, label in SURVEY_FIELDS:
        values = [getattr(s, attribute) for s in latest if getattr(s, attribute) is not None]
        total = sum(values, Decimal("0") if attribute in MONEY_FIELDS else 0)
        totals[key] = (total, len(values))
        display = _money(total) if attribute in MONEY_FIELDS else fr_number(total)
        figures.append(Figure(key, label, total, display, Basis(len(values), participants)))
    return figures, totals


def _satisfaction(latest: list, participants: int) -> Figure:
    marks = [s.satisfaction for s in latest if s.satisfaction is not None]
    mean = sum(marks) / len(marks) if marks else None
    display = f"{fr_number(mean, 1)} / 5" if mean is not None else "–"
    return Figure(
        "satisfaction", "Satisfaction moyenne", mean, display, Basis(len(marks), participants)
    )


def _countries(latest: list) -> list[tuple[object, int]]:
    counter: Counter = Counter()
    names = {}
    for survey in latest:
        for country in survey.contract_countries.all():
            counter[country.pk] += 1
            names[country.pk] = country
    return sorted(
        ((names[pk], n) for pk, n in counter.items()), key=lambda item: (-item[1], str(item[0]))
    )


def _cost_figures(held, registrations, participants, contracts) -> tuple[list[Figure], Decimal]:
    """Cost per participant and public money (see the module's docstring)."""
    held_ids = {a.pk for a in held}
    cost = {a.pk: a.full_cost for a in held}
    present = [r for r in registrations if r.status == R.ATTENDED and r.action_id in held_ids]
    subsidies = sum(
        (
            r.subsidy_amount or Decimal("0")
            for r in registrations
            if r.status in SUBSIDISED and r.action_id in held_ids
        ),
        Decimal("0"),
    )
    public = subsidies + sum((a.budget for a in held), Decimal("0"))
    full = sum((cost[r.action_id] for r in present), Decimal("0"))
    n = len(present)
    per_full = _round(full / n) if n else None
    per_public = _round(public / n) if n else None
    total_contracts, answered = contracts
    per_contract = _round(public / total_contracts) if total_contracts else None
    figures = [
        Figure(
            "full_cost",
            "Coût complet par participant",
            per_full,
            _money(per_full),
            complete=COMPLETE_PARTICIPANTS,
        ),
        Figure(
            "public_money",
            "Argent public engagé",
            public,
            _money(public),
            complete=COMPLETE_REGISTRATIONS,
            note=f"dont {_money(subsidies)} de prises en charge et "
            f"{_money(public - subsidies)} de budget des actions",
        ),
        Figure(
            "public_per_participant",
            "Argent public par participant",
            per_public,
            _money(per_public),
            complete=COMPLETE_PARTICIPANTS,
        ),
        Figure(
            "public_per_contract",
            "Argent public par contrat signé",
            per_contract,
            _money(per_contract),
            basis=Basis(answered, participants),
            note="majorant : les non-répondants ont pu signer des contrats",
        ),
    ]
    return figures, public


def compute(*, actions: list, registrations: list, surveys: list, today: date) -> Results:
    """The results of `actions` from their registrations and the surveys of those."""
    statuses = Counter(r.status for r in registrations)
    participants = statuses[R.ATTENDED]
    present_ids = {r.pk for r in registrations if r.status == R.ATTENDED}
    surveys = [s for s in surveys if s.registration_id in present_ids]
    latest_by_registration, answers = latest_answers(surveys)
    latest = list(latest_by_registration.values())
    results = Results(
        registrations=len(registrations),
        confirmed=sum(statuses[s] for s in CONFIRMED),
        participants=participants,
        no_show=statuses[R.NO_SHOW],
        cancelled=statuses[R.CANCELLED],
        respondents=len(latest),
        waves=_waves(surveys, today),
        answers=answers,
        countries=_countries(latest),
    )
    basis = results.basis
    figures = [
        Figure(
            "registrations",
            "Entreprises inscrites",
            results.registrations,
            fr_number(results.registrations),
            complete=COMPLETE_REGISTRATIONS,
        ),
        Figure(
            "confirmed",
            "Participations confirmées",
            results.confirmed,
            fr_number(results.confirmed),
            complete=COMPLETE_REGISTRATIONS,
        ),
        Figure(
            "participants",
            "Entreprises présentes (participants)",
            participants,
            fr_number(participants),
            complete=COMPLETE_REGISTRATIONS,
            note=f"{_plural(results.no_show, 'absente')}" if results.no_show else "",
        ),
        Figure("response_rate", "Taux de réponse", basis.rate, basis.rate_text, basis=basis),
    ]
    survey_figures, totals = _survey_figures(latest, participants)
    figures += survey_figures
    figures.append(
        Figure(
            "countries",
            "Pays des contrats",
            len(results.countries),
            fr_number(len(results.countries)),
            Basis(totals["contracts"][1], participants),
            note=", ".join(str(c) for c, _n in results.countries[:8])
            + ("…" if len(results.countries) > 8 else ""),
        )
    )
    figures.append(_satisfaction(latest, participants))
    held = [a for a in actions if a.ends_on < today and a.status != "cancelled"]
    cost_figures, results.public_money = _cost_figures(
        held, registrations, participants, totals["contracts"]
    )
    results.figures = figures + cost_figures
    return results


def compute_by_action(*, actions: list, registrations: list, surveys: list, today: date):
    """[(action, its results)] and the results of them all."""
    regs_of, surveys_of = defaultdict(list), defaultdict(list)
    action_of = {}
    for registration in registrations:
        regs_of[registration.action_id].append(registration)
        action_of[registration.pk] = registration.action_id
    for survey in surveys:
        surveys_of[action_of.get(survey.registration_id)].append(survey)
    rows = [
        (
            action,
            compute(
                actions=[action],
                registrations=regs_of[action.pk],
                surveys=surveys_of[action.pk],
                today=today,
            ),
        )
        for action in actions
    ]
    total = compute(actions=actions, registrations=registrations, surveys=surveys, today=today)
    return rows, total
