"""The ledger as users see it: the company-file section, the ledger page at a date, its
exports, declaring an aid received elsewhere, cancelling a line — with the fixed cast of
permission tests (advisor of org A, advisor of another organisation, read-only, anonymous)."""

import csv
import html
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guichet.stateaid.models import GrantSource, Regulation, StateAidGrant
from tests.stateaid.conftest import SIREN, add_line

pytestmark = pytest.mark.django_db

LEDGER = f"/entreprises/{SIREN}/aides-d-etat/"
DECLARE = f"/entreprises/{SIREN}/aides-d-etat/declarer/"
FILE = f"/entreprises/{SIREN}/"


def _text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\u00a0", " ")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def ledger(company, today):
    recent = add_line(company, today - timedelta(days=200), "120000", body="Région Test")
    add_line(
        company,
        today - timedelta(days=30),
        "8000",
        regulation=Regulation.GBER_19,
        body="Team France Export",
        description="Pavillon régional au Sial",
        source=GrantSource.COLLECTIVE,
    )
    add_line(
        company,
        today - timedelta(days=100),
        "5000",
        body="Région Test",
        description="Saisie en double",
        cancelled_at=timezone.now(),
        cancelled_reason="Saisie en double de l'aide au recrutement",
    )
    return recent


# --- company file section ---------------------------------------------------------------------


def test_the_company_file_shows_the_position_against_each_ceiling(client_for, advisor_a, ledger):
    page = _text(client_for(advisor_a).get(FILE))
    assert "Aides d'État" in page
    assert "Plafond de minimis général :" in page
    assert "120 000 € comptés sur 300 000 € (40 %)" in page
    assert "reste 180 000 €" in page
    assert "De minimis agricole — règlement (UE) 2024/3118" in page
    # GBER shows because the company received one, without a three-year ceiling.
    assert "RGEC art. 19 — participation des PME aux foires" in page
    assert "Pas de plafond sur trois ans" in page
    assert "Pavillon régional au Sial" in page
    assert "n'est rattachée à aucune entreprise unique" in page
    assert f'href="{LEDGER}"' in page
    assert "Voir le registre" in page
    assert "Déclarer une aide reçue ailleurs" in page


def test_a_member_of_another_organisation_sees_the_ledger_but_read_only_members_do_not_declare(
    client_for, advisor_b, readonly_a, ledger
):
    other = _text(client_for(advisor_b).get(FILE))
    assert "120 000 € comptés sur 300 000 €" in other
    assert "Déclarer une aide reçue ailleurs" in other
    reader = _text(client_for(readonly_a).get(FILE))
    assert "120 000 € comptés sur 300 000 €" in reader
    assert "Déclarer une aide reçue ailleurs" not in reader
    assert client_for(readonly_a).get(LEDGER).status_code == 200


def test_an_empty_ledger_tells_what_to_do(client_for, advisor_a, company):
    page = _text(client_for(advisor_a).get(FILE))
    assert "Aucune aide d'État n'est enregistrée pour cette entreprise." in page
    assert "déclarez-les" in page
    assert "0 € comptés sur 300 000 € (0 %)" in page


def test_anonymous_visitors_are_sent_to_the_login_page(client_for, company):
    for url in (LEDGER, DECLARE):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert "/connexion/" in response["Location"] or "login" in response["Location"]


# --- ledger page at a date ----------------------------------------------------------------------


def test_the_position_at_a_date_explains_the_window(client_for, advisor_a, company):
    add_line(company, date(2023, 3, 15), "300000")
    page = _text(client_for(advisor_a).get(LEDGER, {"at": "2026-03-14"}))
    assert "Position au 14/03/2026" in page
    assert "du 15/03/2023 au 14/03/2026" in page
    assert "300 000 € comptés sur 300 000 € (100 %)" in page
    assert "dont 1 comptée au 14/03/2026" in page

    page = _text(client_for(advisor_a).get(LEDGER, {"at": "2026-03-15"}))
    assert "du 16/03/2023 au 15/03/2026" in page
    assert "0 € comptés sur 300 000 €" in page
    assert "aucune ne compte au 15/03/2026" in page


