"""The partner inbox: who sees what, colours by delay, filters, exports, bulk actions and the
number of queries of the page."""

import csv
import io
from datetime import date
from html import unescape

import pytest
from django.core import mail
from openpyxl import load_workbook

from guichet.desk import selectors
from guichet.desk.models import Match, MatchStatus
from guichet.desk.services import match_answer
from tests.companies.conftest import make_company
from tests.conftest import make_user
from tests.desk.conftest import submit

INBOX = "/guichet/"
BULK = "/guichet/actions-groupees/"


@pytest.fixture
def today(monkeypatch):
    """Freeze the inbox's "today": today(date(2026, 3, 9))."""

    def freeze(day: date) -> None:
        monkeypatch.setattr(selectors, "today", lambda: day)

    freeze(date(2026, 3, 9))
    return freeze


def need_for(name: str, *, when: str = "2026-03-02", subjects=("clients-etranger",), **data):
    """A need of its own requester (no duplicate attachment between tests' needs)."""
    slug = name.lower().replace(" ", "-")
    return submit(
        subjects, when=when, company_name=name, contact_email=f"{slug}@entreprise.example", **data
    ).need


def page(client, **params) -> str:
    response = client.get(INBOX, params)
    assert response.status_code == 200
    return unescape(response.content.decode())


# --- Who sees what ------------------------------------------------------------------------


def test_inbox_lists_the_matches_of_my_organisation_only(
    client_for, desk, advisor_a, advisor_b, admin_user, today
):
    need = need_for("Fromagerie Test")
    html_b = page(client_for(advisor_b))
    assert f">{need.reference}</a>" in html_b
    assert "Les demandes orientées vers CCI Test" in html_b
    assert "1 demande" in html_b
    html_a = page(client_for(advisor_a))
    assert need.reference not in html_a
    assert "Aucune demande n'attend de réponse : tout est traité." in html_a
    html_admin = page(client_for(admin_user))
    assert need.reference in html_admin
    assert "toutes les organisations partenaires" in html_admin
    assert "<td>CCI Test</td>" in html_admin


def test_administrator_filters_by_organisation(client_for, desk, admin_user, today):
    cci = need_for("Fromagerie Test")
    bpi = need_for("Scierie Test", subjects=("financer-prospection",))
    client = client_for(admin_user)
    html = page(client, organisation="bpi-test")
    assert bpi.reference in html
    assert cci.reference not in html
    html = page(client, organisation="cci-test")
    assert cci.reference in html
    assert bpi.reference not in html


def test_organisation_filter_is_not_offered_to_partners(client_for, desk, advisor_b, today):
    need = need_for("Fromagerie Test")
    html = page(client_for(advisor_b), organisation="bpi-test")
    assert 'name="organisation"' not in html
    assert need.reference in html


@pytest.mark.parametrize("who", ["readonly", "anonymous"])
def test_readonly_member_and_anonymous_are_kept_out(client_for, desk, readonly_a, who):
    need_for("Fromagerie Test")
    client = client_for(readonly_a if who == "readonly" else None)
    response = client.get(INBOX)
    if who == "readonly":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")


# --- Row contents and colours ---------------------------------------------------------------


def test_row_shows_company_link_subjects_departement_and_statuses(
    client_for, desk, advisor_b, reference, today
):
    company = make_company("552100554", "Fromagerie Dijonnaise")
    known = submit(
        when="2026-03-02",
        siret="55210055400012",
        company_name="",
        contact_email="a@dijonnaise.example",
    ).need
    unknown = need_for("Atelier Inconnu", when="2026-03-03")
    html = page(client_for(advisor_b))
    assert f'<a href="/entreprises/{company.siren}/">Fromagerie Dijonnaise</a>' in html
    assert known.company == company
    row = html[html.index(unknown.reference) :]
    assert "Atelier Inconnu" in row
    assert "Hors registre" in row
    assert "<td>Trouver des clients à l'étranger</td>" in row
    assert "Côte-d'Or (21)" in row
    assert "En attente de réponse</p>" in row
    assert "Demande : En attente de prise en charge" in row
    assert "Personne" in row
    # Newest first.
    assert html.index(unknown.reference) < html.index(known.reference)


