"""The list of applications and the application page, as each member sees them: the whole
file for the organisation that follows it, the scheme's provider and administrators; a summary
for the other members; nothing for anonymous visitors."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.aids.models import ApplicationDocument, ApplicationEvent, MissingItem
from guichet.core.models import AuditEvent
from tests.aids.conftest import make_application, make_scheme
from tests.companies.conftest import make_company
from tests.conftest import make_user


@pytest.fixture
def filed(scheme, company, org_a):
    application = make_application(
        scheme,
        company,
        org_a,
        status="submitted",
        submitted_at=timezone.now(),
        contact_phone="06 12 34 56 78",
        description="Un volontaire pour ouvrir le marché italien.",
    )
    ApplicationEvent.objects.create(
        application=application, to_status="submitted", title="Demande déposée", by_company=True
    )
    return application


@pytest.fixture
def document(filed, scheme):
    return ApplicationDocument.objects.create(
        application=filed,
        required=scheme.required_documents.get(code="kbis"),
        label="Extrait Kbis",
        file=ContentFile(b"%PDF-1.4 kbis", name="kbis.pdf"),
        original_name="kbis-fromagerie.pdf",
        content_type="application/pdf",
        size=13,
    )


@pytest.fixture
def cci_file(org_b, reference):
    """A file of a CCI scheme, followed by the CCI: the Région's members do not list it."""
    cci_scheme = make_scheme(org_b, slug="salons-cci", name="Salons CCI")
    other = make_company("732829320", "Tonnellerie de Beaune")
    return make_application(cci_scheme, other, org_b, status="instruction", title="Salon Vinexpo")


# --- the list -------------------------------------------------------------------------------


