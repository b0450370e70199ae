"""The impact page: accompanied companies against comparable companies of the registry that were
not accompanied (guichet.plans.impact for the statistics, impact_data for the table)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from guichet.core.charts import fr_number
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.plans import impact, impact_data, selectors
from guichet.plans.forms_impact import METHOD_CHOICES, ImpactForm
from guichet.plans.impact_chart import interval_chart
from guichet.plans.impact_data import COVARIATE_LABELS, COVARIATES, OUTCOMES, Outcome
from guichet.plans.permissions import can_view_plans

PHYSICAL_PERSON = "1"  # INSEE legal categories 1xxx: entrepreneurs individuels
MASKED = "entrepreneur individuel (masqué)"


def _breadcrumb(plan) -> dict:
    return {
        "links": [
            {"url": reverse("plans:plan_list"), "title": "Plans"},
            {"url": reverse("plans:dashboard", args=[plan.slug]), "title": plan.name},
        ],
        "current": "Impact",
        "root_dir": "/",
    }


@dataclass
class Shown:
    """An estimate in the outcome's unit (a share in points of %)."""

    effect: float
    low: float
    high: float
    treated_mean: float
    control_mean: float
    outcome: Outcome

    @classmethod
    def of(cls, estimate: impact.Estimate, outcome: Outcome) -> Shown:
        s = outcome.scale
        return cls(
            effect=estimate.effect * s,
            low=estimate.low * s,
            high=estimate.high * s,
            treated_mean=estimate.treated_mean * s,
            control_mean=estimate.control_mean * s,
            outcome=outcome,
        )

    def _n(self, value: float, *, sign: bool = False) -> str:
        text = fr_number(value, self.outcome.decimals)
        return f"+{text}" if sign and value > 0 else text

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0

    @property
    def effect_text(self) -> str:
        return f"{self._n(self.effect, sign=True)}\u00a0{self.outcome.unit}"

    @property
    def interval_text(self) -> str:
        return (
            f"de {self._n(self.low, sign=True)} à {self._n(self.high, sign=True)}"
            f"\u00a0{self.outcome.unit}"
        )

    @property
    def level_unit(self) -> str:
        return "%" if self.outcome.unit == "points de %" else self.outcome.unit

    @property
    def treated_text(self) -> str:
        return f"{self._n(self.treated_mean)}\u00a0{self.level_unit}"

    @property
    def control_text(self) -> str:
        return f"{self._n(self.control_mean)}\u00a0{self.level_unit}"


def _initial(plan, today) -> dict:
    last = min(plan.last_year, today.year)
    return {
        "outcome": "exporter",
        "first_year": min(plan.first_year, last),
        "last_year": last,
        "method": impact.PROPENSITY,
    }


def _balance_rows(result: impact.ImpactResult) -> list[dict]:
    rows = []
    for row in result.balance:
        rows.append(
            {
                "covariate": COVARIATE_LABELS.get(row.covariate, row.covariate),
                "level": row.level,
                "treated_before": row.treated_before * 100,
                "control_before": row.control_before * 100,
                "smd_before": row.smd_before,
                "treated_after": row.treated_after * 100,
                "control_after": row.control_after * 100,
                "smd_after": row.smd_after,
                "balanced": row.balanced,
            }
        )
    return rows


EXPORT_HEADERS = [
    "Groupe d'appariement",
    "Rôle",
    "SIREN",
    "Entreprise",
    "Poids",
    "Score de propension",
    *(COVARIATE_LABELS[c] for c in COVARIATES),
    "Résultat (1 = oui, 0 = non pour « devenir exportatrice »)",
]


def _export_rows(table: pd.DataFrame, result: impact.ImpactResult):
    """One line per matched company; entrepreneurs individuels (natural persons) are masked."""
    described = table[["siren", "name", "legal_category", *COVARIATES]]
    matched = result.matched.join(described).sort_values(
        ["group", "treated"], ascending=[True, False]
    )
    for _row, line in matched.iterrows():
        person = str(line["legal_category"] or "").startswith(PHYSICAL_PERSON)
        score = line["score"]
        yield [
            int(line["group"]),
            "accompagnée" if line["treated"] == 1 else "témoin",
            MASKED if person else line["siren"],
            MASKED if person else line["name"],
            round(float(line["weight"]), 4),
            None if pd.isna(score) else round(float(score), 4),
            *(line[c] for c in COVARIATES),
            round(float(line["outcome"]), 2),
        ]