@pytest.mark.parametrize(
    ("day", "badge"),
    [
        (date(2026, 3, 2), 'fr-badge--success">0 jour ouvré — dans les délais'),
        (date(2026, 3, 9), 'fr-badge--success">5 jours ouvrés — dans les délais'),
        (date(2026, 3, 10), 'fr-badge--warning">6 jours ouvrés — délai dépassé'),
        (date(2026, 3, 13), 'fr-badge--warning">9 jours ouvrés — délai dépassé'),
        (date(2026, 3, 16), 'fr-badge--error">10 jours ouvrés — en retard'),
    ],
)
def test_age_is_coloured_and_labelled_by_delay(client_for, desk, advisor_b, today, day, badge):
    need_for("Fromagerie Test", when="2026-03-02")  # a Monday
    today(day)
    assert badge in page(client_for(advisor_b))


def test_taken_match_is_aged_without_delay_colour(client_for, desk, advisor_b, today):
    need = need_for("Fromagerie Test", when="2026-03-02")
    match_answer(match=need.matches.get(), user=advisor_b, status=MatchStatus.TAKEN)
    today(date(2026, 3, 16))
    html = page(client_for(advisor_b))
    assert "Prise en charge</p>" in html
    assert "10 jours ouvrés" in html
    assert "en retard" not in html


# --- Filters --------------------------------------------------------------------------------


@pytest.fixture
def spread(desk, advisor_b, org_b, reference):
    """Needs routed to CCI Test at different dates, one taken by advisor_b, one closed."""
    old = need_for("Vieille Maison", when="2026-01-05")
    late = need_for("Retard Industrie", when="2026-02-23")
    fresh = need_for("Jeune Pousse", when="2026-03-06")
    mine = need_for("Ma Cliente", when="2026-03-05")
    match_answer(match=mine.matches.get(), user=advisor_b, status=MatchStatus.TAKEN)
    closed = need_for("Dossier Clos", when="2026-03-04")
    match = closed.matches.get()
    match_answer(match=match, user=advisor_b, status=MatchStatus.DONE)
    doubs = need_for("Horlogerie Doubs", when="2026-03-06", postal_code="25000")
    # Doubs has no rule for this subject: it goes to the fallback organisation; route it here.
    Match.objects.filter(need=doubs).update(organisation=org_b)
    return {
        "old": old,
        "late": late,
        "fresh": fresh,
        "mine": mine,
        "closed": closed,
        "doubs": doubs,
    }


def _shown(html: str, spread: dict) -> set[str]:
    return {key for key, need in spread.items() if need.reference in html}


def test_default_status_is_to_process(client_for, advisor_b, spread, today):
    html = page(client_for(advisor_b))
    assert _shown(html, spread) == {"old", "late", "fresh", "mine", "doubs"}
    assert "5 demandes" in html


def test_status_filter(client_for, advisor_b, spread, today):
    client = client_for(advisor_b)
    assert _shown(page(client, status="all"), spread) == set(spread)
    done = page(client, status="done")
    assert _shown(done, spread) == {"closed"}
    assert "jours ouvrés jusqu'à la clôture" in done
    assert _shown(page(client, status="taken"), spread) == {"mine"}
    assert _shown(page(client, status="pending"), spread) == {"old", "late", "fresh", "doubs"}


def test_age_filter_counts_working_days(client_for, advisor_b, spread, today):
    client = client_for(advisor_b)
    # Today is Monday 9 March 2026: 5 Jan is 45 working days old, 23 Feb 10, 5-6 March 1-2.
    assert _shown(page(client, age="recent"), spread) == {"fresh", "mine", "doubs"}
    assert _shown(page(client, age="late"), spread) == {"old", "late"}
    assert _shown(page(client, age="overdue"), spread) == {"late"}
    assert _shown(page(client, age="old"), spread) == {"old"}
    assert _shown(page(client, age="escalation"), spread) == set()


def test_subject_departement_mine_and_search_filters(client_for, advisor_b, spread, today):
    client = client_for(advisor_b)
    assert _shown(page(client, departement="25"), spread) == {"doubs"}
    assert _shown(page(client, mine="on"), spread) == {"mine"}
    assert _shown(page(client, q="pousse"), spread) == {"fresh"}
    assert _shown(page(client, q=spread["late"].reference), spread) == {"late"}
    assert _shown(page(client, subject="clients-etranger"), spread) == {
        "old", "late", "fresh", "mine", "doubs",
    }  # fmt: skip
    assert _shown(page(client, subject="financer-prospection"), spread) == set()


def test_filtered_empty_state_says_what_to_do(client_for, advisor_b, spread, today):
    html = page(client_for(advisor_b), q="introuvable")
    assert "Aucune demande ne correspond à ces filtres." in html
    assert "Revenir aux demandes à traiter" in html


