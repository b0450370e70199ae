"""Follow-up in a browser: an advisor opens a company, records a meeting, runs the export
diagnostic with it, sees the radar and the action plan, downloads the PDF, and the company is
now "diagnosed"; a company fills the diagnostic from its link, without an account."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guichet.diagnostics.models import Answer, Diagnostic
from guichet.journeys.models import Stage, TimelineEvent
from tests.companies.conftest import make_company
from tests.conftest import PASSWORD


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("^Bonjour"))).to_be_visible()


def answer_every_step(page) -> int:
    """Answer each question of each step (the last choice, a number, a short text), step
    after step, until the summary. Returns the number of steps answered."""
    steps = 0
    while page.locator(".diag-question").count():
        questions = page.locator(".diag-question")
        for index in range(questions.count()):
            question = questions.nth(index)
            labels = question.locator(".fr-radio-group label, .fr-checkbox-group label")
            if labels.count():
                labels.nth(labels.count() - 1).click()
            elif question.locator("textarea").count():
                question.locator("textarea").fill("Allemagne et Suisse d'abord.")
            else:
                question.locator("input").first.fill("3")
        steps += 1
        state = page.locator(".fr-stepper__state").first
        before = state.inner_text()
        page.get_by_role("button", name="Enregistrer et continuer").click()
        expect(state).not_to_have_text(before)  # the next step is shown
    return steps


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_advisor_meeting_diagnostic_plan_pdf_and_stage(page, live_server, reference, advisor_a):
    company = make_company("552100554", "FROMAGERIE DU VAL DE SAONE")
    base = live_server.url
    log_in(page, base, advisor_a.email)

    # Record the meeting on the company file.
    page.goto(f"{base}/entreprises/{company.siren}/")
    page.get_by_role("link", name="Ajouter un échange").click()
    page.get_by_label("Type d'échange").select_option("meeting")
    page.get_by_label("Date de l'échange").fill(timezone.localdate().isoformat())
    page.get_by_label("Titre").fill("Rendez-vous de découverte export")
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(page.get_by_text("Rendez-vous de découverte export").first).to_be_visible()
    assert TimelineEvent.objects.filter(company=company, kind="meeting").count() == 1

    # Start the diagnostic and answer it, step by step.
    page.get_by_role("link", name="Nouveau diagnostic").click()
    page.get_by_role("button", name="Commencer le diagnostic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Diagnostic export — FROMAGERIE DU VAL DE SAONE"
    )
    assert answer_every_step(page) == 7
    page.get_by_role("button", name="Terminer le diagnostic").click()

    # Results: radar, action plan, PDF.
    expect(page.get_by_role("heading", name="Résultats du diagnostic export")).to_be_visible()
    expect(page.locator("svg .radar-series").first).to_be_visible()
    expect(page.locator("svg .radar-point")).to_have_count(7)
    expect(page.get_by_role("heading", name="Plan d'action")).to_be_visible()
    diagnostic = Diagnostic.objects.get(company=company)
    assert diagnostic.status == "completed"
    assert diagnostic.level
    href = page.get_by_role("link", name="Télécharger le rapport PDF").get_attribute("href")
    pdf = page.context.request.get(f"{base}{href}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # The company is now "diagnosed" on its file.
    page.goto(f"{base}/entreprises/{company.siren}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Parcours export"))
    expect(section.get_by_text(str(Stage.DIAGNOSED.label)).first).to_be_visible()
    company.journey.refresh_from_db()
    assert company.journey.stage == Stage.DIAGNOSED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_company_fills_the_diagnostic_from_its_link(page, live_server, reference, advisor_a):
    company = make_company("552100562", "ATELIER VAUBAN")
    base = live_server.url
    log_in(page, base, advisor_a.email)
    page.goto(f"{base}/entreprises/{company.siren}/diagnostics/nouveau/")
    page.get_by_role("button", name="Commencer le diagnostic").click()
    diagnostic = Diagnostic.objects.get(company=company)
    page.goto(f"{base}/diagnostics/{diagnostic.pk}/lien/")
    page.get_by_role("button", name="Créer le lien").click()
    link = page.locator("#lien-entreprise").input_value()
    path = re.search(r"(/diagnostic/[^/]+/)$", link).group(1)
    page.context.clear_cookies()  # the company has no account

    page.goto(f"{base}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic export — ATELIER VAUBAN")
    answer_every_step(page)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vos réponses sont envoyées")
    diagnostic.refresh_from_db()
    assert diagnostic.company_submitted_at is not None
    assert Answer.objects.filter(diagnostic=diagnostic).count() >= 40