def test_a_wrong_date_is_explained_and_today_is_shown(client_for, advisor_a, company, today):
    response = client_for(advisor_a).get(LEDGER, {"at": "2026-02-30"})
    page = _text(response)
    assert response.status_code == 200
    assert "Date invalide" in page
    assert "la position est affichée à la date du jour" in page
    assert f"Position au {today:%d/%m/%Y}" in page
    assert 'value="2026-02-30"' in page  # what the user typed stays in the field


def test_cancelled_lines_stay_struck_through_with_their_reason(client_for, advisor_a, ledger):
    page = _text(client_for(advisor_a).get(LEDGER))
    assert "<s>5 000 €</s>" in page
    assert "Motif : Saisie en double de l'aide au recrutement" in page
    assert "3 aides enregistrées" in page
    assert "dont 2 comptées" in page
    # advisors do not cancel lines
    assert "/annuler/" not in page


def test_the_ledger_of_a_group_lists_every_member_line(client_for, advisor_a, company, sister):
    from guichet.stateaid import services

    add_line(sister, date.today() - timedelta(days=10), "42000", description="Salon à Dubaï")
    group = services.undertaking_group_create(name="Groupe Bourgogne", reason="Même holding")
    services.undertaking_link(group=group, company=company, reason="Filiale à 100 %")
    services.undertaking_link(group=group, company=sister, reason="Filiale à 100 %")
    page = _text(client_for(advisor_a).get(LEDGER))
    assert "« Groupe Bourgogne »" in page
    assert f'href="/aides-d-etat/entreprises-uniques/{group.pk}/"' in page
    assert "Moutarderie de Dijon" in page
    assert "Salon à Dubaï" in page
    assert "42 000 € comptés sur 300 000 €" in page


def test_the_ledger_exports_as_csv_and_xlsx(client_for, advisor_a, ledger, today):
    response = client_for(advisor_a).get(LEDGER, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["SIREN", "Entreprise", "Date d'octroi", "Montant (ESB, €)"]
    assert len(rows) == 4
    first = rows[1]
    assert first[0] == SIREN
    assert first[3] == "8000.00"
    assert first[4] == "RGEC art. 19 — participation des PME aux foires"
    assert first[8] == "oui"
    cancelled = next(row for row in rows[1:] if row[10])
    assert cancelled[8] == "non"
    assert cancelled[10] == "Saisie en double de l'aide au recrutement"

    response = client_for(advisor_a).get(LEDGER, {"format": "xlsx", "at": today.isoformat()})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "SIREN"
    assert len(values) == 4
    assert Decimal(str(values[1][3])) == Decimal("8000")


def test_the_ledger_page_query_count_does_not_grow_with_lines(
    client_for, advisor_a, company, django_assert_max_num_queries
):
    client = client_for(advisor_a)
    client.get(LEDGER)  # sessions, roles: warmed
    for day in range(3):
        add_line(company, date.today() - timedelta(days=day + 1), "1000")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LEDGER)
    for day in range(30):
        add_line(company, date.today() - timedelta(days=day + 10), "1000")
    with django_assert_max_num_queries(len(few)):
        client.get(LEDGER)


# --- declaring an aid received elsewhere --------------------------------------------------------


def _declaration(**overrides) -> dict:
    fields = {
        "granting_body": "Bpifrance",
        "granted_on": (date.today() - timedelta(days=400)).isoformat(),
        "amount": "25 000,50",
        "regulation": Regulation.DE_MINIMIS,
        "description": "Prêt d'honneur export",
    }
    fields.update(overrides)
    return fields


