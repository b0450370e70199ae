"""An individual aid from end to end, in a browser (issue 6, "Done when"): a company asks for the
link of its file on the public form, fills it (a planned expense, the two required documents,
the de minimis declaration) and submits it → the instructor of the Région asks for a missing
document → the company sends it from its link → the instructor instructs the file (eligibility
checks shown, costs, amount, opinion) and proposes it to a committee session → the committee
grants it and the decision letter PDF is produced → agreement, advance, balance on proof → the
company's state-aid ledger, the scheme's envelope and the company's timeline show it all."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from guichet.aids.models import Application, ApplicationDocument, MissingItem, Payment
from guichet.core.money import euros
from guichet.stateaid.models import StateAidGrant
from tests.aids.conftest import PDF_BYTES, VALID_SIRET, make_scheme
from tests.companies.conftest import make_company
from tests.conftest import PASSWORD, make_user

SCHEME = "Soutien au V.I.E."
TITLE = "Premier V.I.E. à Milan"
CONTACT = "claire.martin@fromagerie.example"
MISSING = "RIB de l'entreprise"
LINK = re.compile(r"https?://\S+?(/aides/mon-dossier/[^/\s]+/)")


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("^Bonjour"))).to_be_visible()


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/$"))


def status_badge(page):
    """The file's state, the first badge of the page (above its title)."""
    return page.locator("main .fr-badge").first


