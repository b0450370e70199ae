"""Impact of the support: accompanied companies compared with similar companies that were not.

Pure statistics on a pandas table, one row per company, with a 0/1 ``treated`` column, an
``outcome`` column and categorical covariates (filière, size, age band, département, prior
export status). No Django here: ``impact_data`` builds the table from the registry.

Two ways to find the comparison companies:

- **propensity score** (the default): a logistic regression (scikit-learn) estimates each
  company's probability of being accompanied from its covariates; each accompanied company is
  paired with the non-accompanied company of nearest score (logit scale), within a caliper of
  0.2 standard deviation of the logit (Austin, 2011), without replacement, greedily from the
  highest score down; optionally exactly on some covariates (the prior export status).
  The effect is the mean of the paired differences with its t-interval (statsmodels).
- **coarsened exact matching**: companies are grouped by identical covariate values; groups
  holding both kinds are kept, controls weighted so that each group's controls weigh as much as
  its accompanied companies; the effect is the weighted least-squares coefficient of the
  treatment, with a heteroskedasticity-robust interval (statsmodels).

Both estimate the average effect on the treated (ATT). The naive difference (all accompanied
against all others) is given next to it, to show what matching changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

PROPENSITY = "propensity"
CEM = "cem"
METHODS = (PROPENSITY, CEM)
CALIPER_SD = 0.2
MIN_TREATED = 10
MIN_CONTROLS = 10
MIN_MATCHED = 10
BALANCED_SMD = 0.1
_EPS = 1e-6


class NotEnoughData(Exception):
    """Too few companies to estimate anything; the message (French) says what is missing."""


@dataclass(frozen=True)
class Estimate:
    effect: float
    low: float
    high: float
    p_value: float
    treated_mean: float
    control_mean: float
    n_treated: int
    n_controls: int

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def significant(self) -> bool:
        return not self.contains(0.0)


@dataclass(frozen=True)
class BalanceRow:
    covariate: str
    level: str
    treated_before: float
    control_before: float
    smd_before: float
    treated_after: float
    control_after: float
    smd_after: float

    @property
    def balanced(self) -> bool:
        return abs(self.smd_after) < BALANCED_SMD


@dataclass
class ImpactResult:
    method: str
    confidence: float
    att: Estimate
    naive: Estimate
    n_treated: int  # accompanied companies with an outcome
    n_pool: int  # non-accompanied companies with an outcome
    n_matched_treated: int  # accompanied companies given a comparison
    n_matched_controls: int  # distinct comparison companies used
    balance: list[BalanceRow]
    # One row per matched company: its index in the input table, "group" (pair or stratum
    # number), "treated", "weight", "score" (propensity score, NaN for the exact method),
    # "outcome".
    matched: pd.DataFrame
    caliper: float | None = None
    exact: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_pairs(self) -> int:
        return self.n_matched_treated

    @property
    def n_unmatched_treated(self) -> int:
        return self.n_treated - self.n_matched_treated

    @property
    def max_smd_after(self) -> float:
        return max((abs(row.smd_after) for row in self.balance), default=0.0)

    @property
    def balanced(self) -> bool:
        return self.max_smd_after < BALANCED_SMD


def estimate_impact(
    data: pd.DataFrame,
    *,
    covariates: Sequence[str],
    method: str = PROPENSITY,
    treatment: str = "treated",
    outcome: str = "outcome",
    exact: Sequence[str] = (),
    caliper_sd: float = CALIPER_SD,
    confidence: float = 0.95,
) -> ImpactResult:
    """The average effect of the treatment on the treated, after matching on ``covariates``
    (categorical columns). Rows without an outcome are left out. Raises NotEnoughData."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    table = _prepared(data, covariates=covariates, treatment=treatment, outcome=outcome)
    alpha = 1 - confidence
    naive = _naive(table, alpha)
    design = _design(table, covariates)
    if method == PROPENSITY:
        matched, caliper = _propensity_match(table, design, exact=exact, caliper_sd=caliper_sd)
        _check_matched(matched)
        att = _paired_estimate(matched, alpha)
    else:
        matched, caliper = _cem_match(table, covariates), None
        _check_matched(matched)
        att = _weighted_estimate(matched, alpha)
    return ImpactResult(
        method=method,
        confidence=confidence,
        att=att,
        naive=naive,
        n_treated=int(table["treated"].sum()),
        n_pool=int((table["treated"] == 0).sum()),
        n_matched_treated=int(matched["treated"].sum()),
        n_matched_controls=int((matched["treated"] == 0).sum()),
        balance=balance_table(table, matched, covariates),
        matched=matched,
        caliper=caliper,
        exact=tuple(exact) if method == PROPENSITY else (),
    )


# --- preparation ---------------------------------------------------------------------------


