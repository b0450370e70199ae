"""The registry table of the impact evaluation, on companies built for the test: who counts as
accompanied in the period, who is a possible comparison, who is left out, and the covariates
and outcomes read from the export profile and SIRENE."""

from datetime import date

import pytest

from guichet.companies.models import Company, ExportFact
from guichet.plans.impact_data import analysis_table, company_table, supported_company_ids
from tests.companies.conftest import make_company
from tests.plans.computation_records import (
    agri_filiere,
    aid,
    at,
    diagnostic,
    journey,
    registration,
    status_fact,
)

OBSERVED = date(2026, 6, 1)


def fact(company, attribute, value, observed_on):
    return ExportFact.objects.create(
        company=company,
        attribute=attribute,
        value=value,
        observed_on=observed_on,
        source=ExportFact.Source.ADVISOR,
    )


@pytest.fixture
def registry(reference, org_a):
    agri_filiere()
    made = {
        "diagnosed": make_company("200000001", "Fromagerie de Bourgogne", naf="10.51C"),
        "aided": make_company(
            "200000002", "Moutarderie de Mâcon", naf="10.84Z", commune_code="71270",
            size_category="TPE",
        ),
        "before": make_company("200000003", "Accompagnée avant", naf="28.99B"),
        "untouched": make_company(
            "200000004", "Lunetterie du Jura", naf="32.50A", commune_code="39478",
        ),
        "ceased": make_company("200000005", "Cessée en 2021", naf="28.99B"),
        "young": make_company("200000006", "Créée en 2025", naf="28.99B"),
        "after": make_company("200000007", "Accompagnée après", naf="28.99B"),
    }  # fmt: skip
    Company.objects.filter(pk=made["diagnosed"].pk).update(
        creation_date=date(2010, 5, 1), headcount_band_id="12", headcount_year=2024
    )
    Company.objects.filter(pk=made["aided"].pk).update(creation_date=date(2021, 9, 1))
    Company.objects.filter(pk=made["untouched"].pk).update(
        creation_date=date(1990, 1, 1), headcount_band_id="12", headcount_year=2021
    )
    Company.objects.filter(pk=made["ceased"].pk).update(
        is_active=False, ceased_on=date(2021, 12, 31)
    )
    Company.objects.filter(pk=made["young"].pk).update(creation_date=date(2025, 2, 1))
    diagnostic(made["diagnosed"], org_a, completed_at=at(2024, 3, 12))
    aid(made["aided"], org_a, decided_on=date(2023, 6, 20))
    journey(
        made["before"], org_a, [("identified", at(2021, 1, 5)), ("accompanied", at(2022, 2, 1))]
    )
    registration(made["after"], org_a, starts_on=date(2025, 10, 6))
    # Export profile: statuses before the period and after its start, shares, turnover bands.
    status_fact(made["diagnosed"], "never", date(2022, 6, 1))
    status_fact(made["diagnosed"], "new", date(2025, 1, 15))
    fact(made["diagnosed"], "export_share", 12.5, date(2025, 1, 15))
    fact(made["diagnosed"], "turnover_band", "2m_10m", date(2022, 6, 1))
    status_fact(made["untouched"], "occasional", date(2021, 3, 1))
    status_fact(made["untouched"], "regular", date(2024, 9, 1))
    fact(made["untouched"], "export_share", 40, date(2020, 1, 1))  # before the period: no outcome
    status_fact(made["aided"], "never", date(2024, 2, 1))
    return made


def rows_by_siren(table):
    return {row["siren"]: row for row in table.to_dict("records")}


def test_supported_companies_in_the_period(registry):
    ids = supported_company_ids(2023, 2024)
    assert ids == {registry["diagnosed"].pk, registry["aided"].pk}
    assert supported_company_ids() == ids | {registry["before"].pk, registry["after"].pk}


def test_table_keeps_accompanied_and_untouched_companies(registry):
    table = company_table(outcome="exporter", first_year=2023, last_year=2024, observed_on=OBSERVED)
    rows = rows_by_siren(table)
    # Supported before or after the period, ceased before it, created after it: left out.
    assert sorted(rows) == ["200000001", "200000002", "200000004"]
    assert [rows[s]["treated"] for s in sorted(rows)] == [1, 1, 0]


def test_covariates(registry):
    table = company_table(outcome="exporter", first_year=2023, last_year=2024, observed_on=OBSERVED)
    rows = rows_by_siren(table)
    diagnosed, aided, untouched = rows["200000001"], rows["200000002"], rows["200000004"]
    assert (diagnosed["filiere"], aided["filiere"], untouched["filiere"]) == (
        "Agroalimentaire",
        "Agroalimentaire",
        "hors filière",
    )
    assert (diagnosed["size"], aided["size"]) == ("PME", "TPE")
    assert (diagnosed["age_band"], aided["age_band"], untouched["age_band"]) == (
        "10 à 19 ans",
        "moins de 3 ans",
        "20 ans et plus",
    )
    assert diagnosed["departement"] == "21 Côte-d'Or"
    assert aided["departement"] == "71 Saône-et-Loire"
    # Status before 1 January 2023: the aided company's 2024 fact is not "before".
    assert diagnosed["prior_status"] == "N'exporte pas"
    assert aided["prior_status"] == "inconnu"
    assert untouched["prior_status"] == "Exportateur occasionnel"


def test_exporter_outcome_among_companies_not_exporting_before(registry):
    table = company_table(outcome="exporter", first_year=2023, last_year=2024, observed_on=OBSERVED)
    rows = rows_by_siren(table)
    assert rows["200000001"]["outcome"] == 1.0  # never → new in 2025
    assert rows["200000002"]["outcome"] == 0.0  # "never" observed in 2024
    assert rows["200000004"]["outcome"] == 1.0
    analysed = analysis_table(table, "exporter")
    # The untouched company already exported before the period: not a candidate.
    assert sorted(analysed["siren"]) == ["200000001", "200000002"]


def test_export_share_and_revenue_outcomes(registry):
    share = rows_by_siren(
        company_table(outcome="export_share", first_year=2023, last_year=2024, observed_on=OBSERVED)
    )
    assert share["200000001"]["outcome"] == 12.5
    assert share["200000004"]["outcome"] != share["200000004"]["outcome"]  # NaN: 2020 fact
    revenue = rows_by_siren(
        company_table(
            outcome="export_revenue", first_year=2023, last_year=2024, observed_on=OBSERVED
        )
    )
    assert revenue["200000001"]["outcome"] == pytest.approx(0.125 * 6000)  # k€


def test_jobs_outcome_needs_a_recent_headcount(registry):
    table = company_table(outcome="jobs", first_year=2023, last_year=2024, observed_on=OBSERVED)
    rows = rows_by_siren(table)
    assert rows["200000001"]["outcome"] == pytest.approx((20 + 49) / 2)
    analysed = analysis_table(table, "jobs")
    assert list(analysed["siren"]) == ["200000001"]  # 2021 headcount is older than the period


def test_unknown_outcome(registry):
    with pytest.raises(ValueError, match="unknown outcome"):
        company_table(outcome="bonheur", first_year=2023, last_year=2024, observed_on=OBSERVED)