def pdf_file(tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(PDF_BYTES)
    return path


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def check_row(page, label: str):
    """The badge (outcome) of one eligibility check, found by its rule."""
    item = page.locator(
        "li", has=page.locator("strong", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return item.locator(".fr-badge")


def company_files_and_submits(page, base: str, tmp_path, scheme) -> Application:
    """The public form sends the link; the company fills its file and submits it."""
    page.goto(f"{base}/aides/demande/")
    page.get_by_label("Dispositif d'aide").select_option(label=f"{SCHEME} — Région Test")
    page.get_by_label("Intitulé de votre projet").fill(TITLE)
    page.get_by_label("Numéro SIRET de l'établissement").fill(VALID_SIRET)
    page.get_by_label("Vos prénom et nom").fill("Claire Martin")
    page.get_by_label("Adresse électronique").fill(CONTACT)
    page.get_by_role("button", name="Recevoir le lien de mon dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est enregistrée")
    expect(page.get_by_text(f"Le lien de votre dossier part à {CONTACT}")).to_be_visible()
    application = Application.objects.get()
    assert (application.status, application.filed_by) == ("draft", "company")
    sent = mail.outbox[-1]
    assert sent.to == [CONTACT]
    assert sent.subject == (
        f"Votre demande d'aide {application.reference} : le lien de votre dossier"
    )

    # The file, through the link of the e-mail.
    page.goto(f"{base}{link_in(sent)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Votre demande d'aide {application.reference}"
    )
    expect(status_badge(page)).to_have_text("Brouillon")

    # The project: the amount asked for.
    page.get_by_label("Montant d'aide demandé (€)").fill("15 000")
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_label("Montant d'aide demandé (€)")).to_have_value("15000")

    # A planned expense.
    page.get_by_label("Catégorie").select_option(label="Indemnités du volontaire")
    page.get_by_label("Nature de la dépense").fill("Indemnités du volontaire sur 12 mois")
    page.get_by_label("Montant HT (€)").fill("30 000")
    page.get_by_role("button", name="Ajouter la dépense").click()
    expenses = page.locator("#depenses table")
    expect(
        expenses.get_by_role("cell", name="Indemnités du volontaire sur 12 mois", exact=True)
    ).to_be_visible()
    expect(expenses.locator("tr", has_text="Total")).to_contain_text(euros(30000))

    # The two required documents.
    for label, name in (("Extrait Kbis", "kbis.pdf"), ("Devis Business France", "devis.pdf")):
        page.get_by_label(f"Fichier : {label}").set_input_files(pdf_file(tmp_path, name))
        page.get_by_role("button", name=f"Joindre : {label}").click()
        expect(page.get_by_text(f"« {label} » est joint au dossier.")).to_be_visible()
        expect(page.get_by_role("link", name=label, exact=True)).to_be_visible()

    # The de minimis declaration.
    page.locator("label[for=id_declaration-declared_no_other_aid]").click()
    page.get_by_role("button", name="Enregistrer la déclaration").click()
    expect(page.get_by_text("La déclaration est enregistrée.")).to_be_visible()
    expect(
        page.get_by_text("Le dossier est complet : vous pouvez le déposer.", exact=False)
    ).to_be_visible()

    page.get_by_role("button", name="Déposer la demande").click()
    expect(
        page.get_by_text(f"La demande {application.reference} est déposée", exact=False)
    ).to_be_visible()
    expect(status_badge(page)).to_have_text("Déposée")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.requested_amount == Decimal("15000")
    assert application.declared_no_other_aid is True
    assert [(e.category.code, e.amount) for e in application.expenses.all()] == [
        ("indemnite", Decimal("30000"))
    ]
    assert sorted(d.required.code for d in application.documents.all()) == ["devis", "kbis"]
    assert mail.outbox[-1].subject == (
        f"Votre demande d'aide {application.reference} a bien été déposée"
    )
    return application


def instructor_asks_for_a_missing_document(page, base: str, application: Application) -> None:
    page.goto(f"{base}/aides/dossiers/{application.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Demande d'aide {application.reference}"
    )
    expect(status_badge(page)).to_have_text("Déposée")
    page.get_by_role("link", name="Commencer l'instruction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Instruction de la demande {application.reference}"
    )
    page.get_by_label("Autres éléments manquants").fill(MISSING)
    page.get_by_role("button", name="Déclarer le dossier incomplet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Demande d'aide {application.reference}"
    )
    expect(status_badge(page)).to_have_text("Incomplète")
    expect(
        page.get_by_text(f"{CONTACT} reçoit la liste des éléments manquants", exact=False)
    ).to_be_visible()
    application.refresh_from_db()
    assert application.status == "incomplete"
    assert list(application.missing_items.values_list("label", "resolved_at")) == [(MISSING, None)]


def company_completes_its_file(page, base: str, tmp_path, application: Application) -> None:
    asked = mail.outbox[-1]
    assert asked.to == [CONTACT]
    assert asked.subject == (
        f"Votre demande d'aide {application.reference} : des éléments manquent"
    )
    assert f"- {MISSING}" in asked.body
    page.goto(f"{base}{link_in(asked)}")
    expect(status_badge(page)).to_have_text("Incomplète")
    missing = page.locator("#complement")
    expect(missing.get_by_role("heading", name="Ce qui manque au dossier")).to_be_visible()
    expect(missing.locator("legend", has_text=MISSING)).to_be_visible()
    item = MissingItem.objects.get(application=application)
    page.locator(f"#id_complement-item_{item.pk}_file").set_input_files(
        pdf_file(tmp_path, "rib.pdf")
    )
    page.get_by_role("button", name="Renvoyer mon dossier complété").click()
    expect(page.get_by_text("Votre dossier complété est renvoyé", exact=False)).to_be_visible()
    expect(status_badge(page)).to_have_text("Déposée")
    expect(page.get_by_role("link", name=MISSING)).to_be_visible()  # among "Vos pièces"
    application.refresh_from_db()
    item.refresh_from_db()
    assert application.status == "submitted"
    assert item.resolved_at is not None
    rib = ApplicationDocument.objects.get(application=application, label=MISSING)
    assert rib.original_name == "rib.pdf"
    assert mail.outbox[-1].subject == (
        f"Votre dossier {application.reference} complété a bien été reçu"
    )


def instructor_creates_a_session(page, base: str) -> str:
    page.goto(f"{base}/aides/commissions/")
    page.get_by_role("link", name="Nouvelle commission").click()
    title = "Commission permanente de juin"
    page.get_by_label("Intitulé de la séance").fill(title)
    page.get_by_label("Date de la séance").fill(timezone.localdate().isoformat())
    page.get_by_label("Lieu").fill("Hôtel de Région, Dijon")
    page.get_by_role("button", name="Créer la séance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text(f"La séance « {title} » est créée.")).to_be_visible()
    return title


def instructor_instructs_and_proposes(
    page, base: str, application: Application, session_title: str
) -> None:
    page.goto(f"{base}/aides/dossiers/{application.reference}/instruction/")
    page.get_by_role("button", name="Commencer l'instruction").click()
    expect(page.get_by_text("Le dossier est en instruction", exact=False)).to_be_visible()
    expect(status_badge(page)).to_have_text("En instruction")

    # The eligibility checks, each with its rule and outcome.
    year = timezone.localdate().year
    expect(
        page.get_by_role("heading", name=re.compile("^Vérifications d'éligibilité"))
    ).to_be_visible()
    for label, outcome in (
        ("Entreprise en activité", "Respectée"),
        ("Taille : TPE ou PME", "Respectée"),
        ("Pièces obligatoires fournies", "Respectée"),
        ("Au plus 3 aides de ce dispositif par entreprise", "Respectée"),
        (f"Enveloppe {year} du dispositif non épuisée", "Respectée"),
        ("Marge disponible : De minimis général — règlement (UE) 2023/2831", "Respectée"),
        ("Aides de minimis des trois dernières années déclarées", "Respectée"),
        (
            "Dépenses non liées aux quantités exportées ni à un réseau de distribution, "
            "ni dépenses courantes d'exportation",
            "À vérifier",
        ),
    ):
        expect(check_row(page, label)).to_have_text(outcome)
    expect(page.get_by_role("heading", name=f"Montant éligible : {euros(15000)}")).to_be_visible()

    # Costs, amount, opinion.
    page.get_by_label("Dépenses éligibles retenues (€ HT)").fill("30000")
    page.get_by_label("Montant proposé (€)").fill("15000")
    page.locator("label[for=id_opinion_0]").click()  # Favorable
    page.get_by_label("Motivation de l'avis").fill("Premier V.I.E. de l'entreprise, projet solide.")
    page.get_by_role("button", name="Enregistrer l'instruction").click()
    expect(
        page.get_by_text(
            f"Instruction enregistrée : montant éligible {euros(15000)}, "
            f"montant proposé {euros(15000)}."
        )
    ).to_be_visible()
    application.refresh_from_db()
    assert (application.eligible_costs, application.eligible_amount) == (
        Decimal("30000"),
        Decimal("15000"),
    )
    assert (application.proposed_amount, application.opinion) == (Decimal("15000"), "favourable")
    kept = {check["code"]: check["outcome"] for check in application.checks}
    assert kept["documents"] == kept["state_aid"] == kept["declaration"] == "passed"

    # Proposed to the planned session.
    held_on = timezone.localdate()
    page.get_by_label("Séance de la commission").select_option(
        label=f"{session_title} ({held_on:%d/%m/%Y})"
    )
    page.get_by_role("button", name="Proposer à cette séance").click()
    expect(
        page.get_by_text(f"Dossier proposé à la séance « {session_title}", exact=False)
    ).to_be_visible()
    expect(status_badge(page)).to_have_text("Proposée en commission")
    application.refresh_from_db()
    assert application.status == "committee"
    assert application.session.title == session_title


def committee_approves(page, base: str, application: Application, tmp_path) -> None:
    page.get_by_role("link", name="Voir la séance de la commission").click()
    card = page.locator("section.fr-card", has_text=application.reference)
    expect(card.get_by_role("heading", level=3)).to_have_text(
        f"Fromagerie de Bourgogne — {application.reference}"
    )
    ref = application.reference
    expect(card.locator(f"#id_{ref}_amount")).to_have_value("15000")
    card.locator(f"label[for=id_{ref}_decision_0]").click()  # Aide accordée
    card.get_by_role("button", name="Enregistrer la décision").click()
    expect(
        page.get_by_text(f"Aide de {euros(15000)} accordée pour le dossier {ref}", exact=False)
    ).to_be_visible()
    card = page.locator("section.fr-card", has_text=ref)
    expect(card.locator(".fr-badge")).to_have_text("Accordée")
    letter_link = card.get_by_role("link", name="Lettre de décision (PDF)")
    letter = page.context.request.get(f"{base}{letter_link.get_attribute('href')}")
    assert letter.status == 200
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.granted_amount == Decimal("15000")
    assert application.decided_on == timezone.localdate()
    assert application.decision_letter
    with application.decision_letter.open("rb") as stored:
        assert stored.read(4) == b"%PDF"
    sent = mail.outbox[-1]
    assert sent.to == [CONTACT]
    assert sent.subject == f"Votre demande d'aide {ref} : décision de Région Test"
    assert [a[2] for a in sent.attachments] == ["application/pdf"]


def agreement_advance_and_balance(page, base: str, application: Application, tmp_path) -> None:
    today = timezone.localdate()
    ref = application.reference
    page.goto(f"{base}/aides/dossiers/{ref}/")
    expect(status_badge(page)).to_have_text("Accordée")

    page.get_by_role("link", name="Enregistrer la signature de la convention").click()
    page.get_by_label("Convention signée le").fill(today.isoformat())
    page.get_by_role("button", name="Enregistrer la signature").click()
    expect(page.get_by_text(f"Convention signée le {today:%d/%m/%Y}.")).to_be_visible()
    expect(status_badge(page)).to_have_text("Convention signée")

    # The advance: half of the aid at most.
    page.get_by_role("link", name="Enregistrer un versement").click()
    page.locator("label[for=id_kind_0]").click()  # Avance
    page.get_by_label("Montant versé (€)").fill("7500")
    page.get_by_label("Date du versement").fill(today.isoformat())
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_text(f"Avance de {euros(7500)} enregistrée.")).to_be_visible()
    expect(status_badge(page)).to_have_text("En paiement")

    # The balance, on proof of the expenses: 50 % of 30 000 € justified, minus the advance.
    page.get_by_role("link", name="Enregistrer un versement").click()
    page.locator("label[for=id_kind_2]").click()  # Solde
    page.get_by_label("Date du versement").fill(today.isoformat())
    page.get_by_label("Dépenses justifiées (€)").fill("30 000")
    page.get_by_label("Justificatif des dépenses").set_input_files(
        pdf_file(tmp_path, "factures.pdf")
    )
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_text(f"Solde de {euros(7500)} enregistré.")).to_be_visible()
    expect(status_badge(page)).to_have_text("Soldée — résultats attendus")
    expect(
        page.get_by_text(f"Versé : {euros(15000)} sur {euros(15000)} accordés", exact=False)
    ).to_be_visible()
    payments = page.locator(
        "table", has=page.locator("caption", has_text=f"Versements du dossier {ref}")
    )
    expect(payments.locator("tbody tr")).to_have_count(2)
    expect(payments.get_by_role("link", name="factures.pdf")).to_be_visible()

    rows = list(Payment.objects.filter(application=application).order_by("pk"))
    assert [(p.kind, p.amount) for p in rows] == [
        ("advance", Decimal("7500")),
        ("balance", Decimal("7500")),
    ]
    assert rows[1].justified_expenses == Decimal("30000")
    assert rows[1].proof
    assert rows[1].proof_name == "factures.pdf"
    application.refresh_from_db()
    assert application.status == "paid"
    assert application.agreement_signed_on == today


def ledger_envelope_and_timeline(page, base: str, application: Application) -> None:
    company = application.company
    year = timezone.localdate().year

    # The state-aid ledger: the aid counts in the de minimis total, the headroom shrinks.
    page.goto(f"{base}/entreprises/{company.siren}/aides-d-etat/")
    expect(
        page.get_by_text(
            f"Plafond de minimis général : {euros(15000)} comptés sur {euros(300000)} (5 %)",
            exact=False,
        )
    ).to_contain_text(f"reste {euros(285000)}")
    general = page.locator(
        "tr", has=page.get_by_role("rowheader", name=re.compile("^De minimis général"))
    )
    expect(general.locator("td")).to_have_text(
        [euros(15000), re.compile(re.escape(euros(300000))), euros(285000)]
    )
    expect(page.get_by_text(f"{SCHEME} — {TITLE} ({application.reference})")).to_be_visible()
    grant = StateAidGrant.objects.get(company=company)
    assert (grant.amount, grant.regulation, grant.source) == (
        Decimal("15000"),
        "de_minimis",
        "platform_aid",
    )
    assert grant.granted_on == application.decided_on
    assert grant.source_ref == f"aids.application:{application.pk}"

    # The envelope: committed and paid.
    page.goto(f"{base}/aides/enveloppes/")
    table = page.locator(".fr-table--bordered table")
    row = table.locator("tr", has=page.get_by_role("rowheader", name=SCHEME))
    expect(row.locator("td")).to_have_text(
        [str(year), euros(500000), euros(15000), euros(15000), euros(485000), "1"]
    )

    # The company's timeline: every step of the file.
    page.goto(f"{base}/entreprises/{company.siren}/historique/")
    for step in (
        "Demande d'aide commencée par l'entreprise",
        "Demande déposée",
        "Dossier incomplet : éléments demandés à l'entreprise",
        "Dossier complété et renvoyé",
        "Instruction commencée",
        "Instruction : avis favorable",
        "Proposée en commission",
        f"Aide accordée : {euros(15000)}",
        "Convention signée",
        f"Avance versée : {euros(7500)}",
        f"Solde versé : {euros(7500)}",
    ):
        expect(page.get_by_text(f"{SCHEME} — {step}", exact=True)).to_have_count(1)


@pytest.fixture
def registry_company(reference):
    """The company of the registry whose establishment has the SIRET typed on the form."""
    return make_company("552100554", "Fromagerie de Bourgogne", nic=VALID_SIRET[9:])


@pytest.fixture
def instructor_a(org_a):
    return make_user("instructeur@region.fr", org_a, ["instructor"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_aid_from_the_company_link_to_the_ledger(
    page, live_server, tmp_path, org_a, registry_company, instructor_a
):
    scheme = make_scheme(org_a)
    base = live_server.url

    # 1. The company, without an account.
    application = company_files_and_submits(page, base, tmp_path, scheme)

    # 2. The instructor of the Région asks for a missing document.
    log_in(page, base, instructor_a.email)
    instructor_asks_for_a_missing_document(page, base, application)
    log_out(page)

    # 3. The company completes its file from the link of the e-mail.
    company_completes_its_file(page, base, tmp_path, application)

    # 4. Instruction: checks, amount, opinion, proposal to a planned session.
    log_in(page, base, instructor_a.email)
    session_title = instructor_creates_a_session(page, base)
    instructor_instructs_and_proposes(page, base, application, session_title)

    # 5. The committee grants the aid; the decision letter is produced.
    committee_approves(page, base, application, tmp_path)

    # 6. Agreement, advance, balance on proof.
    agreement_advance_and_balance(page, base, application, tmp_path)

    # 7. Ledger, envelope, timeline.
    ledger_envelope_and_timeline(page, base, application)

    # The company follows it all from its link.
    log_out(page)
    page.goto(f"{base}{link_in(mail.outbox[0])}")
    expect(page.get_by_role("heading", name=f"Aide accordée : {euros(15000)}")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger la lettre de décision (PDF)")).to_be_visible()
    expect(page.locator("tr", has_text="Total versé")).to_contain_text(euros(15000))
