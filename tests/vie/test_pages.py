"""Pages of V.I.E. missions: what each member sees and may do. The organisation that recorded a
mission edits it (and administrators); another organisation reads it; a read-only member
records nothing; anonymous visitors are sent to the login page."""

import html
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guichet.companies.models import Filiere
from guichet.journeys.models import TimelineEvent
from guichet.reference.models import Country
from guichet.vie.models import VieMission
from tests.vie.conftest import make_aid, make_mission

FORM = {
    "siren": "552 100 554",
    "job_title": "Chargée d'affaires",
    "country": "US",
    "city": "Chicago",
    "starts_on": "2026-01-05",
    "ends_on": "2027-01-04",
    "monthly_cost": "4100,50",
    "aid_reference": "",
}


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def mission(company, org_a, advisor_a):
    return make_mission(company, org_a, by=advisor_a)


# --- list ------------------------------------------------------------------------------------


def test_the_list_shows_missions_to_every_member(client_for, mission, readonly_a, advisor_b):
    for user in (readonly_a, advisor_b):
        page = _text(client_for(user).get("/vie/missions/"))
        assert "1 mission" in page
        assert "Développeur commercial" in page
        assert "Fromagerie de Bourgogne" in page
        assert "Allemagne — Munich" in page
        assert "du 01/03/2024 au 28/02/2025" in page
        assert "3 200 €" in page
        assert "Terminée — issue à renseigner" in page
        assert "Région Test" in page


def test_the_empty_list_says_what_to_do(client_for, advisor_a, readonly_a, reference):
    page = _text(client_for(advisor_a).get("/vie/missions/"))
    assert "Aucune mission V.I.E. n'est encore enregistrée." in page
    assert "Nouvelle mission V.I.E." in page
    page = _text(client_for(readonly_a).get("/vie/missions/"))
    assert "Les partenaires y enregistrent les missions" in page
    assert 'href="/vie/missions/nouvelle/"' not in page


