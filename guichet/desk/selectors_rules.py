"""Reads of the routing administration: the rule list and its summaries, the coverage of a
région (subject × département) and the "who would receive this need?" preview.

Everything here reads; nothing creates a need or a match. Rules are few (hundreds at most),
so their territory and filters are evaluated in Python, as routing itself does.
"""

from dataclasses import dataclass, field

from guichet.companies.geography import departement_code_of_commune
from guichet.companies.models import ExportStatus
from guichet.desk.models import DeskPolicy, RoutingRule, Subject
from guichet.desk.routing import Profile, active_rules, matching_rules
from guichet.reference.models import Departement, Region

# How a rule covers a (subject, département) cell of the coverage table.
FULL = "full"
CONDITIONAL = "conditional"
PARTIAL = "partial"
NONE = "none"

STATE_LABELS = {
    FULL: "Couvert",
    CONDITIONAL: "Sous conditions",
    PARTIAL: "Partiel",
    NONE: "Non couvert",
}
STATE_BADGES = {FULL: "success", CONDITIONAL: "warning", PARTIAL: "warning", NONE: "error"}
STATE_BACKGROUNDS = {
    FULL: "",
    CONDITIONAL: "fr-background-contrast--warning",
    PARTIAL: "fr-background-contrast--warning",
    NONE: "fr-background-contrast--error",
}
_STRENGTH = {FULL: 3, CONDITIONAL: 2, PARTIAL: 1, NONE: 0}


def rules_queryset():
    return RoutingRule.objects.select_related("subject", "organisation", "person").prefetch_related(
        "regions", "departements", "naf_codes"
    )


# --- Summaries ---------------------------------------------------------------------------------


def has_filters(rule: RoutingRule) -> bool:
    """Whether a rule only covers some companies (NAF, headcount, age or export status)."""
    return bool(
        list(rule.naf_codes.all())
        or rule.min_employees is not None
        or rule.max_employees is not None
        or rule.min_age_years is not None
        or rule.max_age_years is not None
        or rule.export_statuses
    )


def has_territory(rule: RoutingRule) -> bool:
    return bool(list(rule.regions.all()) or list(rule.departements.all()) or rule.communes)


def territory_summary(rule: RoutingRule) -> str:
    parts = []
    regions = [r.name for r in rule.regions.all()]
    if regions:
        parts.append(("Région " if len(regions) == 1 else "Régions ") + ", ".join(regions))
    departements = [str(d) for d in rule.departements.all()]
    if departements:
        parts.append(", ".join(departements))
    communes = list(rule.communes or [])
    if communes:
        shown = ", ".join(communes[:5]) + (" …" if len(communes) > 5 else "")
        noun = "commune" if len(communes) == 1 else "communes"
        parts.append(f"{len(communes)} {noun} ({shown})")
    return " ; ".join(parts) or "Tout le territoire"


def _range(low, high, unit: str) -> str:
    if low is not None and high is not None:
        return f"de {low} à {high} {unit}"
    if low is not None:
        return f"au moins {low} {unit}"
    return f"au plus {high} {unit}"


def export_status_labels(values) -> list[str]:
    labels = dict(ExportStatus.choices)
    return [str(labels.get(v, v)) for v in values or []]


def filters_summary(rule: RoutingRule) -> str:
    parts = []
    naf = [n.code for n in rule.naf_codes.all()]
    if naf:
        parts.append("NAF " + ", ".join(naf))
    if rule.min_employees is not None or rule.max_employees is not None:
        parts.append("effectif " + _range(rule.min_employees, rule.max_employees, "salariés"))
    if rule.min_age_years is not None or rule.max_age_years is not None:
        parts.append("âge " + _range(rule.min_age_years, rule.max_age_years, "ans"))
    if rule.export_statuses:
        parts.append("statut export : " + ", ".join(export_status_labels(rule.export_statuses)))
    return " ; ".join(parts) or "Aucun filtre"


# --- Territory of a département ----------------------------------------------------------------


def departement_cover(rule: RoutingRule, departement: str, region: str) -> str:
    """How the territory of a rule covers a département: FULL (no territory, the département
    or its région), PARTIAL (only some of its communes) or NONE. Filters are not looked at."""
    if not has_territory(rule):
        return FULL
    if region in {r.code for r in rule.regions.all()}:
        return FULL
    if departement in {d.code for d in rule.departements.all()}:
        return FULL
    if any(departement_code_of_commune(c) == departement for c in rule.communes or []):
        return PARTIAL
    return NONE


