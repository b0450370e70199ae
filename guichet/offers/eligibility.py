"""Whether a company may use an offer: the audience an offer records as data (sizes, export
statuses, filières, régions, headcount, age, journey stages, validity dates) checked against
what the registry knows of the company.

Three outcomes, never a silent "no": a rule the company plainly fails makes it *not eligible*;
a rule the registry cannot decide (unknown category, no creation date, a headcount band that
straddles the limit…) makes it *to check*, with the reason, so that the advisor asks the
company instead of skipping an offer that may fit. Every reason is a French sentence naming
the rule, then the company's situation.

The rules are pure functions of two frozen records — `OfferRules` (read from an Offer) and
`CompanyProfile` (read from a Company) — so they are tested on generated data without a
database; `check(offer, company)` reads both and evaluates them.

The journey stage is the one rule where unknown means "no restriction": it is where the
platform's own follow-up stands, not a fact about the company, so a company without a journey
is judged on its facts alone (the action plan passes the stage the diagnostic leads to).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils import timezone

from guichet.companies.models import ExportStatus, SizeCategory

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
TO_CHECK = "to_check"

STATUS_LABELS = {
    ELIGIBLE: "Éligible",
    TO_CHECK: "À vérifier",
    NOT_ELIGIBLE: "Non éligible",
}
# Sorting key: eligible first, then to check, then not eligible.
STATUS_RANK = {ELIGIBLE: 0, TO_CHECK: 1, NOT_ELIGIBLE: 2}

SIZE_CODES = tuple(SizeCategory.values)
EXPORT_STATUS_CODES = tuple(ExportStatus.values)

# How the audience of an offer reads ("Réservée aux …") and how a company is described.
_STATUS_AUDIENCE = {
    ExportStatus.NEVER: "entreprises qui n'exportent pas encore",
    ExportStatus.NEW: "primo-exportateurs",
    ExportStatus.OCCASIONAL: "exportateurs occasionnels",
    ExportStatus.REGULAR: "exportateurs réguliers",
}
_STATUS_COMPANY = {
    ExportStatus.NEVER: "l'entreprise n'exporte pas",
    ExportStatus.NEW: "l'entreprise est primo-exportatrice",
    ExportStatus.OCCASIONAL: "l'entreprise exporte occasionnellement",
    ExportStatus.REGULAR: "l'entreprise exporte régulièrement",
}
_SIZE_ARTICLE = {
    "TPE": "une TPE",
    "PME": "une PME",
    "ETI": "une ETI",
    "GE": "une grande entreprise",
}


def stage_labels() -> dict[str, str]:
    from guichet.journeys.models import Stage

    return {code: str(label) for code, label in Stage.choices}


def stage_codes() -> tuple[str, ...]:
    from guichet.journeys.models import Stage

    return tuple(Stage.values)


@dataclass(frozen=True)
class Eligibility:
    """The outcome for one company and one offer. `reasons` explains every rule that failed
    (first) or could not be decided; it is empty when the company is eligible."""

    status: str
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def to_check(self) -> bool:
        return self.status == TO_CHECK

    @property
    def not_eligible(self) -> bool:
        return self.status == NOT_ELIGIBLE

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def rank(self) -> int:
        return STATUS_RANK[self.status]


@dataclass(frozen=True)
class OfferRules:
    """The audience of an offer. Empty collections and None bounds mean "no restriction".
    Filières and régions are (key, name) pairs so that reasons can name them."""

    sizes: frozenset[str] = frozenset()
    export_statuses: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    filieres: tuple[tuple[int, str], ...] = ()
    regions: tuple[tuple[str, str], ...] = ()
    min_employees: int | None = None
    max_employees: int | None = None
    min_age_years: int | None = None
    max_age_years: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    is_active: bool = True


@dataclass(frozen=True)
class CompanyProfile:
    """What the registry knows of a company; None means "unknown"."""

    size_category: str | None = None
    export_status: str | None = None
    filiere_ids: frozenset[int] | None = None
    region_codes: frozenset[str] | None = None
    # Headcount band as (minimum, maximum); maximum None for the open-ended last band.
    headcount: tuple[int, int | None] | None = None
    creation_date: date | None = None
    stage: str | None = None


# ---------------------------------------------------------------------------------------------
# Rules: each returns None when satisfied, else (NOT_ELIGIBLE | TO_CHECK, reason).

Outcome = tuple[str, str] | None


def _fr_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _enumerate(words: Iterable[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " et " + words[-1]


def _rule_published(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    if not rules.is_active:
        return NOT_ELIGIBLE, "L'offre a été retirée du catalogue."
    return None


def _rule_validity(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    if rules.valid_from and today < rules.valid_from:
        return NOT_ELIGIBLE, f"L'offre n'ouvre que le {_fr_date(rules.valid_from)}."
    if rules.valid_until and today > rules.valid_until:
        return NOT_ELIGIBLE, f"L'offre a pris fin le {_fr_date(rules.valid_until)}."
    return None


def _rule_size(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    if not rules.sizes:
        return None
    wanted = [code for code in SIZE_CODES if code in rules.sizes]
    audience = f"Réservée aux {_enumerate(wanted)}"
    if not profile.size_category:
        return TO_CHECK, f"{audience} : la catégorie de l'entreprise n'est pas connue."
    if profile.size_category in rules.sizes:
        return None
    described = _SIZE_ARTICLE.get(profile.size_category, profile.size_category)
    return NOT_ELIGIBLE, f"{audience} : l'entreprise est {described}."


def _rule_export_status(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    if not rules.export_statuses:
        return None
    wanted = [_STATUS_AUDIENCE[c] for c in EXPORT_STATUS_CODES if c in rules.export_statuses]
    audience = f"Réservée aux {_enumerate(wanted)}"
    if not profile.export_status:
        return TO_CHECK, f"{audience} : le statut export de l'entreprise n'est pas renseigné."
    if profile.export_status in rules.export_statuses:
        return None
    return NOT_ELIGIBLE, f"{audience} : {_STATUS_COMPANY.get(profile.export_status, '')}."


def _rule_filiere(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    if not rules.filieres:
        return None
    names = _enumerate(sorted(name for _pk, name in rules.filieres))
    noun = "à la filière" if len(rules.filieres) == 1 else "aux filières"
    audience = f"Réservée {noun} {names}"
    if profile.filiere_ids is None:
        return TO_CHECK, f"{audience} : l'activité de l'entreprise n'est pas connue."
    if profile.filiere_ids & {pk for pk, _name in rules.filieres}:
        return None
    which = "à cette filière" if len(rules.filieres) == 1 else "à aucune de ces filières"
    return NOT_ELIGIBLE, f"{audience} : l'entreprise n'appartient pas {which}."


def _rule_region(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    if not rules.regions:
        return None
    names = _enumerate(sorted(name for _code, name in rules.regions))
    audience = f"Réservée aux entreprises implantées en {names}"
    if not profile.region_codes:
        return TO_CHECK, f"{audience} : la localisation de l'entreprise n'est pas connue."
    if profile.region_codes & {code for code, _name in rules.regions}:
        return None
    return NOT_ELIGIBLE, f"{audience} : aucun établissement de l'entreprise n'y est situé."


def _employees_audience(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"Réservée aux entreprises de {low} à {high} salariés"
    if low is not None:
        return f"Réservée aux entreprises d'au moins {low} salarié{'s' if low > 1 else ''}"
    return f"Réservée aux entreprises de {high} salarié{'s' if (high or 0) > 1 else ''} au plus"


def _band_text(band: tuple[int, int | None]) -> str:
    low, high = band
    if high is None:
        return f"{low} salariés et plus"
    if low == high:
        return f"{low} salarié{'s' if low > 1 else ''}"
    return f"{low} à {high} salariés"


def _rule_headcount(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    """A SIRENE band is an interval: inside the limits → fine, outside → not eligible,
    straddling a limit → to check with the company."""
    low, high = rules.min_employees, rules.max_employees
    if low is None and high is None:
        return None
    audience = _employees_audience(low, high)
    if profile.headcount is None:
        return TO_CHECK, f"{audience} : l'effectif de l'entreprise n'est pas connu."
    band_low, band_high = profile.headcount
    below = low is not None and (band_high is not None and band_high < low)
    above = high is not None and band_low > high
    if below or above:
        return NOT_ELIGIBLE, f"{audience} : l'entreprise compte {_band_text(profile.headcount)}."
    inside = (low is None or band_low >= low) and (
        high is None or (band_high is not None and band_high <= high)
    )
    if inside:
        return None
    return TO_CHECK, (
        f"{audience} : la tranche d'effectif de l'entreprise ({_band_text(profile.headcount)}) "
        "ne permet pas de conclure."
    )


def age_in_years(creation_date: date, today: date) -> int:
    """Completed years since creation (a company created on 29 February ages on 1 March)."""
    years = today.year - creation_date.year
    if (today.month, today.day) < (creation_date.month, creation_date.day):
        years -= 1
    return years


def _years(n: int) -> str:
    return f"{n} an{'s' if n > 1 else ''}"


def _rule_age(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    low, high = rules.min_age_years, rules.max_age_years
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        audience = f"Réservée aux entreprises de {_years(low)} à {_years(high)}"
    elif low is not None:
        audience = f"Réservée aux entreprises créées depuis au moins {_years(low)}"
    else:
        audience = f"Réservée aux entreprises de {_years(high)} au plus"
    if profile.creation_date is None:
        return TO_CHECK, f"{audience} : la date de création de l'entreprise n'est pas connue."
    age = age_in_years(profile.creation_date, today)
    if (low is not None and age < low) or (high is not None and age > high):
        created = _fr_date(profile.creation_date)
        return NOT_ELIGIBLE, f"{audience} : l'entreprise a été créée le {created}."
    return None


def _rule_stage(rules: OfferRules, profile: CompanyProfile, today: date) -> Outcome:
    if not rules.stages:
        return None
    labels = stage_labels()
    order = stage_codes()
    wanted = [labels[c].lower() for c in order if c in rules.stages]
    noun = "à l'étape" if len(wanted) == 1 else "aux étapes"
    audience = f"Destinée {noun} {_enumerate(f'« {w} »' for w in wanted)} du parcours export"
    if not profile.stage:
        # The stage is the platform's own follow-up, not a fact to ask the company: a company
        # nobody follows yet is not held back from offers aimed at a later stage.
        return None
    if profile.stage in rules.stages:
        return None
    current = labels.get(profile.stage, profile.stage).lower()
    return NOT_ELIGIBLE, f"{audience} : l'entreprise est à l'étape « {current} »."


RULES: tuple[Callable[[OfferRules, CompanyProfile, date], Outcome], ...] = (
    _rule_published,
    _rule_validity,
    _rule_size,
    _rule_export_status,
    _rule_filiere,
    _rule_region,
    _rule_headcount,
    _rule_age,
    _rule_stage,
)


def evaluate(rules: OfferRules, profile: CompanyProfile, today: date) -> Eligibility:
    failed, unsure = [], []
    for rule in RULES:
        outcome = rule(rules, profile, today)
        if outcome is None:
            continue
        status, reason = outcome
        (failed if status == NOT_ELIGIBLE else unsure).append(reason)
    if failed:
        return Eligibility(NOT_ELIGIBLE, failed + unsure)
    if unsure:
        return Eligibility(TO_CHECK, unsure)
    return Eligibility(ELIGIBLE)


# ---------------------------------------------------------------------------------------------
# Reading the records from the database.


def rules_of(offer) -> OfferRules:
    """The audience of a saved offer (prefetch `filieres` and `regions` when reading many)."""
    return OfferRules(
        sizes=frozenset(offer.sizes or ()),
        export_statuses=frozenset(offer.export_statuses or ()),
        stages=frozenset(offer.stages or ()),
        filieres=tuple((f.pk, f.name) for f in offer.filieres.all()),
        regions=tuple((r.code, r.name) for r in offer.regions.all()),
        min_employees=offer.min_employees,
        max_employees=offer.max_employees,
        min_age_years=offer.min_age_years,
        max_age_years=offer.max_age_years,
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
        is_active=offer.is_active,
    )


def _journey_stage(company) -> str | None:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        journey = company.journey
    except ObjectDoesNotExist:
        return None
    return journey.stage if journey is not None else None


# What each part of a profile costs to read, by the rules that need it.
PROFILE_PARTS = frozenset({"filieres", "regions", "headcount", "stage"})


def needed_parts(rules: Iterable[OfferRules]) -> frozenset[str]:
    """The parts of a company profile that these offers' rules read (the others are left
    unread: a profile for offers without filière restriction never computes filières)."""
    needs = set()
    for r in rules:
        if r.filieres:
            needs.add("filieres")
        if r.regions:
            needs.add("regions")
        if r.min_employees is not None or r.max_employees is not None:
            needs.add("headcount")
        if r.stages:
            needs.add("stage")
    return frozenset(needs)


def profile_of(
    company, *, stage: str | None = None, parts: frozenset[str] = PROFILE_PARTS
) -> CompanyProfile:
    """What the registry knows of `company` (a few queries; read it once for many offers).
    `stage` overrides the journey's stage (e.g. the stage a diagnostic leads to); `parts`
    limits the reading to what the rules at hand need (see `needed_parts`)."""
    from guichet.companies.filieres import filieres_of_company

    rows = (
        list(company.establishments.values_list("naf_id", "region_id", "is_active"))
        if {"filieres", "regions"} & parts
        else []
    )
    filiere_ids = None
    has_activity = bool(company.naf_id) or any(naf for naf, _r, _a in rows)
    if "filieres" in parts and has_activity:
        filiere_ids = frozenset(f.pk for f in filieres_of_company(company))
    regions = {region for _n, region, active in rows if region and active} or {
        region for _n, region, _a in rows if region
    }
    headcount = None
    if "headcount" in parts and company.headcount_band_id is not None:
        band = company.headcount_band
        headcount = (band.min_employees, band.max_employees)
    if not stage and "stage" in parts:
        stage = _journey_stage(company)
    return CompanyProfile(
        size_category=company.size_category or None,
        export_status=company.export_status or None,
        filiere_ids=filiere_ids,
        region_codes=frozenset(regions) or None,
        headcount=headcount,
        creation_date=company.creation_date,
        stage=stage or None,
    )


def check(offer, company, *, stage: str | None = None, today: date | None = None) -> Eligibility:
    """Whether `company` (a Company, or a CompanyProfile already read) may use `offer`."""
    profile = company if isinstance(company, CompanyProfile) else profile_of(company, stage=stage)
    if stage and isinstance(company, CompanyProfile) and profile.stage != stage:
        profile = replace(profile, stage=stage)
    return evaluate(rules_of(offer), profile, today or timezone.localdate())


def specificity(rules: OfferRules) -> int:
    """How many audience restrictions an offer has: among offers a company may use, the more
    targeted ones (its filière, its size, its stage) are listed before those open to all."""
    return sum(
        (
            bool(rules.sizes),
            bool(rules.export_statuses),
            bool(rules.stages),
            bool(rules.filieres),
            bool(rules.regions),
            rules.min_employees is not None or rules.max_employees is not None,
            rules.min_age_years is not None or rules.max_age_years is not None,
        )
    )


# ---------------------------------------------------------------------------------------------
# The audience, told to a reader (offer page, guide, API).

_SIZE_PLURAL = {"TPE": "TPE", "PME": "PME", "ETI": "ETI", "GE": "grandes entreprises"}


def audience_lines(rules: OfferRules) -> list[str]:
    """One line per restriction ("Taille : PME et ETI"); empty when the offer is open to all."""
    lines = []
    if rules.sizes:
        wanted = [_SIZE_PLURAL[c] for c in SIZE_CODES if c in rules.sizes]
        lines.append(f"Taille : {_enumerate(wanted)}")
    if rules.export_statuses:
        wanted = [_STATUS_AUDIENCE[c] for c in EXPORT_STATUS_CODES if c in rules.export_statuses]
        lines.append(f"Statut export : {_enumerate(wanted)}")
    if rules.stages:
        labels = stage_labels()
        wanted = [labels[c].lower() for c in stage_codes() if c in rules.stages]
        lines.append(f"Étapes du parcours : {_enumerate(wanted)}")
    if rules.filieres:
        lines.append(f"Filières : {_enumerate(sorted(name for _pk, name in rules.filieres))}")
    if rules.regions:
        lines.append(f"Implantation : {_enumerate(sorted(name for _c, name in rules.regions))}")
    if rules.min_employees is not None or rules.max_employees is not None:
        low, high = rules.min_employees, rules.max_employees
        if low is not None and high is not None:
            lines.append(f"Effectif : de {low} à {high} salariés")
        elif low is not None:
            lines.append(f"Effectif : au moins {low} salarié{'s' if low > 1 else ''}")
        else:
            lines.append(f"Effectif : {high} salarié{'s' if high > 1 else ''} au plus")
    if rules.min_age_years is not None or rules.max_age_years is not None:
        low, high = rules.min_age_years, rules.max_age_years
        if low is not None and high is not None:
            lines.append(f"Âge de l'entreprise : de {_years(low)} à {_years(high)}")
        elif low is not None:
            lines.append(f"Âge de l'entreprise : au moins {_years(low)}")
        else:
            lines.append(f"Âge de l'entreprise : {_years(high)} au plus")
    return lines