def test_an_advisor_declares_an_aid_received_elsewhere(client_for, advisor_b, company):
    client = client_for(advisor_b)
    page = _text(client.get(DECLARE))
    assert "Organisme qui a accordé l'aide" in page
    response = client.post(DECLARE, _declaration(), follow=True)
    assert response.redirect_chain[-1][0] == LEDGER
    grant = StateAidGrant.objects.get()
    assert grant.source == GrantSource.DECLARED
    assert grant.amount == Decimal("25000.50")
    assert grant.granting_body == "Bpifrance"
    assert grant.recorded_by == advisor_b
    assert "est ajoutée au registre de Fromagerie de Bourgogne" in _messages(response)[0]
    assert "Prêt d'honneur export" in _text(response)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "0"}, "amount", "Le montant doit être supérieur à zéro."),
        ({"amount": "-1500"}, "amount", "Le montant doit être supérieur à zéro."),
        ({"amount": "douze mille"}, "amount", "Saisissez un montant en euros"),
        ({"amount": "12,345"}, "amount", "au plus deux décimales"),
        ({"granted_on": "2999-01-01"}, "granted_on", "ne peut pas être dans le futur"),
        ({"granted_on": "2010-05-01"}, "granted_on", "ne peut pas remonter à plus de 10 ans"),
        ({"granted_on": "31/02/2025"}, "granted_on", "Date invalide"),
        ({"granting_body": ""}, "granting_body", "Indiquez l'organisme qui a accordé l'aide."),
        ({"description": "  "}, "description", "Indiquez l'objet de l'aide."),
        ({"regulation": "de_maximis"}, "regulation", "Choisissez un règlement de la liste."),
    ],
)
def test_a_wrong_declaration_is_explained_and_changes_nothing(
    client_for, advisor_a, company, overrides, field, message
):
    response = client_for(advisor_a).post(DECLARE, _declaration(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert "Le formulaire contient des erreurs" in _text(response)
    assert StateAidGrant.objects.count() == 0
    # what was typed elsewhere is kept
    if field != "granting_body":
        assert 'value="Bpifrance"' in _text(response)


def test_a_declaration_that_takes_the_company_over_the_ceiling_is_recorded_with_a_warning(
    client_for, advisor_a, company
):
    add_line(company, date.today() - timedelta(days=30), "290000")
    response = client_for(advisor_a).post(DECLARE, _declaration(amount="20000"), follow=True)
    assert StateAidGrant.objects.count() == 2
    messages = _messages(response)
    assert any(m.startswith("Plafond dépassé") and "310" in m for m in messages), messages


def test_read_only_members_cannot_declare(client_for, readonly_a, company):
    client = client_for(readonly_a)
    assert client.get(DECLARE).status_code == 403
    assert client.post(DECLARE, _declaration()).status_code == 403
    assert StateAidGrant.objects.count() == 0


# --- cancelling a line ------------------------------------------------------------------------


def test_an_instructor_cancels_a_line_with_a_reason(client_for, instructor_b, ledger):
    url = f"/aides-d-etat/aides/{ledger.pk}/annuler/"
    client = client_for(instructor_b)
    assert "120 000 €" in _text(client.get(url))

    refused = client.post(url, {"reason": " "})
    assert "Indiquez pourquoi l'aide est annulée." in _text(refused)
    ledger.refresh_from_db()
    assert ledger.cancelled_at is None

    response = client.post(url, {"reason": "Décision retirée le 02/06/2025"}, follow=True)
    assert response.redirect_chain[-1][0] == LEDGER
    ledger.refresh_from_db()
    assert ledger.cancelled_at is not None
    assert ledger.cancelled_reason == "Décision retirée le 02/06/2025"
    page = _text(response)
    assert "ne compte plus pour les plafonds" in page
    assert "0 € comptés sur 300 000 €" in page


def test_instructors_see_cancel_links_advisors_and_readers_cannot_cancel(
    client_for, instructor_a, advisor_a, readonly_a, ledger
):
    url = f"/aides-d-etat/aides/{ledger.pk}/annuler/"
    assert url in _text(client_for(instructor_a).get(LEDGER))
    for user in (advisor_a, readonly_a):
        assert client_for(user).post(url, {"reason": "Erreur"}).status_code == 403
    ledger.refresh_from_db()
    assert ledger.cancelled_at is None
