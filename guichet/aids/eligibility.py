"""Eligibility checks of an application, computed from its scheme's rules (issue 6,
"Instruction screen"). Each check names the rule in French, its outcome and what was found:

- "passed" / "failed" when the platform holds the data to decide;
- "manual" when it does not (missing company data, a rule no data can decide — e.g. the
  costs must not be linked to quantities exported or to a distribution network, which
  neither de minimis nor GBER allows, DOMAIN.md "State aid"). Missing data is never a pass.

A rule the scheme does not set (no size restriction, no deadline…) yields no check.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from guichet.aids import selectors
from guichet.aids.amounts import costs_of
from guichet.aids.models import Application, SchemeRegime
from guichet.companies.filieres import filieres_of_company
from guichet.companies.models import ExportStatus, SizeCategory
from guichet.core.money import euros
from guichet.stateaid.models import DE_MINIMIS_REGULATIONS, GBER_INTENSITY, Regulation

PASSED, FAILED, MANUAL = "passed", "failed", "manual"
OUTCOME_LABELS = {PASSED: "Respectée", FAILED: "Non respectée", MANUAL: "À vérifier"}


@dataclass(frozen=True)
class Check:
    code: str
    label: str  # the rule, in French
    outcome: str  # passed | failed | manual
    detail: str  # what was found

    def as_dict(self) -> dict:
        return asdict(self)


def _d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _or(items) -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " ou " + items[-1]


def _percent(value: Decimal) -> str:
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def full_years(start: date, end: date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def _submitted_on(application: Application) -> date | None:
    if application.submitted_at is None:
        return None
    return timezone.localtime(application.submitted_at).date()


# --- the company --------------------------------------------------------------------------


def _active(application: Application) -> Check:
    company = application.company
    label = "Entreprise en activité"
    if company.is_active:
        return Check("active", label, PASSED, "Active au répertoire SIRENE.")
    return Check("active", label, FAILED, f"Cessée le {_d(company.ceased_on)}.")


def _size(application: Application) -> Check | None:
    sizes = application.scheme.sizes
    if not sizes:
        return None
    label = f"Taille : {_or(sizes)}"
    found = application.company.size_category
    if not found:
        return Check("size", label, MANUAL, "Catégorie d'entreprise inconnue au répertoire.")
    outcome = PASSED if found in sizes else FAILED
    return Check("size", label, outcome, f"Catégorie : {SizeCategory(found).label}.")


def _filiere(application: Application) -> Check | None:
    wanted = list(application.scheme.filieres.order_by("name"))
    if not wanted:
        return None
    label = f"Filière : {_or(f.name for f in wanted)}"
    if not application.company.naf_id:
        return Check("filiere", label, MANUAL, "Activité (NAF) inconnue : filière à vérifier.")
    found = filieres_of_company(application.company)
    common = [f.name for f in found if f in wanted]
    if common:
        return Check("filiere", label, PASSED, f"Filière de l'entreprise : {', '.join(common)}.")
    names = ", ".join(f.name for f in found) or "aucune"
    return Check("filiere", label, FAILED, f"Filières de l'entreprise : {names}.")


def _export_status(application: Application) -> Check | None:
    statuses = application.scheme.export_statuses
    if not statuses:
        return None
    labels = [ExportStatus(s).label if s in ExportStatus.values else s for s in statuses]
    label = f"Statut export : {_or(labels)}"
    found = application.company.export_status
    if not found:
        return Check("export_status", label, MANUAL, "Statut export non renseigné.")
    outcome = PASSED if found in statuses else FAILED
    return Check("export_status", label, outcome, f"Statut : {ExportStatus(found).label}.")


def _age(application: Application, today: date) -> Check | None:
    low, high = application.scheme.min_age_years, application.scheme.max_age_years
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        label = f"Ancienneté de l'entreprise : entre {low} et {high} ans"
    elif low is not None:
        label = f"Ancienneté de l'entreprise : au moins {low} ans"
    else:
        label = f"Ancienneté de l'entreprise : au plus {high} ans"
    created = application.company.creation_date
    if created is None:
        return Check("age", label, MANUAL, "Date de création inconnue au répertoire.")
    at = _submitted_on(application) or today
    age = full_years(created, at)
    ok = (low is None or age >= low) and (high is None or age <= high)
    detail = f"Créée le {_d(created)} : {age} an{'s' if age > 1 else ''} au {_d(at)}."
    return Check("age", label, PASSED if ok else FAILED, detail)


def _export_share(application: Application) -> Check | None:
    limit = application.scheme.max_export_share
    if limit is None:
        return None
    label = f"Part du chiffre d'affaires à l'export : au plus {_percent(limit)}"
    share, source = application.export_share, "déclarée dans la demande"
    if share is None:
        from guichet.companies.selectors import current_export_profile

        fact = current_export_profile(application.company).get("export_share")
        if fact is not None and isinstance(fact.value, int | float | str):
            try:
                share, source = Decimal(str(fact.value)), f"profil export au {_d(fact.observed_on)}"
            except ArithmeticError:
                share = None
    if share is None:
        return Check("export_share", label, MANUAL, "Part export non renseignée.")
    outcome = PASSED if share <= limit else FAILED
    return Check("export_share", label, outcome, f"{_percent(share)} ({source}).")


# --- the project ----------------------------------------------------------------------------


def _deadline(application: Application) -> Check | None:
    opens, closes = application.scheme.opens_on, application.scheme.closes_on
    if opens is None and closes is None:
        return None
    if opens and closes:
        label = f"Dépôt entre le {_d(opens)} et le {_d(closes)}"
    elif closes:
        label = f"Dépôt au plus tard le {_d(closes)}"
    else:
        label = f"Dépôt à partir du {_d(opens)}"
    submitted = _submitted_on(application)
    if submitted is None:
        return Check("deadline", label, MANUAL, "La demande n'est pas encore déposée.")
    ok = (opens is None or submitted >= opens) and (closes is None or submitted <= closes)
    return Check("deadline", label, PASSED if ok else FAILED, f"Déposée le {_d(submitted)}.")


def _hiring(application: Application, today: date) -> Check | None:
    months = application.scheme.max_months_since_hiring
    if months is None:
        return None
    label = f"Embauche au plus {months} mois avant la demande"
    hired = application.hired_on
    if hired is None:
        return Check("hiring", label, MANUAL, "Date d'embauche non renseignée.")
    at = _submitted_on(application) or today
    ok = add_months(hired, months) >= at
    return Check(
        "hiring", label, PASSED if ok else FAILED, f"Embauche le {_d(hired)}, demande le {_d(at)}."
    )


def _duration(application: Application) -> Check | None:
    months = application.scheme.max_duration_months
    if months is None:
        return None
    label = f"Programme d'au plus {months} mois"
    start, end = application.project_start, application.project_end
    if start is None or end is None:
        return Check("duration", label, MANUAL, "Dates du programme non renseignées.")
    ok = start <= end < add_months(start, months)
    detail = f"Programme du {_d(start)} au {_d(end)}."
    if end < start:
        detail += " La fin précède le début."
    elif not ok:
        detail += f" Il dépasse le {_d(add_months(start, months) - timedelta(days=1))}."
    return Check("duration", label, PASSED if ok else FAILED, detail)


def _min_costs(application: Application, costs: Decimal) -> Check | None:
    minimum = application.scheme.min_eligible_costs
    if minimum is None:
        return None
    label = f"Dépenses éligibles d'au moins {euros(minimum)}"
    outcome = PASSED if costs >= minimum else FAILED
    return Check("min_costs", label, outcome, f"Dépenses éligibles : {euros(costs)}.")


def _documents(application: Application) -> Check | None:
    required = list(application.scheme.required_documents.filter(mandatory=True))
    if not required:
        return None
    given = set(application.documents.values_list("required_id", flat=True))
    missing = [doc.label for doc in required if doc.pk not in given]
    label = "Pièces obligatoires fournies"
    if missing:
        return Check("documents", label, FAILED, f"Manquent : {', '.join(missing)}.")
    return Check("documents", label, PASSED, f"{len(required)} pièce(s) fournie(s).")


# --- money: ceilings, envelope, state aid ---------------------------------------------------


def _aids_count(application: Application) -> Check | None:
    most = application.scheme.max_aids_per_company
    if most is None:
        return None
    label = f"Au plus {most} aide{'s' if most > 1 else ''} de ce dispositif par entreprise"
    count = selectors.company_grants(application).count
    detail = f"{count} aide{'s' if count > 1 else ''} déjà accordée{'s' if count > 1 else ''}."
    return Check("aids_count", label, PASSED if count < most else FAILED, detail)


def _company_ceiling(application: Application) -> Check | None:
    ceiling = application.scheme.ceiling_per_company
    if ceiling is None:
        return None
    label = f"Plafond cumulé par entreprise : {euros(ceiling)}"
    total = selectors.company_grants(application).total
    detail = f"{euros(total)} déjà accordés, reste {euros(max(ceiling - total, 0))}."
    return Check("company_ceiling", label, PASSED if total < ceiling else FAILED, detail)


def _envelope(application: Application, today: date) -> Check:
    label = f"Enveloppe {today.year} du dispositif non épuisée"
    remaining, exists = selectors.envelope_remaining(application, today.year)
    if not exists:
        return Check("envelope", label, MANUAL, f"Aucune enveloppe budgétaire pour {today.year}.")
    outcome = PASSED if remaining > 0 else FAILED
    return Check("envelope", label, outcome, f"Reste {euros(remaining)}.")


def _state_aid(application: Application, today: date) -> Check:
    scheme = application.scheme
    if not scheme.is_state_aid:
        label = "Régime : pas une aide d'État"
        if scheme.not_aid_justification.strip():
            return Check("state_aid", label, PASSED, scheme.not_aid_justification.strip())
        return Check("state_aid", label, MANUAL, "Le dispositif ne donne pas de justification.")
    regulation = Regulation(scheme.regime)
    room = selectors.state_aid_room(application, at=today)
    label = f"Marge disponible : {regulation.label}"
    if room.headroom is None:
        return Check(
            "state_aid", label, PASSED, "Pas de plafond sur trois ans : intensité vérifiée."
        )
    detail = (
        f"Déjà reçu {euros(room.total)} sur les trois ans se terminant le {_d(today)}, "
        f"plafond {euros(room.ceiling)} : reste {euros(room.headroom)}."
    )
    return Check("state_aid", label, PASSED if room.headroom > 0 else FAILED, detail)


def _gber_cumulation(application: Application, costs: Decimal, amount: Decimal) -> Check | None:
    regime = application.scheme.regime
    if regime not in GBER_INTENSITY:
        return None
    intensity = GBER_INTENSITY[regime]
    label = (
        f"Cumul sur les mêmes coûts admissibles : au plus {_percent(intensity * 100)} "
        "des coûts (RGEC)"
    )
    already = selectors.same_costs_aid(application)
    limit = intensity * costs
    total = already + amount
    detail = (
        f"Aides déjà reçues sur les mêmes coûts {euros(already)} + cette aide {euros(amount)} "
        f"= {euros(total)} pour une limite de {_percent(intensity * 100)} × {euros(costs)} "
        f"= {euros(limit)}."
    )
    return Check("gber_cumulation", label, PASSED if total <= limit else FAILED, detail)


def _incentive_effect(application: Application) -> Check | None:
    """GBER art. 6: the work must not start before the application is filed."""
    if application.scheme.regime not in GBER_INTENSITY:
        return None
    label = "Effet incitatif : programme commencé après le dépôt de la demande"
    start, submitted = application.project_start, _submitted_on(application)
    if start is None or submitted is None:
        return Check("incentive", label, MANUAL, "Date de début ou date de dépôt non renseignée.")
    outcome = PASSED if start >= submitted else FAILED
    return Check("incentive", label, outcome, f"Début {_d(start)}, dépôt {_d(submitted)}.")


def _declaration(application: Application) -> Check | None:
    if application.scheme.regime not in DE_MINIMIS_REGULATIONS:
        return None
    label = "Aides de minimis des trois dernières années déclarées"
    count = application.declared_aids.count()
    if count:
        return Check("declaration", label, PASSED, f"{count} aide(s) déclarée(s) par l'entreprise.")
    if application.declared_no_other_aid:
        return Check("declaration", label, PASSED, "L'entreprise déclare n'en avoir reçu aucune.")
    return Check("declaration", label, MANUAL, "L'entreprise n'a fait aucune déclaration.")


def _not_allowed(application: Application) -> Check | None:
    if application.scheme.regime == SchemeRegime.NOT_AID:
        return None
    return Check(
        "not_allowed_costs",
        "Dépenses non liées aux quantités exportées ni à un réseau de distribution, "
        "ni dépenses courantes d'exportation",
        MANUAL,
        "Interdit par les règlements de minimis et RGEC : à vérifier sur les dépenses prévues.",
    )


# --- all of them ----------------------------------------------------------------------------


def checks_for(
    application: Application,
    *,
    today: date,
    eligible_costs: Decimal | None = None,
    amount: Decimal | None = None,
) -> list[Check]:
    """Every check of `application` at `today`. `eligible_costs` and `amount` are the figures
    under instruction (by default the retained costs or the planned expenses, and the proposed
    or requested amount)."""
    costs = costs_of(application, eligible_costs)
    if amount is None:
        amount = (
            application.proposed_amount
            if application.proposed_amount is not None
            else application.requested_amount
        )
    checks = [
        _active(application),
        _size(application),
        _filiere(application),
        _export_status(application),
        _age(application, today),
        _export_share(application),
        _deadline(application),
        _hiring(application, today),
        _duration(application),
        _min_costs(application, costs),
        _documents(application),
        _aids_count(application),
        _company_ceiling(application),
        _envelope(application, today),
        _state_aid(application, today),
        _gber_cumulation(application, costs, amount),
        _incentive_effect(application),
        _declaration(application),
        _not_allowed(application),
    ]
    return [check for check in checks if check is not None]


def summary(checks) -> dict[str, int]:
    """How many checks of each outcome (checks as Check or as their JSON snapshot)."""
    counts = dict.fromkeys((PASSED, FAILED, MANUAL), 0)
    for check in checks:
        outcome = check["outcome"] if isinstance(check, dict) else check.outcome
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def summary_sentence(checks) -> str:
    """ "3 respectées, 1 non respectée, 2 à vérifier" (French plural: from 2)."""
    counts = summary(checks)

    def agreed(count: int, word: str) -> str:
        return f"{count} {word}{'s' if count > 1 else ''}"

    return (
        f"{agreed(counts[PASSED], 'respectée')}, {agreed(counts[FAILED], 'non respectée')}, "
        f"{counts[MANUAL]} à vérifier"
    )
