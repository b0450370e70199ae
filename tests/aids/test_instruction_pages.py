"""The instruction page (checks with their badges, the amount breakdown and its binding cap,
the opinion form, the proposal to a committee), the request for missing items and the
withdrawal — what the instructor sees and what the others may not do."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone

from guichet.aids.models import Application, CommitteeSession
from tests.aids.conftest import make_application


@pytest.fixture
def submitted(scheme, company, org_a):
    return make_application(scheme, company, org_a, status="submitted", submitted_at=timezone.now())


@pytest.fixture
def instructing(submitted, instructor_a):
    submitted.status, submitted.instructor = "instruction", instructor_a
    submitted.save()
    return submitted


@pytest.fixture
def session(org_a):
    return CommitteeSession.objects.create(
        title="Commission permanente de décembre",
        held_on=timezone.localdate() + timedelta(days=15),
        organisation=org_a,
    )


def _url(application, tail="instruction/"):
    return f"/aides/dossiers/{application.reference}/{tail}"


def _text(response) -> str:
    """The page as read: entities decoded, white space collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", unescape(response.content.decode()))


def _fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_a_submitted_file_shows_checks_breakdown_and_start(client_for, instructor_a, submitted):
    response = client_for(instructor_a).get(_url(submitted))
    page = _text(response)
    assert response.status_code == 200
    assert "Commencer l'instruction" in page
    assert "Taille : TPE ou PME" in page
    assert "fr-badge--success" in page
    assert "Respectée" in page
    assert "fr-badge--error" in page
    assert "Non respectée" in page  # documents missing
    assert "Manquent : Extrait Kbis, Devis Business France." in page
    assert "fr-badge--warning" in page
    assert "À vérifier" in page
    assert "Montant éligible : 12\u202f683\u202f€" in page
    assert "Fixe le montant" in page
    assert "Demander des éléments manquants" in page
    assert "Enregistrer l'instruction" not in page  # not under instruction yet


def test_start_instruction(client_for, instructor_a, submitted):
    response = client_for(instructor_a).post(_url(submitted), {"action": "start"}, follow=True)
    page = _text(response)
    assert "vous en êtes l'instructeur" in page
    assert "Enregistrer l'instruction" in page
    saved = _fresh(submitted)
    assert (saved.status, saved.instructor) == ("instruction", instructor_a)


def test_instruct_with_an_amount_above_the_eligible_one_keeps_the_input(
    client_for, instructor_a, instructing
):
    response = client_for(instructor_a).post(
        _url(instructing),
        {
            "action": "instruct",
            "eligible_costs": "20000",
            "proposed_amount": "10500,50",
            "opinion": "favourable",
        },
    )
    page = _text(response)
    assert "Le formulaire contient une erreur" in page
    assert (
        "Le montant proposé (10\u202f500,50\u202f€) dépasse le montant éligible "
        "(10\u202f000\u202f€), fixé par « Taux × dépenses éligibles » "
        "(50 % × 20\u202f000\u202f€)." in page
    )
    assert 'value="10500,50"' in page
    assert "Montant éligible : 10\u202f000\u202f€" in page  # computed with the typed costs
    saved = _fresh(instructing)
    assert (saved.instructed_at, saved.proposed_amount, saved.checks) == (None, None, [])


def test_instruct_bad_input_in_french(client_for, instructor_a, instructing):
    response = client_for(instructor_a).post(
        _url(instructing),
        {
            "action": "instruct",
            "eligible_costs": "-5",
            "proposed_amount": "beaucoup",
            "opinion": "unfavourable",
        },
    )
    page = _text(response)
    assert "Le montant ne peut pas être négatif." in page
    assert "Saisissez un montant en euros" in page
    assert 'value="beaucoup"' in page
    assert _fresh(instructing).instructed_at is None


def test_an_unfavourable_opinion_needs_its_reason(client_for, instructor_a, instructing):
    response = client_for(instructor_a).post(
        _url(instructing),
        {
            "action": "instruct",
            "eligible_costs": "20000",
            "proposed_amount": "0",
            "opinion": "unfavourable",
            "opinion_text": "",
        },
    )
    assert "Motivez l'avis défavorable." in _text(response)
    assert _fresh(instructing).opinion == ""


def test_instruct_then_propose_to_a_session(client_for, instructor_a, instructing, session):
    client = client_for(instructor_a)
    response = client.post(
        _url(instructing),
        {
            "action": "instruct",
            "eligible_costs": "25366",
            "proposed_amount": "12683",
            "opinion": "favourable",
            "opinion_text": "Première mission, marché prioritaire.",
        },
        follow=True,
    )
    page = _text(response)
    assert "Instruction enregistrée : montant éligible 12\u202f683\u202f€" in page
    assert "Proposer à cette séance" in page
    assert "Commission permanente de décembre" in page
    saved = _fresh(instructing)
    assert saved.eligible_amount == Decimal("12683.00")
    assert {c["code"] for c in saved.checks} >= {"size", "state_aid", "not_allowed_costs"}

    response = client.post(
        _url(instructing), {"action": "propose", "session": session.pk}, follow=True
    )
    assert "Dossier proposé à la séance" in _text(response)
    saved = _fresh(instructing)
    assert (saved.status, saved.session) == ("committee", session)


