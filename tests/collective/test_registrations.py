"""Registrations through the services: applying, duplicates, deadline, confirmation with the
subsidy written to the state-aid ledger (and reversed on cancellation), the de minimis
headroom check, the fee, the checklist, attendance, the e-mails. Fixed clock: the SIAL 2026
pavilion (deadline 30 June, free cancellation until 31 August, starts 18 October)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from guichet.collective.models import ChecklistTick, Registration, RegistrationEvent
from guichet.collective.services import registrations as services
from guichet.stateaid.models import StateAidGrant
from guichet.stateaid.selectors import totals_at
from guichet.stateaid.services import state_aid_grant_record
from tests.collective.conftest import make_action, register

CONFIRMED_ON = date(2026, 7, 10)


def _selected(action, company, org):
    registration = register(action, company, org)
    return services.registration_select(registration=registration)


def _confirmed(action, company, org, today=CONFIRMED_ON):
    registration = _selected(action, company, org)
    return services.registration_confirm(registration=registration, today=today)


def test_a_company_applies_and_it_is_in_the_history_and_on_the_timeline(action, companies, org_a):
    registration = register(action, companies[0], org_a)
    assert registration.status == "applied"
    assert [e.title for e in registration.events.all()] == ["Candidature reçue (par un conseiller)"]
    assert companies[0].timeline_events.filter(title__contains="Candidature reçue").exists()


def test_interested_is_a_state_of_its_own_until_the_company_applies(action, companies, org_a):
    registration = register(action, companies[0], org_a, interested=True, by_company=True)
    assert registration.status == "interested"
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        services.registration_select(registration=registration)
    services.registration_apply(registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == "applied"


def test_a_second_registration_of_the_same_company_gets_a_clear_message(action, companies, org_a):
    register(action, companies[0], org_a)
    with pytest.raises(ValidationError) as error:
        register(action, companies[0], org_a, contact_email="autre@example.fr")
    assert error.value.message_dict["company"] == [
        "Fromagerie de Bourgogne est déjà inscrite à cette action (état : « Candidate »). Une "
        "entreprise ne s'inscrit qu'une fois ; le lien reçu par courriel permet de suivre "
        "l'inscription."
    ]
    assert Registration.objects.count() == 1


def test_no_registration_after_the_deadline_or_on_an_unpublished_action(action, companies, org_a):
    with pytest.raises(ValidationError, match=r"date limite d'inscription \(30/06/2026\)"):
        register(action, companies[0], org_a, today=date(2026, 7, 1))
    draft = make_action(org_a, slug="ces-2027", year=2027, status="draft")
    with pytest.raises(ValidationError, match="ne sont pas ouvertes"):
        register(draft, companies[0], org_a)
    assert Registration.objects.count() == 0


def test_contact_fields_are_checked_in_french(action, companies, org_a):
    with pytest.raises(ValidationError) as error:
        register(action, companies[0], org_a, contact_name=" ", contact_email="pas-un-courriel")
    assert error.value.message_dict == {
        "contact_name": ["Indiquez le nom de la personne à contacter."],
        "contact_email": ["Saisissez une adresse électronique valide (nom@domaine.fr)."],
    }


def test_confirmation_writes_the_ledger_line_and_invoices_the_fee(
    action, companies, org_a, manager_org_a
):
    registration = _selected(action, companies[0], org_a)
    services.registration_confirm(registration=registration, by=manager_org_a, today=CONFIRMED_ON)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert registration.subsidy_amount == Decimal("4000.00")
    assert registration.fee_status == "invoiced"
    assert registration.confirmed_at is not None
    line = StateAidGrant.objects.get()
    assert (line.company, line.amount, line.regulation, line.granted_on) == (
        companies[0],
        Decimal("4000.00"),
        "gber_19",
        CONFIRMED_ON,
    )
    assert line.source == "collective"
    assert line.source_ref == f"collective.registration:{registration.pk}"
    assert line.eligible_costs == Decimal("9000.00")
    assert line.granting_body == "Région Test"
    confirmed = registration.events.get(to_status="confirmed")
    assert "plafonnés à" in confirmed.text
    assert confirmed.by == manager_org_a


def test_cancellation_cancels_the_ledger_line_and_the_total_goes_back(reference, org_a, companies):
    action = make_action(
        org_a, slug="mission-japon", series="", regime="de_minimis", kind="mission"
    )
    company = companies[0]
    registration = _confirmed(action, company, org_a)
    assert totals_at(company, at=CONFIRMED_ON).get("de_minimis") == Decimal("4000.00")
    services.registration_cancel(
        registration=registration, reason="Salon reporté", today=date(2026, 8, 1)
    )
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert registration.fee_kept is False  # before the free-cancellation date
    line = StateAidGrant.objects.get()
    assert line.cancelled_at is not None
    assert "Salon reporté" in line.cancelled_reason
    assert totals_at(company, at=CONFIRMED_ON).get("de_minimis", Decimal("0")) == 0


def test_after_the_free_cancellation_date_the_fee_is_kept(action, companies, org_a):
    registration = _confirmed(action, companies[0], org_a)
    services.registration_cancel(
        registration=registration, reason="Indisponible", today=date(2026, 9, 1)
    )
    registration.refresh_from_db()
    assert registration.fee_kept is True
    assert "La participation reste due" in registration.events.get(to_status="cancelled").text


def test_without_de_minimis_headroom_the_confirmation_is_refused_with_the_figures(
    reference, org_a, companies
):
    action = make_action(
        org_a, slug="mission-japon", series="", regime="de_minimis", kind="mission"
    )
    company = companies[0]
    state_aid_grant_record(
        company=company,
        granted_on=date(2025, 3, 1),
        amount=Decimal("299000"),
        regulation="de_minimis",
        granting_body="Autre financeur",
        source="declared",
        description="Aide reçue ailleurs",
    )
    registration = _selected(action, company, org_a)
    events_before = registration.events.count()
    with pytest.raises(ValidationError) as error:
        services.registration_confirm(registration=registration, today=CONFIRMED_ON)
    message = " ".join(error.value.messages)
    assert "Confirmation impossible" in message
    assert "4\u202f000\u202f€ demandés" in message
    assert "299\u202f000\u202f€" in message
    assert "300\u202f000\u202f€" in message
    assert "il reste 1\u202f000\u202f€" in message
    registration.refresh_from_db()
    assert registration.status == "selected"
    assert registration.subsidy_amount is None
    assert registration.fee_status == "none"
    assert registration.events.count() == events_before
    assert StateAidGrant.objects.filter(source="collective").count() == 0


def test_gber_19_has_no_three_year_ceiling_but_is_recorded(action, companies, org_a):
    company = companies[0]
    state_aid_grant_record(
        company=company,
        granted_on=date(2025, 3, 1),
        amount=Decimal("299000"),
        regulation="de_minimis",
        granting_body="Autre financeur",
        source="declared",
        description="Aide reçue ailleurs",
    )
    _confirmed(action, company, org_a)
    assert StateAidGrant.objects.filter(source="collective", regulation="gber_19").count() == 1


def test_no_ledger_line_when_the_action_is_not_aid_or_the_subsidy_is_zero(
    reference, org_a, companies
):
    free = make_action(
        org_a,
        slug="webinaire",
        series="",
        regime="not_aid",
        kind="training",
        company_fee=Decimal("0"),
    )
    registration = _confirmed(free, companies[0], org_a)
    assert registration.subsidy_amount == 0
    assert registration.fee_status == "none"  # nothing to invoice
    assert StateAidGrant.objects.count() == 0


def test_the_fee_is_paid_once_invoiced(action, companies, org_a):
    registration = register(action, companies[0], org_a)
    with pytest.raises(ValidationError, match="facturée"):
        services.registration_fee_paid(registration=registration)
    registration = _confirmed(action, companies[1], org_a)
    services.registration_fee_paid(registration=registration)
    registration.refresh_from_db()
    assert registration.fee_status == "paid"
    assert registration.events.filter(title="Participation payée").exists()


def test_attendance_of_a_confirmed_participant(action, companies, org_a):
    registration = _confirmed(action, companies[0], org_a)
    services.registration_attendance(registration=registration, attended=True)
    assert Registration.objects.get(pk=registration.pk).status == "attended"
    # The follow-up surveys are scheduled at once: +3, +6 and +12 months after the action.
    assert sorted(registration.surveys.values_list("wave", "due_on")) == [
        (3, date(2027, 1, 22)),
        (6, date(2027, 4, 22)),
        (12, date(2027, 10, 22)),
    ]
    other = register(action, companies[1], org_a)
    with pytest.raises(ValidationError):
        services.registration_attendance(registration=other, attended=False)


def test_the_checklist_is_ticked_and_unticked_with_history(action, companies, org_a, advisor_a):
    registration = _selected(action, companies[0], org_a)
    item = action.checklist.first()
    assert services.checklist_tick(registration=registration, item=item, done=True, by=advisor_a)
    assert not services.checklist_tick(registration=registration, item=item, done=True)
    assert ChecklistTick.objects.get().by == advisor_a
    services.checklist_tick(registration=registration, item=item, done=False)
    assert ChecklistTick.objects.count() == 0
    titles = list(registration.events.values_list("title", flat=True))
    assert f"Préparation : « {item.label} » fait" in titles
    assert f"Préparation : « {item.label} » à refaire" in titles
    other_action = make_action(org_a, slug="sial-2027", year=2027)
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.checklist_tick(
            registration=registration, item=other_action.checklist.first(), done=True
        )


def test_a_mere_applicant_has_no_checklist_yet(action, companies, org_a):
    registration = register(action, companies[0], org_a)
    with pytest.raises(ValidationError, match="retenues ou confirmées"):
        services.checklist_tick(registration=registration, item=action.checklist.first(), done=True)


def test_the_company_receives_its_link_then_each_decision(
    action, companies, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(action, companies[0], org_a)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [f"contact@{companies[0].siren}.example.fr"]
    assert sent.subject == f"Votre inscription à « {action.title} » est enregistrée"
    assert "/actions-collectives/mon-inscription/" in sent.body
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_select(registration=registration)
    assert mail.outbox[-1].subject == f"Votre entreprise est retenue pour « {action.title} »"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm(registration=registration, today=CONFIRMED_ON)
    assert "est confirmée" in mail.outbox[-1].subject
    assert "Prise en charge publique : 4\u202f000\u202f€" in mail.outbox[-1].body
    assert RegistrationEvent.objects.filter(registration=registration).count() == 3
