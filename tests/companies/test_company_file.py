"""The company file page: what an advisor reads about a company, and the establishments export."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from guichet.companies.geography import locate
from guichet.companies.models import Contact, Establishment, ExportFact, Filiere
from guichet.companies.services import contact_create, export_fact_record
from guichet.core.models import AuditEvent
from tests.companies.conftest import make_company

URL = "/entreprises/{}/"


def add_establishment(company, nic, *, commune_code, commune_name, active=True, **extra):
    dep, region = locate(commune_code)
    return Establishment.objects.create(
        siret=company.siren + nic,
        company=company,
        postal_code=commune_code,
        commune_code=commune_code,
        commune_name=commune_name,
        departement_id=dep,
        region_id=region,
        naf_id=company.naf_id,
        is_active=active,
        **extra,
    )


@pytest.fixture
def biscuiterie(reference):
    company = make_company("552100554", "BISCUITERIE DU MORVAN", naf="10.72Z")
    company.acronym = "BDM"
    company.usual_names = "LES BISCUITS DORÉS"
    company.legal_category = "5710"
    company.headcount_band_id = "12"
    company.headcount_year = 2022
    company.creation_date = date(1987, 4, 2)
    company.save()
    hq = company.establishments.get()
    hq.address = "12 RUE DES FORGES"
    hq.save()
    add_establishment(
        company, "00020", commune_code="58194", commune_name="NEVERS", address="3 QUAI DE LOIRE"
    )
    add_establishment(
        company,
        "00038",
        commune_code="58194",
        commune_name="NEVERS",
        active=False,
        closed_on=date(2019, 6, 30),
    )
    return company


def test_identity_establishments_and_empty_states_are_shown(client_for, advisor_a, biscuiterie):
    response = client_for(advisor_a).get(URL.format(biscuiterie.siren))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "BISCUITERIE DU MORVAN",
        "552 100 554",
        "BDM",
        "LES BISCUITS DORÉS",
        "5710",
        "10.72Z – ",
        "(en 2022)",
        "Petite ou moyenne entreprise (PME)",
        "02/04/1987",
        "Active",
        "12 RUE DES FORGES",
        "552 100 554 00020",
        "3 QUAI DE LOIRE",
        "Nièvre (58)",
        "Fermé le 30/06/2019",
        "3 établissements dans le registre, dont 2 actifs, répartis dans 2 communes.",
        "NEVERS\n",
        "Aucun contact n'est enregistré pour cette entreprise.",
        "Aucune donnée export n'a encore été enregistrée",
        "Les échanges avec l'entreprise",
        'href="/entreprises/">Entreprises</a>',
    ):
        assert text in html, text
    assert "Siège</span>" in html
    assert "Diffusion partielle" not in html


def test_a_ceased_partially_diffusible_company_with_an_old_activity_code(
    client_for, advisor_a, reference
):
    company = make_company("732829320", "ANCIENNE FILATURE", naf=None, is_active=False)
    company.activity_code = "17.1A"
    company.activity_nomenclature = "NAFv1"
    company.ceased_on = date(2008, 12, 31)
    company.partially_diffusible = True
    company.save()
    html = client_for(advisor_a).get(URL.format(company.siren)).content.decode()
    assert "Cessée\n" in html
    assert "le 31/12/2008" in html
    assert "17.1A (nomenclature NAFv1)" in html
    assert "Diffusion partielle" in html
    assert "L'activité de l'entreprise ne relève d'aucune filière suivie." in html


def test_filieres_profile_and_contacts_are_shown(client_for, advisor_a, biscuiterie):
    filiere = Filiere.objects.create(name="Agroalimentaire et vins", slug="agroalimentaire")
    filiere.naf_codes.add("10")
    Filiere.objects.create(name="Bois", slug="bois").naf_codes.add("16")
    export_fact_record(
        company=biscuiterie,
        attribute="countries_served",
        value=["DE", "BE"],
        observed_on=date(2024, 3, 1),
        source="survey",
        by=advisor_a,
    )
    export_fact_record(
        company=biscuiterie,
        attribute="export_share",
        value=12.5,
        observed_on=date(2024, 3, 1),
        source="declared",
        by=advisor_a,
        comment="Bilan 2023",
    )
    contact = contact_create(
        company=biscuiterie,
        by=advisor_a,
        first_name="Jeanne",
        last_name="Martin",
        job_title="Directrice export",
        email="jeanne.martin@biscuiterie.example",
        phone="0380123456",
        legal_basis="public_task",
        source="advisor",
    )
    html = client_for(advisor_a).get(URL.format(biscuiterie.siren)).content.decode()
    assert 'href="/entreprises/?filiere=agroalimentaire">Agroalimentaire et vins</a>' in html
    assert "Bois" not in html
    assert "Belgique, Allemagne" in html
    assert "12,5 %" in html
    assert "Enquête" in html
    assert "01/03/2024" in html
    assert "« Bilan 2023 »" in html
    assert "saisi par Claire Conseil" in html
    assert "Jeanne Martin" in html
    assert "jeanne.martin@biscuiterie.example" in html
    assert "03 80 12 34 56" in html
    assert "Directrice export" in html
    assert "Modifier le profil export" in html
    assert "Ajouter un contact" in html
    assert AuditEvent.objects.filter(
        action="view", object_type="companies.Contact", object_id=str(contact.pk), actor=advisor_a
    ).exists()


def test_an_opted_out_contact_stays_visible_but_is_flagged(client_for, advisor_a, biscuiterie):
    contact = Contact.objects.create(
        company=biscuiterie,
        first_name="Paul",
        last_name="Refus",
        email="paul.refus@example.com",
        legal_basis="public_task",
        source="advisor",
        opted_out=True,
    )
    html = client_for(advisor_a).get(URL.format(biscuiterie.siren)).content.decode()
    assert contact.email in html
    assert "Ne souhaite plus être sollicité" in html
    assert "Enregistrer son opposition" not in html


def test_unknown_siren_is_a_404(client_for, advisor_a, reference):
    assert client_for(advisor_a).get(URL.format("999999999")).status_code == 404


def _rows_of_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_establishments_export_csv_and_xlsx(client_for, advisor_a, biscuiterie):
    client = client_for(advisor_a)
    base = URL.format(biscuiterie.siren) + "?export=establishments&format="
    response = client.get(base + "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "etablissements-552100554" in response["Content-Disposition"]
    rows = _rows_of_csv(response)
    assert rows[0][:5] == ["SIRET", "Enseigne ou nom usuel", "Adresse", "Code postal", "Commune"]
    assert [(r[0], r[4], r[6], r[9], r[10]) for r in rows[1:]] == [
        ("55210055400012", "DIJON", "Côte-d'Or", "oui", "actif"),
        ("55210055400020", "NEVERS", "Nièvre", "non", "actif"),
        ("55210055400038", "NEVERS", "Nièvre", "non", "fermé"),
    ]
    workbook = load_workbook(io.BytesIO(client.get(base + "xlsx").content))
    sheet = workbook.active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "SIRET"
    assert values[3][0] == "55210055400038"
    assert values[3][4] == "NEVERS"
    assert values[3][10] == "fermé"
    assert values[3][11].date() == date(2019, 6, 30)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_establishments(client_for, advisor_a, biscuiterie):
    Contact.objects.create(
        company=biscuiterie,
        first_name="Anne",
        last_name="Durand",
        legal_basis="public_task",
        source="advisor",
    )
    export_fact_record(
        company=biscuiterie,
        attribute="status",
        value="regular",
        observed_on=date(2024, 1, 1),
        source="advisor",
        by=advisor_a,
    )
    client = client_for(advisor_a)
    url = URL.format(biscuiterie.siren)
    client.get(url)
    few = _count_queries(client, url)
    for n in range(40):
        add_establishment(biscuiterie, f"1{n:04d}", commune_code="21054", commune_name="BEAUNE")
    many = _count_queries(client, url)
    assert few == many
    # A constant number per section of the file (one to three each: registry, journey, desk,
    # diagnostics, offers, aids, state-aid ledger, V.I.E., collective actions, timeline).
    assert many <= 30
    assert ExportFact.objects.count() == 1
