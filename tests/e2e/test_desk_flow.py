"""The desk's whole path in a browser: a company states its need on /besoin/ → the routed
advisor finds it in the inbox → takes it in charge (the company is e-mailed) → closes it with
help → the company answers the survey → the manager's figures count it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from guichet.desk.calendar import add_working_days
from guichet.desk.models import Need, SurveyResponse
from guichet.desk.services import desk_daily_run
from tests.conftest import PASSWORD


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("^Bonjour"))).to_be_visible()


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/$"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_need_from_the_public_form_to_the_figures(page, live_server, desk, advisor_b, manager_b):
    base = live_server.url

    # 1. The company states its need (no account).
    page.goto(f"{base}/besoin/")
    page.get_by_label("Nom de l'entreprise").fill("Fromagerie du Val")
    page.get_by_label("Code postal").fill("21000")
    page.locator("label[for=id_subjects_0]").click()  # Trouver des clients à l'étranger
    page.locator("#id_description").fill("Nous cherchons des distributeurs en Allemagne.")
    page.get_by_label("Prénom").fill("Jeanne")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse électronique").fill("jeanne.martin@fromagerie.example")
    page.locator("label[for=id_consent]").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    need = Need.objects.get()
    expect(
        page.get_by_text(f"Demande enregistrée sous la référence {need.reference}")
    ).to_be_visible()
    assert mail.outbox[-1].subject == f"Votre demande {need.reference} a bien été reçue"

    # 2. The CCI advisor (rank 1 in Côte-d'Or) finds it in the inbox and takes it in charge.
    log_in(page, base, advisor_b.email)
    page.goto(f"{base}/guichet/")
    expect(page.get_by_role("heading", name="Demandes reçues au guichet")).to_be_visible()
    page.get_by_role("link", name=need.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Demande {need.reference}")
    page.get_by_text("Je prends en charge : l'entreprise sera prévenue").click()
    page.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page.get_by_text("Prise en charge").first).to_be_visible()
    assert mail.outbox[-1].subject == f"Votre demande {need.reference} est prise en charge"
    assert mail.outbox[-1].to == ["jeanne.martin@fromagerie.example"]

    # 3. Help given: the advisor closes it.
    page.get_by_text("Close : l'entreprise a été aidée").click()
    page.get_by_label("Commentaire").fill("Trois distributeurs présentés.")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page.get_by_text("Close avec aide").first).to_be_visible()
    assert mail.outbox[-1].subject == f"Votre demande {need.reference} est close"
    log_out(page)

    # 4. Ten days later the daily job sends the survey; the company answers it.
    later = add_working_days(timezone.localdate() + timedelta(days=10), 1)
    desk_daily_run(today=later)
    survey = next(m for m in mail.outbox if m.subject.startswith("Votre avis"))
    link = re.search(r"https?://\S+(/besoin/enquete/\S+/)", survey.body).group(1)
    page.goto(f"{base}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Votre avis sur la demande {need.reference}"
    )
    page.locator("label[for=id_contacted_0]").click()  # Oui
    page.locator("label[for=id_useful_0]").click()  # Oui
    page.get_by_label("Votre commentaire").fill("Réponse rapide et utile.")
    page.locator("label[for=id_comment_shared]").click()
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre réponse")
    answer = SurveyResponse.objects.get(need=need)
    assert answer.contacted
    assert answer.useful == "yes"

    # 5. The manager's figures count it.
    log_in(page, base, manager_b.email)
    page.goto(f"{base}/guichet/chiffres/")
    received = page.locator(".fr-card", has_text="Demandes reçues")
    expect(received.locator(".guichet-figure")).to_have_text("1")
    helped = page.locator(".fr-card", has_text="Demandes closes avec une aide apportée")
    expect(helped.locator(".guichet-figure")).to_have_text(re.compile(r"100\s?%"))
    useful = page.locator(".fr-card", has_text="Entreprises pour qui la réponse a été utile")
    expect(useful.locator(".guichet-figure")).to_have_text(re.compile(r"100\s?%"))
    expect(page.get_by_text("Réponse rapide et utile.")).to_be_visible()
