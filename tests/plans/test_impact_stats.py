"""The impact statistics on generated companies with a planted effect: size drives both the
chance of being accompanied and the outcome (confounding), so the naive difference is biased
while the matched estimate's interval holds the planted effect. No database."""

import numpy as np
import pandas as pd
import pytest

from guichet.plans.impact import (
    CEM,
    MIN_TREATED,
    PROPENSITY,
    NotEnoughData,
    estimate_impact,
    smd,
)

COVARIATES = ("size", "filiere", "departement", "prior_status")
SIZES = np.array(["TPE", "PME", "ETI"])
P_ACCOMPANIED = np.array([0.05, 0.25, 0.50])  # bigger companies are accompanied more often
P_EXPORTING = np.array([0.10, 0.35, 0.60])  # … and export more often anyway
REVENUE_KEUR = np.array([50.0, 300.0, 1500.0])


def companies(seed: int, *, exporter_effect: float, revenue_effect: float, n: int = 3000):
    rng = np.random.default_rng(seed)
    size = rng.choice(3, n, p=[0.6, 0.3, 0.1])
    treated = (rng.random(n) < P_ACCOMPANIED[size]).astype(int)
    exporter = (rng.random(n) < P_EXPORTING[size] + exporter_effect * treated).astype(float)
    revenue = REVENUE_KEUR[size] + rng.normal(0, 100, n) + revenue_effect * treated
    return pd.DataFrame(
        {
            "treated": treated,
            "exporter": exporter,
            "revenue": revenue,
            "size": SIZES[size],
            "filiere": rng.choice(["Agroalimentaire", "Bois", "Mécanique"], n),
            "departement": rng.choice(["21", "25", "39", "71"], n),
            "prior_status": rng.choice(["N'exporte pas", "inconnu"], n, p=[0.7, 0.3]),
        }
    )


def estimate(data, outcome, method):
    exact = ("prior_status",) if method == PROPENSITY else ()
    table = data.rename(columns={outcome: "outcome"})
    return estimate_impact(table, covariates=COVARIATES, method=method, exact=exact)


@pytest.mark.parametrize("method", [PROPENSITY, CEM])
def test_planted_exporter_effect_is_in_the_interval_and_the_naive_difference_is_biased(method):
    data = companies(7, exporter_effect=0.15, revenue_effect=50.0)
    result = estimate(data, "exporter", method)
    assert result.att.low <= 0.15 <= result.att.high
    assert result.att.significant
    # Bigger companies export more and are accompanied more: the raw gap overstates the effect.
    assert result.naive.low > 0.15
    assert result.naive.effect > result.att.effect + 0.1
    assert result.n_pairs >= 0.9 * result.n_treated


@pytest.mark.parametrize("method", [PROPENSITY, CEM])
def test_planted_revenue_effect_is_in_the_interval(method):
    data = companies(11, exporter_effect=0.15, revenue_effect=50.0)
    result = estimate(data, "revenue", method)
    assert result.att.low <= 50.0 <= result.att.high
    assert result.naive.low > 150  # size alone makes accompanied companies look far richer


@pytest.mark.parametrize("method", [PROPENSITY, CEM])
def test_without_effect_the_interval_holds_zero(method):
    data = companies(3, exporter_effect=0.0, revenue_effect=0.0)
    exporter = estimate(data, "exporter", method)
    revenue = estimate(data, "revenue", method)
    assert exporter.att.contains(0.0)
    assert not exporter.att.significant
    assert revenue.att.contains(0.0)
    assert exporter.naive.low > 0  # while the raw gap suggests an effect


def test_intervals_cover_the_planted_effect_in_most_samples():
    """Over 20 samples, a 95 % interval holds the truth nearly every time."""
    covered = sum(
        estimate(
            companies(seed, exporter_effect=0.15, revenue_effect=50.0, n=1500),
            "exporter",
            PROPENSITY,
        ).att.contains(0.15)
        for seed in range(20)
    )
    assert covered >= 17


def test_balance_before_and_after_matching():
    result = estimate(companies(5, exporter_effect=0.15, revenue_effect=0), "exporter", PROPENSITY)
    rows = {(r.covariate, r.level): r for r in result.balance}
    tpe = rows[("size", "TPE")]
    assert tpe.smd_before < -0.5  # accompanied companies are rarely micro-enterprises
    assert abs(tpe.smd_after) < 0.1
    assert result.balanced
    assert {r.covariate for r in result.balance} == set(COVARIATES)


def test_pairs_use_each_comparison_company_once_within_the_caliper():
    result = estimate(companies(9, exporter_effect=0.1, revenue_effect=0), "exporter", PROPENSITY)
    matched = result.matched
    assert matched.index.is_unique  # no company used twice
    assert (matched.groupby("group")["treated"].agg(["sum", "count"]) == [1, 2]).all().all()
    gaps = matched.assign(logit=np.log(matched["score"] / (1 - matched["score"])))
    spread = gaps.groupby("group")["logit"].agg(lambda s: s.max() - s.min())
    assert (spread <= result.caliper + 1e-9).all()
    assert result.n_matched_controls == result.n_pairs


def test_exact_matching_on_prior_status():
    result = estimate(companies(2, exporter_effect=0.1, revenue_effect=0), "exporter", PROPENSITY)
    data = companies(2, exporter_effect=0.1, revenue_effect=0)
    statuses = data.loc[result.matched.index, "prior_status"]
    by_group = statuses.groupby(result.matched["group"]).nunique()
    assert (by_group == 1).all()


def test_accompanied_companies_without_comparison_are_left_out():
    """ETI are all accompanied: none of them can be matched (no common support)."""
    data = companies(4, exporter_effect=0.15, revenue_effect=0)
    data.loc[data["size"] == "ETI", "treated"] = 1
    eti = int((data["size"] == "ETI").sum())
    result = estimate(data, "exporter", CEM)
    assert result.n_unmatched_treated == eti
    assert result.n_pairs == result.n_treated - eti


def test_cem_weights_make_each_stratum_weigh_its_accompanied_companies():
    result = estimate(companies(8, exporter_effect=0, revenue_effect=0), "revenue", CEM)
    matched = result.matched
    sums = matched.groupby(["group", "treated"])["weight"].sum().unstack()
    assert np.allclose(sums[0], sums[1])


def test_rows_without_outcome_are_left_out():
    data = companies(1, exporter_effect=0.1, revenue_effect=0)
    data.loc[data.index[:500], "exporter"] = np.nan
    result = estimate(data, "exporter", PROPENSITY)
    assert result.n_treated + result.n_pool == len(data) - 500


def test_too_few_accompanied_companies():
    data = companies(1, exporter_effect=0.1, revenue_effect=0)
    treated = data.index[data["treated"] == 1]
    data.loc[treated[MIN_TREATED - 1 :], "treated"] = 0
    with pytest.raises(NotEnoughData, match="il en faut au moins 10"):
        estimate(data, "exporter", PROPENSITY)


def test_too_few_matched_companies():
    data = companies(1, exporter_effect=0.1, revenue_effect=0).iloc[:200].copy()
    data["treated"] = 0
    data.loc[data.index[:20], "treated"] = 1
    data.loc[data.index[:20], "departement"] = "58"  # no comparison company in the Nièvre
    with pytest.raises(NotEnoughData, match="comparable"):
        estimate(data, "exporter", CEM)


def test_standardised_difference():
    assert smd(0.5, 0.3, 0.5) == pytest.approx(0.4)
    assert smd(0.2, 0.2, 0.0) == 0.0
