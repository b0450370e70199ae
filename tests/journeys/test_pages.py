"""The Suivi section of the company file, the whole timeline page, its exports and the form."""

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guichet.journeys.models import TimelineEvent

FILE = "/entreprises/552100554/"
TIMELINE = "/entreprises/552100554/historique/"
NEW = "/entreprises/552100554/historique/nouveau/"


@pytest.fixture
def events(log_event, advisor_a, advisor_b):
    now = timezone.now()
    return [
        log_event(
            "Demande : prospecter l'Allemagne",
            kind="need",
            text="Reçue par le formulaire public.",
            source="desk.need",
            source_id="7",
            link="/guichet/demandes/7/",
            occurred_at=now - timedelta(days=5),
        ),
        log_event(
            "Rendez-vous au salon SIAL",
            kind="meeting",
            author=advisor_b,
            text="Ligne 1\nLigne 2",
            occurred_at=now - timedelta(days=2),
        ),
        log_event(
            "Marges en baisse",
            kind="note",
            author=advisor_a,
            confidential=True,
            occurred_at=now - timedelta(days=1),
        ),
    ]


def test_company_file_shows_the_latest_events(client_for, advisor_a, events):
    html = client_for(advisor_a).get(FILE).content.decode()
    section = html[html.index('id="suivi-entreprise"') :]
    assert section.index("Marges en baisse") < section.index("Rendez-vous au salon SIAL")
    assert section.index("Rendez-vous au salon SIAL") < section.index("Demande : prospecter")
    assert "Confidentiel</span>" in section
    assert "Demande au guichet</p>" in section
    assert "Claire Conseil\n" in section
    assert "(Région Test)" in section
    assert "Bruno Autre\n" in section
    assert "(CCI Test)" in section
    assert "Ligne 1<br>Ligne 2" in section
    assert 'href="/guichet/demandes/7/">Voir' in section
    assert f'href="{TIMELINE}">Tout l\'historique</a>' in section
    assert f'href="{NEW}">Ajouter un échange</a>' in section
    expected_day = timezone.localtime(events[0].occurred_at).strftime("%d/%m/%Y")
    assert f">{expected_day}</time>" in section


def test_other_organisation_does_not_see_the_confidential_note(client_for, advisor_b, events):
    html = client_for(advisor_b).get(FILE).content.decode()
    assert "Rendez-vous au salon SIAL" in html
    assert "Marges en baisse" not in html
    assert "Confidentiel</span>" not in html


def test_section_shows_twenty_events_at_most(client_for, advisor_a, log_event):
    now = timezone.now()
    for number in range(22):
        log_event(f"Appel numéro {number:02d}", occurred_at=now - timedelta(hours=number))
    html = client_for(advisor_a).get(FILE).content.decode()
    assert "Appel numéro 00" in html
    assert "Appel numéro 19" in html
    assert "Appel numéro 20" not in html
    assert "Les 20 échanges les plus récents" in html


def test_empty_section_tells_what_to_do(client_for, advisor_a, company):
    html = client_for(advisor_a).get(FILE).content.decode()
    assert "Les échanges avec l'entreprise (demandes au guichet" in html
    assert "Enregistrez l'échange avec « Ajouter un échange »" in html
    assert "Tout l'historique" not in html


