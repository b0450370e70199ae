"""A collective action from end to end, in a browser (issue 7, "Done when"): a manager of the
Région publishes next year's programme and creates a trade-fair pavilion (50 % of the eligible
costs, capped at 4,000 € per company, GBER art. 19) and publishes it → one company registers
itself on the public form, an advisor registers another → the manager selects both for the
single place: the first is selected, the second goes to the waiting list → the first one's
participation is confirmed (its 4,000 € are written to its state-aid ledger) → it attends →
the +3-month survey e-mail's link is answered without an account (one contract of 85,000 €)
→ the action's results page shows the contract, next to its response rate."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from guichet.collective.models import CollectiveAction, FollowUpSurvey, Registration
from guichet.collective.services.surveys import surveys_send_due
from guichet.companies.models import Establishment
from guichet.core.money import euros
from guichet.stateaid.models import StateAidGrant
from tests.companies.conftest import make_company
from tests.conftest import PASSWORD, make_user

TITLE = "Hannover Messe — pavillon Bourgogne-Franche-Comté"
VALID_SIRET = "55210055400013"  # a second establishment of the Fromagerie, valid check digit
CONTACT = "claire.martin@fromagerie.example.fr"
SURVEY_LINK = re.compile(r"https?://\S+?(/actions-collectives/enquete/[^/\s]+/)")
RULE_GBER_19 = "RGEC art. 19 — participation des PME aux foires"


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("^Bonjour"))).to_be_visible()


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/$"))


def heading(page):
    return page.get_by_role("heading", level=1)


def field(page, label: str):
    """The form field whose label starts with `label` (labels hold their hint text)."""
    literal = re.sub(
        r"([\\^$.|?*+()\[\]{}])", r"\\\1", label
    )  # not re.escape: an escaped space breaks the JS regex
    return page.get_by_label(re.compile(r"^\s*" + literal))


def row_of(page, text: str):
    """The table row that mentions `text` (a company, a ledger line)."""
    return page.locator("tbody tr", has_text=text)


def row_headed(page, header: str):
    """The table row whose header cell is exactly `header` (a figure, a wave, a company)."""
    return page.locator("tr", has=page.get_by_role("rowheader", name=header, exact=True))


def manager_creates_and_publishes(page, base: str, year: int) -> CollectiveAction:
    page.goto(f"{base}/actions-collectives/programme/{year}/modifier/")
    expect(heading(page)).to_have_text(f"Préparer le programme {year}")
    field(page, "Intitulé du programme").fill(f"Programme d'actions collectives {year}")
    page.locator("label[for=id_is_published]").click()
    page.get_by_role("button", name="Enregistrer le programme").click()
    expect(page.get_by_text(f"Le programme {year} est publié.")).to_be_visible()

    page.get_by_role("link", name="Nouvelle action").click()
    expect(heading(page)).to_have_text("Nouvelle action collective")
    expect(field(page, "Programme")).to_have_value(str(year))
    field(page, "Type d'action").select_option(label="Pavillon régional sur un salon")
    field(page, "Intitulé").fill(TITLE)
    field(page, "Série").fill("hannover-messe")
    field(page, "Début").fill(f"{year}-04-20")
    field(page, "Fin").fill(f"{year}-04-24")
    field(page, "Ville").fill("Hanovre")
    field(page, "Pays").select_option(label="Allemagne")
    field(page, "Nombre de places").fill("1")
    field(page, "Critères de sélection").fill("PME industrielles prêtes à exporter.")
    field(page, "Date limite d'inscription").fill(f"{year}-02-27")
    field(page, "Annulation sans frais jusqu'au").fill(f"{year}-03-13")
    field(page, "Coût complet par entreprise (€)").fill("9000")
    field(page, "Participation demandée à l'entreprise (€)").fill("5000")
    field(page, "Coûts admissibles par entreprise").fill(
        "Location et aménagement du stand ; 6 000\nFrais d'inscription au salon ; 3000"
    )
    field(page, "Taux de prise en charge (%)").fill("50")
    field(page, "Plafond de prise en charge par entreprise (€)").fill("4000")
    field(page, "Participations subventionnées par entreprise dans la série").fill("3")
    field(page, "Régime de l'aide").select_option("gber_19")
    field(page, "Budget public de l'action (€)").fill("6000")
    field(page, "Rappels avant l'action (jours)").fill("14, 3")
    page.get_by_role("button", name="Enregistrer l'action").click()

    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text("est créée, en préparation : publiez-la")).to_be_visible()
    # 50 % of 9,000 € of eligible costs = 4,500 €, capped at 4,000 €: the fee (5,000 €) matches.
    expect(row_headed(page, "Prise en charge selon les règles")).to_contain_text(euros(4000))
    expect(row_headed(page, "Régime")).to_contain_text(RULE_GBER_19)
    expect(page.get_by_text("La part publique")).to_have_count(0)
    page.get_by_role("button", name="Publier l'action").click()
    expect(page.get_by_text("L'action est publiée dans le programme.")).to_be_visible()

    action = CollectiveAction.objects.get()
    assert (action.status, action.kind, action.regime, action.programme.year) == (
        "published",
        "fair",
        "gber_19",
        year,
    )
    assert (action.capacity, action.full_cost, action.company_fee) == (1, 9000, 5000)
    assert (action.subsidy_rate, action.subsidy_cap) == (Decimal("0.5"), 4000)
    assert action.eligible_costs == [
        {"label": "Location et aménagement du stand", "amount": "6000.00"},
        {"label": "Frais d'inscription au salon", "amount": "3000.00"},
    ]
    assert (action.starts_on, action.registration_deadline) == (
        date(year, 4, 20),
        date(year, 2, 27),
    )
    return action


def company_registers_itself(page, base: str, action) -> None:
    page.goto(f"{base}/actions-collectives/programme/{action.programme.year}/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(heading(page)).to_have_text(TITLE)
    page.get_by_role("link", name="Je m'inscris").click()
    expect(heading(page)).to_have_text(f"S'inscrire : {TITLE}")
    page.get_by_label("Numéro SIRET de votre établissement").fill("552 100 554 00013")
    expect(page.locator("#id_intent_0")).to_be_checked()  # Je pose la candidature…
    page.get_by_label("Nom et prénom du contact").fill("Claire Martin")
    page.get_by_label("Adresse électronique du contact").fill(CONTACT)
    page.get_by_label("Objectifs de l'entreprise pour cette action").fill(
        "Rencontrer des distributeurs allemands de produits régionaux."
    )
    page.locator("label[for=id_consent]").click()
    page.get_by_role("button", name="Envoyer mon inscription").click()
    expect(heading(page)).to_have_text("Votre inscription est enregistrée")
    expect(page.get_by_text(CONTACT)).to_be_visible()


def advisor_registers(page, base: str, action, siren: str) -> None:
    page.goto(f"{base}/actions-collectives/gestion/{action.slug}/")
    page.get_by_role("link", name="Inscrire une entreprise").click()
    expect(heading(page)).to_have_text("Inscrire une entreprise")
    page.get_by_label("SIREN de l'entreprise").fill(siren)
    page.get_by_label("Nom et prénom du contact").fill("Marc Durand")
    page.get_by_label("Adresse électronique du contact").fill("marc.durand@moutarde.example.fr")
    page.get_by_role("button", name="Inscrire l'entreprise").click()
    expect(page.get_by_text("Moutarderie de Dijon est inscrite")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fair_pavilion_from_its_creation_to_its_results(
    page, live_server, reference, org_a, advisor_a
):
    base = live_server.url
    year = timezone.localdate().year + 1  # every date of the action is in the future
    manager = make_user("pilote.actions@region.fr", org_a, ["manager"])
    fromagerie = make_company("552100554", "Fromagerie de Bourgogne")
    moutarderie = make_company("732829320", "Moutarderie de Dijon", nic="00018")
    Establishment.objects.create(siret=VALID_SIRET, company=fromagerie)

    # 1. The manager publishes the programme and creates the pavilion, then publishes it.
    log_in(page, base, manager.email)
    action = manager_creates_and_publishes(page, base, year)
    log_out(page)

    # 2. One company registers itself (no account), an advisor registers another one.
    company_registers_itself(page, base, action)
    log_in(page, base, advisor_a.email)
    advisor_registers(page, base, action, moutarderie.siren)
    log_out(page)
    first = Registration.objects.get(company=fromagerie)
    second = Registration.objects.get(company=moutarderie)
    assert (first.status, first.registered_by_company) == ("applied", True)
    assert (second.status, second.registered_by_company) == ("applied", False)

    # 3. One place, two candidates: the first registered gets it, the other waits.
    log_in(page, base, manager.email)
    page.goto(f"{base}/actions-collectives/gestion/{action.slug}/")
    page.get_by_role("link", name="Sélection des participants").click()
    expect(heading(page)).to_have_text("Sélection des participants")
    page.locator(f"label[for=id_registrations_{first.pk}]").click()
    page.locator(f"label[for=id_registrations_{second.pk}]").click()
    page.get_by_label("Décision").select_option(label="Retenir")
    page.get_by_role("button", name="Appliquer la décision").click()
    expect(
        page.get_by_text("Décision enregistrée : 1 retenue(s), 1 sur liste d'attente.")
    ).to_be_visible()
    expect(row_of(page, "Moutarderie de Dijon")).to_contain_text("Liste d'attente (rang 1)")
    expect(row_of(page, "Fromagerie de Bourgogne")).to_have_count(0)  # no longer a candidate

    page.goto(f"{base}/actions-collectives/gestion/{action.slug}/")
    expect(page.get_by_text("1 place prise sur 1")).to_be_visible()
    registrations = page.locator("#inscriptions")
    expect(registrations.locator("tr", has_text="Fromagerie de Bourgogne")).to_contain_text(
        "Retenue"
    )
    expect(registrations.locator("tr", has_text="Moutarderie de Dijon")).to_contain_text(
        "Liste d'attente — rang 1"
    )
    second.refresh_from_db()
    assert (second.status, second.waiting_rank) == ("waiting", 1)

    # The selected company's participation is confirmed: 4,000 € go to its ledger.
    registrations.get_by_role("link", name="Fromagerie de Bourgogne").click()
    expect(heading(page)).to_have_text("Fromagerie de Bourgogne")
    page.get_by_role("link", name="Confirmer la participation").click()
    expect(heading(page)).to_have_text("Confirmer la participation de Fromagerie de Bourgogne")
    expect(row_headed(page, "Prise en charge publique")).to_contain_text(euros(4000))
    expect(page.get_by_text(f"plafonnés à {euros(4000)} par entreprise")).to_be_visible()
    page.get_by_role("button", name="Confirmer la participation").click()
    expect(
        page.get_by_text("Participation confirmée ; la prise en charge est inscrite.")
    ).to_be_visible()
    today = timezone.localdate()
    expect(
        page.get_by_text(f"{euros(4000)} au titre du {RULE_GBER_19}, octroyée le {today:%d/%m/%Y}")
    ).to_be_visible()
    grant = StateAidGrant.objects.get()
    assert (grant.company, grant.amount, grant.regulation, grant.source) == (
        fromagerie,
        Decimal("4000.00"),
        "gber_19",
        "collective",
    )
    assert (grant.source_ref, grant.granted_on, grant.cancelled_at) == (
        f"collective.registration:{first.pk}",
        today,
        None,
    )
    first.refresh_from_db()
    assert (first.status, first.subsidy_amount, first.fee_status) == (
        "confirmed",
        Decimal("4000.00"),
        "invoiced",
    )

    page.goto(f"{base}/entreprises/{fromagerie.siren}/aides-d-etat/")
    expect(heading(page)).to_have_text("Aides d'État — Fromagerie de Bourgogne")
    expect(page.get_by_role("heading", name="1 aide enregistrée")).to_be_visible()
    line = row_of(page, f"Participation à l'action collective « {TITLE} »")
    expect(line).to_contain_text(euros(4000))
    expect(line).to_contain_text(RULE_GBER_19)
    expect(line).to_contain_text("Région Test")

    # 4. Attendance: the confirmed company was there (the waiting one is not listed).
    page.goto(f"{base}/actions-collectives/gestion/{action.slug}/")
    page.get_by_role("link", name="Présence", exact=True).click()
    expect(heading(page)).to_have_text("Présence des participants")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator(f"label[for=id_r{first.pk}_0]").click()  # Présente
    page.get_by_role("button", name="Enregistrer la présence").click()
    expect(page.get_by_text("Présence enregistrée : 1 présente(s), 0 absente(s).")).to_be_visible()
    expect(page.locator(f"#id_r{first.pk}_0")).to_be_checked()
    expect(page.locator(f"#id_r{first.pk}_0")).to_be_disabled()
    first.refresh_from_db()
    assert first.status == "attended"
    waves = dict(FollowUpSurvey.objects.filter(registration=first).values_list("wave", "due_on"))
    assert waves == {3: date(year, 7, 24), 6: date(year, 10, 24), 12: date(year + 1, 4, 24)}
    log_out(page)

    # 5. Three months after the action the survey goes out; the company answers by its link.
    assert surveys_send_due(today=date(year, 7, 24)) == {"sent": 1, "reminded": 0}
    sent = mail.outbox[-1]
    assert sent.to == [CONTACT]
    assert sent.subject == f"{TITLE} : vos résultats à 3 mois"
    page.goto(base + SURVEY_LINK.search(sent.body).group(1))
    expect(heading(page)).to_have_text(f"{TITLE} : vos résultats à 3 mois")
    page.get_by_label("Combien de nouveaux contacts professionnels").fill("12")
    page.get_by_label("Combien de rendez-vous d'affaires").fill("5")
    page.get_by_label("Combien de devis ou d'offres commerciales").fill("3")
    page.get_by_label("Combien de contrats ou de commandes").fill("1")
    page.get_by_label("Montant total de ces contrats (€)").fill("85 000")
    page.get_by_label("Pays de ces contrats").select_option(label="Allemagne")
    page.get_by_label("Chiffre d'affaires export que vous attendez").fill("150000")
    page.locator("label[for=id_satisfaction_0]").click()  # 5 — tout à fait
    page.get_by_label("Commentaire").fill("Deux distributeurs trouvés à Hanovre.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(heading(page)).to_have_text("Merci pour vos réponses")
    expect(page.get_by_text("Vos réponses à l'enquête à 3 mois")).to_be_visible()
    answered = FollowUpSurvey.objects.get(registration=first, wave=3)
    assert answered.answered_at is not None
    assert answered.answered_by is None  # the company itself, not an advisor
    assert (answered.contracts_signed, answered.contracts_value, answered.satisfaction) == (
        1,
        Decimal("85000.00"),
        5,
    )
    assert [c.name_fr for c in answered.contract_countries.all()] == ["Allemagne"]

    # 6. The manager's results page shows the contract, with the response rate beside it.
    log_in(page, base, manager.email)
    page.goto(f"{base}/actions-collectives/gestion/{action.slug}/")
    page.get_by_role("link", name="Voir les résultats détaillés et les réponses").click()
    expect(heading(page)).to_have_text(f"Résultats — {TITLE}")
    basis = re.compile(r"sur 1 répondant / 1 participant, 100\s%")
    contracts = row_headed(page, "Contrats signés")
    expect(contracts.locator("td").first).to_have_text("1")
    expect(contracts).to_contain_text(basis)
    value = row_headed(page, "Montant des contrats signés")
    expect(value.locator("td").first).to_have_text(euros(85000))
    expect(value).to_contain_text(basis)
    expect(row_headed(page, "Taux de réponse")).to_contain_text(basis)
    expect(page.get_by_text("Allemagne : 1 entreprise")).to_be_visible()
    wave = row_headed(page, "À 3 mois")
    expect(wave.locator("td")).to_have_text(["1", "0", "1", "0", "1", "–"])
    answer = row_headed(page, "Fromagerie de Bourgogne")
    expect(answer).to_contain_text(euros(85000))
    expect(answer).to_contain_text("5 / 5")
