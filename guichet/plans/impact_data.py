"""The registry as a table for the impact evaluation (guichet.plans.impact does the statistics).

One row per company of the registry that existed at the start of the period and had not
ceased before it:

- ``treated`` 1 when the company has a support record dated in the period — the records the
  "companies accompanied" computation counts (computations.companies.SUPPORTS): journey moved
  to the stage "accompanied" or beyond, desk need taken in charge by a partner, diagnostic
  completed, collective action registration confirmed or attended, aid granted, V.I.E. mission
  started. Companies supported only outside the period (before or after it) are left out:
  they are neither accompanied in the period nor untouched by the support. Every other company
  is a possible comparison (``treated`` 0).
- covariates, as categories: main filière (from the main activity's NAF code), size category,
  age band at the start of the period, head office's département, export status before the
  period (latest status fact observed before its first day, "inconnu" when none).
- ``outcome``: the value of the chosen outcome observed between the period's first day and the
  observation date (NaN when the registry holds none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db.models import Q

from guichet.companies.models import Company, Establishment, ExportFact, ExportStatus, Filiere
from guichet.plans.computations.companies import SUPPORTS
from guichet.reference.models import Departement, HeadcountBand, NafCode

Attribute = ExportFact.Attribute
UNKNOWN = "inconnu"
NO_FILIERE = "hors filière"
COVARIATES = ("filiere", "size", "age_band", "departement", "prior_status")
COVARIATE_LABELS = {
    "filiere": "Filière",
    "size": "Taille",
    "age_band": "Âge",
    "departement": "Département du siège",
    "prior_status": "Statut export avant la période",
}
EXPORTING = (ExportStatus.NEW, ExportStatus.OCCASIONAL, ExportStatus.REGULAR)
STATUS_LABELS = {code: str(label) for code, label in ExportStatus.choices}
NOT_EXPORTING_BEFORE = (STATUS_LABELS[ExportStatus.NEVER], UNKNOWN)
# A large registry is sampled for the comparison pool (every accompanied company is kept).
MAX_POOL = 60_000
SAMPLE_SEED = 20240101

# Midpoint of each turnover band of the export profile, in k€ (the last band: its floor).
TURNOVER_MIDPOINT_KEUR = {
    "lt_2m": 1_000,
    "2m_10m": 6_000,
    "10m_50m": 30_000,
    "50m_250m": 150_000,
    "250m_1_5md": 875_000,
    "gt_1_5md": 1_500_000,
}
AGE_BANDS = ((3, "moins de 3 ans"), (10, "3 à 9 ans"), (20, "10 à 19 ans"))
OLDEST_BAND = "20 ans et plus"


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str  # French
    unit: str  # French unit of the effect
    binary: bool
    description: str  # French: what is measured and from which records
    scale: float = 1.0  # shown value = stored value × scale (a share 0..1 in points)
    decimals: int = 1


OUTCOMES = {
    o.key: o
    for o in (
        Outcome(
            key="exporter",
            label="Devenir exportatrice",
            unit="points de %",
            binary=True,
            scale=100.0,
            description=(
                "Parmi les entreprises qui n'exportaient pas avant la période (statut « n'exporte "
                "pas » ou inconnu), part de celles dont le dernier statut export constaté entre "
                "le début de la période et la date d'observation est primo-exportateur, "
                "exportateur occasionnel ou régulier (profil export du registre)."
            ),
        ),
        Outcome(
            key="export_share",
            label="Part du chiffre d'affaires à l'export",
            unit="points de %",
            binary=False,
            description=(
                "Dernière part du chiffre d'affaires à l'export (%) constatée entre le début de "
                "la période et la date d'observation (profil export du registre)."
            ),
        ),
        Outcome(
            key="export_revenue",
            label="Chiffre d'affaires à l'export (estimé)",
            unit="k€",
            binary=False,
            decimals=0,
            description=(
                "Dernière part à l'export constatée entre le début de la période et la date "
                "d'observation × milieu de la dernière tranche de chiffre d'affaires connue "
                "(profil export du registre), en milliers d'euros. Les chiffres d'affaires export "
                "déclarés dans les bilans d'aides n'existent que pour les entreprises aidées : ils "
                "ne peuvent pas servir à la comparaison."
            ),
        ),
        Outcome(
            key="jobs",
            label="Emplois (effectif salarié)",
            unit="salariés",
            binary=False,
            description=(
                "Milieu de la tranche d'effectif salarié de SIRENE, quand son année est celle du "
                "début de la période ou plus récente (le registre ne garde que la dernière "
                "tranche connue)."
            ),
        ),
    )
}


# --- who was accompanied -------------------------------------------------------------------


def supported_company_ids(first_year: int | None = None, last_year: int | None = None) -> set[int]:
    """Companies with a support record dated in [first_year, last_year] (None: no bound). The
    support records are those of the "companies accompanied" computation (SUPPORTS), so that
    the impact page and the plan's figures count the same companies."""
    ids: set[int] = set()
    for support in SUPPORTS:
        rows = support.rows()
        if first_year is not None:
            rows = rows.filter(**{f"{support.date}__year__gte": first_year})
        if last_year is not None:
            rows = rows.filter(**{f"{support.date}__year__lte": last_year})
        ids.update(rows.order_by().values_list(support.company, flat=True).distinct())
    ids.discard(None)
    return ids