def test_the_instructor_lists_the_files_of_the_schemes_of_his_organisation(
    client_for, instructor_a, filed, cci_file
):
    page = client_for(instructor_a).get("/aides/dossiers/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 demande" in html
    assert filed.reference in html
    assert "Fromagerie de Bourgogne" in html
    assert "Soutien au V.I.E." in html
    assert "12\u202f683\u202f€" in html
    assert "fr-badge--new" in html
    assert "Déposée" in html
    assert cci_file.reference not in html


def test_a_file_followed_by_my_organisation_is_listed_even_if_another_finances_it(
    client_for, advisor_b, cci_file, filed, org_b
):
    followed = make_application(
        filed.scheme, filed.company, org_b, status="submitted", title="Suivi par la CCI"
    )
    html = client_for(advisor_b).get("/aides/dossiers/").content.decode()
    assert followed.reference in html
    assert cci_file.reference in html
    assert filed.reference not in html


def test_filters_and_empty_state(client_for, admin_user, filed, cci_file):
    client = client_for(admin_user)
    html = client.get("/aides/dossiers/").content.decode()
    assert filed.reference in html
    assert cci_file.reference in html
    html = client.get("/aides/dossiers/?scheme=salons-cci").content.decode()
    assert cci_file.reference in html
    assert filed.reference not in html
    html = client.get("/aides/dossiers/?status=pending&q=732829320").content.decode()
    assert cci_file.reference in html
    assert filed.reference not in html
    html = client.get("/aides/dossiers/?status=approved").content.decode()
    assert "Aucune demande d'aide ne correspond à ces filtres." in html
    html = client.get("/aides/dossiers/?status=nimporte").content.decode()
    assert "État inconnu : « nimporte »." in html
    assert filed.reference in html  # the wrong filter is dropped


def test_the_list_is_empty_with_what_to_do(client_for, instructor_a):
    html = client_for(instructor_a).get("/aides/dossiers/").content.decode()
    assert "Aucune demande d'aide pour l'instant." in html
    assert "Nouvelle demande d'aide" in html


def test_export_csv_of_the_filtered_list(client_for, instructor_a, filed):
    response = client_for(instructor_a).get("/aides/dossiers/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Référence", "SIREN", "Entreprise"]
    assert rows[1][0] == filed.reference
    assert rows[1][5] == "Déposée"
    assert rows[1][7] == "12683.00"


def test_export_xlsx(client_for, instructor_a, filed):
    from openpyxl import load_workbook

    response = client_for(instructor_a).get("/aides/dossiers/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == filed.reference


def test_the_list_needs_a_working_member(client_for, readonly_a, filed):
    assert client_for(readonly_a).get("/aides/dossiers/").status_code == 403
    anonymous = client_for(None).get("/aides/dossiers/")
    assert anonymous.status_code == 302
    assert "/connexion" in anonymous["Location"] or "login" in anonymous["Location"]


def test_pagination(client_for, admin_user, scheme, company, org_a):
    for index in range(27):
        make_application(scheme, company, org_a, title=f"Projet {index}")
    html = client_for(admin_user).get("/aides/dossiers/?page=2").content.decode()
    assert "27 demandes" in html
    assert "fr-pagination" in html
    assert html.count("/aides/dossiers/AI") == 2


# --- the page -------------------------------------------------------------------------------


def test_the_instructor_sees_the_whole_file(client_for, instructor_a, filed, document):
    MissingItem.objects.create(application=filed, label="Devis signé", requested_by=instructor_a)
    page = client_for(instructor_a).get(f"/aides/dossiers/{filed.reference}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Claire Martin" in html
    assert "claire.martin@example.fr" in html
    assert "06 12 34 56 78" in html
    assert "Indemnités sur 12 mois" in html
    assert "25\u202f366\u202f€" in html
    assert "Extrait Kbis" in html
    assert "kbis-fromagerie.pdf" in html
    assert f"/aides/dossiers/{filed.reference}/pieces/{document.pk}/" in html
    assert "Devis signé" in html
    assert "En attente" in html
    assert "L'entreprise n'a encore rien déclaré." in html
    assert "Demande déposée" in html
    assert "(l'entreprise)" in html
    assert "Commencer l'instruction" in html
    assert "Retirer la demande" in html
    assert "Pas encore instruite" in html
    assert AuditEvent.objects.filter(
        action="view", object_id=str(filed.pk), actor=instructor_a
    ).exists()


def test_a_member_of_another_organisation_sees_a_summary_only(
    client_for, advisor_b, filed, document
):
    page = client_for(advisor_b).get(f"/aides/dossiers/{filed.reference}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Soutien au V.I.E." in html
    assert "Déposée" in html
    assert "12\u202f683\u202f€" in html
    assert "Claire Martin" not in html
    assert "claire.martin@example.fr" not in html
    assert "kbis" not in html.lower()
    assert "Retirer" not in html
    assert "réservé à Région Test" in html
    download = client_for(advisor_b).get(f"/aides/dossiers/{filed.reference}/pieces/{document.pk}/")
    assert download.status_code == 403


def test_read_only_member_of_the_organisation_reads_without_actions(client_for, readonly_a, filed):
    html = client_for(readonly_a).get(f"/aides/dossiers/{filed.reference}/").content.decode()
    assert "Claire Martin" in html
    assert "Commencer l'instruction" not in html
    assert "Retirer la demande" not in html


def test_an_advisor_of_the_organisation_may_withdraw_but_not_instruct(client_for, advisor_a, filed):
    html = client_for(advisor_a).get(f"/aides/dossiers/{filed.reference}/").content.decode()
    assert "Retirer la demande" in html
    assert "Commencer l'instruction" not in html


def test_anonymous_and_unknown_reference(client_for, instructor_a, filed):
    assert client_for(None).get(f"/aides/dossiers/{filed.reference}/").status_code == 302
    assert client_for(instructor_a).get("/aides/dossiers/AI26-ZZZZZZ/").status_code == 404


def test_download_a_document_is_logged(client_for, instructor_a, filed, document):
    response = client_for(instructor_a).get(
        f"/aides/dossiers/{filed.reference}/pieces/{document.pk}/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 kbis"
    assert 'filename="kbis-fromagerie.pdf"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action="view", object_id=str(document.pk), actor=instructor_a
    ).exists()


def test_a_document_of_another_file_is_not_served(client_for, instructor_a, filed, document):
    other = make_application(filed.scheme, filed.company, filed.organisation)
    response = client_for(instructor_a).get(
        f"/aides/dossiers/{other.reference}/pieces/{document.pk}/"
    )
    assert response.status_code == 404


def test_instructed_file_shows_the_snapshot_of_checks(client_for, instructor_a, filed):
    filed.status = "committee"
    filed.opinion, filed.opinion_text = "reserved", "Vérifier le contrat du volontaire."
    filed.instructed_at = timezone.now()
    filed.eligible_costs, filed.eligible_amount = Decimal("25366"), Decimal("12683")
    filed.proposed_amount = Decimal("12000")
    filed.checks = [
        {"code": "size", "label": "Taille : TPE ou PME", "outcome": "passed", "detail": "PME"},
        {"code": "x", "label": "Dépenses non liées", "outcome": "manual", "detail": "À voir"},
    ]
    filed.save()
    html = client_for(instructor_a).get(f"/aides/dossiers/{filed.reference}/").content.decode()
    assert "avis <strong>favorable avec réserves</strong>" in html
    assert "Vérifier le contrat du volontaire." in html
    assert "Taille : TPE ou PME" in html
    assert "Respectée" in html
    assert "À vérifier" in html
    assert "1 respectée, 0 non respectée, 1 à vérifier." in " ".join(html.split())
    assert "12\u202f000\u202f€" in html


def test_query_count_does_not_grow_with_the_file(
    client_for, instructor_a, filed, document, django_assert_max_num_queries
):
    client = client_for(instructor_a)
    client.get(f"/aides/dossiers/{filed.reference}/")
    with django_assert_max_num_queries(30):
        client.get(f"/aides/dossiers/{filed.reference}/")


def test_another_instructor_of_the_provider_and_the_follower_org(
    client_for, org_a, org_b, scheme, company
):
    followed_by_b = make_application(scheme, company, org_b, status="submitted")
    colleague = make_user("autre.instructeur@region.fr", org_a, ["instructor"])
    advisor = make_user("conseil.cci@cci.fr", org_b, ["advisor"])
    assert (
        "Claire Martin"
        in client_for(colleague).get(f"/aides/dossiers/{followed_by_b.reference}/").content.decode()
    )
    html = client_for(advisor).get(f"/aides/dossiers/{followed_by_b.reference}/").content.decode()
    assert "Claire Martin" in html
    assert "Commencer l'instruction" not in html


def test_decision_facts_of_a_rejected_file(client_for, instructor_a, filed):
    filed.status, filed.decision_reason = "rejected", "Enveloppe épuisée."
    filed.decided_on = date(2026, 5, 4)
    filed.save()
    html = client_for(instructor_a).get(f"/aides/dossiers/{filed.reference}/").content.decode()
    assert "Aide refusée" in html
    assert "04/05/2026" in html
    assert "Enveloppe épuisée." in html
    assert "Retirer la demande" not in html


def test_the_aids_entry_of_the_main_navigation(client_for, instructor_a, readonly_a):
    html = client_for(instructor_a).get("/aides/dossiers/").content.decode()
    assert 'href="/aides/dossiers/"' in html
    assert ">Aides</a>" in html
    home = client_for(readonly_a).get("/").content.decode()
    assert ">Aides</a>" not in home


def test_an_undecided_file_has_no_decision_section(client_for, instructor_a, filed):
    html = client_for(instructor_a).get(f"/aides/dossiers/{filed.reference}/").content.decode()
    assert "Décision et versements" not in html


def test_a_granted_file_shows_the_decision_part(client_for, instructor_a, filed):
    filed.status, filed.granted_amount = "approved", Decimal("12000")
    filed.decided_on = date(2026, 5, 4)
    filed.save()
    html = client_for(instructor_a).get(f"/aides/dossiers/{filed.reference}/").content.decode()
    assert "Décision et versements" in html
    assert "Aide accordée" in html


def test_the_list_query_count_does_not_grow_with_the_rows(
    client_for, instructor_a, scheme, company, org_a, django_assert_max_num_queries
):
    for index in range(20):
        make_application(scheme, company, org_a, title=f"Projet {index}", instructor=instructor_a)
    client = client_for(instructor_a)
    client.get("/aides/dossiers/")
    with django_assert_max_num_queries(16):
        client.get("/aides/dossiers/")