def test_a_wrong_filter_value_is_reported_and_ignored(client_for, advisor_b, spread, today):
    html = page(client_for(advisor_b), age="forever")
    assert "Un filtre contient une erreur" in html
    assert "Ancienneté inconnue : « forever »." in html
    assert _shown(html, spread) == {"old", "late", "fresh", "mine", "doubs"}


def test_pages_of_25(client_for, desk, advisor_b, today):
    needs = [need_for(f"Entreprise {n:02d}") for n in range(27)]
    client = client_for(advisor_b)
    first = page(client)
    assert "27 demandes" in first
    assert needs[-1].reference in first
    assert needs[1].reference not in first
    second = page(client, page=2)
    assert needs[0].reference in second
    assert needs[1].reference in second


# --- Exports --------------------------------------------------------------------------------


def test_csv_export_of_the_filtered_list_has_no_contact_details(
    client_for, advisor_b, spread, today
):
    response = client_for(advisor_b).get(INBOX, {"format": "csv", "status": "pending"})
    assert response["Content-Disposition"].startswith('attachment; filename="guichet-demandes-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Référence", "Reçue le", "Orientée le", "Entreprise", "SIRET", "Sujets", "Département",
        "Organisation", "État de l'orientation", "État de la demande", "Suivie par",
        "Âge (jours ouvrés)",
    ]  # fmt: skip
    assert len(rows) == 5
    old = next(row for row in rows if row[0] == spread["old"].reference)
    assert old[1:5] == ["2026-01-05", "2026-01-05", "Vieille Maison", ""]
    assert old[6:] == [
        "21 — Côte-d'Or", "CCI Test", "En attente de réponse", "En attente de prise en charge",
        "", "45",
    ]  # fmt: skip
    assert "@" not in text
    assert "Jeanne" not in text
    assert "03 80 11 22 33" not in text