def rule_list(*, subject: str = "", organisation: str = "", departement: str = "") -> list:
    """Rules (active or not) filtered by subject code, organisation slug and the département
    where they apply (their territory covers it, wholly or in part)."""
    rules = rules_queryset()
    if subject:
        rules = rules.filter(subject__code=subject)
    if organisation:
        rules = rules.filter(organisation__slug=organisation)
    rules = list(rules)
    if departement:
        region = Departement.objects.filter(code=departement).values_list("region_id", flat=True)
        region_code = region.first() or ""
        rules = [r for r in rules if departement_cover(r, departement, region_code) != NONE]
    return rules


@dataclass
class SubjectGroup:
    subject: Subject
    rules: list = field(default_factory=list)


def group_by_subject(rules) -> list[SubjectGroup]:
    groups: dict[int, SubjectGroup] = {}
    for rule in rules:
        groups.setdefault(rule.subject_id, SubjectGroup(rule.subject)).rules.append(rule)
    ordered = sorted(groups.values(), key=lambda g: (g.subject.order, g.subject.label))
    for group in ordered:
        group.rules.sort(key=lambda r: (r.priority, r.organisation.name, r.pk))
    return ordered


# --- Coverage ----------------------------------------------------------------------------------


@dataclass
class CellRule:
    rule: RoutingRule
    state: str  # FULL, CONDITIONAL or PARTIAL

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Cell:
    subject: Subject
    departement: Departement
    state: str = NONE
    rank: int | None = None
    first: list[CellRule] = field(default_factory=list)  # the rules of the best rank

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def background(self) -> str:
        return STATE_BACKGROUNDS[self.state]


@dataclass
class CoverageRow:
    subject: Subject
    cells: list[Cell]


def _rule_state(rule: RoutingRule, departement: str, region: str) -> str:
    territory = departement_cover(rule, departement, region)
    if territory == FULL and has_filters(rule):
        return CONDITIONAL
    return territory


def coverage_cell(subject: Subject, departement: Departement, rules) -> Cell:
    """A rule covers the cell when its territory includes the département, its région, or
    when it has no territory; communes only → partial; company filters → under conditions.
    The cell shows the organisations of the best rank among the rules that reach it."""
    cell = Cell(subject, departement)
    reaching = []
    for rule in rules:
        if rule.subject_id != subject.pk:
            continue
        state = _rule_state(rule, departement.code, departement.region_id)
        if state != NONE:
            reaching.append(CellRule(rule, state))
    if not reaching:
        return cell
    cell.state = max((r.state for r in reaching), key=_STRENGTH.__getitem__)
    cell.rank = min(r.rule.priority for r in reaching)
    cell.first = sorted(
        (r for r in reaching if r.rule.priority == cell.rank),
        key=lambda r: (r.rule.organisation.name, r.rule.pk),
    )
    return cell


def coverage(region: Region) -> list[CoverageRow]:
    """Active subjects × départements of a région, from the active rules of active
    organisations (the ones routing uses)."""
    departements = list(Departement.objects.filter(region=region).order_by("code"))
    subjects = list(Subject.objects.filter(is_active=True).order_by("order", "label"))
    rules = list(active_rules(subjects))
    return [CoverageRow(s, [coverage_cell(s, d, rules) for d in departements]) for s in subjects]


def gaps(rows: list[CoverageRow]) -> list[Cell]:
    """Cells not fully covered: uncovered first, then partial and under conditions."""
    cells = [c for row in rows for c in row.cells if c.state != FULL]
    order = {NONE: 0, PARTIAL: 1, CONDITIONAL: 2}
    return sorted(
        cells, key=lambda c: (order[c.state], c.subject.order, c.subject.label, c.departement.code)
    )


# --- Preview -----------------------------------------------------------------------------------


@dataclass
class Step:
    """One rank of the rules that match: who receives the need at that stage."""

    rank: int
    rules: list
    skipped: list = field(default_factory=list)  # organisations already asked at a better rank


@dataclass
class Preview:
    profile: Profile
    subject: Subject
    steps: list[Step]
    fallback: object  # Organisation or None
    fallback_usable: bool

    @property
    def matched(self) -> bool:
        return bool(self.steps)


def preview(profile: Profile, subject: Subject) -> Preview:
    """The order in which routing would offer a need on `subject` for `profile`: the best rank
    first, the next rank after a refusal (an organisation already asked is not asked again),
    and the fallback organisation when no rule matches or every partner has refused."""
    steps: list[Step] = []
    seen: set[int] = set()
    for rule in matching_rules(profile, subject):
        if not steps or steps[-1].rank != rule.priority:
            steps.append(Step(rule.priority, []))
        target = steps[-1].skipped if rule.organisation_id in seen else steps[-1].rules
        target.append(rule)
        seen.add(rule.organisation_id)
    steps = [s for s in steps if s.rules]
    fallback = DeskPolicy.current().fallback_organisation
    usable = fallback is not None and fallback.is_active and fallback.pk not in seen
    return Preview(profile, subject, steps, fallback, usable)
