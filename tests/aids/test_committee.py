"""Committee decisions (service level): approval with its ledger line and letter, the refusals
(eligible amount, envelope, de minimis headroom, missing reason) that change nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from guichet.aids.models import Application, CommitteeSession
from guichet.aids.services.committee import (
    application_decide,
    committee_session_add,
    committee_session_create,
    committee_session_hold,
)
from guichet.stateaid.models import StateAidGrant
from guichet.stateaid.services import state_aid_grant_record
from tests.aids.conftest import make_scheme
from tests.aids.money_factories import DECIDED, envelope, proposed, session_of
from tests.companies.conftest import make_company


@pytest.fixture
def budget(scheme):
    return envelope(scheme)


def _snapshot(application):
    saved = Application.objects.get(pk=application.pk)
    return (
        saved.status,
        saved.granted_amount,
        saved.decided_on,
        saved.session_id,
        bool(saved.decision_letter),
        saved.events.count(),
        StateAidGrant.objects.count(),
    )


def test_approval_writes_the_ledger_line_the_letter_and_the_mail(
    scheme, budget, company, org_a, instructor_a, django_capture_on_commit_callbacks
):
    application = proposed(scheme, company, org_a)
    session = session_of(org_a)
    with django_capture_on_commit_callbacks(execute=True):
        decided = application_decide(
            application=application,
            decision="approved",
            amount="12683",
            decided_on=DECIDED,
            by=instructor_a,
            session=session,
        )
    saved = Application.objects.get(pk=application.pk)
    assert (saved.status, saved.granted_amount, saved.decided_on, saved.session) == (
        "approved",
        Decimal("12683.00"),
        DECIDED,
        session,
    )
    assert decided.status == "approved"
    line = StateAidGrant.objects.get()
    assert (line.company, line.granted_on, line.amount, line.regulation, line.source) == (
        company,
        DECIDED,
        Decimal("12683.00"),
        "de_minimis",
        "platform_aid",
    )
    assert line.source_ref == f"aids.application:{application.pk}"
    assert line.granting_body == "Région Test"
    assert line.eligible_costs == Decimal("25366.00")
    assert line.cost_category == "Indemnités du volontaire"
    # History and company timeline.
    assert [e.title for e in saved.events.all()] == ["Aide accordée : 12\u202f683\u202f€"]
    assert company.timeline_events.filter(title__contains="Aide accordée").count() == 1
    # The letter is kept with the file and mailed to the contact.
    with saved.decision_letter.open("rb") as letter:
        assert letter.read(5) == b"%PDF-"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.martin@example.fr"]
    assert message.subject == f"Votre demande d'aide {saved.reference} : décision de Région Test"
    assert "vous accorde une aide de 12\u202f683\u202f€" in message.body
    assert message.attachments[0][0] == f"decision-{saved.reference}.pdf"
    assert message.attachments[0][1].startswith(b"%PDF")


def test_approval_above_the_eligible_amount_is_refused(
    scheme, budget, company, org_a, instructor_a
):
    application = proposed(scheme, company, org_a, amount="10000")
    before = _snapshot(application)
    with pytest.raises(ValidationError) as error:
        application_decide(
            application=application,
            decision="approved",
            amount="10000.01",
            decided_on=DECIDED,
            by=instructor_a,
        )
    assert error.value.message_dict["amount"] == [
        "Le montant accordé (10\u202f000,01\u202f€) dépasse le montant éligible calculé à "
        "l'instruction (10\u202f000\u202f€)."
    ]
    assert _snapshot(application) == before


def test_approval_beyond_the_envelope_is_refused_with_the_figures(
    scheme, company, org_a, instructor_a
):
    envelope(scheme, amount="20000")
    other = make_company("732829320", "Tissages de Lyon")
    proposed_first = proposed(scheme, other, org_a, amount="12000")
    application_decide(
        application=proposed_first,
        decision="approved",
        amount="12000",
        decided_on=DECIDED,
        by=instructor_a,
    )
    application = proposed(scheme, company, org_a, amount="8500")
    before = _snapshot(application)
    with pytest.raises(ValidationError) as error:
        application_decide(
            application=application,
            decision="approved",
            amount="8500",
            decided_on=DECIDED,
            by=instructor_a,
        )
    assert error.value.message_dict["amount"] == [
        "Enveloppe 2025 insuffisante : 8\u202f500\u202f€ demandés, 12\u202f000\u202f€ déjà "
        "engagés sur 20\u202f000\u202f€, il reste 8\u202f000\u202f€."
    ]
    assert _snapshot(application) == before


def test_approval_without_an_envelope_for_the_year_is_refused(scheme, company, org_a, instructor_a):
    application = proposed(scheme, company, org_a)
    before = _snapshot(application)
    with pytest.raises(ValidationError) as error:
        application_decide(
            application=application,
            decision="approved",
            amount="12683",
            decided_on=DECIDED,
            by=instructor_a,
        )
    assert error.value.message_dict["amount"] == [
        "Aucune enveloppe budgétaire n'est votée pour « Soutien au V.I.E. » en 2025 : "
        "l'aide ne peut pas être engagée."
    ]
    assert _snapshot(application) == before


def test_approval_beyond_the_de_minimis_headroom_is_refused_and_changes_nothing(
    scheme, budget, company, org_a, instructor_a, django_capture_on_commit_callbacks
):
    state_aid_grant_record(
        company=company,
        granted_on=date(2024, 6, 1),
        amount=Decimal("295000"),
        regulation="de_minimis",
        granting_body="Département de la Côte-d'Or",
        source="declared",
        description="Aide à l'investissement",
    )
    application = proposed(scheme, company, org_a)
    before = _snapshot(application)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        application_decide(
            application=application,
            decision="approved",
            amount="12683",
            decided_on=DECIDED,
            by=instructor_a,
        )
    # Spaces normalised: the ledger's message formats its figures itself.
    message = error.value.message_dict["amount"][0].replace("\u202f", " ").replace("\xa0", " ")
    assert message.startswith("Plafond dépassé : 12 683 € demandés")
    for figure in ("295 000 €", "300 000 €", "il reste 5 000 €"):
        assert figure in message
    assert _snapshot(application) == before
    assert StateAidGrant.objects.filter(source="platform_aid").count() == 0
    assert company.timeline_events.filter(title__contains="accordée").count() == 0
    assert mail.outbox == []


def test_an_aid_that_is_not_state_aid_writes_no_ledger_line(company, org_a, instructor_a):
    scheme = make_scheme(
        org_a,
        slug="diagnostic-region",
        name="Diagnostic export payé par la Région",
        regime="not_aid",
        not_aid_justification="Prestation ouverte à toutes les entreprises sans sélectivité.",
    )
    envelope(scheme)
    application = proposed(scheme, company, org_a, amount="3000")
    application_decide(
        application=application,
        decision="approved",
        amount="3000",
        decided_on=DECIDED,
        by=instructor_a,
    )
    assert Application.objects.get(pk=application.pk).status == "approved"
    assert StateAidGrant.objects.count() == 0


def test_rejection_needs_a_reason(scheme, budget, company, org_a, instructor_a):
    application = proposed(scheme, company, org_a)
    before = _snapshot(application)
    with pytest.raises(ValidationError) as error:
        application_decide(
            application=application,
            decision="rejected",
            reason="   ",
            decided_on=DECIDED,
            by=instructor_a,
        )
    assert error.value.message_dict == {"reason": ["Indiquez le motif du refus."]}
    assert _snapshot(application) == before


def test_rejection_with_its_reason(scheme, budget, company, org_a, instructor_a):
    application = proposed(scheme, company, org_a)
    application_decide(
        application=application,
        decision="rejected",
        reason="Projet déjà financé par un autre dispositif.",
        decided_on=DECIDED,
        by=instructor_a,
    )
    saved = Application.objects.get(pk=application.pk)
    assert (saved.status, saved.granted_amount, saved.decision_reason) == (
        "rejected",
        None,
        "Projet déjà financé par un autre dispositif.",
    )
    assert StateAidGrant.objects.count() == 0
    assert saved.decision_letter
    assert saved.events.get().text == (
        "Décision du 10/03/2025 — motif : Projet déjà financé par un autre dispositif."
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Le montant accordé doit être positif."),
        ("-50", "Le montant accordé doit être positif."),
        ("", "Indiquez le montant accordé."),
        ("12.345", "Le montant accordé s'exprime en euros et centimes."),
        ("douze", "Le montant n'est pas un nombre."),
    ],
)
def test_bad_amounts_are_refused(scheme, budget, company, org_a, instructor_a, amount, message):
    application = proposed(scheme, company, org_a)
    before = _snapshot(application)
    with pytest.raises(ValidationError) as error:
        application_decide(
            application=application,
            decision="approved",
            amount=amount,
            decided_on=DECIDED,
            by=instructor_a,
        )
    assert error.value.message_dict["amount"] == [message]
    assert _snapshot(application) == before


def test_decision_dates_in_the_wrong_order_are_refused(
    scheme, budget, company, org_a, instructor_a
):
    application = proposed(scheme, company, org_a)
    with pytest.raises(ValidationError) as error:
        application_decide(
            application=application,
            decision="approved",
            amount="12683",
            decided_on=date(2025, 1, 14),
            by=instructor_a,
        )
    assert error.value.message_dict["decided_on"] == [
        "La décision ne peut précéder le dépôt de la demande (15/01/2025)."
    ]
    with pytest.raises(ValidationError, match="ne peut être future"):
        application_decide(
            application=application,
            decision="approved",
            amount="12683",
            decided_on=date(2999, 1, 1),
            by=instructor_a,
        )


def test_only_a_file_proposed_to_committee_is_decided(scheme, budget, company, org_a, instructor_a):
    application = proposed(scheme, company, org_a)
    Application.objects.filter(pk=application.pk).update(status="instruction")
    with pytest.raises(ValidationError, match="seule une demande proposée en commission"):
        application_decide(
            application=application,
            decision="approved",
            amount="12683",
            decided_on=DECIDED,
            by=instructor_a,
        )


# --- sessions ----------------------------------------------------------------------------------


def test_a_session_postpones_the_files_left_without_decision(
    scheme, budget, company, org_a, instructor_a
):
    session = committee_session_create(
        title="Commission permanente de mars",
        held_on=DECIDED,
        place="Dijon",
        organisation=org_a,
        by=instructor_a,
    )
    decided = proposed(scheme, company, org_a)
    waiting = proposed(scheme, make_company("732829320", "Tissages de Lyon"), org_a)
    for application in (decided, waiting):
        committee_session_add(session=session, application=application, by=instructor_a)
    application_decide(
        application=decided,
        decision="approved",
        amount="12683",
        decided_on=DECIDED,
        by=instructor_a,
    )
    postponed = committee_session_hold(session=session, by=instructor_a)
    assert [a.pk for a in postponed] == [waiting.pk]
    assert CommitteeSession.objects.get(pk=session.pk).status == "held"
    waiting = Application.objects.get(pk=waiting.pk)
    assert (waiting.status, waiting.session) == ("committee", None)
    assert waiting.events.last().title == "Dossier reporté à une prochaine commission"
    assert Application.objects.get(pk=decided.pk).session == session
    with pytest.raises(ValidationError, match="déjà tenue"):
        committee_session_add(session=session, application=waiting, by=instructor_a)


def test_a_session_takes_only_its_organisation_s_files(
    scheme, budget, company, org_a, org_b, instructor_a
):
    session = session_of(org_b)
    application = proposed(scheme, company, org_a)
    with pytest.raises(ValidationError, match="relève de Région Test"):
        committee_session_add(session=session, application=application, by=instructor_a)
    assert Application.objects.get(pk=application.pk).session is None