def _prepared(data, *, covariates, treatment, outcome) -> pd.DataFrame:
    missing = [c for c in (treatment, outcome, *covariates) if c not in data.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    table = pd.DataFrame(
        {
            "treated": pd.to_numeric(data[treatment], errors="coerce"),
            "outcome": pd.to_numeric(data[outcome], errors="coerce"),
        },
        index=data.index,
    )
    for name in covariates:
        table[name] = data[name].astype("string").fillna("inconnu")
    table = table.dropna(subset=["treated", "outcome"])
    table["treated"] = (table["treated"] > 0).astype(int)
    treated = int(table["treated"].sum())
    controls = len(table) - treated
    if treated < MIN_TREATED:
        raise NotEnoughData(
            f"{treated} entreprise(s) accompagnée(s) sur la période ont une valeur du résultat "
            f"choisi : il en faut au moins {MIN_TREATED} pour une estimation."
        )
    if controls < MIN_CONTROLS:
        raise NotEnoughData(
            f"{controls} entreprise(s) non accompagnée(s) ont une valeur du résultat choisi : "
            f"il en faut au moins {MIN_CONTROLS} pour les comparer."
        )
    return table


def _design(table: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    """One 0/1 column per level of each covariate."""
    return pd.get_dummies(table[list(covariates)], prefix_sep="=", dtype=float)


def _check_matched(matched: pd.DataFrame) -> None:
    pairs = int(matched["treated"].sum())
    if pairs < MIN_MATCHED:
        raise NotEnoughData(
            f"Seules {pairs} entreprise(s) accompagnée(s) ont trouvé une entreprise comparable "
            f"non accompagnée : il en faut au moins {MIN_MATCHED}. Élargissez la période ou "
            "choisissez l'autre méthode d'appariement."
        )


# --- propensity score ----------------------------------------------------------------------


def propensity_scores(table: pd.DataFrame, design: pd.DataFrame) -> np.ndarray:
    """P(accompanied | covariates) by an L2-penalised logistic regression."""
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(design.to_numpy(), table["treated"].to_numpy())
    return model.predict_proba(design.to_numpy())[:, 1]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def _propensity_match(table, design, *, exact, caliper_sd) -> tuple[pd.DataFrame, float]:
    scores = propensity_scores(table, design)
    logits = _logit(scores)
    caliper = float(caliper_sd * np.std(logits, ddof=1)) if len(logits) > 1 else 0.0
    caliper = max(caliper, 1e-9)
    frame = table.assign(score=scores, logit=logits)
    strata = frame.groupby(list(exact), sort=True) if exact else [((), frame)]
    rows: list[dict] = []
    for _key, stratum in strata:
        rows += _greedy_pairs(stratum, caliper, first_group=len(rows) // 2 + 1)
    matched = pd.DataFrame(rows, columns=["row", "group", "treated", "weight", "score", "outcome"])
    return matched.set_index("row"), caliper


def _greedy_pairs(stratum: pd.DataFrame, caliper: float, *, first_group: int) -> list[dict]:
    """Nearest neighbour within the caliper, without replacement, hardest cases first."""
    treated = stratum[stratum["treated"] == 1].sort_values("logit", ascending=False, kind="stable")
    controls = stratum[stratum["treated"] == 0]
    if treated.empty or controls.empty:
        return []
    finder = NearestNeighbors(radius=caliper).fit(controls[["logit"]].to_numpy())
    _distances, neighbours = finder.radius_neighbors(
        treated[["logit"]].to_numpy(), sort_results=True
    )
    used: set[int] = set()
    rows: list[dict] = []
    group = first_group
    for t_label, candidates in zip(treated.index, neighbours, strict=True):
        chosen = next((c for c in candidates if c not in used), None)
        if chosen is None:
            continue
        used.add(int(chosen))
        c_label = controls.index[chosen]
        for label, source in ((t_label, treated), (c_label, controls)):
            rows.append(
                {
                    "row": label,
                    "group": group,
                    "treated": int(source.at[label, "treated"]),
                    "weight": 1.0,
                    "score": float(source.at[label, "score"]),
                    "outcome": float(source.at[label, "outcome"]),
                }
            )
        group += 1
    return rows


def _paired_estimate(matched: pd.DataFrame, alpha: float) -> Estimate:
    by_group = matched.pivot_table(index="group", columns="treated", values="outcome")
    differences = (by_group[1] - by_group[0]).to_numpy()
    stats = DescrStatsW(differences)
    low, high = stats.tconfint_mean(alpha=alpha)
    return Estimate(
        effect=float(stats.mean),
        low=float(low),
        high=float(high),
        p_value=_paired_p_value(stats),
        treated_mean=float(by_group[1].mean()),
        control_mean=float(by_group[0].mean()),
        n_treated=len(differences),
        n_controls=len(differences),
    )


def _paired_p_value(stats: DescrStatsW) -> float:
    if stats.std == 0:  # every difference equal: no test, certain
        return 1.0 if stats.mean == 0 else 0.0
    return float(stats.ttest_mean(0)[1])


# --- coarsened exact matching --------------------------------------------------------------


def _cem_match(table: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    """Strata of identical covariates holding both kinds; controls weigh n_T / n_C each."""
    keys = table.groupby(list(covariates), sort=True).ngroup()
    counts = pd.crosstab(keys, table["treated"])
    for column in (0, 1):
        if column not in counts.columns:
            counts[column] = 0
    kept = counts[(counts[0] > 0) & (counts[1] > 0)]
    numbers = {key: n for n, key in enumerate(sorted(kept.index), start=1)}
    inside = keys.isin(numbers)
    matched = table.loc[inside, ["treated", "outcome"]].copy()
    matched["group"] = keys[inside].map(numbers)
    ratio = (kept[1] / kept[0]).to_dict()
    matched["weight"] = np.where(
        matched["treated"] == 1, 1.0, keys[inside].map(ratio).to_numpy(dtype=float)
    )
    matched["score"] = np.nan
    matched.index.name = "row"
    return matched[["group", "treated", "weight", "score", "outcome"]]


def _weighted_estimate(matched: pd.DataFrame, alpha: float) -> Estimate:
    exog = sm.add_constant(matched["treated"].to_numpy(dtype=float), has_constant="add")
    fit = sm.WLS(matched["outcome"].to_numpy(), exog, weights=matched["weight"].to_numpy()).fit(
        cov_type="HC1"
    )
    low, high = fit.conf_int(alpha=alpha)[1]
    treated = matched[matched["treated"] == 1]
    controls = matched[matched["treated"] == 0]
    p_value = float(fit.pvalues[1]) if np.isfinite(fit.pvalues[1]) else 1.0
    return Estimate(
        effect=float(fit.params[1]),
        low=float(low),
        high=float(high),
        p_value=p_value,
        treated_mean=float(treated["outcome"].mean()),
        control_mean=float(np.average(controls["outcome"], weights=controls["weight"])),
        n_treated=len(treated),
        n_controls=len(controls),
    )


# --- naive difference and balance ----------------------------------------------------------


def _naive(table: pd.DataFrame, alpha: float) -> Estimate:
    treated = table.loc[table["treated"] == 1, "outcome"].to_numpy()
    controls = table.loc[table["treated"] == 0, "outcome"].to_numpy()
    compare = CompareMeans(DescrStatsW(treated), DescrStatsW(controls))
    low, high = compare.tconfint_diff(alpha=alpha, usevar="unequal")
    both_constant = treated.std() == 0 and controls.std() == 0
    p_value = (
        float(treated.mean() == controls.mean())
        if both_constant
        else float(compare.ttest_ind(usevar="unequal")[1])
    )
    return Estimate(
        effect=float(treated.mean() - controls.mean()),
        low=float(low),
        high=float(high),
        p_value=p_value,
        treated_mean=float(treated.mean()),
        control_mean=float(controls.mean()),
        n_treated=len(treated),
        n_controls=len(controls),
    )


def smd(treated_share: float, control_share: float, pooled_sd: float) -> float:
    """Standardised mean difference; the denominator is the pooled standard deviation before
    matching, so that before and after differ only by the means."""
    difference = treated_share - control_share
    if pooled_sd <= 0:
        return 0.0 if abs(difference) < 1e-12 else float(np.sign(difference))
    return float(difference / pooled_sd)


def balance_table(
    table: pd.DataFrame, matched: pd.DataFrame, covariates: Sequence[str]
) -> list[BalanceRow]:
    """For each level of each covariate, its share among the accompanied and the others,
    before and after matching (weighted), with the standardised differences."""
    design = _design(table, covariates)
    before_t = design[table["treated"] == 1]
    before_c = design[table["treated"] == 0]
    after = design.loc[matched.index]
    is_treated = matched["treated"].to_numpy() == 1
    weights = matched["weight"].to_numpy()
    rows = []
    for column in design.columns:
        covariate, _, level = column.partition("=")
        p_t, p_c = float(before_t[column].mean()), float(before_c[column].mean())
        pooled = float(np.sqrt((p_t * (1 - p_t) + p_c * (1 - p_c)) / 2))
        values = after[column].to_numpy()
        a_t = float(np.average(values[is_treated], weights=weights[is_treated]))
        a_c = float(np.average(values[~is_treated], weights=weights[~is_treated]))
        rows.append(
            BalanceRow(
                covariate=covariate,
                level=level,
                treated_before=p_t,
                control_before=p_c,
                smd_before=smd(p_t, p_c, pooled),
                treated_after=a_t,
                control_after=a_c,
                smd_after=smd(a_t, a_c, pooled),
            )
        )
    return rows