def test_no_planned_session_says_what_to_do(client_for, instructor_a, instructing):
    instructing.instructed_at = timezone.now()
    instructing.opinion, instructing.proposed_amount = "favourable", Decimal("1000")
    instructing.save()
    page = _text(client_for(instructor_a).get(_url(instructing)))
    assert "Aucune séance de la commission de Région Test n'est prévue." in page


def test_propose_without_session_is_refused(client_for, instructor_a, instructing, session):
    instructing.instructed_at = timezone.now()
    instructing.opinion, instructing.proposed_amount = "favourable", Decimal("1000")
    instructing.save()
    response = client_for(instructor_a).post(
        _url(instructing), {"action": "propose", "session": ""}
    )
    assert "Choisissez une séance de la commission." in _text(response)
    assert _fresh(instructing).status == "instruction"


def test_ask_for_missing_items(client_for, instructor_a, submitted, scheme):
    kbis = scheme.required_documents.get(code="kbis")
    response = client_for(instructor_a).post(
        _url(submitted, "incomplet/"),
        {"documents": [kbis.pk], "items": "Devis signé\n\nRIB de l'entreprise"},
        follow=True,
    )
    page = _text(response)
    assert "Le dossier est incomplet : claire.martin@example.fr reçoit la liste" in page
    assert "Dossier incomplet : éléments demandés à l'entreprise" in page  # history
    saved = _fresh(submitted)
    assert saved.status == "incomplete"
    assert list(saved.missing_items.values_list("label", flat=True)) == [
        "Extrait Kbis",
        "Devis signé",
        "RIB de l'entreprise",
    ]


def test_ask_for_nothing_is_refused(client_for, instructor_a, submitted):
    response = client_for(instructor_a).post(_url(submitted, "incomplet/"), {"items": " "})
    assert "Cochez une pièce ou écrivez au moins un élément manquant." in _text(response)
    assert _fresh(submitted).status == "submitted"
    assert not mail.outbox


def test_withdraw(client_for, advisor_a, submitted):
    client = client_for(advisor_a)
    assert "Motif du retrait" in _text(client.get(_url(submitted, "retrait/")))
    response = client.post(_url(submitted, "retrait/"), {"reason": ""})
    assert "Indiquez le motif du retrait." in _text(response)
    assert _fresh(submitted).status == "submitted"
    response = client.post(
        _url(submitted, "retrait/"), {"reason": "Projet abandonné."}, follow=True
    )
    page = _text(response)
    assert "La demande est retirée." in page
    assert "Motif : Projet abandonné." in page
    assert _fresh(submitted).status == "withdrawn"


@pytest.mark.parametrize("who", ["advisor_a", "advisor_b", "readonly_a", "manager_b"])
def test_only_the_provider_instructs(client_for, request, submitted, who, org_b):
    from tests.conftest import make_user

    user = (
        make_user("gerant.cci@cci.fr", org_b, ["manager"])
        if who == "manager_b"
        else request.getfixturevalue(who)
    )
    client = client_for(user)
    assert client.get(_url(submitted)).status_code == 403
    assert client.post(_url(submitted), {"action": "start"}).status_code == 403
    assert client.post(_url(submitted, "incomplet/"), {"items": "x"}).status_code == 403
    assert _fresh(submitted).status == "submitted"


def test_admin_and_manager_of_the_provider_instruct(client_for, admin_user, manager_a, submitted):
    assert client_for(admin_user).get(_url(submitted)).status_code == 200
    assert client_for(manager_a).get(_url(submitted)).status_code == 200


@pytest.mark.parametrize("who", ["advisor_b", "readonly_a"])
def test_withdraw_is_refused_to_others(client_for, request, submitted, who):
    client = client_for(request.getfixturevalue(who))
    assert client.post(_url(submitted, "retrait/"), {"reason": "x"}).status_code == 403
    assert _fresh(submitted).status == "submitted"


def test_anonymous_is_sent_to_login(client_for, submitted):
    for tail in ("instruction/", "retrait/"):
        assert client_for(None).get(_url(submitted, tail)).status_code == 302


@pytest.mark.parametrize(
    "status",
    [
        "draft",
        "submitted",
        "incomplete",
        "instruction",
        "committee",
        "approved",
        "rejected",
        "withdrawn",
        "signed",
        "paying",
        "paid",
        "closed",
    ],
)
def test_every_state_renders_its_pages(client_for, admin_user, scheme, company, org_a, status):
    from datetime import date

    from guichet.aids.models import ApplicationStatus

    decided = status in ("approved", "rejected", "signed", "paying", "paid", "closed")
    application = make_application(
        scheme,
        company,
        org_a,
        status=status,
        submitted_at=None if status == "draft" else timezone.now(),
        decided_on=date(2026, 6, 1) if decided else None,
        granted_amount=Decimal("10000") if decided and status != "rejected" else None,
    )
    client = client_for(admin_user)
    detail = _text(client.get(_url(application, "")))
    assert str(ApplicationStatus(status).label) in detail
    instruct = client.get(_url(application))
    assert instruct.status_code in (200, 403)
    if instruct.status_code == 200:
        assert "Montant éligible" in _text(instruct)


def test_a_scheme_that_is_not_state_aid_shows_no_headroom(
    client_for, instructor_a, submitted, scheme
):
    scheme.regime, scheme.not_aid_justification = "not_aid", "Prestation au prix du marché."
    scheme.save()
    page = _text(client_for(instructor_a).get(_url(submitted)))
    assert "Régime : pas une aide d'État" in page
    assert "Prestation au prix du marché." in page
    assert "Sans objet" in page
