"""A partner's answer: refusal reasons, re-routing after a refusal, e-mails to the company."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from guichet.desk.models import Match, MatchStatus, NeedEvent
from guichet.desk.services import match_answer
from guichet.desk.status import NeedStatus, need_status
from tests.desk.conftest import at, submit


def _subjects_of_mails():
    return [m.subject for m in mail.outbox]


def test_a_need_goes_to_the_rank_one_partner_of_its_territory(desk, org_b):
    need = submit().need
    assert [(m.organisation, m.status) for m in need.matches.all()] == [
        (org_b, MatchStatus.PENDING)
    ]
    assert need_status(need) == NeedStatus.WAITING
    assert _subjects_of_mails() == [f"Votre demande {need.reference} a bien été reçue"]


def test_refusal_without_reason_is_refused_and_changes_nothing(desk, advisor_b):
    need = submit().need
    match = need.matches.get()
    with pytest.raises(ValidationError) as error:
        match_answer(match=match, user=advisor_b, status=MatchStatus.REFUSED)
    assert "motif du refus" in str(error.value)
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING
    assert need.matches.count() == 1


def test_refusal_for_another_reason_needs_a_comment(desk, advisor_b):
    need = submit().need
    with pytest.raises(ValidationError) as error:
        match_answer(
            match=need.matches.get(), user=advisor_b, status="refused", refusal_reason="other"
        )
    assert "Précisez le motif" in str(error.value)


def test_refusal_with_a_reason_routes_to_the_next_rank(desk, advisor_b, org_a):
    need = submit().need
    match_answer(
        match=need.matches.get(),
        user=advisor_b,
        status="refused",
        refusal_reason="out_of_scope",
        at=at("2026-03-03"),
    )
    statuses = {m.organisation.name: m.status for m in need.matches.all()}
    assert statuses == {"CCI Test": "refused", "Région Test": "pending"}
    assert need_status(need) == NeedStatus.WAITING
    refused = need.matches.get(status="refused")
    assert refused.get_refusal_reason_display() == "Hors de notre champ d'intervention"
    assert need.events.filter(kind=NeedEvent.Kind.ROUTED, organisation=org_a).exists()
    # The company is not told anything while another partner has its need.
    assert len(mail.outbox) == 1


def test_when_every_rank_refuses_the_fallback_gets_it_then_the_company_gets_an_apology(
    desk, advisor_b, advisor_a, fallback
):
    from tests.conftest import make_user

    tfe_advisor = make_user("theo.tfe@test.example", fallback, ["advisor"])
    need = submit().need
    match_answer(
        match=need.matches.get(organisation__name="CCI Test"),
        user=advisor_b,
        status="refused",
        refusal_reason="out_of_scope",
    )
    match_answer(
        match=need.matches.get(organisation__name="Région Test"),
        user=advisor_a,
        status="refused",
        refusal_reason="not_eligible",
    )
    fallback_match = need.matches.get(organisation=fallback)
    assert fallback_match.via == Match.Via.FALLBACK
    match_answer(
        match=fallback_match,
        user=tfe_advisor,
        status="refused",
        refusal_reason="other",
        comment="Projet hors export",
    )
    assert need_status(need) == NeedStatus.REFUSED
    assert _subjects_of_mails()[-1] == f"Votre demande {need.reference} : toutes nos excuses"
    assert "03 80 00 00 00" in mail.outbox[-1].body


def test_taken_in_charge_then_done_tells_the_company_once_each(desk, advisor_b, expert_b):
    need = submit().need
    match = need.matches.get()
    match_answer(match=match, user=advisor_b, status="taken")
    with pytest.raises(ValidationError):
        match_answer(match=match, user=expert_b, status="taken")
    match_answer(match=match, user=expert_b, status="done", comment="Mise en relation faite.")
    assert _subjects_of_mails() == [
        f"Votre demande {need.reference} a bien été reçue",
        f"Votre demande {need.reference} est prise en charge",
        f"Votre demande {need.reference} est close",
    ]
    assert "CCI Test" in mail.outbox[1].body
    assert "Bruno Autre" in mail.outbox[1].body
    match.refresh_from_db()
    assert match.assignee == advisor_b
    assert match.answered_by == expert_b
    assert need_status(need) == NeedStatus.CLOSED_HELP
    with pytest.raises(ValidationError) as error:
        match_answer(match=match, user=advisor_b, status="refused", refusal_reason="other")
    assert "déjà close" in str(error.value)


def test_only_the_receiving_organisation_answers(desk, advisor_a):
    need = submit().need
    with pytest.raises(ValidationError):
        match_answer(match=need.matches.get(), user=advisor_a, status="taken")


def test_company_not_reachable_closes_the_need(desk, advisor_b):
    need = submit().need
    match_answer(match=need.matches.get(), user=advisor_b, status="unreachable")
    assert need_status(need) == NeedStatus.UNREACHABLE
    assert mail.outbox[-1].subject == f"Votre demande {need.reference} est close"


def test_the_company_timeline_records_the_steps(desk, reference, advisor_b):
    from tests.companies.conftest import make_company

    company = make_company("123456782", "Fromagerie Test", commune_code="21231")
    need = submit(company_name="Fromagerie Test").need
    need.company = company
    need.save()
    match_answer(match=need.matches.get(), user=advisor_b, status="taken")
    titles = list(company.timeline_events.values_list("title", flat=True))
    assert any("CCI Test : Prise en charge" in t for t in titles)
