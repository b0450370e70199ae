"""Follow-up figures: an advisor's portfolio of 200 companies (page), the company file with
every section, completing a diagnostic (scores, timeline, journey, action plan), its PDF
report, and the yearly guide of offers as PDF. Data is generated once in the bench database
and reused."""

import statistics
import time

from django.test import Client

from guichet.companies.models import Company, Establishment
from guichet.companies.text import company_search_text
from guichet.core.audit import acting_as
from guichet.diagnostics.models import Diagnostic, Question
from guichet.diagnostics.questionnaire import DEFAULT_SLUG
from guichet.diagnostics.selectors import version_by_number
from guichet.diagnostics.services import (
    diagnostic_answers_save,
    diagnostic_complete,
    diagnostic_start,
)
from guichet.journeys.models import Stage
from guichet.journeys.services import journey_set_stage
from guichet.partners.models import Organisation, User
from guichet.partners.services import organisation_create, user_create

PORTFOLIO = 200
SIREN_BASE = 990_000_000


def _advisor() -> User:
    organisation = Organisation.objects.filter(slug="bench-followup").first() or (
        organisation_create(name="Mesure suivi", kind="cci", slug="bench-followup")
    )
    return User.objects.filter(email="advisor@bench-followup.example").first() or user_create(
        email="advisor@bench-followup.example",
        first_name="Conseil",
        last_name="Mesure",
        organisation=organisation,
        roles=["advisor", "admin"],
        invite=False,
    )


def _companies(advisor: User) -> list[Company]:
    existing = list(Company.objects.filter(siren__startswith="990").order_by("siren"))
    if len(existing) >= PORTFOLIO:
        return existing[:PORTFOLIO]
    stages = [s for s in Stage.values if s != Stage.DROPPED]
    with acting_as(advisor, path="bench"):
        for index in range(PORTFOLIO):
            siren = str(SIREN_BASE + index)
            name = f"ENTREPRISE DE MESURE {index}"
            company = Company.objects.create(
                siren=siren, name=name, search_text=company_search_text(name), is_active=True
            )
            Establishment.objects.create(
                siret=f"{siren}00012",
                company=company,
                is_headquarters=True,
                commune_code="21231",
                departement_id="21",
                region_id="27",
            )
            journey_set_stage(company=company, stage=stages[index % len(stages)], by=advisor)
    return list(Company.objects.filter(siren__startswith="990").order_by("siren"))


def _values(version) -> dict:
    values = {}
    for question in version.questions.prefetch_related("options"):
        options = sorted(question.options.all(), key=lambda o: o.score)
        if question.kind == Question.Kind.SINGLE:
            values[question.code] = options[len(options) // 2].code
        elif question.kind == Question.Kind.MULTIPLE:
            values[question.code] = [options[-1].code]
        elif question.kind == Question.Kind.SCALE:
            values[question.code] = question.scale_max
        elif question.kind == Question.Kind.NUMBER:
            values[question.code] = 10
        else:
            values[question.code] = "Mesure."
    return values


def _p50(client: Client, url: str, runs: int = 10) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[-1]


def run() -> None:
    advisor = _advisor()
    companies = _companies(advisor)
    client = Client()
    client.force_login(advisor)
    p50, worst = _p50(client, "/parcours/portefeuille/")
    print(f"portfolio page, {len(companies)} companies: p50 {p50:.0f} ms, max {worst:.0f} ms")

    company = companies[0]
    version = version_by_number(DEFAULT_SLUG, 1)
    with acting_as(advisor, path="bench"):
        diagnostic = diagnostic_start(company=company, by=advisor, version=version)
        start = time.perf_counter()
        diagnostic_answers_save(diagnostic=diagnostic, values=_values(version), by=advisor)
        saved = time.perf_counter() - start
        start = time.perf_counter()
        diagnostic_complete(diagnostic=diagnostic, by=advisor)
        completed = time.perf_counter() - start
    print(
        f"diagnostic: saving 43 answers {saved * 1000:.0f} ms, completing (scores, timeline, "
        f"journey, plan) {completed * 1000:.0f} ms"
    )
    p50, worst = _p50(client, f"/entreprises/{company.siren}/")
    print(f"company file with every section: p50 {p50:.0f} ms, max {worst:.0f} ms")
    p50, worst = _p50(client, f"/diagnostics/{diagnostic.pk}/rapport.pdf", runs=3)
    print(f"diagnostic PDF report: p50 {p50:.0f} ms, max {worst:.0f} ms")
    p50, worst = _p50(client, "/offres/guide.pdf", runs=3)
    print(f"yearly guide of offers as PDF: p50 {p50:.0f} ms, max {worst:.0f} ms")
    Diagnostic.objects.filter(pk=diagnostic.pk).delete()