def test_readonly_member_sees_the_file_without_the_section(client_for, readonly_a, events):
    response = client_for(readonly_a).get(FILE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="suivi-entreprise"' not in html
    assert "Rendez-vous au salon SIAL" not in html


def test_timeline_page_lists_and_filters(client_for, advisor_a, events):
    client = client_for(advisor_a)
    html = client.get(TIMELINE).content.decode()
    assert "<h1>Historique des échanges</h1>" in html
    assert "3 échanges" in html
    assert html.index("Marges en baisse") < html.index("Demande : prospecter")
    filtered = client.get(TIMELINE, {"kind": "meeting"}).content.decode()
    assert "1 échange" in filtered
    assert "Rendez-vous au salon SIAL" in filtered
    assert "Marges en baisse" not in filtered
    assert 'href="?kind=meeting&amp;format=csv"' in filtered
    none = client.get(TIMELINE, {"kind": "aid"}).content.decode()
    assert "Aucun échange de ce type n'est enregistré pour cette entreprise." in none


def test_timeline_page_with_an_unknown_kind_lists_everything(client_for, advisor_a, events):
    html = client_for(advisor_a).get(TIMELINE, {"kind": "lunch"}).content.decode()
    assert "Le filtre contient une erreur" in html
    assert "3 échanges" in html


def test_timeline_page_is_paginated(client_for, advisor_a, log_event):
    now = timezone.now()
    for number in range(55):
        log_event(f"Courriel {number:02d}", kind="email", occurred_at=now - timedelta(hours=number))
    client = client_for(advisor_a)
    first = client.get(TIMELINE).content.decode()
    assert "55 échanges" in first
    assert "Courriel 49" in first
    assert "Courriel 50" not in first
    second = client.get(TIMELINE, {"page": 2}).content.decode()
    assert "Courriel 50" in second
    assert "Courriel 54" in second
    assert "Courriel 49" not in second


def test_other_organisation_timeline_page_hides_the_confidential_note(
    client_for, advisor_b, events
):
    html = client_for(advisor_b).get(TIMELINE).content.decode()
    assert "2 échanges" in html
    assert "Marges en baisse" not in html


def test_csv_export(client_for, advisor_b, events):
    response = client_for(advisor_b).get(TIMELINE, {"format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="historique-552100554-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    headers = "Date;Type;Titre;Texte;Auteur;Organisation;Confidentiel;Source;Lien"
    assert rows[0] == headers.split(";")
    assert [row[2] for row in rows[1:]] == [
        "Rendez-vous au salon SIAL",
        "Demande : prospecter l'Allemagne",
    ]
    meeting, need = rows[1], rows[2]
    assert meeting[1:7] == [
        "Rendez-vous", "Rendez-vous au salon SIAL", "Ligne 1\nLigne 2", "Bruno Autre", "CCI Test",
        "non",
    ]  # fmt: skip
    assert meeting[0] == timezone.localtime(events[1].occurred_at).strftime("%Y-%m-%d %H:%M:%S")
    assert need[7:] == ["desk.need", "http://testserver/guichet/demandes/7/"]


def test_xlsx_export_follows_the_filter(client_for, advisor_a, events):
    response = client_for(advisor_a).get(TIMELINE, {"format": "xlsx", "kind": "note"})
    sheet = load_workbook(io.BytesIO(response.content))["Historique"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1:7] == (
        "Note",
        "Marges en baisse",
        None,
        "Claire Conseil",
        "Région Test",
        "oui",
    )
    assert rows[1][0] == timezone.localtime(events[2].occurred_at).replace(
        microsecond=0, tzinfo=None
    )


def test_note_form_saves_and_returns_to_the_file(client_for, advisor_a, company):
    day = timezone.localdate() - timedelta(days=1)
    response = client_for(advisor_a).post(
        NEW,
        {
            "kind": "visit",
            "occurred_at": day.isoformat(),
            "title": "Visite de l'atelier",
            "text": "Projet d'export vers le Québec.",
            "confidential": "on",
        },
        follow=True,
    )
    assert response.redirect_chain == [(FILE + "#suivi", 302)]
    html = unescape(response.content.decode())
    assert "L'échange « Visite de l'atelier » est ajouté au suivi." in html
    assert "Visite de l'atelier" in html[html.index('id="suivi-entreprise"') :]
    event = TimelineEvent.objects.get()
    assert (event.kind, event.author, event.confidential) == ("visit", advisor_a, True)
    assert timezone.localtime(event.occurred_at).date() == day
    assert event.organisation == advisor_a.organisation


def test_note_form_shows_french_errors_and_keeps_the_input(client_for, advisor_a, company):
    future = timezone.localdate() + timedelta(days=3)
    response = client_for(advisor_a).post(
        NEW,
        {
            "kind": "call",
            "occurred_at": future.isoformat(),
            "title": "",
            "text": "Ce que j'ai tapé",
        },
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Donnez un titre à l'échange." in html
    assert ">\nCe que j'ai tapé</textarea>" in html
    assert not TimelineEvent.objects.exists()
    response = client_for(advisor_a).post(
        NEW, {"kind": "call", "occurred_at": future.isoformat(), "title": "Appel"}
    )
    html = unescape(response.content.decode())
    assert "La date de l'échange ne peut pas être dans le futur." in html
    assert 'value="Appel"' in html
    response = client_for(advisor_a).post(
        NEW, {"kind": "aid", "occurred_at": "31/02/2025", "title": "x" * 201}
    )
    html = response.content.decode()
    assert "Saisissez une date valide, par exemple 15/03/2025." in html
    assert "Sélectionnez un choix valide" in html
    assert "au plus 200 caractères" in html
    assert not TimelineEvent.objects.exists()


def test_note_form_offers_only_the_manual_kinds(client_for, advisor_a, company):
    html = client_for(advisor_a).get(NEW).content.decode()
    assert '<option value="meeting">Rendez-vous</option>' in html
    assert 'value="need"' not in html
    assert f'value="{timezone.localdate().isoformat()}"' in html