# --- covariates ----------------------------------------------------------------------------


def age_band(creation: date | None, on: date) -> str:
    if creation is None:
        return UNKNOWN
    years = (on - creation).days / 365.25
    for limit, label in AGE_BANDS:
        if years < limit:
            return label
    return OLDEST_BAND


def _main_filiere_of_naf() -> Callable[[str | None], str]:
    """A company's main filière: the first (by name) whose NAF codes cover its main activity."""
    parent = dict(NafCode.objects.values_list("code", "parent_id"))
    filieres = [
        (f.name, set(f.naf_codes.values_list("code", flat=True)))
        for f in Filiere.objects.prefetch_related("naf_codes").order_by("name")
    ]
    cache: dict[str | None, str] = {}

    def of(code: str | None) -> str:
        if code not in cache:
            ancestors, node = set(), code
            while node is not None and node in parent:
                ancestors.add(node)
                node = parent[node]
            cache[code] = next((name for name, codes in filieres if codes & ancestors), NO_FILIERE)
        return cache[code]

    return of


def _latest_fact(
    attribute: str,
    *,
    until: date,
    since: date | None = None,
    before: bool = False,
    company_ids=None,
) -> dict:
    """The latest fact's value per company, observed in [since, until] (before=True: strictly
    before ``until``)."""
    facts = ExportFact.objects.filter(attribute=attribute)
    facts = facts.filter(observed_on__lt=until) if before else facts.filter(observed_on__lte=until)
    if since is not None:
        facts = facts.filter(observed_on__gte=since)
    if company_ids is not None:
        facts = facts.filter(company_id__in=company_ids)
    latest: dict[int, object] = {}
    rows = facts.order_by("company_id", "-observed_on", "-recorded_at", "-pk").values_list(
        "company_id", "value"
    )
    for company_id, value in rows.iterator(chunk_size=5000):
        latest.setdefault(company_id, value)
    return latest


# --- outcomes ------------------------------------------------------------------------------


