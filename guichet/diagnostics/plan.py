"""The action plan proposed after a diagnostic: what the advisor starts from, before editing it
and handing it to the company.

The plan treats the company's gaps — the dimensions where it scored lowest — with two kinds of
lines:
- offers of the catalogue that help with a gap dimension, among those the company may use
  (eligible first, then "to check"; offers it may not use are left out), two per gap at most,
  each with the reason ("Score Finance et risques 35/100 : …");
- next steps with an owner and a due date: steps written for each dimension of the default
  questionnaire, "Définir 3 pays cibles" when no target country is entered yet, and a review
  meeting with the advisor three months later.

Due dates count from the day the diagnostic was completed, so that a plan generated later (on
first view, or by the demo) reads as it would have on that day.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from guichet.diagnostics.models import Diagnostic, Dimension
from guichet.diagnostics.radar import score_text
from guichet.diagnostics.scoring import GAP_THRESHOLD

MAX_GAPS = 3
OFFERS_PER_GAP = 2
COMPANY = "Entreprise"
WHY_MAX_LENGTH = 300
TITLE_MAX_LENGTH = 200

# Next steps per dimension of the default questionnaire: (title, owner, days after completion).
# The owner None means "the advisor's organisation". Dimensions of other questionnaires get
# the generic step below.
DIMENSION_STEPS: dict[str, tuple[str, str | None, int]] = {
    "strategy": (
        "Formaliser la stratégie export (objectifs, moyens, calendrier) et la valider en "
        "comité de direction",
        COMPANY,
        60,
    ),
    "offer": (
        "Adapter l'offre au premier marché visé : produit, prix export, documentation traduite",
        COMPANY,
        90,
    ),
    "organisation": (
        "Désigner un référent export et planifier la montée en compétences (langues, "
        "techniques du commerce international)",
        COMPANY,
        60,
    ),
    "finance": (
        "Établir le budget de prospection et étudier les financements et garanties export",
        None,
        45,
    ),
    "compliance": (
        "Vérifier normes, règles douanières et protection de la marque dans les pays visés",
        COMPANY,
        90,
    ),
    "marketing": (
        "Préparer les supports commerciaux en langue étrangère et la présence en ligne à "
        "l'international",
        COMPANY,
        90,
    ),
    "experience": (
        "Participer à une première action collective (salon, mission de prospection) avec "
        "l'appui d'un partenaire",
        None,
        120,
    ),
}
GENERIC_STEP = ("Travailler la dimension « {label} » avec le conseiller", None, 60)
COUNTRIES_STEP = ("Définir 3 pays cibles", COMPANY, 30)
REVIEW_STEP = ("Faire le point sur l'avancement du plan d'action avec le conseiller", None, 90)


@dataclass(frozen=True)
class Gap:
    code: str
    label: str
    score: float


@dataclass(frozen=True)
class PlanLine:
    """One line of a proposed plan, before it is saved as a PlanItem."""

    kind: str  # PlanItem.Kind
    title: str
    why: str = ""
    owner: str = ""
    due_on: date | None = None
    dimension: str = ""
    offer: object | None = None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def gaps_of(scores: dict, dimensions: Iterable[Dimension]) -> list[Gap]:
    """The dimensions to work on, weakest first: the gaps of the scoring rules (below
    GAP_THRESHOLD), three at most; when there are none, the weakest dimension still gets its
    lines, so that the plan of a diagnostic with scores is never empty."""
    scored = [
        Gap(code=d.code, label=d.label, score=float(scores[d.code]))
        for d in dimensions
        if scores.get(d.code) is not None
    ]
    scored.sort(key=lambda g: (g.score, g.code))
    below = [g for g in scored if g.score < GAP_THRESHOLD]
    return (below or scored[:1])[:MAX_GAPS]


def base_day(diagnostic: Diagnostic) -> date:
    moment = diagnostic.completed_at or timezone.now()
    return timezone.localtime(moment).date()


def offer_lines(gaps: Sequence[Gap], candidates: dict[str, list]) -> list[PlanLine]:
    """Two offers per gap at most, each offer once (for the weakest gap it helps with).
    `candidates` maps a dimension code to the offers helping with it, best first."""
    chosen: set[int] = set()
    lines = []
    for gap in gaps:
        taken = 0
        for offer in candidates.get(gap.code, []):
            if taken == OFFERS_PER_GAP:
                break
            if offer.pk in chosen:
                continue
            chosen.add(offer.pk)
            taken += 1
            why = f"Score {gap.label} {score_text(gap.score)}/100 : {offer.summary}"
            lines.append(
                PlanLine(
                    kind="offer",
                    title=_clip(offer.title, TITLE_MAX_LENGTH),
                    why=_clip(why, WHY_MAX_LENGTH),
                    owner=_clip(offer.provider.name, 150),
                    dimension=gap.code,
                    offer=offer,
                )
            )
    return lines


def step_lines(
    gaps: Sequence[Gap], *, day: date, advisor_owner: str, has_countries: bool
) -> list[PlanLine]:
    def line(template, *, gap: Gap | None = None) -> PlanLine:
        title, owner, days = template
        why = f"Score {gap.label} {score_text(gap.score)}/100" if gap else ""
        return PlanLine(
            kind="step",
            title=_clip(title.format(label=gap.label if gap else ""), TITLE_MAX_LENGTH),
            why=why,
            owner=owner or advisor_owner,
            due_on=day + timedelta(days=days),
            dimension=gap.code if gap else "",
        )

    lines = [] if has_countries else [line(COUNTRIES_STEP)]
    lines += [line(DIMENSION_STEPS.get(gap.code, GENERIC_STEP), gap=gap) for gap in gaps]
    lines.append(line(REVIEW_STEP))
    return sorted(lines, key=lambda item: item.due_on)


def _stage_for_offers(company) -> str | None:
    """Offers are matched for a company that is at least "diagnosed" (the plan may be made
    before the journey moves there); a company further on keeps its own stage."""
    from guichet.journeys.models import STAGE_ORDER, Journey, Stage

    stage = Journey.objects.filter(company=company).values_list("stage", flat=True).first()
    if stage in STAGE_ORDER and STAGE_ORDER.index(stage) > STAGE_ORDER.index(Stage.DIAGNOSED):
        return None
    return Stage.DIAGNOSED


def candidate_offers(diagnostic: Diagnostic, gaps: Sequence[Gap]) -> dict[str, list]:
    """Offers of the catalogue per gap dimension, those the company may use (eligible first,
    then to check), best first — one read of the catalogue for every gap."""
    from guichet.offers.selectors import offers_for_dimensions

    pairs = offers_for_dimensions(
        [gap.code for gap in gaps],
        company=diagnostic.company,
        stage=_stage_for_offers(diagnostic.company),
        exclude_not_eligible=True,
    )
    return {
        gap.code: [offer for offer, _eligibility in pairs if gap.code in (offer.dimensions or ())]
        for gap in gaps
    }


def advisor_owner(diagnostic: Diagnostic) -> str:
    if diagnostic.organisation is not None:
        return _clip(diagnostic.organisation.name, 150)
    return "Conseiller"


def propose(diagnostic: Diagnostic) -> list[PlanLine]:
    """The plan proposed for a completed diagnostic: offers first, then dated steps."""
    dimensions = list(diagnostic.version.dimensions.all())
    gaps = gaps_of(diagnostic.scores or {}, dimensions)
    if not gaps:
        return []
    offers = offer_lines(gaps, candidate_offers(diagnostic, gaps))
    steps = step_lines(
        gaps,
        day=base_day(diagnostic),
        advisor_owner=advisor_owner(diagnostic),
        has_countries=diagnostic.target_countries.exists(),
    )
    return offers + steps
