"""The impact page: the form and its French errors, the empty state, the results (effect,
interval, pairs, balance, chart, assumptions) and the export of matched companies."""

import csv
import io
from datetime import date

import numpy as np
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guichet.companies.models import Company, Establishment, ExportFact
from guichet.core.charts import AXIS_COLOUR
from guichet.journeys.models import Journey, StageChange
from guichet.plans.impact_chart import interval_chart
from tests.companies.conftest import make_company
from tests.plans.computation_records import CONTACT_LAST, at, diagnostic, status_fact

DEPARTEMENTS = {"21": "27", "71": "27", "39": "27"}  # département → région
HEADCOUNT = {"TPE": "03", "PME": "12", "ETI": "32"}
QUERY = {"outcome": "exporter", "first_year": "2023", "last_year": "2024", "method": "propensity"}


def url(plan, **params):
    base = reverse("plans:impact", args=[plan.slug])
    if not params:
        return base
    return base + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def build_registry(org, *, treated=40, controls=160, seed=1):
    """Companies of three sizes; bigger ones are accompanied (journey) more often and export
    more often; none exported before 2023."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(["TPE", "PME", "ETI"], treated + controls, p=[0.5, 0.35, 0.15])
    order = np.argsort([{"TPE": 2, "PME": 1, "ETI": 0}[s] for s in sizes], kind="stable")
    is_treated = np.zeros(treated + controls, dtype=bool)
    is_treated[order[: treated // 2]] = True  # half the accompanied among the biggest …
    rest = order[treated // 2 :]
    is_treated[rng.choice(rest, treated - treated // 2, replace=False)] = True  # … half anywhere
    companies = Company.objects.bulk_create(
        Company(
            siren=f"3{i:08d}",
            name=f"Entreprise {i}",
            size_category=sizes[i],
            legal_category="1000" if i == int(np.flatnonzero(is_treated)[0]) else "5499",
            creation_date=date(2000 + i % 20, 1, 1),
            headcount_band_id=HEADCOUNT[sizes[i]],
            headcount_year=2024,
        )
        for i in range(treated + controls)
    )
    departements = list(DEPARTEMENTS)
    Establishment.objects.bulk_create(
        Establishment(
            siret=f"{c.siren}00012",
            company=c,
            is_headquarters=True,
            departement_id=departements[i % 3],
            region_id=DEPARTEMENTS[departements[i % 3]],
        )
        for i, c in enumerate(companies)
    )
    facts = []
    base = {"TPE": 0.1, "PME": 0.3, "ETI": 0.6}
    for i, company in enumerate(companies):
        exported = rng.random() < base[sizes[i]] + (0.2 if is_treated[i] else 0)
        for value, day in (
            ("never", date(2022, 5, 1)),
            ("new" if exported else "never", date(2025, 3, 1)),
        ):
            facts.append(
                ExportFact(
                    company=company,
                    attribute="status",
                    value=value,
                    observed_on=day,
                    source="advisor",
                )
            )
    ExportFact.objects.bulk_create(facts)
    for i in np.flatnonzero(is_treated):
        journey = Journey.objects.create(
            company=companies[i], organisation=org, stage="accompanied"
        )
        StageChange.objects.create(journey=journey, to_stage="accompanied", at=at(2024, 4, 2))
    return companies


def test_form_before_any_estimate(client_for, advisor_a, plan):
    response = client_for(advisor_a).get(url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Impact de l&#x27;accompagnement — PAREX 2" in html
    assert "Estimer l'impact" in html
    assert "Sélection sur les caractéristiques observées" in html
    assert "Support commun" in html
    assert "Pas d'effet de diffusion" in html
    assert 'value="2022"' in html  # the plan's first year
    assert "Effet estimé" not in html


@pytest.mark.parametrize(
    ("params", "messages"),
    [
        (
            {"outcome": "bonheur", "first_year": "deux", "last_year": "2024", "method": "x"},
            [
                "Ce résultat n&#x27;existe pas : choisissez-en un dans la liste.",
                "Indiquez une année sur quatre chiffres, par exemple 2024.",
                "Cette méthode n&#x27;existe pas : choisissez l&#x27;une des deux proposées.",
            ],
        ),
        (
            {"outcome": "exporter", "first_year": "2024", "last_year": "2023", "method": "cem"},
            ["L&#x27;année de fin doit être égale ou postérieure à l&#x27;année de début."],
        ),
        (
            {"outcome": "exporter", "first_year": "1990", "last_year": "2999", "method": "cem"},
            [
                "Indiquez une année à partir de 2000.",
                "L&#x27;année 2999 n&#x27;est pas encore commencée",
            ],
        ),
        (
            {"outcome": "", "first_year": "", "last_year": "", "method": ""},
            [
                "Choisissez le résultat à mesurer.",
                "Indiquez l&#x27;année.",
                "Choisissez une méthode",
            ],
        ),
    ],
)
def test_bad_inputs_give_french_messages(client_for, advisor_a, plan, params, messages):
    response = client_for(advisor_a).get(url(plan, **params))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le formulaire contient" in html
    for message in messages:
        assert message in html
    if params["first_year"] == "deux":
        assert 'value="deux"' in html  # what the user typed is kept


def test_empty_state_with_too_few_companies(client_for, advisor_a, plan, reference, org_a):
    company = make_company("400000001", "Seule accompagnée", naf="10.51C")
    diagnostic(company, org_a, completed_at=at(2024, 3, 12))
    status_fact(company, "never", date(2022, 1, 10))
    status_fact(company, "new", date(2025, 1, 10))
    response = client_for(advisor_a).get(url(plan, **QUERY))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pas assez d'entreprises pour estimer un impact" in html
    assert "1 entreprise(s) accompagnée(s) sur la période ont une valeur du résultat" in html
    assert "il en faut au moins 10" in html
    assert "Exporter en CSV" not in html


@pytest.mark.parametrize("method", ["propensity", "cem"])
def test_results(client_for, advisor_a, plan, reference, org_a, method):
    build_registry(org_a)
    response = client_for(advisor_a).get(url(plan, **{**QUERY, "method": method}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Effet estimé :" in html
    assert "points de %" in html
    assert "Intervalle de confiance à 95 %" in html
    assert "Sans appariement, l'écart brut serait de" in html
    assert (
        '<th scope="row">Entreprises accompagnées sur la période</th>\n              <td>40</td>'
        in html
    )
    assert "Équilibre des caractéristiques (parts en %)" in html
    assert "<svg" in html
    assert "Effet estimé (après appariement)" in html
    assert "Exporter en CSV" in html


def test_export_of_matched_companies(client_for, advisor_a, plan, reference, org_a):
    companies = build_registry(org_a)
    response = client_for(advisor_a).get(url(plan, **QUERY, format="csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, rows = lines[0], lines[1:]
    assert header[:4] == ["Groupe d'appariement", "Rôle", "SIREN", "Entreprise"]
    roles = [row[1] for row in rows]
    assert roles.count("accompagnée") == roles.count("témoin") >= 10
    assert len({row[0] for row in rows}) == roles.count("accompagnée")  # one pair per group
    person = next(c for c in companies if c.legal_category == "1000")
    assert person.siren not in text
    assert person.name + ";" not in text
    assert CONTACT_LAST not in text
    workbook = client_for(advisor_a).get(url(plan, **QUERY, format="xlsx"))
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.title == "Entreprises appariées"
    assert sheet.max_row == len(rows) + 1


def test_anonymous_is_sent_to_login_and_unknown_plan_is_404(client_for, advisor_a, plan):
    response = client_for(None).get(url(plan))
    assert response.status_code == 302
    assert client_for(advisor_a).get(reverse("plans:impact", args=["inconnu"])).status_code == 404


def test_jobs_results_read_as_a_mean(client_for, advisor_a, plan, reference, org_a):
    build_registry(org_a)
    response = client_for(advisor_a).get(url(plan, **{**QUERY, "outcome": "jobs"}))
    html = response.content.decode()
    assert "Résultats : emplois (effectif salarié)" in html
    assert "En moyenne" in html
    assert "salariés pour les entreprises accompagnées appariées" in html
    assert "Milieu de la tranche d&#x27;effectif salarié de SIRENE" in html


def test_interval_chart_marks_zero_and_describes_each_estimate():
    chart = interval_chart(
        chart_id="essai",
        title="Écart <test>",
        description="Deux estimations.",
        rows=[("Brut", 12.0, 4.0, 20.0), ("Apparié", 3.5, -2.0, 9.0)],
        unit="k€",
        decimals=1,
    )
    svg = str(chart.svg)
    assert "Écart &lt;test&gt;" in svg
    assert f'stroke="{AXIS_COLOUR}" stroke-width="2"' in svg  # the zero line, and only it
    assert svg.count(f'stroke="{AXIS_COLOUR}" stroke-width="2"') == 1
    assert "Apparié : 3,5\u00a0k€ (de -2,0 à 9,0\u00a0k€)" in svg
    table = str(chart.table)
    assert '<th scope="row">Brut</th><td>12,0\u00a0k€</td>' in table