def _chart(result: impact.ImpactResult, outcome: Outcome, naive: Shown, att: Shown):
    return interval_chart(
        chart_id="impact-effet",
        title=f"{outcome.label} : écart entre accompagnées et non accompagnées",
        description=(
            "Deux estimations avec leur intervalle de confiance : l'écart brut entre toutes "
            "les entreprises accompagnées et toutes les autres, puis l'écart avec des "
            "entreprises comparables (après appariement). La ligne verticale marque zéro."
        ),
        rows=[
            ("Écart brut (sans appariement)", naive.effect, naive.low, naive.high),
            ("Effet estimé (après appariement)", att.effect, att.low, att.high),
        ],
        unit=outcome.unit,
        decimals=outcome.decimals,
    )


def _analyse(data: dict, today) -> dict:
    """Everything the results part of the page shows, or an ``empty`` message."""
    outcome = OUTCOMES[data["outcome"]]
    table = impact_data.company_table(
        outcome=outcome.key,
        first_year=data["first_year"],
        last_year=data["last_year"],
        observed_on=today,
    )
    analysed = impact_data.analysis_table(table, outcome.key)
    supported = int(table["treated"].sum())
    context = {
        "outcome": outcome,
        "supported": supported,
        "analysed_treated": int(analysed["treated"].sum()),
        "analysed_pool": int((analysed["treated"] == 0).sum()),
        "sampled": int((table["treated"] == 0).sum()) > impact_data.MAX_POOL,
        "max_pool": impact_data.MAX_POOL,
    }
    try:
        result = impact.estimate_impact(
            analysed,
            covariates=COVARIATES,
            method=data["method"],
            exact=("prior_status",),
        )
    except impact.NotEnoughData as error:
        return {**context, "empty": str(error)}
    att, naive = Shown.of(result.att, outcome), Shown.of(result.naive, outcome)
    return {
        **context,
        "result": result,
        "att": att,
        "naive": naive,
        "chart": _chart(result, outcome, naive, att),
        "balance": _balance_rows(result),
        "method_label": dict(METHOD_CHOICES)[data["method"]],
        "confidence_percent": round(result.confidence * 100),
        "caliper_text": fr_number(result.caliper, 3) if result.caliper is not None else "",
        "analysed": analysed,
    }


@require_GET
def impact_page(request, slug: str):
    require(can_view_plans(request.user))
    plan = selectors.plan_by_slug(slug)
    if plan is None:
        raise Http404("Aucun plan ne porte cet identifiant.")
    today = selectors.today()
    submitted = "outcome" in request.GET
    form = ImpactForm(
        request.GET if submitted else None, initial=_initial(plan, today), today=today
    )
    analysis: dict = {}
    if submitted and form.is_valid():
        analysis = _analyse(form.cleaned_data, today)
        fmt = request.GET.get("format", "")
        if fmt in FORMATS and "result" in analysis:
            data = form.cleaned_data
            return export_response(
                rows=_export_rows(analysis["analysed"], analysis["result"]),
                headers=EXPORT_HEADERS,
                filename=f"impact-{plan.slug}-{data['outcome']}-{data['first_year']}-{data['last_year']}",
                fmt=fmt,
                sheet="Entreprises appariées",
            )
    errors = form.error_summary()
    heading = f"Impact de l'accompagnement — {plan.name}"
    context = {
        "title": f"Erreur — {heading}" if errors else heading,
        "heading": heading,
        "plan": plan,
        "form": form,
        "errors": errors,
        "submitted": submitted and form.is_valid(),
        "outcomes": list(OUTCOMES.values()),
        "covariate_labels": [COVARIATE_LABELS[c] for c in COVARIATES],
        "min_treated": impact.MIN_TREATED,
        "min_matched": impact.MIN_MATCHED,
        "balanced_smd": fr_number(impact.BALANCED_SMD, 1),
        "breadcrumb_data": _breadcrumb(plan),
        **analysis,
    }
    return render(request, "plans/impact.html", context, status=400 if form.errors else 200)
