"""Instruction services: each moves the file through the state machine, writes its history,
refuses bad input with French messages (with the figures) and then changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.aids.links import company_link_path
from guichet.aids.models import Application, CommitteeSession, MissingItem
from guichet.aids.services.instruction import (
    application_ask_missing,
    application_instruct,
    application_propose,
    application_start_instruction,
    application_withdraw,
)
from guichet.stateaid.models import StateAidGrant
from tests.aids.conftest import make_application


@pytest.fixture
def submitted(scheme, company, org_a):
    return make_application(scheme, company, org_a, status="submitted", submitted_at=timezone.now())


@pytest.fixture
def instructing(submitted, instructor_a):
    return application_start_instruction(application=submitted, by=instructor_a)


@pytest.fixture
def session(org_a, instructor_a):
    return CommitteeSession.objects.create(
        title="Commission permanente",
        held_on=timezone.localdate() + timedelta(days=20),
        organisation=org_a,
        created_by=instructor_a,
    )


def _fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


# --- missing items ----------------------------------------------------------------------------


def test_ask_missing_items_makes_the_file_incomplete(
    submitted, scheme, instructor_a, django_capture_on_commit_callbacks
):
    kbis = scheme.required_documents.get(code="kbis")
    with django_capture_on_commit_callbacks(execute=True):
        application_ask_missing(
            application=submitted,
            items=["  Devis  signé du volontaire ", "", "Devis signé du volontaire"],
            documents=[kbis],
            by=instructor_a,
        )
    saved = _fresh(submitted)
    assert saved.status == "incomplete"
    assert list(saved.missing_items.values_list("label", "required__code")) == [
        ("Extrait Kbis", "kbis"),
        ("Devis signé du volontaire", None),
    ]
    event = saved.events.get()
    assert event.to_status == "incomplete"
    assert event.text == "Éléments manquants : Extrait Kbis ; Devis signé du volontaire."
    assert event.by == instructor_a
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.martin@example.fr"]
    assert "des éléments manquent" in message.subject
    assert "- Extrait Kbis\n- Devis signé du volontaire" in message.body
    assert f"{settings.GUICHET_BASE_URL}{company_link_path(saved)}" in message.body


def test_ask_missing_needs_an_item(submitted, instructor_a):
    with pytest.raises(ValidationError) as error:
        application_ask_missing(application=submitted, items=["  "], by=instructor_a)
    assert error.value.message_dict == {
        "items": ["Indiquez au moins un élément ou une pièce manquante."]
    }
    assert _fresh(submitted).status == "submitted"
    assert not MissingItem.objects.exists()


def test_a_draft_cannot_be_declared_incomplete(scheme, company, org_a, instructor_a):
    draft = make_application(scheme, company, org_a)
    with pytest.raises(ValidationError, match="ne peut pas être déclaré incomplet"):
        application_ask_missing(application=draft, items=["Kbis"], by=instructor_a)
    assert not MissingItem.objects.exists()
    assert _fresh(draft).status == "draft"


# --- start, instruct --------------------------------------------------------------------------


def test_start_instruction_sets_the_instructor(submitted, instructor_a):
    application_start_instruction(application=submitted, by=instructor_a)
    saved = _fresh(submitted)
    assert (saved.status, saved.instructor) == ("instruction", instructor_a)
    assert saved.events.get().title == "Instruction commencée"
    with pytest.raises(ValidationError, match="seule une demande déposée"):
        application_start_instruction(application=saved, by=instructor_a)


def test_instruct_records_checks_amounts_and_opinion(instructing, instructor_a):
    application_instruct(
        application=instructing,
        eligible_costs=Decimal("24000"),
        proposed_amount=Decimal("12000"),
        opinion="favourable",
        opinion_text="",
        by=instructor_a,
    )
    saved = _fresh(instructing)
    assert saved.status == "instruction"
    assert (saved.eligible_costs, saved.eligible_amount, saved.proposed_amount) == (
        Decimal("24000"),
        Decimal("12000.00"),
        Decimal("12000"),
    )
    assert saved.opinion == "favourable"
    assert saved.instructed_at is not None
    codes = {check["code"]: check["outcome"] for check in saved.checks}
    assert codes["size"] == "passed"
    assert codes["not_allowed_costs"] == "manual"
    assert saved.events.last().title == "Instruction : avis favorable"
    assert "montant proposé 12\u202f000\u202f€" in saved.events.last().text


def test_instruct_refuses_an_amount_above_the_eligible_amount(instructing, instructor_a):
    with pytest.raises(ValidationError) as error:
        application_instruct(
            application=instructing,
            eligible_costs=Decimal("60000"),
            proposed_amount=Decimal("26000"),
            opinion="favourable",
            by=instructor_a,
        )
    assert error.value.message_dict["proposed_amount"] == [
        "Le montant proposé (26\u202f000\u202f€) dépasse le montant éligible (25\u202f000\u202f€), "
        "fixé par « Plafond par aide »."
    ]
    saved = _fresh(instructing)
    assert (saved.eligible_costs, saved.proposed_amount, saved.opinion, saved.checks) == (
        None,
        None,
        "",
        [],
    )


def test_instruct_explains_the_binding_cap(instructing, instructor_a):
    with pytest.raises(ValidationError) as error:
        application_instruct(
            application=instructing,
            eligible_costs=Decimal("20000"),
            proposed_amount=Decimal("10000.01"),
            opinion="favourable",
            by=instructor_a,
        )
    assert error.value.message_dict["proposed_amount"] == [
        "Le montant proposé (10\u202f000,01\u202f€) dépasse le montant éligible "
        "(10\u202f000\u202f€), fixé par « Taux × dépenses éligibles » (50 % × 20\u202f000\u202f€)."
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"opinion": "unfavourable", "opinion_text": " "},
            {"opinion_text": ["Motivez l'avis défavorable."]},
        ),
        (
            {"opinion": "reserved", "opinion_text": ""},
            {"opinion_text": ["Indiquez les réserves de l'avis."]},
        ),
        (
            {"eligible_costs": Decimal("-1")},
            {"eligible_costs": ["Le montant des dépenses éligibles ne peut pas être négatif."]},
        ),
        (
            {"proposed_amount": "abc"},
            {"proposed_amount": ["Le montant proposé n'est pas un nombre."]},
        ),
        (
            {"proposed_amount": Decimal("10.001")},
            {"proposed_amount": ["Le montant proposé s'exprime en euros et centimes."]},
        ),
        (
            {"opinion": "maybe"},
            {
                "opinion": [
                    "Choisissez un avis : favorable, favorable avec réserves ou défavorable."
                ]
            },
        ),
    ],
)
def test_instruct_bad_input(instructing, instructor_a, fields, expected):
    values = {
        "eligible_costs": Decimal("20000"),
        "proposed_amount": Decimal("0"),
        "opinion": "favourable",
        "opinion_text": "",
    }
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        application_instruct(application=instructing, by=instructor_a, **values)
    assert error.value.message_dict == expected
    assert _fresh(instructing).instructed_at is None
    assert _fresh(instructing).events.count() == 1


def test_an_unfavourable_opinion_with_its_reason(instructing, instructor_a):
    application_instruct(
        application=instructing,
        eligible_costs=Decimal("20000"),
        proposed_amount=Decimal("0"),
        opinion="unfavourable",
        opinion_text="Mission déjà commencée.",
        by=instructor_a,
    )
    assert _fresh(instructing).opinion_text == "Mission déjà commencée."


def test_instruct_needs_a_file_under_instruction(submitted, instructor_a):
    with pytest.raises(ValidationError, match="sur un dossier en instruction"):
        application_instruct(
            application=submitted,
            eligible_costs=Decimal("20000"),
            proposed_amount=Decimal("1000"),
            opinion="favourable",
            by=instructor_a,
        )


# --- propose, withdraw ------------------------------------------------------------------------


def _instructed(application, by):
    return application_instruct(
        application=application,
        eligible_costs=Decimal("20000"),
        proposed_amount=Decimal("10000"),
        opinion="favourable",
        by=by,
    )


def test_propose_to_a_planned_session(instructing, instructor_a, session):
    with pytest.raises(ValidationError, match="Enregistrez l'instruction"):
        application_propose(application=instructing, session=session, by=instructor_a)
    _instructed(instructing, instructor_a)
    application_propose(application=instructing, session=session, by=instructor_a)
    saved = _fresh(instructing)
    assert (saved.status, saved.session) == ("committee", session)
    assert saved.events.last().title == "Proposée en commission"
    assert "Commission permanente" in saved.events.last().text


def test_propose_refuses_a_held_or_foreign_session(instructing, instructor_a, session, org_b):
    _instructed(instructing, instructor_a)
    session.status = "held"
    session.save()
    with pytest.raises(ValidationError, match="déjà tenue"):
        application_propose(application=instructing, session=session, by=instructor_a)
    other = CommitteeSession.objects.create(
        title="Bureau de la CCI", held_on=date(2030, 1, 1), organisation=org_b
    )
    with pytest.raises(ValidationError, match="n'est pas une commission du financeur"):
        application_propose(application=instructing, session=other, by=instructor_a)
    saved = _fresh(instructing)
    assert (saved.status, saved.session) == ("instruction", None)


def test_withdraw_needs_a_reason(instructing, instructor_a):
    with pytest.raises(ValidationError) as error:
        application_withdraw(application=instructing, reason=" ", by=instructor_a)
    assert error.value.message_dict == {"reason": ["Indiquez le motif du retrait."]}
    assert _fresh(instructing).status == "instruction"


def test_withdrawing_a_granted_aid_cancels_its_ledger_lines(scheme, company, org_a, instructor_a):
    granted = make_application(
        scheme,
        company,
        org_a,
        status="approved",
        granted_amount=Decimal("8000"),
        decided_on=date(2026, 1, 10),
    )
    line = StateAidGrant.objects.create(
        company=company,
        granted_on=date(2026, 1, 10),
        amount=Decimal("8000"),
        regulation="de_minimis",
        granting_body="Région Test",
        source="platform_aid",
        description="Soutien au V.I.E.",
        source_ref=f"aids.application:{granted.pk}",
    )
    application_withdraw(application=granted, reason="L'entreprise renonce.", by=instructor_a)
    saved = _fresh(granted)
    assert (saved.status, saved.withdrawn_reason) == ("withdrawn", "L'entreprise renonce.")
    line.refresh_from_db()
    assert line.cancelled_at is not None
    assert line.cancelled_reason == "Demande retirée : L'entreprise renonce."
    assert "retirée du registre des aides d'État" in saved.events.last().text


def test_a_rejected_file_cannot_be_withdrawn(scheme, company, org_a, instructor_a):
    rejected = make_application(scheme, company, org_a, status="rejected")
    with pytest.raises(ValidationError, match="ne peut plus être retiré"):
        application_withdraw(application=rejected, reason="x", by=instructor_a)
    assert _fresh(rejected).withdrawn_reason == ""


def test_every_step_is_on_the_company_timeline(submitted, instructor_a, session, company):
    application_start_instruction(application=submitted, by=instructor_a)
    _instructed(submitted, instructor_a)
    application_propose(application=submitted, session=session, by=instructor_a)
    titles = list(
        company.timeline_events.filter(kind="aid")
        .order_by("occurred_at", "pk")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Soutien au V.I.E. — Instruction commencée",
        "Soutien au V.I.E. — Instruction : avis favorable",
        "Soutien au V.I.E. — Proposée en commission",
    ]
