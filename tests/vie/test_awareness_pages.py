"""Pages of student awareness sessions: list, filters, exports, recording and editing, with the
same cast as every permission test."""

import html
import io
import re

import pytest
from openpyxl import load_workbook

from guichet.reference.models import Departement
from guichet.vie.models import AwarenessSession
from tests.vie.conftest import make_session

FORM = {
    "school": "ESTA Belfort",
    "level": "business",
    "held_on": "2025-03-18",
    "departement": "90",
    "speakers": "CCE, ancien V.I.E.",
    "students": "85",
    "vie_candidates": "",
}


def _visible(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def session(org_a, advisor_a, reference):
    return make_session(org_a, by=advisor_a, departement=Departement.objects.get(code="21"))


def test_every_member_reads_the_sessions(client_for, readonly_a, advisor_b, session):
    for user in (readonly_a, advisor_b):
        page = _visible(client_for(user).get("/vie/sensibilisation/"))
        assert "1 session" in page
        assert "40 étudiants sensibilisés ; 3 candidats au V.I.E. connus." in page
        assert (
            "14/11/2024 Lycée Carnot, Dijon BTS / BUT 21 — Côte-d'Or CCE, conseiller CCI 40 3"
            in (page)
        )


def test_the_empty_list_says_what_to_do(client_for, advisor_a, reference):
    page = _visible(client_for(advisor_a).get("/vie/sensibilisation/"))
    assert "Aucune session de sensibilisation n'est encore enregistrée." in page
    assert "enregistrez-la avec « Nouvelle session »" in page


def test_filters(client_for, readonly_a, org_a, session):
    make_session(
        org_a, school="Lycée Victor Hugo", level="lycee", held_on=session.held_on.replace(year=2023)
    )
    client = client_for(readonly_a)
    page = _visible(client.get("/vie/sensibilisation/?year=2023"))
    assert "Lycée Victor Hugo" in page
    assert "Lycée Carnot" not in page
    page = _visible(client.get("/vie/sensibilisation/?level=bts"))
    assert "Lycée Carnot" in page
    assert "Lycée Victor Hugo" not in page
    page = _visible(client.get("/vie/sensibilisation/?departement=21"))
    assert "Lycée Carnot" in page
    assert "Lycée Victor Hugo" not in page
    page = _visible(client.get("/vie/sensibilisation/?level=doctorat"))
    assert "Niveau inconnu." in page


def test_exports(client_for, readonly_a, session):
    response = client_for(readonly_a).get("/vie/sensibilisation/?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Identifiant;Date;Établissement;Niveau;Code département;Département;Intervenants;"
        "Étudiants;Candidats à la plateforme V.I.E.;Organisme"
    )
    assert lines[1] == (
        f"{session.pk};2024-11-14;Lycée Carnot, Dijon;BTS / BUT;21;Côte-d'Or;CCE, conseiller CCI;"
        "40;3;Région Test"
    )
    response = client_for(readonly_a).get("/vie/sensibilisation/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][2:4] == ("Lycée Carnot, Dijon", "BTS / BUT")


def test_an_advisor_records_a_session(client_for, advisor_a, org_a, reference):
    client = client_for(advisor_a)
    response = client.post("/vie/sensibilisation/nouvelle/", FORM)
    assert response.status_code == 302
    session = AwarenessSession.objects.get()
    assert (session.school, session.level, session.departement_id, session.students) == (
        "ESTA Belfort",
        "business",
        "90",
        85,
    )
    assert (session.vie_candidates, session.organisation, session.created_by) == (
        None,
        org_a,
        advisor_a,
    )
    page = _visible(client.get(response["Location"]))
    assert "Session enregistrée : 85 étudiants sensibilisés (ESTA Belfort)." in page


def test_a_refused_session_keeps_what_was_typed(client_for, advisor_a, reference):
    response = client_for(advisor_a).post(
        "/vie/sensibilisation/nouvelle/", {**FORM, "students": "20", "vie_candidates": "25"}
    )
    page = _visible(response)
    assert (
        "Les candidats au V.I.E. (25) ne peuvent pas être plus nombreux que les étudiants "
        "présents (20)." in page
    )
    assert 'value="ESTA Belfort"' in response.content.decode()
    response = client_for(advisor_a).post(
        "/vie/sensibilisation/nouvelle/", {**FORM, "students": "0"}
    )
    assert "Une session réunit au moins un étudiant." in _visible(response)
    assert not AwarenessSession.objects.exists()


def test_the_recording_organisation_edits(client_for, advisor_a, admin_user, session):
    page = client_for(advisor_a).get("/vie/sensibilisation/").content.decode()
    assert f'href="/vie/sensibilisation/{session.pk}/modifier/"' in page
    response = client_for(admin_user).post(
        f"/vie/sensibilisation/{session.pk}/modifier/",
        {**FORM, "school": "Lycée Carnot", "vie_candidates": "5"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.school, session.students, session.vie_candidates) == ("Lycée Carnot", 85, 5)


def test_another_organisation_and_read_only_members_do_not_edit(
    client_for, advisor_b, readonly_a, session
):
    page = client_for(advisor_b).get("/vie/sensibilisation/").content.decode()
    assert f"/vie/sensibilisation/{session.pk}/modifier/" not in page
    assert 'href="/vie/sensibilisation/nouvelle/"' in page
    assert (
        client_for(advisor_b).post(f"/vie/sensibilisation/{session.pk}/modifier/", FORM).status_code
        == 403
    )
    client = client_for(readonly_a)
    assert client.get(f"/vie/sensibilisation/{session.pk}/modifier/").status_code == 403
    assert client.get("/vie/sensibilisation/nouvelle/").status_code == 403
    assert client.post("/vie/sensibilisation/nouvelle/", FORM).status_code == 403
    assert (
        'href="/vie/sensibilisation/nouvelle/"'
        not in client.get("/vie/sensibilisation/").content.decode()
    )
    session.refresh_from_db()
    assert session.school == "Lycée Carnot, Dijon"