def _outcome_values(outcome: str, start: date, until: date) -> dict[int, float]:
    if outcome == "exporter":
        statuses = _latest_fact(Attribute.STATUS, since=start, until=until)
        return {c: float(v in EXPORTING) for c, v in statuses.items()}
    if outcome == "export_share":
        shares = _latest_fact(Attribute.EXPORT_SHARE, since=start, until=until)
        return {c: float(v) for c, v in shares.items() if _is_number(v)}
    if outcome == "export_revenue":
        shares = _latest_fact(Attribute.EXPORT_SHARE, since=start, until=until)
        bands = _latest_fact(Attribute.TURNOVER_BAND, until=until)
        return {
            c: float(share) / 100 * TURNOVER_MIDPOINT_KEUR[bands[c]]
            for c, share in shares.items()
            if _is_number(share) and bands.get(c) in TURNOVER_MIDPOINT_KEUR
        }
    if outcome == "jobs":
        return {}  # read with the companies (headcount band)
    raise ValueError(f"unknown outcome {outcome!r}")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _headcount_midpoints() -> dict[str, float]:
    return {
        code: float(low if high is None else (low + high) / 2)
        for code, low, high in HeadcountBand.objects.values_list(
            "code", "min_employees", "max_employees"
        )
    }


# --- the table -----------------------------------------------------------------------------


def company_table(
    *, outcome: str, first_year: int, last_year: int, observed_on: date
) -> pd.DataFrame:
    """The table estimate_impact reads (see the module's docstring). Columns: company_id,
    siren, name, legal_category, treated, outcome and the COVARIATES."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    start, end = date(first_year, 1, 1), min(date(last_year, 12, 31), observed_on)
    treated = supported_company_ids(first_year, last_year)
    elsewhere = supported_company_ids() - treated
    companies = (
        Company.objects.filter(Q(creation_date=None) | Q(creation_date__lte=end))
        .filter(Q(ceased_on=None) | Q(ceased_on__gte=start))
        .exclude(pk__in=elsewhere)
        .order_by("pk")
        .values_list(
            "pk",
            "siren",
            "name",
            "legal_category",
            "naf_id",
            "size_category",
            "creation_date",
            "headcount_band_id",
            "headcount_year",
        )
    )
    values = _outcome_values(outcome, start, observed_on)
    names = dict(Departement.objects.values_list("code", "name"))
    head_offices = {
        company_id: f"{code} {names.get(code, '')}".strip()
        for company_id, code in Establishment.objects.filter(is_headquarters=True)
        .exclude(departement=None)
        .order_by()
        .values_list("company_id", "departement_id")
    }
    prior = _latest_fact(Attribute.STATUS, until=start, before=True)
    filiere_of = _main_filiere_of_naf()
    midpoints = _headcount_midpoints() if outcome == "jobs" else {}
    rows = []
    for pk, siren, name, legal, naf, size, created, band, band_year in companies.iterator(
        chunk_size=5000
    ):
        if outcome == "jobs":
            recent = band_year is not None and band_year >= first_year
            value = midpoints.get(band) if recent else None
        else:
            value = values.get(pk)
        rows.append(
            {
                "company_id": pk,
                "siren": siren,
                "name": name,
                "legal_category": legal,
                "treated": int(pk in treated),
                "outcome": float("nan") if value is None else value,
                "filiere": filiere_of(naf),
                "size": size or UNKNOWN,
                "age_band": age_band(created, start),
                "departement": head_offices.get(pk) or UNKNOWN,
                "prior_status": STATUS_LABELS.get(prior.get(pk), UNKNOWN),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "company_id",
            "siren",
            "name",
            "legal_category",
            "treated",
            "outcome",
            *COVARIATES,
        ],
    )
    return table


def analysis_table(table: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The rows the estimate reads: those with an outcome (for "exporter", among companies
    that did not export before the period), the comparison pool sampled down to MAX_POOL."""
    if outcome == "exporter":
        table = table[table["prior_status"].isin(NOT_EXPORTING_BEFORE)]
    with_outcome = table[table["outcome"].notna()]
    pool = with_outcome[with_outcome["treated"] == 0]
    if len(pool) <= MAX_POOL:
        return with_outcome.reset_index(drop=True)
    kept = pool.sample(n=MAX_POOL, random_state=SAMPLE_SEED)
    both = pd.concat([with_outcome[with_outcome["treated"] == 1], kept]).sort_values("company_id")
    return both.reset_index(drop=True)
