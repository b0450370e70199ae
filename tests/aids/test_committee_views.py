"""Committee pages: sessions, the session page with its decisions, the agenda PDF, the decision
letter (its PDF and what it says), and who may do what (the fixed cast)."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from guichet.aids import letters
from guichet.aids.models import Application, CommitteeSession
from guichet.core.models import AuditEvent
from guichet.partners.services import organisation_create
from tests.aids.conftest import make_scheme
from tests.aids.money_factories import DECIDED, envelope, proposed, session_of
from tests.conftest import make_user


@pytest.fixture
def session(org_a):
    return session_of(org_a, title="Commission permanente de mars")


@pytest.fixture
def on_agenda(scheme, company, org_a, org_b, session):
    """A file followed by the CCI (org B), instructed and paid by the Région (org A)."""
    envelope(scheme)
    return proposed(scheme, company, org_b, session=session)


@pytest.fixture
def org_c(db):
    return organisation_create(name="Bpifrance Test", kind="bpifrance", slug="bpi-test")


def _text(html: str) -> str:
    """The visible text, spaces collapsed (narrow no-break spaces of amounts included)."""
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text).strip()


def _decide(client, application, **data):
    fields = {"decision": "approved", "amount": "12 683", "decided_on": "2025-03-10"}
    fields.update(data)
    return client.post(reverse("aids:application_decide", args=[application.reference]), fields)


# --- sessions ------------------------------------------------------------------------------------


def test_sessions_list_shows_the_organisation_s_sessions(client_for, instructor_a, org_b, session):
    session_of(org_b, title="Bureau de la CCI")
    response = client_for(instructor_a).get(reverse("aids:sessions"))
    text = _text(response.content.decode())
    assert "Commission permanente de mars" in text
    assert "Bureau de la CCI" not in text
    assert "10/03/2025 Hôtel de Région, Dijon Prévue 0 0" in text


@pytest.mark.parametrize("who", ["advisor_a", "readonly_a", "advisor_b"])
def test_sessions_are_for_deciders_only(client_for, request, who, session):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("aids:sessions")).status_code == 403
    assert client.get(reverse("aids:session_detail", args=[session.pk])).status_code == 403
    assert client.get(reverse("aids:session_agenda", args=[session.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, session):
    response = client.get(reverse("aids:session_detail", args=[session.pk]))
    assert response.status_code == 302
    assert "/connexion/" in response["Location"] or "login" in response["Location"]


def test_an_instructor_of_another_organisation_cannot_open_the_session(client_for, org_b, session):
    other = make_user("irene.instruit@cci.example", org_b, ["instructor"])
    assert (
        client_for(other).get(reverse("aids:session_detail", args=[session.pk])).status_code == 403
    )


def test_create_a_session(client_for, instructor_a, org_a):
    client = client_for(instructor_a)
    response = client.post(
        reverse("aids:session_create"), {"title": "", "held_on": "31/02/2025", "place": "Dijon"}
    )
    text = _text(response.content.decode())
    assert "Ce champ est obligatoire." in text
    assert "Saisissez une date valide (jj/mm/aaaa)." in text
    assert 'value="Dijon"' in response.content.decode()
    assert CommitteeSession.objects.count() == 0
    response = client.post(
        reverse("aids:session_create"),
        {"title": "Commission permanente d'avril", "held_on": "2025-04-14", "place": "Dijon"},
    )
    session = CommitteeSession.objects.get()
    assert response["Location"] == reverse("aids:session_detail", args=[session.pk])
    assert (session.organisation, session.created_by, str(session.held_on)) == (
        org_a,
        instructor_a,
        "2025-04-14",
    )


def test_session_page_lists_the_agenda_and_the_files_waiting(
    client_for, instructor_a, scheme, company, org_a, on_agenda, session
):
    from tests.companies.conftest import make_company

    waiting = proposed(scheme, make_company("732829320", "Tissages de Lyon"), org_a)
    client = client_for(instructor_a)
    response = client.get(reverse("aids:session_detail", args=[session.pk]))
    html = response.content.decode()
    text = _text(html)
    assert f"Fromagerie de Bourgogne — {on_agenda.reference}" in text
    assert "12 683 € 12 683 € 12 683 € Favorable Premier V.I.E. de l'entreprise" in text
    assert f"Décision sur le dossier {on_agenda.reference}" in text
    assert f'id="id_{on_agenda.reference}_decision_0"' in html
    assert "Dossiers proposés en attente d'une séance" in text
    assert f"Inscrire le dossier {waiting.reference}" in text
    response = client.post(
        reverse("aids:session_add", args=[session.pk]), {"reference": waiting.reference}
    )
    assert Application.objects.get(pk=waiting.pk).session == session


def test_decide_from_the_session_page(
    client_for, instructor_a, on_agenda, session, django_capture_on_commit_callbacks
):
    client = client_for(instructor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, on_agenda, session=session.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("aids:session_detail", args=[session.pk])
    saved = Application.objects.get(pk=on_agenda.pk)
    assert (saved.status, saved.granted_amount, saved.decided_on) == (
        "approved",
        Decimal("12683.00"),
        DECIDED,
    )
    assert len(mail.outbox) == 1
    page = _text(client.get(response["Location"]).content.decode())
    assert "Aide de 12 683 € accordée pour le dossier" in page
    assert "Accordée 12 683 € le 10/03/2025 — Lettre de décision (PDF)" in page
    response = client.post(reverse("aids:session_hold", args=[session.pk]))
    assert CommitteeSession.objects.get(pk=session.pk).status == "held"


def test_a_refused_decision_keeps_what_was_typed_and_says_why(
    client_for, instructor_a, on_agenda, session
):
    client = client_for(instructor_a)
    response = _decide(client, on_agenda, amount="13 000,50")
    assert response.status_code == 200
    html = response.content.decode()
    assert "dépasse le montant éligible calculé à l&#x27;instruction (12\u202f683\u202f€)" in html
    assert 'value="13 000,50"' in html
    response = _decide(client, on_agenda, decision="rejected", amount="", reason="")
    assert "Indiquez le motif du refus." in response.content.decode()
    response = _decide(client, on_agenda, decision="", amount="")
    assert "Choisissez d&#x27;accorder ou de refuser." in response.content.decode()
    assert Application.objects.get(pk=on_agenda.pk).status == "committee"


@pytest.mark.parametrize("who", ["advisor_b", "readonly_a", "advisor_a"])
def test_only_the_provider_s_deciders_decide(client_for, request, who, on_agenda):
    response = _decide(client_for(request.getfixturevalue(who)), on_agenda)
    assert response.status_code == 403
    assert Application.objects.get(pk=on_agenda.pk).status == "committee"


# --- PDFs ----------------------------------------------------------------------------------------


def _texts(content: bytes, key: bytes) -> list[str]:
    """Text entries of an uncompressed PDF (UTF-16BE hex strings or literal strings)."""
    found = [
        bytes.fromhex(raw.decode()).decode("utf-16-be")
        for raw in re.findall(rb"/" + key + rb" <feff([0-9a-f]+)>", content)
    ]
    found += [
        re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1")
        for raw in re.findall(rb"/" + key + rb" \(((?:[^()\\]|\\.)*)\)", content)
    ]
    return found


def test_agenda_pdf_lists_the_files(client_for, instructor_a, on_agenda, session):
    response = client_for(instructor_a).get(reverse("aids:session_agenda", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="ordre-du-jour-commission-2025-03-10.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    pdf = letters.session_agenda_pdf(session, uncompressed_pdf=True)
    assert "Ordre du jour — Commission permanente de mars" in _texts(pdf, b"Title")
    text = _text(letters.session_agenda_html(session))
    assert (
        f"{on_agenda.reference} V.I.E. à Padoue Fromagerie de Bourgogne SIREN 552100554 "
        "Soutien au V.I.E. De minimis général — règlement (UE) 2023/2831 12 683 € 12 683 € "
        "12 683 € Favorable Premier V.I.E. de l'entreprise, projet solide."
    ) in text
    assert "Montant total proposé 12 683 €" in text
    assert "Décision" not in text
    from guichet.aids.services.committee import application_decide, committee_session_hold

    application_decide(
        application=on_agenda, decision="approved", amount="12000", decided_on=DECIDED, by=None
    )
    committee_session_hold(session=session, by=None)
    text = _text(letters.session_agenda_html(session))
    assert "Favorable Premier V.I.E. de l'entreprise, projet solide. Accordée : 12 000 €" in text


def test_decision_letter_of_an_approval(client_for, instructor_a, on_agenda):
    from guichet.aids.services.committee import application_decide

    application = application_decide(
        application=on_agenda,
        decision="approved",
        amount="12683",
        reason="Recrutement du volontaire avant le 30 juin 2025.",
        decided_on=DECIDED,
        by=instructor_a,
    )
    pdf = letters.decision_letter_pdf(application, uncompressed_pdf=True)
    assert pdf.startswith(b"%PDF-")
    titles = _texts(pdf, b"Title")
    assert f"Décision {application.reference} — Fromagerie de Bourgogne" in titles
    for heading in ("Régime de l'aide", "Conditions", "Modalités de versement"):
        assert heading in titles
    text = _text(letters.decision_letter_html(application))
    assert "Fromagerie de Bourgogne SIREN 552100554" in text
    assert "À l'attention de Claire Martin" in text
    assert (
        "Région Test vous accorde une aide de 12 683 € au titre du dispositif « Soutien au "
        "V.I.E. » pour votre projet « V.I.E. à Padoue »."
    ) in text
    assert (
        "Cette aide est accordée au titre du règlement (UE) 2023/2831 de la Commission du "
        "13 décembre 2023 relatif aux aides de minimis. Son montant, exprimé en "
        "équivalent-subvention brut, est de 12 683 €."
    ) in text
    assert "Conditions particulières : Recrutement du volontaire avant le 30 juin 2025." in text
    assert "Une avance de 50 % au plus du montant accordé, soit 6 341,50 € au maximum" in text
    assert "dans la limite de 50 % de ces dépenses et du montant accordé" in text


def test_decision_letter_of_a_rejection(instructor_a, on_agenda):
    from guichet.aids.services.committee import application_decide

    application = application_decide(
        application=on_agenda,
        decision="rejected",
        reason="L'entreprise a déjà reçu trois aides de ce dispositif.",
        decided_on=DECIDED,
        by=instructor_a,
    )
    text = _text(letters.decision_letter_html(application))
    assert "Décision de refus d'une aide" in text
    assert "Motif L'entreprise a déjà reçu trois aides de ce dispositif." in text
    assert "recours contentieux devant le tribunal administratif" in text
    assert "règlement (UE)" not in text


@pytest.mark.parametrize(
    ("regime", "expected"),
    [
        ("gber_18", "article 18 (aides aux PME pour des services de conseil)"),
        ("gber_19", "article 19 (aides aux PME pour la participation à des foires)"),
        ("de_minimis_agri", "règlement (UE) 2024/3118"),
        ("de_minimis_sieg", "règlement (UE) 2023/2832"),
        ("not_aid", "ne constitue pas une aide d'État au sens de l'article 107"),
    ],
)
def test_each_regime_has_its_sentence(company, org_a, regime, expected):
    scheme = make_scheme(
        org_a,
        slug=f"s-{regime}",
        regime=regime,
        not_aid_justification="Service ouvert à tous sans sélectivité.",
    )
    application = proposed(scheme, company, org_a)
    application.granted_amount = Decimal("5000")
    assert expected in letters.regime_sentence(application)


def test_decision_letter_download(client_for, request, instructor_a, on_agenda, org_c):
    from guichet.aids.services.committee import application_decide

    application_decide(
        application=on_agenda,
        decision="approved",
        amount="12683",
        decided_on=DECIDED,
        by=instructor_a,
    )
    url = reverse("aids:decision_letter", args=[on_agenda.reference])
    # The provider's instructor, the following organisation's advisor, a read-only member of
    # the provider: the whole file is theirs.
    for who in (
        instructor_a,
        request.getfixturevalue("advisor_b"),
        request.getfixturevalue("readonly_a"),
    ):
        response = client_for(who).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="decision-{on_agenda.reference}.pdf"'
        )
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(
            object_type="aids.Application", object_id=str(on_agenda.pk), action="view"
        ).count()
        == 3
    )
    outsider = make_user("olga.autre@bpi.example", org_c, ["advisor"])
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_a_letter_missing_from_an_old_decision_is_produced_on_download(
    client_for, instructor_a, on_agenda
):
    Application.objects.filter(pk=on_agenda.pk).update(
        status="approved", decided_on=DECIDED, granted_amount=Decimal("12683")
    )
    response = client_for(instructor_a).get(
        reverse("aids:decision_letter", args=[on_agenda.reference])
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Application.objects.get(pk=on_agenda.pk).decision_letter


def test_no_letter_before_the_decision(client_for, instructor_a, on_agenda):
    response = client_for(instructor_a).get(
        reverse("aids:decision_letter", args=[on_agenda.reference])
    )
    assert response.status_code == 404


def test_session_page_queries_do_not_grow_with_its_files(
    client_for, instructor_a, scheme, org_a, on_agenda, session
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.companies.conftest import make_company

    client = client_for(instructor_a)
    url = reverse("aids:session_detail", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index, siren in enumerate(("732829320", "409876543", "380129866")):
        company = make_company(siren, f"Entreprise {index}")
        proposed(scheme, company, org_a, session=session, instructor=instructor_a)
        proposed(scheme, company, org_a, title=f"En attente {index}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Entreprise 2 —" in _text(response.content.decode())
    assert len(many) == len(few)