def test_filters_by_year_country_filiere_and_status(
    client_for, advisor_a, company, other_company, org_a
):
    make_mission(company, org_a, job_title="Munich 2024")
    make_mission(
        other_company,
        org_a,
        job_title="Chicago 2025",
        country=Country.objects.get(iso2="US"),
        city="Chicago",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    today = timezone.localdate()
    make_mission(
        company,
        org_a,
        job_title="Partie il y a un mois",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
    )
    Filiere.objects.create(name="Lunetterie", slug="lunetterie").naf_codes.add("32.50A")
    client = client_for(advisor_a)

    def titles(query):
        page = _text(client.get(f"/vie/missions/?{query}"))
        return [t for t in ("Munich 2024", "Chicago 2025", "Partie il y a un mois") if t in page]

    assert titles("year=2024") == ["Munich 2024"]
    assert titles("country=US") == ["Chicago 2025"]
    assert titles("filiere=lunetterie") == ["Chicago 2025"]
    assert titles("status=ongoing") == ["Partie il y a un mois"]
    assert titles("status=unknown") == ["Munich 2024", "Chicago 2025"]
    page = _text(client.get("/vie/missions/?status=nimporte"))
    assert "Situation inconnue." in page
    assert "Corrigez les filtres pour voir les missions." in page


def test_the_list_exports_as_csv_and_xlsx(client_for, readonly_a, mission):
    response = client_for(readonly_a).get("/vie/missions/?format=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="missions-vie-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Identifiant;SIREN;Entreprise d'accueil;Intitulé de la mission;Pays")
    assert lines[1] == (
        f"{mission.pk};552100554;Fromagerie de Bourgogne;Développeur commercial;Allemagne;DE;"
        "Munich;2024-03-01;2025-02-28;;12;3200.00;;Terminée — issue à renseigner;;;;Région Test"
    )
    response = client_for(readonly_a).get("/vie/missions/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Identifiant", "SIREN", "Entreprise d'accueil")
    assert rows[1][1:4] == ("552100554", "Fromagerie de Bourgogne", "Développeur commercial")


def test_anonymous_visitors_are_sent_to_login(client, mission):
    for path in (
        "/vie/missions/",
        f"/vie/missions/{mission.pk}/",
        "/vie/missions/nouvelle/",
        "/vie/sensibilisation/",
        "/vie/chiffres/",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert "/connexion/" in response["Location"] or "login" in response["Location"]


# --- recording -------------------------------------------------------------------------------


def test_an_advisor_records_a_mission_from_the_company_file(client_for, advisor_a, company, org_a):
    client = client_for(advisor_a)
    page = _text(client.get("/vie/missions/nouvelle/?siren=552100554"))
    assert 'value="552100554"' in page
    assert (
        'Entreprise d\'accueil : <a href="/entreprises/552100554/">Fromagerie de Bourgogne</a>'
        in page
    )
    response = client.post("/vie/missions/nouvelle/", FORM)
    mission = VieMission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/vie/missions/{mission.pk}/"
    assert (mission.company, mission.organisation, mission.created_by) == (
        company,
        org_a,
        advisor_a,
    )
    assert (mission.city, mission.monthly_cost) == ("Chicago", Decimal("4100.50"))
    page = _text(client.get(response["Location"]))
    assert "Mission V.I.E. enregistrée pour Fromagerie de Bourgogne" in page
    assert "États-Unis, Chicago" in page
    assert "05/01/2026" in page
    assert "04/01/2027 (12 mois)" in page
    assert "4 100,50 €" in page
    assert TimelineEvent.objects.filter(company=company, kind="aid").count() == 1


def test_a_refused_mission_keeps_what_was_typed(client_for, advisor_a, company):
    response = client_for(advisor_a).post(
        "/vie/missions/nouvelle/", {**FORM, "ends_on": "2026-07-03"}
    )
    page = _text(response)
    assert response.status_code == 200
    assert (
        "Une mission V.I.E. dure au moins 6 mois : commencée le 05/01/2026, elle finit au "
        "plus tôt le 04/07/2026 (ici 5 mois et 29 jours)." in page
    )
    assert 'value="Chicago"' in page
    assert 'value="2026-07-03"' in page
    assert not VieMission.objects.exists()


def test_unknown_siren_and_aid_reference(client_for, advisor_a, company, other_company, org_a):
    client = client_for(advisor_a)
    page = _text(client.post("/vie/missions/nouvelle/", {**FORM, "siren": "123456789"}))
    assert "Aucune entreprise de SIREN 123456789 dans le registre." in page
    page = _text(client.post("/vie/missions/nouvelle/", {**FORM, "aid_reference": "AI26-ZZZZZZ"}))
    assert "Aucun dossier d'aide de référence AI26-ZZZZZZ." in page
    foreign = make_aid(org_a, other_company)
    page = _text(
        client.post("/vie/missions/nouvelle/", {**FORM, "aid_reference": foreign.reference})
    )
    assert "concerne une autre entreprise (SIREN 732829320)" in page
    assert not VieMission.objects.exists()


def test_the_linked_aid_shows_on_the_mission(client_for, advisor_a, advisor_b, company, org_a):
    application = make_aid(org_a, company)
    mission = make_mission(company, org_a, aid_application=application)
    for user in (advisor_a, advisor_b):
        page = _text(client_for(user).get(f"/vie/missions/{mission.pk}/"))
        assert application.reference in page
        assert "— Soutien au V.I.E. (brouillon)" in page
    # Another organisation sees that the aid exists, not a link to its file.
    assert f'href="/aides/dossiers/{application.reference}/"' not in page


def test_read_only_members_record_nothing(client_for, readonly_a, mission):
    client = client_for(readonly_a)
    assert client.get("/vie/missions/nouvelle/").status_code == 403
    assert client.post("/vie/missions/nouvelle/", FORM).status_code == 403
    assert client.get(f"/vie/missions/{mission.pk}/modifier/").status_code == 403
    assert VieMission.objects.count() == 1


# --- editing ---------------------------------------------------------------------------------


def test_another_organisation_reads_but_does_not_edit(client_for, advisor_b, mission):
    client = client_for(advisor_b)
    page = _text(client.get(f"/vie/missions/{mission.pk}/"))
    assert "Mission V.I.E. — Développeur commercial" in page
    assert "Seul cet organisme peut la modifier." in page
    assert f"/vie/missions/{mission.pk}/modifier/" not in page
    assert client.get(f"/vie/missions/{mission.pk}/modifier/").status_code == 403
    assert client.post(f"/vie/missions/{mission.pk}/prolonger/", {}).status_code == 403
    assert client.post(f"/vie/missions/{mission.pk}/issue/", {}).status_code == 403


def test_the_recording_organisation_edits(client_for, advisor_a, admin_user, mission):
    page = _text(client_for(advisor_a).get(f"/vie/missions/{mission.pk}/"))
    assert f'href="/vie/missions/{mission.pk}/modifier/"' in page
    edit = {
        "job_title": "Responsable de zone",
        "country": "AT",
        "city": "Vienne",
        "starts_on": "2024-03-01",
        "ends_on": "2025-02-28",
        "monthly_cost": "3300",
    }
    response = client_for(admin_user).post(f"/vie/missions/{mission.pk}/modifier/", edit)
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.job_title, mission.country_id, mission.city) == (
        "Responsable de zone",
        "AT",
        "Vienne",
    )


def test_extension_from_the_edit_page(client_for, advisor_a, mission):
    client = client_for(advisor_a)
    page = _text(client.get(f"/vie/missions/{mission.pk}/modifier/"))
    assert "la mission peut durer jusqu'au 28/02/2026 (24 mois depuis son début)" in page
    response = client.post(
        f"/vie/missions/{mission.pk}/prolonger/", {"prolongation-until": "2026-03-31"}
    )
    page = _text(response)
    assert "elle finit au plus tard le 28/02/2026 (ici 25 mois)" in page
    response = client.post(
        f"/vie/missions/{mission.pk}/prolonger/", {"prolongation-until": "2025-08-31"}
    )
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "La mission est prolongée jusqu'au 31/08/2025." in page
    assert "jusqu'au 31/08/2025 — 18 mois en tout" in page


def test_outcome_from_the_edit_page(client_for, advisor_a, company, org_a, mission):
    client = client_for(advisor_a)
    response = client.post(f"/vie/missions/{mission.pk}/issue/", {"issue-hired": "yes"})
    assert "Indiquez où le volontaire a été embauché." in _text(response)
    response = client.post(
        f"/vie/missions/{mission.pk}/issue/",
        {"issue-hired": "yes", "issue-hired_where": "france", "issue-note": "Au siège"},
    )
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "Volontaire embauché à l'issue de la mission, en France." in page
    assert "Au siège" in page
    today = timezone.localdate()
    ongoing = make_mission(
        company, org_a, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=300)
    )
    page = _text(client.get(f"/vie/missions/{ongoing.pk}/modifier/"))
    assert "son issue (volontaire embauché ou non) s'enregistre à partir du lendemain" in page
    response = client.post(f"/vie/missions/{ongoing.pk}/issue/", {"issue-hired": "no"})
    assert "son issue s'enregistre à partir du lendemain." in _text(response)
    ongoing.refresh_from_db()
    assert ongoing.hired is None


# --- company file and navigation -------------------------------------------------------------


def test_the_company_file_lists_its_missions(client_for, advisor_a, readonly_a, mission):
    page = _text(client_for(advisor_a).get("/entreprises/552100554/"))
    assert "Missions V.I.E." in page
    assert f'href="/vie/missions/{mission.pk}/"' in page
    assert 'href="/vie/missions/nouvelle/?siren=552100554"' in page
    page = _text(client_for(readonly_a).get("/entreprises/552100554/"))
    assert f'href="/vie/missions/{mission.pk}/"' in page
    assert "/vie/missions/nouvelle/?siren=552100554" not in page


def test_the_navigation_has_a_vie_entry(client_for, readonly_a, reference):
    page = _text(client_for(readonly_a).get("/vie/missions/"))
    assert '<a class="fr-nav__link" href="/vie/missions/" aria-current="page">V.I.E.</a>' in page


def test_queries_do_not_grow_with_missions(client_for, advisor_a, company, other_company, org_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(advisor_a)
    application = make_aid(org_a, company)
    make_mission(company, org_a, aid_application=application)

    def counts():
        found = []
        for path in ("/vie/missions/", "/entreprises/552100554/", "/vie/chiffres/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for city in ("Berlin", "Brême", "Cologne", "Dresde", "Leipzig"):
        make_mission(company, org_a, city=city, aid_application=application)
        make_mission(other_company, org_a, city=city)
    assert counts() == before