def test_xlsx_export(client_for, advisor_b, spread, today):
    response = client_for(advisor_b).get(INBOX, {"format": "xlsx", "mine": "on"})
    sheet = load_workbook(io.BytesIO(response.content))["Demandes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == spread["mine"].reference
    assert rows[1][3] == "Ma Cliente"
    assert rows[1][8:11] == ("Prise en charge", "Prise en charge", "Bruno Autre")


# --- Bulk actions -----------------------------------------------------------------------------


def test_bulk_take_in_charge_mails_the_companies(client_for, desk, advisor_b, today):
    first, second = need_for("Première Entreprise"), need_for("Seconde Entreprise")
    mail.outbox.clear()
    response = client_for(advisor_b).post(
        BULK,
        {
            "action": "take",
            "matches": [first.matches.get().pk, second.matches.get().pk],
            "query": "status=open&q=entreprise",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/guichet/?status=open&q=entreprise", 302)]
    html = unescape(response.content.decode())
    assert "2 demandes prises en charge." in html
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Votre demande {n.reference} est prise en charge" for n in (first, second)
    )
    for need in (first, second):
        match = need.matches.get()
        assert (match.status, match.assignee) == (MatchStatus.TAKEN, advisor_b)


def test_bulk_reports_each_refusal_and_does_the_rest(client_for, desk, advisor_b, today):
    needs = [need_for(f"Entreprise {n}") for n in range(4)]
    taken = needs[0].matches.get()
    match_answer(match=taken, user=advisor_b, status=MatchStatus.TAKEN)
    response = client_for(advisor_b).post(
        BULK,
        {"action": "take", "matches": [n.matches.get().pk for n in needs]},
        follow=True,
    )
    html = unescape(response.content.decode())
    assert (
        f"3 demandes prises en charge, 1 refusée : {needs[0].reference} — "
        "La demande est déjà prise en charge." in html
    )
    assert "fr-alert--warning" in html
    assert Match.objects.filter(status=MatchStatus.TAKEN).count() == 4


def test_bulk_cannot_reach_another_organisation_match(client_for, desk, advisor_a, today):
    need = need_for("Fromagerie Test")
    response = client_for(advisor_a).post(
        BULK, {"action": "take", "matches": [need.matches.get().pk]}, follow=True
    )
    html = unescape(response.content.decode())
    assert "Une des demandes cochées n'est plus dans votre boîte." in html
    assert need.matches.get().status == MatchStatus.PENDING


def test_bulk_without_selection_says_so(client_for, desk, advisor_b, today):
    response = client_for(advisor_b).post(BULK, {"action": "take"}, follow=True)
    assert "Cochez au moins une demande dans la liste." in unescape(response.content.decode())


def test_bulk_assign_to_a_colleague(client_for, desk, advisor_b, expert_b, advisor_a, today):
    needs = [need_for("Une Entreprise"), need_for("Autre Entreprise")]
    client = client_for(advisor_b)
    html = page(client)
    assert f'<option value="{expert_b.pk}">Eve Expert</option>' in html
    response = client.post(
        BULK,
        {
            "action": "assign",
            "assignee": expert_b.pk,
            "matches": [n.matches.get().pk for n in needs],
        },
        follow=True,
    )
    assert "2 demandes confiées à Eve Expert." in unescape(response.content.decode())
    assert {n.matches.get().assignee for n in needs} == {expert_b}
    refused = client.post(
        BULK,
        {"action": "assign", "assignee": advisor_a.pk, "matches": [needs[0].matches.get().pk]},
        follow=True,
    )
    assert "Choisissez un membre de votre organisation." in unescape(refused.content.decode())
    missing = client.post(
        BULK, {"action": "assign", "matches": [needs[0].matches.get().pk]}, follow=True
    )
    html = unescape(missing.content.decode())
    assert "Choisissez le collègue à qui confier les demandes." in html


def test_bulk_is_post_only_and_needs_the_inbox(client_for, desk, advisor_b, readonly_a):
    assert client_for(advisor_b).get(BULK).status_code == 405
    assert client_for(readonly_a).post(BULK, {"action": "take"}).status_code == 403


# --- Queries ----------------------------------------------------------------------------------


def test_query_count_is_bounded(client_for, desk, advisor_b, org_b, django_assert_max_num_queries):
    colleague = make_user("zoe.collegue@test.example", org_b, ["advisor"])
    for number in range(30):
        need = need_for(f"Entreprise {number:02d}", when=f"2026-02-{(number % 27) + 1:02d}")
        if number % 3 == 0:
            match_answer(match=need.matches.get(), user=colleague, status=MatchStatus.TAKEN)
    client = client_for(advisor_b)
    with django_assert_max_num_queries(20):
        response = client.get(INBOX, {"status": "all"})
    assert "30 demandes" in response.content.decode()


# --- Home panel -------------------------------------------------------------------------------


def test_home_panel_counts_and_links_into_the_inbox(client_for, desk, advisor_b, today):
    need_for("Vieille Maison", when="2026-02-23")  # 10 working days on 9 March: overdue
    need_for("Jeune Pousse", when="2026-03-06")
    mine = need_for("Ma Cliente", when="2026-03-05")
    match_answer(match=mine.matches.get(), user=advisor_b, status=MatchStatus.TAKEN)
    html = unescape(client_for(advisor_b).get("/").content.decode())
    panel = html[html.index('id="panel-inbox"') :]
    assert "Demandes en attente de réponse de CCI Test :" in panel
    assert '<a class="fr-btn fr-icon-inbox-line" href="/guichet/?status=pending">' in panel
    assert "2 demandes en attente" in panel
    assert 'href="/guichet/?status=pending&age=late">' in panel
    assert "dont 1 hors délai (plus de 5 jours ouvrés)" in panel
    assert 'href="/guichet/?mine=on">' in panel
    assert "1 demande en cours m'est confiée" in panel
    overdue = page(client_for(advisor_b), status="pending", age="late")
    assert "Vieille Maison" in overdue
    assert "Jeune Pousse" not in overdue


def test_home_panel_empty_state(client_for, desk, advisor_a):
    html = unescape(client_for(advisor_a).get("/").content.decode())
    panel = html[html.index('id="panel-inbox"') :]
    assert "Aucune demande n'attend de réponse." in panel


def test_home_panel_is_for_inbox_users_only(client_for, desk, readonly_a):
    from guichet.desk.panels import inbox_panel

    assert inbox_panel(readonly_a) is None
    html = client_for(readonly_a).get("/").content.decode()
    assert 'id="panel-inbox"' not in html


def test_inbox_links_to_figures_and_routing_for_those_allowed(
    client_for, desk, admin_user, advisor_b
):
    admin_page = client_for(admin_user).get("/guichet/").content.decode()
    assert 'href="/guichet/chiffres/"' in admin_page
    assert 'href="/guichet/regles/"' in admin_page
    advisor_page = client_for(advisor_b).get("/guichet/").content.decode()
    assert 'href="/guichet/regles/"' not in advisor_page
    assert 'href="/guichet/chiffres/"' not in advisor_page
