"""The advisor's filing pages: a new file from the company file, the editing page (each part
saves on its own, refusals keep what was typed), submission, and the link sent to the company.
Permissions: advisor of the following organisation, other organisation, read-only, anonymous."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from guichet.aids.models import Application
from guichet.core.models import AuditEvent
from tests.aids.conftest import make_application, make_ready_draft, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def edit_url(application) -> str:
    return f"/aides/dossiers/{application.reference}/modifier/"


def test_the_new_file_page_offers_the_active_schemes(client_for, advisor_a, company, scheme):
    response = client_for(advisor_a).get(f"/entreprises/{company.siren}/aides/nouvelle/")
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Nouvelle demande d'aide — Fromagerie de Bourgogne" in text
    assert "Soutien au V.I.E. — Région Test" in text


def test_an_advisor_of_another_organisation_files_for_the_company(
    client_for, advisor_b, company, scheme
):
    response = client_for(advisor_b).post(
        f"/entreprises/{company.siren}/aides/nouvelle/",
        {
            "scheme": scheme.pk,
            "title": "V.I.E. à Milan",
            "contact_name": "Claire Martin",
            "contact_email": "claire@fromagerie.fr",
            "project_start": "2026-09-01",
            "project_end": "2027-08-31",
            "export_share": "12,5",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(application)
    assert application.organisation == advisor_b.organisation
    assert (application.filed_by, application.created_by) == ("advisor", advisor_b)
    assert application.export_share == Decimal("12.5")


def test_the_new_file_form_keeps_what_was_typed_and_says_what_is_wrong(
    client_for, advisor_a, company, scheme
):
    response = client_for(advisor_a).post(
        f"/entreprises/{company.siren}/aides/nouvelle/",
        {
            "scheme": scheme.pk,
            "title": "Salon à Cologne",
            "contact_name": "",
            "contact_email": "claire@",
            "project_start": "2026-09-01",
            "project_end": "2026-03-01",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient 3 erreurs" in text
    assert "Indiquez le nom de la personne à contacter." in text
    assert "Saisissez une adresse électronique valide (nom@domaine.fr)." in text
    assert "La fin du programme (01/03/2026) précède son début (01/09/2026)." in text
    assert 'value="Salon à Cologne"' in text
    assert Application.objects.count() == 0


@pytest.mark.parametrize("who", ["readonly_a", None])
def test_read_only_members_and_anonymous_visitors_cannot_file(
    client_for, request, company, scheme, who
):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(f"/entreprises/{company.siren}/aides/nouvelle/")
    assert response.status_code == (403 if user else 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [("advisor_a", 200), ("admin_user", 200), ("advisor_b", 403), ("readonly_a", 403)],
)
def test_who_may_edit_a_draft(client_for, request, scheme, company, org_a, who, status):
    draft = make_application(scheme, company, org_a)
    response = client_for(request.getfixturevalue(who)).get(edit_url(draft))
    assert response.status_code == status


def test_the_edit_page_shows_the_file_and_logs_the_contact_display(
    client_for, advisor_a, scheme, company, org_a
):
    draft = make_application(scheme, company, org_a)
    text = client_for(advisor_a).get(edit_url(draft)).content.decode()
    assert f"Demande d'aide {draft.reference}" in text
    assert "claire.martin@example.fr" in text
    assert "Indemnités sur 12 mois" in text
    assert "Pièce obligatoire manquante : Extrait Kbis." in text  # what is still missing
    assert AuditEvent.objects.filter(
        action="view", object_type="aids.Application", object_id=str(draft.pk), actor=advisor_a
    ).exists()


def test_a_negative_expense_is_refused_on_the_page_and_nothing_is_saved(
    client_for, advisor_a, scheme, company, org_a
):
    draft = make_application(scheme, company, org_a)
    category = scheme.cost_categories.get(code="frais")
    response = client_for(advisor_a).post(
        edit_url(draft),
        {
            "action": "depense",
            "depense-category": category.pk,
            "depense-description": "Frais Business France",
            "depense-amount": "-1 200",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Le montant d&#x27;une dépense est positif (plus de 0 €)." in text
    assert 'value="Frais Business France"' in text
    assert draft.expenses.count() == 1


def test_expenses_are_added_in_french_amounts_and_removed(
    client_for, advisor_a, scheme, company, org_a
):
    draft = make_application(scheme, company, org_a)
    client = client_for(advisor_a)
    response = client.post(
        edit_url(draft),
        {
            "action": "depense",
            "depense-category": scheme.cost_categories.get(code="frais").pk,
            "depense-description": "Frais Business France",
            "depense-amount": "1 250,50 €",
        },
    )
    assert response["Location"] == edit_url(draft) + "#depenses"
    expense = draft.expenses.get(description="Frais Business France")
    assert expense.amount == Decimal("1250.50")
    page = client.get(edit_url(draft)).content.decode()
    assert "26\u202f616,50\u202f€" in page  # the total
    client.post(edit_url(draft), {"action": "retirer-depense", "depense": expense.pk})
    assert not draft.expenses.filter(pk=expense.pk).exists()


def test_a_project_in_the_wrong_date_order_is_refused_and_unchanged(
    client_for, advisor_a, scheme, company, org_a
):
    draft = make_application(scheme, company, org_a)
    response = client_for(advisor_a).post(
        edit_url(draft),
        {
            "action": "projet",
            "projet-title": "Nouveau titre",
            "projet-contact_name": "Claire Martin",
            "projet-contact_email": "claire.martin@example.fr",
            "projet-project_start": "2026-10-01",
            "projet-project_end": "2026-02-01",
            "projet-requested_amount": "-3",
        },
    )
    text = response.content.decode()
    assert "La fin du programme (01/02/2026) précède son début (01/10/2026)." in text
    assert "Le montant demandé ne peut pas être négatif." in text
    saved = Application.objects.get(pk=draft.pk)
    assert (saved.title, saved.project_start, saved.requested_amount) == (
        "V.I.E. à Padoue",
        None,
        Decimal("12683"),
    )


def test_declarations_on_the_page(client_for, advisor_a, scheme, company, org_a):
    draft = make_application(scheme, company, org_a)
    client = client_for(advisor_a)
    response = client.post(
        edit_url(draft),
        {
            "action": "aide",
            "aide-granting_body": "Bpifrance",
            "aide-granted_on": (TODAY - timedelta(days=60)).isoformat(),
            "aide-amount": "30 000",
            "aide-regulation": "de_minimis",
        },
    )
    assert response.status_code == 302
    aid = draft.declared_aids.get()
    assert aid.amount == Decimal("30000")
    page = client.get(edit_url(draft)).content.decode()
    assert "Bpifrance" in page
    assert "30\u202f000\u202f€" in page
    client.post(edit_url(draft), {"action": "retirer-aide", "aide": aid.pk})
    client.post(
        edit_url(draft), {"action": "declaration", "declaration-declared_no_other_aid": "on"}
    )
    assert Application.objects.get(pk=draft.pk).declared_no_other_aid is True


def test_submitting_an_incomplete_draft_lists_what_is_missing(
    client_for, advisor_a, scheme, company, org_a
):
    draft = make_application(scheme, company, org_a)
    response = client_for(advisor_a).post(edit_url(draft), {"action": "deposer"})
    text = response.content.decode()
    assert "La demande ne peut pas encore être déposée" in text
    assert "Pièce obligatoire manquante : Devis Business France." in text
    assert "Déclarez les aides de minimis" in text
    assert Application.objects.get(pk=draft.pk).status == "draft"


def test_a_complete_draft_is_submitted_and_acknowledged(
    client_for, advisor_a, scheme, company, org_a, django_capture_on_commit_callbacks
):
    draft = make_ready_draft(scheme, company, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(advisor_a).post(edit_url(draft), {"action": "deposer"})
    assert response.status_code == 302
    saved = Application.objects.get(pk=draft.pk)
    assert saved.status == "submitted"
    assert saved.events.get(title="Demande déposée").by == advisor_a
    assert mail.outbox[0].to == ["claire.martin@example.fr"]
    follow = client_for(advisor_a).get(edit_url(draft))
    assert follow.status_code == 302  # no more editing: off to the file's page


def test_documents_of_another_file_cannot_be_removed_through_this_one(
    client_for, advisor_a, scheme, company, org_a
):
    first = make_application(scheme, company, org_a)
    second = make_application(scheme, company, org_a)
    from guichet.aids.services.documents import application_document_add

    document = application_document_add(application=second, upload=pdf_upload(), label="Devis")
    response = client_for(advisor_a).post(
        edit_url(first), {"action": "retirer-piece", "piece": document.pk}
    )
    assert response.status_code == 404
    assert second.documents.count() == 1


def test_the_advisor_sends_the_link_to_the_contact(
    client_for, advisor_a, scheme, company, org_a, django_capture_on_commit_callbacks
):
    draft = make_application(scheme, company, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(advisor_a).post(f"/aides/dossiers/{draft.reference}/lien/")
    assert response["Location"] == edit_url(draft)
    message = mail.outbox[0]
    assert message.to == ["claire.martin@example.fr"]
    assert "/aides/mon-dossier/" in message.body
    assert "Fromagerie de Bourgogne" in message.body


@pytest.mark.parametrize("who", ["advisor_b", "readonly_a"])
def test_others_cannot_send_the_link(client_for, request, scheme, company, org_a, who):
    draft = make_application(scheme, company, org_a)
    response = client_for(request.getfixturevalue(who)).post(
        f"/aides/dossiers/{draft.reference}/lien/"
    )
    assert response.status_code == 403
    assert mail.outbox == []


def test_the_company_file_lists_applications_and_opens_them_only_for_their_followers(
    client_for, advisor_a, advisor_b, scheme, company, org_a
):
    draft = make_application(scheme, company, org_a, requested_amount=Decimal("12683"))
    own = client_for(advisor_a).get(f"/entreprises/{company.siren}/").content.decode()
    other = client_for(advisor_b).get(f"/entreprises/{company.siren}/").content.decode()
    for text in (own, other):
        assert "Aides individuelles" in text
        assert "Soutien au V.I.E." in text
        assert "12\u202f683\u202f€" in text
        assert "Nouvelle demande d'aide" in text
    assert f'href="{edit_url(draft)}"' in own
    assert edit_url(draft) not in other
    assert "claire.martin@example.fr" not in other


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_edit_page_queries_do_not_grow_with_expenses_documents_and_aids(
    client_for, advisor_a, scheme, company, org_a
):
    from guichet.aids.services.documents import application_document_add

    draft = make_application(scheme, company, org_a)
    client = client_for(advisor_a)
    client.get(edit_url(draft))
    few = _queries(client, edit_url(draft))
    category = scheme.cost_categories.get(code="frais")
    for n in range(8):
        intake_expense(draft, category, n)
        application_document_add(application=draft, upload=pdf_upload(), label=f"Devis {n}")
        declared(draft, n)
    assert _queries(client, edit_url(draft)) == few
    assert few <= 22


def test_the_company_file_section_queries_do_not_grow_with_applications(
    client_for, advisor_b, scheme, company, org_a
):
    make_application(scheme, company, org_a)
    client = client_for(advisor_b)
    url = f"/entreprises/{company.siren}/"
    client.get(url)
    few = _queries(client, url)
    for _ in range(6):
        make_application(scheme, company, org_a, status="submitted")
    assert _queries(client, url) == few


def intake_expense(application, category, n):
    from guichet.aids.services.intake import expense_add

    expense_add(application=application, category=category, description=f"Frais {n}", amount=10)


def declared(application, n):
    from guichet.aids.services.intake import declared_aid_add

    declared_aid_add(
        application=application,
        granting_body=f"Organisme {n}",
        granted_on=TODAY - timedelta(days=10 + n),
        amount=100,
        regulation="de_minimis",
    )
