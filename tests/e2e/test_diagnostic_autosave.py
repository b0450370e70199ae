"""The filling page in a browser: the company answers from its link, each answer is saved as
soon as it changes (progress updated, errors shown next to the question), and it sends its
answers at the end."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guichet.diagnostics.models import Answer, Diagnostic
from guichet.diagnostics.services import diagnostic_link_create, diagnostic_start
from tests.companies.conftest import make_company
from tests.conftest import make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_company_fills_the_diagnostic_from_its_link(page, live_server, reference, org_a):
    advisor = make_user("claire.conseil@test.example", org_a, ["advisor"])
    company = make_company("552100554", "Biscuiterie de Dijon", naf=None)
    diagnostic = diagnostic_start(company=company, by=advisor)
    token = diagnostic_link_create(diagnostic=diagnostic, by=advisor)
    page.goto(live_server.url + reverse("diagnostics:company_fill", args=[token]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Diagnostic export — Biscuiterie de Dijon"
    )

    # A choice is saved as soon as it is clicked.
    page.locator("label[for=q-strategy-place-written]").click()
    status = page.locator("#messages-strategy-place [data-autosave-status]")
    expect(status).to_have_text(re.compile(r"^Réponse enregistrée à \d\d:\d\d\.$"))
    expect(page.locator("#progression [data-progress-answered]")).to_have_text("1")
    expect(page.locator('[data-dimension-progress="strategy"]')).to_have_text("(1/7)")
    assert Answer.objects.get(diagnostic=diagnostic).question.code == "strategy-place"

    # A wrong number is refused next to its question, in French.
    page.get_by_role("link", name=re.compile("Expérience internationale")).click()
    share = page.get_by_label(re.compile("Quelle part du chiffre d'affaires"))
    share.fill("150")
    share.blur()
    expect(page.locator("#messages-experience-share")).to_contain_text(
        "Un pourcentage est compris entre 0 et 100."
    )
    share.fill("35")
    share.blur()
    expect(page.locator("#messages-experience-share [data-autosave-status]")).to_be_visible()
    expect(page.locator("#messages-experience-share .fr-message--error")).to_have_count(0)

    # The step's button saves too, and leads to the summary.
    page.locator("label[for=q-experience-years-some]").click()
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_text("Vos réponses sont enregistrées.")).to_be_visible()
    expect(page.locator(".fr-stepper__title")).to_contain_text("Récapitulatif")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vos réponses sont envoyées")
    diagnostic = Diagnostic.objects.get()
    assert diagnostic.company_submitted_at is not None
    assert diagnostic.answers.count() == 3
