"""Filing services: drafts, expenses, declarations, submission (checks, ledger, e-mail),
completion of an incomplete file, and the account-less filing. Every refusal leaves the
file as it was."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.aids.links import application_for_token, application_token
from guichet.aids.models import Application, DeclaredAid, MissingItem, PlannedExpense
from guichet.aids.services import intake
from guichet.aids.services.states import application_move
from guichet.stateaid.models import StateAidGrant
from tests.aids.conftest import VALID_SIRET, make_ready_draft, make_scheme, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _create(scheme, company, advisor, **extra):
    fields = {
        "scheme": scheme,
        "company": company,
        "filed_by": "advisor",
        "organisation": advisor.organisation,
        "title": "Recrutement d'une responsable export",
        "contact_name": "Claire Martin",
        "contact_email": "Claire.Martin@Example.fr",
        "by": advisor,
    }
    fields.update(extra)
    return intake.application_create(**fields)


def test_an_advisor_draft_is_followed_by_the_advisor_organisation(scheme, company, advisor_b):
    application = _create(scheme, company, advisor_b, project_start=TODAY)
    assert application.status == "draft"
    assert application.organisation == advisor_b.organisation
    assert application.filed_by == "advisor"
    assert application.created_by == advisor_b
    assert application.contact_email == "claire.martin@example.fr"
    assert [e.title for e in application.events.all()] == [
        "Demande d'aide commencée par un conseiller"
    ]
    assert company.timeline_events.filter(kind="aid").count() == 1


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"project_start": date(2026, 6, 1), "project_end": date(2026, 1, 31)},
            "project_end",
            "La fin du programme (31/01/2026) précède son début (01/06/2026).",
        ),
        ({"requested_amount": "-5"}, "requested_amount", "ne peut pas être négatif"),
        ({"hired_on": TODAY + timedelta(days=3)}, "hired_on", "ne peut pas être dans le futur"),
        ({"export_share": "120"}, "export_share", "va de 0 à 100 %"),
        ({"contact_email": "pas-une-adresse"}, "contact_email", "adresse électronique valide"),
    ],
)
def test_a_draft_with_bad_values_is_refused_and_nothing_is_created(
    scheme, company, advisor_a, extra, field, message
):
    with pytest.raises(ValidationError) as refused:
        _create(scheme, company, advisor_a, **extra)
    assert message in " ".join(refused.value.message_dict[field])
    assert Application.objects.count() == 0


def test_no_draft_for_a_closed_scheme(company, advisor_a, org_a):
    closed = make_scheme(org_a, slug="ancien", is_active=False)
    with pytest.raises(ValidationError, match="est fermé"):
        _create(closed, company, advisor_a)


def test_an_update_in_the_wrong_date_order_changes_nothing(scheme, company, advisor_a):
    application = _create(scheme, company, advisor_a, project_start=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="précède son début"):
        intake.application_update(
            application=application,
            title="Autre titre",
            project_start=date(2026, 5, 1),
            project_end=date(2026, 4, 30),
        )
    saved = Application.objects.get(pk=application.pk)
    assert saved.title == "Recrutement d'une responsable export"
    assert saved.project_start == date(2026, 1, 1)
    assert saved.project_end is None


def test_a_submitted_file_no_longer_changes(scheme, company, org_a):
    application = make_ready_draft(scheme, company, org_a)
    intake.application_submit(application=application)
    with pytest.raises(ValidationError, match="n'est plus modifiable"):
        intake.application_update(application=application, title="Changé")
    with pytest.raises(ValidationError, match="n'est plus modifiable"):
        intake.expense_add(
            application=application,
            category=scheme.cost_categories.first(),
            description="Frais",
            amount="100",
        )
    assert Application.objects.get(pk=application.pk).title == "V.I.E. à Padoue"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-100", "est positif"),
        ("0", "est positif"),
        ("", "Indiquez le montant"),
        ("beaucoup", "Saisissez un nombre"),
        ("NaN", "Saisissez un nombre"),
    ],
)
def test_an_expense_needs_a_positive_amount(scheme, company, advisor_a, amount, message):
    application = _create(scheme, company, advisor_a)
    with pytest.raises(ValidationError) as refused:
        intake.expense_add(
            application=application,
            category=scheme.cost_categories.first(),
            description="Indemnités",
            amount=amount,
        )
    assert message in refused.value.message_dict["amount"][0]
    assert PlannedExpense.objects.count() == 0


def test_an_expense_category_must_belong_to_the_scheme(scheme, company, advisor_a, org_a):
    other = make_scheme(org_a, slug="autre")
    application = _create(scheme, company, advisor_a)
    with pytest.raises(ValidationError, match="catégorie de dépenses de ce dispositif"):
        intake.expense_add(
            application=application,
            category=other.cost_categories.first(),
            description="Frais",
            amount="10",
        )


def test_expenses_are_added_and_removed(scheme, company, advisor_a):
    application = _create(scheme, company, advisor_a)
    expense = intake.expense_add(
        application=application,
        category=scheme.cost_categories.get(code="frais"),
        description="  Frais   de gestion ",
        amount=Decimal("1500.50"),
    )
    assert (expense.description, expense.amount) == ("Frais de gestion", Decimal("1500.50"))
    intake.expense_remove(expense=expense)
    assert application.expenses.count() == 0


@pytest.mark.parametrize(
    ("granted_on", "amount", "field", "message"),
    [
        (TODAY - timedelta(days=30), "-10", "amount", "est positif"),
        (TODAY + timedelta(days=1), "1000", "granted_on", "dans le futur"),
        (TODAY.replace(year=TODAY.year - 4), "1000", "granted_on", "trois ans"),
        (None, "1000", "granted_on", "Indiquez la date"),
    ],
)
def test_a_declared_aid_is_checked(scheme, company, advisor_a, granted_on, amount, field, message):
    application = _create(scheme, company, advisor_a)
    with pytest.raises(ValidationError) as refused:
        intake.declared_aid_add(
            application=application,
            granting_body="Département",
            granted_on=granted_on,
            amount=amount,
            regulation="de_minimis",
        )
    assert message in refused.value.message_dict[field][0]
    assert DeclaredAid.objects.count() == 0


def test_declaring_an_aid_withdraws_the_no_other_aid_statement(scheme, company, advisor_a):
    application = _create(scheme, company, advisor_a)
    intake.application_declare_no_other_aid(application=application, value=True)
    intake.declared_aid_add(
        application=application,
        granting_body="Bpifrance",
        granted_on=TODAY - timedelta(days=100),
        amount="20000",
        regulation="de_minimis",
    )
    assert Application.objects.get(pk=application.pk).declared_no_other_aid is False
    with pytest.raises(ValidationError, match="retirez-les"):
        intake.application_declare_no_other_aid(application=application, value=True)


def test_submission_lists_everything_missing_and_changes_nothing(scheme, company, advisor_a):
    application = _create(scheme, company, advisor_a, requested_amount="0")
    with pytest.raises(ValidationError) as refused:
        intake.application_submit(application=application, by=advisor_a)
    problems = refused.value.message_dict
    assert problems["expenses"] == ["Ajoutez au moins une dépense prévue."]
    assert problems["requested_amount"] == ["Indiquez le montant d'aide demandé (plus de 0 €)."]
    assert problems["documents"] == [
        "Pièce obligatoire manquante : Extrait Kbis.",
        "Pièce obligatoire manquante : Devis Business France.",
    ]
    assert "Déclarez les aides de minimis" in problems["declarations"][0]
    saved = Application.objects.get(pk=application.pk)
    assert saved.status == "draft"
    assert saved.submitted_at is None


def test_the_requested_amount_cannot_exceed_the_expenses(scheme, company, org_a):
    application = make_ready_draft(scheme, company, org_a, requested_amount=Decimal("30000"))
    with pytest.raises(ValidationError) as refused:
        intake.application_submit(application=application)
    assert refused.value.message_dict["requested_amount"] == [
        "Le montant demandé (30\u202f000\u202f€) dépasse le total des dépenses prévues "
        "(25\u202f366\u202f€)."
    ]


def test_a_scheme_past_its_deadline_refuses_submissions(company, org_a):
    scheme = make_scheme(org_a, closes_on=TODAY - timedelta(days=1))
    application = make_ready_draft(scheme, company, org_a)
    with pytest.raises(ValidationError) as refused:
        intake.application_submit(application=application)
    assert "date limite de dépôt" in refused.value.message_dict["scheme"][0]
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_submission_moves_the_file_records_declared_aids_and_acknowledges(
    scheme, company, org_a, advisor_a, django_capture_on_commit_callbacks
):
    application = make_ready_draft(scheme, company, org_a, declared_no_other_aid=False)
    intake.declared_aid_add(
        application=application,
        granting_body="Département de la Côte-d'Or",
        granted_on=TODAY - timedelta(days=200),
        amount="15000",
        regulation="de_minimis",
    )
    with django_capture_on_commit_callbacks(execute=True):
        intake.application_submit(application=application, by=advisor_a)
    saved = Application.objects.get(pk=application.pk)
    assert saved.status == "submitted"
    assert saved.submitted_at is not None
    assert saved.events.filter(title="Demande déposée", to_status="submitted").count() == 1
    assert company.timeline_events.filter(title__contains="Demande déposée").count() == 1
    aid = saved.declared_aids.get()
    grant = StateAidGrant.objects.get()
    assert grant.source == "declared"
    assert grant.source_ref == f"aids.declared:{aid.pk}"
    assert (grant.amount, grant.granted_on) == (Decimal("15000"), aid.granted_on)
    assert grant.granting_body == "Département de la Côte-d'Or"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.martin@example.fr"]
    assert message.subject == f"Votre demande d'aide {saved.reference} a bien été déposée"
    assert "Montant demandé : 12\u202f000\u202f€." in message.body
    assert "/aides/mon-dossier/" in message.body


def _incomplete(scheme, company, org_a, instructor):
    application = make_ready_draft(scheme, company, org_a)
    intake.application_submit(application=application)
    application.refresh_from_db()
    application_move(application=application, to="incomplete", by=instructor, title="Incomplète")
    devis = scheme.required_documents.get(code="devis")
    upload_item = MissingItem.objects.create(
        application=application, label="Devis signé", required=devis, requested_by=instructor
    )
    text_item = MissingItem.objects.create(
        application=application, label="Date de départ du volontaire", requested_by=instructor
    )
    return application, upload_item, text_item


def test_completion_needs_an_answer_to_each_item_and_changes_nothing_otherwise(
    scheme, company, org_a, instructor_a, settings
):
    application, upload_item, text_item = _incomplete(scheme, company, org_a, instructor_a)
    documents_before = application.documents.count()
    answers = {
        upload_item.pk: intake.Answer(upload=pdf_upload("faux.pdf", b"MZ\x90\x00 not a pdf")),
        text_item.pk: intake.Answer(text=""),
    }
    with pytest.raises(ValidationError) as refused:
        intake.application_complete(application=application, by_company=True, answers=answers)
    errors = refused.value.message_dict
    assert "n'est ni un PDF ni une image" in errors[f"item_{upload_item.pk}"][0]
    assert "Répondez à « Date de départ du volontaire »" in errors[f"item_{text_item.pk}"][0]
    saved = Application.objects.get(pk=application.pk)
    assert saved.status == "incomplete"
    assert saved.documents.count() == documents_before
    assert saved.missing_items.filter(resolved_at__isnull=True).count() == 2


def test_completion_stores_the_answers_and_submits_again(
    scheme, company, org_a, instructor_a, django_capture_on_commit_callbacks
):
    application, upload_item, text_item = _incomplete(scheme, company, org_a, instructor_a)
    answers = {
        upload_item.pk: intake.Answer(upload=pdf_upload("devis-signe.pdf")),
        text_item.pk: intake.Answer(text="Le 1er septembre."),
    }
    with django_capture_on_commit_callbacks(execute=True):
        intake.application_complete(application=application, by_company=True, answers=answers)
    saved = Application.objects.get(pk=application.pk)
    assert saved.status == "submitted"
    assert saved.missing_items.filter(resolved_at__isnull=True).count() == 0
    document = saved.documents.get(original_name="devis-signe.pdf")
    assert (document.label, document.required.code) == ("Devis signé", "devis")
    event = saved.events.get(title="Dossier complété et renvoyé")
    assert event.by_company is True
    assert "Date de départ du volontaire : Le 1er septembre." in event.text
    assert "Devis signé : document « devis-signe.pdf »" in event.text
    assert mail.outbox[-1].subject == f"Votre dossier {saved.reference} complété a bien été reçu"


def test_a_declared_aid_removed_from_an_incomplete_file_leaves_the_ledger(
    scheme, company, org_a, instructor_a
):
    application = make_ready_draft(scheme, company, org_a, declared_no_other_aid=False)
    aid = intake.declared_aid_add(
        application=application,
        granting_body="Bpifrance",
        granted_on=TODAY - timedelta(days=10),
        amount="5000",
        regulation="de_minimis",
    )
    intake.application_submit(application=application)
    application.refresh_from_db()
    application_move(application=application, to="incomplete", title="Incomplète")
    ref = f"aids.declared:{aid.pk}"
    assert StateAidGrant.objects.get(source_ref=ref).cancelled_at is None
    intake.declared_aid_remove(aid=aid)
    assert StateAidGrant.objects.get(source_ref=ref).cancelled_at is not None
    assert DeclaredAid.objects.count() == 0


def test_the_company_files_alone_for_a_registry_siret(
    scheme, registry_company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = intake.application_file_by_company(
            scheme=scheme,
            siret=VALID_SIRET,
            title="V.I.E. en Italie",
            contact_name="Claire Martin",
            contact_email="claire@fromagerie.fr",
        )
    assert application.company == registry_company
    assert application.filed_by == "company"
    assert application.organisation == scheme.provider
    assert application.created_by is None
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    token = body.split("/aides/mon-dossier/")[1].split("/")[0]
    assert application_for_token(token) == application
    with django_capture_on_commit_callbacks(execute=True):
        again = intake.application_file_by_company(
            scheme=scheme,
            siret=VALID_SIRET,
            title="V.I.E. en Italie",
            contact_name="Claire Martin",
            contact_email="CLAIRE@fromagerie.fr",
        )
    assert again == application
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 2


def test_an_unknown_siret_is_refused_with_the_desk_to_contact(scheme, registry_company):
    with pytest.raises(ValidationError) as refused:
        intake.application_file_by_company(
            scheme=scheme,
            siret="73282932000074",
            title="Projet",
            contact_name="X",
            contact_email="x@example.fr",
        )
    assert "contactez le guichet export" in refused.value.message_dict["siret"][0]
    assert Application.objects.count() == 0


def test_a_new_link_revokes_the_old_ones(
    scheme, company, org_a, advisor_a, django_capture_on_commit_callbacks
):
    application = make_ready_draft(scheme, company, org_a)
    old = application_token(application)
    with django_capture_on_commit_callbacks(execute=True):
        intake.application_link_send(application=application, by=advisor_a, revoke=True)
    assert application_for_token(old) is None
    assert "/aides/mon-dossier/" in mail.outbox[0].body
    assert (
        Application.objects.get(pk=application.pk)
        .events.filter(title="Nouveau lien envoyé à l'entreprise")
        .exists()
    )
