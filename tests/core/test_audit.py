import csv
import io

import pytest
from openpyxl import load_workbook

from guichet.core.models import AuditEvent
from guichet.partners import services


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_changes_made_through_pages_are_logged_with_author_and_fields(
    client_for, admin_user, org_b
):
    response = client_for(admin_user).post(
        "/partenaires/cci-test/modifier/",
        {"name": "CCI Test renommée", "kind": "cci", "is_active": "on"},
    )
    assert response.status_code == 302
    (event,) = events(object_type="partners.Organisation", action="update")
    assert event.actor == admin_user
    assert event.actor_label == "Alice Admin <alice.admin@test.example>"
    assert event.organisation_label == "Région Test"
    assert event.changes["name"] == ["CCI Test", "CCI Test renommée"]
    assert event.path == "/partenaires/cci-test/modifier/"


def test_creation_and_deletion_are_logged_and_passwords_masked(db, org_a):
    user = services.user_create(
        email="nina.neuve@test.example",
        first_name="Nina",
        last_name="Neuve",
        organisation=org_a,
        password="un-mot-de-passe-solide",
        invite=False,
    )
    (created,) = events(object_type="partners.User", action="create", object_id=str(user.pk))
    assert created.changes["email"] == [None, "nina.neuve@test.example"]
    assert created.changes["password"] == [None, "••••••"]
    user_id = user.pk
    user.delete()
    (deleted,) = events(object_type="partners.User", action="delete", object_id=str(user_id))
    assert deleted.object_label == "Nina Neuve"


def test_role_changes_are_logged(db, admin_user, advisor_a, manager_a):
    services.user_update(user=advisor_a, roles=["advisor", "expert"])
    role_events = [
        e
        for e in events(object_type="partners.User", object_id=str(advisor_a.pk))
        if "roles" in e.changes
    ]
    assert ["ajout", ["expert"]] in [e.changes["roles"] for e in role_events]


def test_viewing_a_person_file_is_logged(client_for, admin_user, advisor_a):
    client_for(admin_user).get(f"/administration/utilisateurs/{advisor_a.pk}/")
    (view,) = events(action="view")
    assert view.actor == admin_user
    assert view.object_type == "partners.User"
    assert view.object_id == str(advisor_a.pk)
    assert view.object_label == "Claire Conseil"


def test_audit_log_is_append_only(db, org_a):
    event = AuditEvent.objects.order_by("id").first()
    event.object_label = "falsifié"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(object_label="x")
    assert AuditEvent.objects.filter(object_label="falsifié").count() == 0


def test_audit_page_lists_filters_and_has_no_edit_control(client_for, admin_user, advisor_a):
    client = client_for(admin_user)
    client.get(f"/administration/utilisateurs/{advisor_a.pk}/")
    page = client.get("/administration/journal/?action=view").content.decode()
    assert "Consultation de données personnelles" in page
    assert "Claire Conseil" in page
    assert "1 événement" in page
    assert '<form method="post"' not in page.split("<main")[1]
    empty = client.get("/administration/journal/?text=personne-inconnue").content.decode()
    assert "Aucun événement ne correspond à ces filtres" in empty


def test_audit_page_rejects_inverted_dates_with_a_french_message(client_for, admin_user):
    page = client_for(admin_user).get("/administration/journal/?since=2026-05-02&until=2026-05-01")
    assert "La date de début doit précéder la date de fin." in page.content.decode()


def test_audit_exports_csv_and_xlsx_with_the_filters(client_for, admin_user, advisor_a):
    client = client_for(admin_user)
    client.get(f"/administration/utilisateurs/{advisor_a.pk}/")
    response = client.get("/administration/journal/?action=view&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Date", "Auteur", "Organisation", "Action"]
    assert len(rows) == 2
    assert rows[1][3] == "Consultation de données personnelles"
    assert rows[1][6] == "Claire Conseil"

    response = client.get("/administration/journal/?action=view&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Date"
    assert values[1][6] == "Claire Conseil"
    # The export itself is logged.
    assert AuditEvent.objects.filter(action="export", object_type="core.AuditEvent").count() == 2
