"""The registration pages as people see them: the company's public form and its signed link,
an advisor registering a company, the selection in bulk, confirmation (with the state-aid
figures), cancellation, attendance, a registration's page with its checklist, the export,
the company-file section. The cast: the organiser's manager (org A), an advisor of another
organisation (org B), a read-only member of org A, anonymous."""

import html
import io
import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from guichet.collective.links import registration_token
from guichet.collective.models import ChecklistTick, Registration
from guichet.collective.services import registrations as services
from guichet.companies.models import Establishment
from guichet.core.models import AuditEvent
from guichet.stateaid.models import StateAidGrant
from guichet.stateaid.services import state_aid_grant_record
from tests.collective.conftest import make_action, register

VALID_SIRET = "55210055400013"  # companies[0], Luhn-valid


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


@pytest.fixture
def pavilion(reference, org_a):
    """Next year's pavilion: registrations open whatever the day the tests run."""
    return make_action(org_a, slug="sial-prochain", year=timezone.localdate().year + 1)


@pytest.fixture
def siret(companies):
    Establishment.objects.create(siret=VALID_SIRET, company=companies[0])
    return VALID_SIRET


def _form(**overrides):
    data = {
        "siret": "552 100 554 00013",
        "intent": "apply",
        "contact_name": "Claire Martin",
        "contact_email": "claire.martin@fromagerie.example.fr",
        "contact_phone": "03 80 12 34 56",
        "motivation": "Rencontrer des importateurs allemands.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


# --- the public form ------------------------------------------------------------------------


def test_a_company_registers_itself_and_receives_its_link(
    client, pavilion, companies, siret, django_capture_on_commit_callbacks
):
    page = client.get(f"/actions-collectives/{pavilion.slug}/inscription/")
    assert page.status_code == 200
    assert "S'inscrire : SIAL Paris" in _words(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/actions-collectives/{pavilion.slug}/inscription/", _form())
    assert response.status_code == 302
    done = client.get(response["Location"])
    assert "claire.martin@fromagerie.example.fr" in _words(done)
    registration = Registration.objects.get()
    assert (registration.company, registration.status, registration.registered_by_company) == (
        companies[0],
        "applied",
        True,
    )
    assert registration.organisation == pavilion.organiser  # no advisor follows it yet
    (sent,) = mail.outbox
    link = re.search(r"https?://\S+/actions-collectives/mon-inscription/\S+/", sent.body)
    own_page = client.get(urlparse(link.group(0)).path)
    text = _words(own_page)
    assert own_page.status_code == 200
    assert "Candidate" in text
    assert "Prise en charge publique (prévue) 4 000 €" in text.replace("\u202f", " ")
    assert "Annulation sans frais jusqu'au" in text
    assert own_page["X-Robots-Tag"] == "noindex, nofollow"


def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(client, pavilion, siret):
    url = f"/actions-collectives/{pavilion.slug}/inscription/"
    response = client.post(url, _form(siret="55210055400012", consent="", contact_email="x"))
    text = _words(response)
    assert "Le formulaire contient 3 erreurs" in text
    assert "Ce numéro SIRET n'existe pas (clé de contrôle fausse)" in text
    assert "Cochez la case pour que nous puissions traiter l'inscription." in text
    assert "Saisissez une adresse électronique valide" in text
    assert 'value="Claire Martin"' in response.content.decode()
    assert Registration.objects.count() == 0
    unknown = client.post(url, _form(siret="73282932000025"))
    assert "Nous ne trouvons pas d'établissement avec ce SIRET" in _words(unknown)


def test_a_second_registration_of_the_company_is_refused_in_french(client, pavilion, siret):
    url = f"/actions-collectives/{pavilion.slug}/inscription/"
    client.post(url, _form())
    again = client.post(url, _form(contact_email="autre@example.fr"))
    assert again.status_code == 200
    assert "Fromagerie de Bourgogne est déjà inscrite à cette action" in _words(again)
    assert Registration.objects.count() == 1


def test_robots_filling_the_honeypot_get_the_same_answer_and_nothing_is_saved(
    client, pavilion, siret
):
    response = client.post(
        f"/actions-collectives/{pavilion.slug}/inscription/", _form(website="http://spam")
    )
    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_closed_or_unpublished_actions(client, reference, org_a):
    past = make_action(org_a, slug="sial-2025", year=2025)
    assert "Inscriptions closes" in _words(
        client.get("/actions-collectives/sial-2025/inscription/")
    )
    assert client.post("/actions-collectives/sial-2025/inscription/", _form()).status_code == 200
    assert not past.registrations.exists()
    make_action(org_a, slug="brouillon", year=2030, status="draft")
    assert client.get("/actions-collectives/brouillon/inscription/").status_code == 404


# --- the signed link ------------------------------------------------------------------------


def test_a_tampered_or_revoked_link_opens_nothing(client, pavilion, companies, org_a):
    registration = register(pavilion, companies[0], org_a)
    token = registration_token(registration)
    assert client.get(f"/actions-collectives/mon-inscription/{token}/").status_code == 200
    assert client.get(f"/actions-collectives/mon-inscription/{token[:-2]}xx/").status_code == 404
    registration.access_nonce = "f" * 32
    registration.save(update_fields=["access_nonce"])
    assert client.get(f"/actions-collectives/mon-inscription/{token}/").status_code == 404


def test_the_company_cancels_through_its_link_and_the_waiting_list_moves_up(
    client, pavilion, companies, org_a
):
    holders = [register(pavilion, c, org_a) for c in companies]
    for registration in holders:
        services.registration_select(registration=registration)
    first, _second, third = (Registration.objects.get(pk=r.pk) for r in holders)
    assert third.status == "waiting"
    token = registration_token(first)
    response = client.post(
        f"/actions-collectives/mon-inscription/{token}/annuler/", {"reason": "Empêchement"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Votre inscription est annulée" in _words(page)
    assert Registration.objects.get(pk=first.pk).status == "cancelled"
    promoted = Registration.objects.get(pk=third.pk)
    assert (promoted.status, promoted.waiting_rank) == ("selected", None)
    assert first.events.filter(title="Annulée par l'entreprise").exists()


def test_an_interested_company_confirms_its_application_through_its_link(
    client, pavilion, companies, org_a
):
    registration = register(pavilion, companies[0], org_a, interested=True)
    token = registration_token(registration)
    assert "Confirmer ma candidature" in _words(
        client.get(f"/actions-collectives/mon-inscription/{token}/")
    )
    client.post(f"/actions-collectives/mon-inscription/{token}/candidature/")
    assert Registration.objects.get(pk=registration.pk).status == "applied"


# --- members' pages: who may do what --------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("manager_org_a", 200), ("advisor_b", 403), ("readonly_a", 403), (None, 302)],
)
def test_the_selection_page_is_for_the_organisers_managers(
    request, client_for, pavilion, who, expected
):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(f"/actions-collectives/gestion/{pavilion.slug}/selection/")
    assert response.status_code == expected


def test_selecting_in_bulk_fills_the_places_then_the_waiting_list(
    client_for, manager_org_a, pavilion, companies, org_a
):
    regs = [register(pavilion, c, org_a) for c in companies]
    client = client_for(manager_org_a)
    page = client.get(f"/actions-collectives/gestion/{pavilion.slug}/selection/")
    assert "2 libres" in _words(page)
    response = client.post(
        f"/actions-collectives/gestion/{pavilion.slug}/selection/",
        {"registrations": [r.pk for r in regs], "decision": "select", "reason": ""},
        follow=True,
    )
    assert "Décision enregistrée : 2 retenue(s), 1 sur liste d'attente." in _words(response)
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["selected", "selected", "waiting"]


def test_turning_down_needs_a_reason(client_for, manager_org_a, pavilion, companies, org_a):
    registration = register(pavilion, companies[0], org_a)
    client = client_for(manager_org_a)
    url = f"/actions-collectives/gestion/{pavilion.slug}/selection/"
    response = client.post(url, {"registrations": [registration.pk], "decision": "not_select"})
    assert "Indiquez pourquoi ces entreprises ne sont pas retenues." in _words(response)
    client.post(
        url,
        {"registrations": [registration.pk], "decision": "not_select", "reason": "Hors filière"},
    )
    registration.refresh_from_db()
    assert (registration.status, registration.not_selected_reason) == (
        "not_selected",
        "Hors filière",
    )


def test_confirmation_page_shows_the_subsidy_and_writes_the_ledger(
    client_for, manager_org_a, pavilion, companies, org_a
):
    registration = services.registration_select(
        registration=register(pavilion, companies[0], org_a)
    )
    client = client_for(manager_org_a)
    url = f"/actions-collectives/inscriptions/{registration.pk}/confirmer/"
    page = _words(client.get(url)).replace("\u202f", " ")
    assert "Prise en charge publique 4 000 €" in page
    assert "RGEC art. 19" in page
    response = client.post(url)
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    assert StateAidGrant.objects.get().amount == Decimal("4000.00")
    assert client_for(None).post(url).status_code == 302  # anonymous: to the login page


def test_confirmation_refused_without_de_minimis_headroom_shows_the_figures(
    client_for, manager_org_a, reference, org_a, companies
):
    mission = make_action(
        org_a,
        slug="mission-japon",
        year=timezone.localdate().year + 1,
        series="",
        kind="mission",
        regime="de_minimis",
    )
    state_aid_grant_record(
        company=companies[0],
        granted_on=timezone.localdate() - timezone.timedelta(days=200),
        amount=Decimal("299000"),
        regulation="de_minimis",
        granting_body="Autre financeur",
        source="declared",
        description="Aide reçue ailleurs",
    )
    registration = services.registration_select(registration=register(mission, companies[0], org_a))
    client = client_for(manager_org_a)
    url = f"/actions-collectives/inscriptions/{registration.pk}/confirmer/"
    page = _words(client.get(url)).replace("\u202f", " ")
    assert "Aides de minimis reçues sur trois ans 299 000 € sur 300 000 €" in page
    assert "Marge restante 1 000 €" in page
    response = client.post(url)
    assert response.status_code == 422
    text = _words(response).replace("\u202f", " ")
    assert "La participation ne peut pas être confirmée" in text
    assert "4 000 € demandés" in text
    assert "il reste 1 000 €" in text
    assert Registration.objects.get(pk=registration.pk).status == "selected"
    assert not StateAidGrant.objects.filter(source="collective").exists()


def test_an_advisor_of_another_organisation_cannot_confirm_nor_see_the_details(
    client_for, advisor_b, pavilion, companies, org_a
):
    registration = services.registration_select(
        registration=register(pavilion, companies[0], org_a)
    )
    client = client_for(advisor_b)
    base = f"/actions-collectives/inscriptions/{registration.pk}/"
    # The page the company timeline links to: the state only, no contact, no preparation.
    summary = client.get(base)
    assert summary.status_code == 200
    text = summary.content.decode()
    assert "Retenue" in text
    assert "réservé à l'organisateur de l'action" in text
    assert registration.contact_email not in text
    assert "Confirmer la participation" not in text
    assert client.post(base + "confirmer/").status_code == 403
    assert client.post(base + "annuler/", {"reason": "x"}).status_code == 403
    assert client.post(base + "preparation/", {"item": 1, "done": "1"}).status_code == 403


def test_the_registration_page_audits_the_contact_and_ticks_the_checklist(
    client_for, manager_org_a, pavilion, companies, org_a
):
    registration = services.registration_select(
        registration=register(pavilion, companies[0], org_a)
    )
    client = client_for(manager_org_a)
    url = f"/actions-collectives/inscriptions/{registration.pk}/"
    text = _words(client.get(url))
    assert "Claire Martin" in text
    assert "Contacts cibles identifiés" in text
    assert AuditEvent.objects.filter(
        action="view", object_type="collective.Registration", object_id=str(registration.pk)
    ).exists()
    item = pavilion.checklist.get(label="Supports traduits")
    response = client.post(url + "preparation/", {"item": item.pk, "done": "1"})
    assert response["Location"].endswith("#preparation")
    assert ChecklistTick.objects.get().item == item
    assert "Supports traduits — fait le" in _words(client.get(url))


def test_a_read_only_member_sees_the_registration_but_cannot_tick(
    client_for, readonly_a, pavilion, companies, org_a
):
    registration = services.registration_select(
        registration=register(pavilion, companies[0], org_a)
    )
    client = client_for(readonly_a)
    url = f"/actions-collectives/inscriptions/{registration.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Cocher" not in _words(page)
    item = pavilion.checklist.first()
    assert client.post(url + "preparation/", {"item": item.pk, "done": "1"}).status_code == 403
    assert ChecklistTick.objects.count() == 0


def test_cancel_page_shows_the_rules_and_promotes_the_waiting_list(
    client_for, manager_org_a, pavilion, companies, org_a
):
    regs = [register(pavilion, c, org_a) for c in companies]
    for registration in regs:
        services.registration_select(registration=registration)
    services.registration_confirm(registration=regs[0], today=timezone.localdate())
    client = client_for(manager_org_a)
    url = f"/actions-collectives/inscriptions/{regs[0].pk}/annuler/"
    page = _words(client.get(url)).replace("\u202f", " ")
    assert "Annulation sans frais jusqu'au" in page
    assert "4 000 €) sera retirée du registre des aides d'État" in page
    client.post(url, {"reason": "Salon reporté", "fee_waived": "on"})
    cancelled = Registration.objects.get(pk=regs[0].pk)
    assert (cancelled.status, cancelled.fee_kept) == ("cancelled", False)
    assert StateAidGrant.objects.get().cancelled_at is not None
    assert Registration.objects.get(pk=regs[2].pk).status == "selected"


def test_attendance_for_every_confirmed_participant(
    client_for, manager_org_a, pavilion, companies, org_a
):
    regs = [register(pavilion, c, org_a) for c in companies[:2]]
    for registration in regs:
        services.registration_select(registration=registration)
        services.registration_confirm(registration=registration, today=timezone.localdate())
    client = client_for(manager_org_a)
    url = f"/actions-collectives/gestion/{pavilion.slug}/presence/"
    assert "Fromagerie de Bourgogne" in _words(client.get(url))
    response = client.post(url, {f"r{regs[0].pk}": "attended", f"r{regs[1].pk}": "no_show"})
    assert response.status_code == 302
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == ["attended", "no_show"]
    assert "1 présente(s), 1 absente(s)" in _words(client.get(response["Location"]))


def test_an_advisor_registers_a_company_followed_by_its_organisation(
    client_for, advisor_b, pavilion, companies
):
    client = client_for(advisor_b)
    url = f"/actions-collectives/gestion/{pavilion.slug}/inscrire-une-entreprise/"
    response = client.post(
        url,
        {
            "siren": "732 829 320",
            "contact_name": "Jean Dupont",
            "contact_email": "jean@moutarderie.example.fr",
            "advisor": advisor_b.pk,
        },
    )
    registration = Registration.objects.get()
    assert response["Location"] == f"/actions-collectives/inscriptions/{registration.pk}/"
    assert (registration.company, registration.organisation, registration.advisor) == (
        companies[1],
        advisor_b.organisation,
        advisor_b,
    )
    assert client.get(response["Location"]).status_code == 200  # its organisation follows it
    unknown = client.post(
        url, {"siren": "123456782", "contact_name": "X", "contact_email": "x@example.fr"}
    )
    assert "Aucune entreprise de SIREN 123456782 dans le fichier." in _words(unknown)


def test_the_export_lists_the_registrations_with_their_contacts(
    client_for, manager_org_a, advisor_b, pavilion, companies, org_a
):
    register(pavilion, companies[0], org_a)
    url = f"/actions-collectives/gestion/{pavilion.slug}/inscriptions/export/"
    assert client_for(advisor_b).get(url).status_code == 403
    response = client_for(manager_org_a).get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("SIREN", "Entreprise", "État")
    assert rows[1][:3] == ("552100554", "Fromagerie de Bourgogne", "Candidate")
    assert "Claire Martin" in rows[1]
    assert AuditEvent.objects.filter(action="export").exists()


def test_the_action_page_and_the_company_file_show_the_registrations(
    client_for, manager_org_a, advisor_b, pavilion, companies, org_a
):
    regs = [register(pavilion, c, org_a) for c in companies]
    for registration in regs:
        services.registration_select(registration=registration)
    action_page = _words(
        client_for(manager_org_a).get(f"/actions-collectives/gestion/{pavilion.slug}/")
    )
    assert "2 places prises sur 2 — 0 libre, 1 sur liste d'attente." in action_page
    assert "Liste d'attente — rang 1" in action_page
    section = _section(client_for(advisor_b).get(f"/entreprises/{companies[0].siren}/"))
    text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(section)).split())
    assert "Actions collectives" in text
    assert "SIAL Paris — pavillon Bourgogne-Franche-Comté" in text
    assert "Retenue" in text
    # Org B neither organises nor follows: the name and state, not the registration's page.
    link = f"/actions-collectives/inscriptions/{regs[0].pk}/"
    assert link not in section
    assert link in _section(client_for(manager_org_a).get(f"/entreprises/{companies[0].siren}/"))


def _section(response) -> str:
    page = response.content.decode()
    start = page.index('id="actions-collectives"')
    return page[start : page.index("</section>", start)]


def test_the_dates_are_fixed_for_the_fee_rule():
    action = type("A", (), {"free_cancellation_until": date(2026, 8, 31)})()
    assert services.fee_kept_on(action, date(2026, 9, 1))
    assert not services.fee_kept_on(action, date(2026, 8, 31))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("advisor_b", 200), ("manager_org_a", 200), ("readonly_a", 403), (None, 302)],
)
def test_who_may_register_a_company(request, client_for, pavilion, who, expected):
    user = request.getfixturevalue(who) if who else None
    url = f"/actions-collectives/gestion/{pavilion.slug}/inscrire-une-entreprise/?siren=732829320"
    response = client_for(user).get(url)
    assert response.status_code == expected
    if expected == 200:
        assert 'value="732829320"' in response.content.decode()
        assert "Conseiller qui prépare l'entreprise" in _words(response)


def test_a_company_followed_by_an_advisor_is_registered_for_its_organisation(
    client, pavilion, companies, siret, advisor_b, django_capture_on_commit_callbacks
):
    from guichet.journeys.models import Journey

    Journey.objects.create(
        company=companies[0], lead_advisor=advisor_b, organisation=advisor_b.organisation
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/actions-collectives/{pavilion.slug}/inscription/", _form())
    registration = Registration.objects.get()
    assert (registration.organisation, registration.advisor) == (advisor_b.organisation, advisor_b)
    to_advisor = [m for m in mail.outbox if m.to == [advisor_b.email]]
    assert [m.subject for m in to_advisor] == [
        f"Fromagerie de Bourgogne s'inscrit à « {pavilion.title} »"
    ]
    assert f"/actions-collectives/inscriptions/{registration.pk}/" in to_advisor[0].body
