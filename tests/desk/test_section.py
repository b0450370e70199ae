"""The desk's section of the company file: the company's needs, their status and partners."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from guichet.core.models import AuditEvent
from guichet.desk import permissions
from guichet.desk.sections import _company_needs, _viewable, needs_section
from guichet.desk.services import need_flag_spam
from tests.companies.conftest import make_company
from tests.companies.fixtures.sirene import siren, siret
from tests.desk.conftest import submit

URL = "/entreprises/{}/"


@pytest.fixture
def company(reference):
    number = siren(21000040)
    return make_company(number, "FROMAGERIE DU SECTEUR", nic=siret(number)[9:])


@pytest.fixture
def needs(desk, company):
    """Two needs of the company: one routed to the CCI (org B), one to Bpifrance."""
    for_cci = submit(("clients-etranger",), siret=company.headquarters_siret).need
    for_bpi = submit(
        ("financer-prospection",),
        siret=company.headquarters_siret,
        when="2026-03-04",
        contact_first_name="Paul",
        contact_last_name="Durand",
    ).need
    return {"cci": for_cci, "bpi": for_bpi}


def section_html(client, company) -> str:
    response = client.get(URL.format(company.siren))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    found = re.search(r'<section aria-labelledby="demandes-guichet-titre".*?</section>', html, re.S)
    assert found, "the desk section is on the company file"
    return found.group(0)


def test_partner_sees_its_needs_in_full_and_the_others_without_contact(
    client_for, advisor_b, company, needs
):
    html = section_html(client_for(advisor_b), company)
    cci, bpi = needs["cci"], needs["bpi"]
    assert '<h2 id="demandes-guichet-titre">Demandes au guichet</h2>' in html
    assert "2 demandes" in html
    assert "dont 2 en cours" in html
    assert f'<a href="/guichet/demandes/{cci.reference}/">{cci.reference}</a>' in html
    assert f'href="/guichet/demandes/{bpi.reference}/"' not in html
    assert bpi.reference in html
    assert "Jeanne Martin" in html
    assert "Paul Durand" not in html
    assert "Réservé aux partenaires de la demande" in html
    assert "Trouver des clients à l'étranger" in html
    assert "Financer la prospection" in html
    assert "CCI Test" in html
    assert "Bpifrance Test" in html
    assert html.count("En attente de prise en charge") == 2
    assert "fr-badge--warning" in html
    assert "02/03/2026" in html
    assert "04/03/2026" in html
    # Most recent first.
    assert html.index(bpi.reference) < html.index(cci.reference)
    assert f'href="/entreprises/{company.siren}/demandes/nouvelle/"' in html


def test_displayed_contacts_are_written_to_the_audit_log(client_for, advisor_b, company, needs):
    section_html(client_for(advisor_b), company)
    viewed = set(
        AuditEvent.objects.filter(action="view", object_type="desk.Need").values_list(
            "object_id", flat=True
        )
    )
    assert viewed == {str(needs["cci"].pk)}


def test_administrator_opens_every_need(client_for, admin_user, company, needs):
    html = section_html(client_for(admin_user), company)
    for need in needs.values():
        assert f'<a href="/guichet/demandes/{need.reference}/">' in html
    assert "Paul Durand" in html


def test_read_only_member_sees_the_list_but_no_contact_and_no_button(
    client_for, readonly_a, company, needs
):
    html = section_html(client_for(readonly_a), company)
    assert needs["cci"].reference in html
    assert '<a href="/guichet/demandes/' not in html
    assert "Jeanne Martin" not in html
    assert "Enregistrer une demande" not in html


def test_empty_state_tells_what_to_do(client_for, advisor_a, company):
    html = section_html(client_for(advisor_a), company)
    assert "Aucune demande au guichet pour cette entreprise." in html
    assert "Enregistrez-le avec « Enregistrer une demande »" in html
    assert f'href="/entreprises/{company.siren}/demandes/nouvelle/"' in html


def test_spam_is_not_listed(client_for, advisor_b, admin_user, company, needs):
    need_flag_spam(need=needs["bpi"], by=admin_user, reason="Essai")
    html = section_html(client_for(advisor_b), company)
    assert needs["bpi"].reference not in html
    assert re.search(r"\b1 demande\s", html)


def test_attached_need_shows_the_open_one(client_for, advisor_b, company, needs):
    attached = submit(("clients-etranger",), siret=company.headquarters_siret, when="2026-03-05")
    html = section_html(client_for(advisor_b), company)
    assert attached.need.reference in html
    assert "Rattachée à une demande en cours" in html
    assert f"à {needs['cci'].reference}" in html
    # The partners of the open need open the attached one too (as its page allows).
    assert f'<a href="/guichet/demandes/{attached.need.reference}/">' in html


def test_hidden_from_those_who_cannot_view_the_company(company):
    request = RequestFactory().get("/")
    assert needs_section(company, AnonymousUser(), request) is None


def test_links_follow_the_need_permission(
    company, needs, admin_user, advisor_a, advisor_b, readonly_a, expert_b
):
    for user in (admin_user, advisor_a, advisor_b, readonly_a, expert_b):
        for need in _company_needs(company):
            assert _viewable(user, need) == permissions.can_view_need(user, need), (user, need)


def test_section_queries_do_not_grow_with_needs(advisor_a, company, desk):
    request = RequestFactory().get("/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            needs_section(company, advisor_a, request)
        return len(captured)

    submit(("clients-etranger",), siret=company.headquarters_siret)
    queries()  # warm caches (the user's roles)
    few = queries()
    for number in range(4):
        submit(
            ("financer-prospection",),
            siret=company.headquarters_siret,
            contact_email=f"p{number}@test.example",
            when=f"2026-03-{10 + number}",
        )
    assert queries() == few
