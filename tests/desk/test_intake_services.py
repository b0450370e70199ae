"""Intake: routing by subject, duplicates attached (never routed twice), spam flagged."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from guichet.desk.models import Need, NeedEvent
from guichet.desk.services import (
    desk_hand_over,
    match_answer,
    need_flag_spam,
    need_unflag_spam,
)
from guichet.desk.status import NeedStatus, need_status
from tests.desk.conftest import submit


def test_two_subjects_go_to_two_partners(desk):
    need = submit(["clients-etranger", "financer-prospection"]).need
    assert sorted(m.organisation.name for m in need.matches.all()) == [
        "Bpifrance Test",
        "CCI Test",
    ]


def test_a_subject_no_rule_covers_goes_to_the_fallback(desk, fallback):
    need = submit(["propriete-intellectuelle"]).need
    assert [m.organisation for m in need.matches.all()] == [fallback]


def test_outside_the_rules_territory_goes_to_the_fallback(desk, fallback):
    need = submit(postal_code="25000").need  # Doubs: the rules cover Côte-d'Or only
    assert [m.organisation for m in need.matches.all()] == [fallback]
    assert need.departement_id == "25"
    assert need.region_id == "27"


def test_same_company_same_subject_while_open_is_attached_not_routed(desk):
    first = submit(siret="", contact_email="a@fromagerie.example").need
    mail.outbox.clear()
    second = submit(
        siret="",
        contact_email="a@fromagerie.example",
        description="Je relance : distributeurs en Autriche aussi.",
        when="2026-03-05",
    )
    assert second.attached_to == first
    assert second.reference == first.reference
    assert second.need.matches.count() == 0
    assert need_status(second.need) == NeedStatus.ATTACHED
    assert first.matches.count() == 1
    attached = first.events.get(kind=NeedEvent.Kind.ATTACHED)
    assert "distributeurs en Autriche" in attached.text
    assert [m.subject for m in mail.outbox] == [
        f"Votre demande {first.reference} a été rattachée à votre demande en cours"
    ]


def test_a_new_subject_in_a_duplicate_is_added_and_routed_on_the_open_need(desk):
    first = submit().need
    second = submit(["clients-etranger", "financer-prospection"], when="2026-03-05")
    assert second.attached_to == first
    assert set(first.subjects.values_list("code", flat=True)) == {
        "clients-etranger",
        "financer-prospection",
    }
    assert sorted(m.organisation.name for m in first.matches.all()) == [
        "Bpifrance Test",
        "CCI Test",
    ]


def test_after_closure_a_new_need_is_routed_again(desk, advisor_b):
    first = submit().need
    match_answer(match=first.matches.get(), user=advisor_b, status="done")
    second = submit(when="2026-03-10")
    assert second.attached_to is None
    assert second.need.matches.count() == 1


def test_a_different_subject_is_a_new_need(desk):
    submit()
    second = submit(["financer-prospection"], when="2026-03-05")
    assert second.attached_to is None


def test_spam_is_kept_not_routed_and_not_answered(desk):
    result = submit(when="2026-03-02")
    mail.outbox.clear()
    from guichet.desk.models import Subject
    from guichet.desk.services import need_submit
    from tests.desk.conftest import NEED_DATA, at

    spam = need_submit(
        data={**NEED_DATA, "contact_email": "bot@spam.example"},
        subjects=[Subject.objects.get(code="autre")],
        channel="web",
        consent=True,
        is_spam=True,
        spam_reason="Champ piège rempli",
        at=at("2026-03-02"),
    ).need
    assert Need.objects.filter(pk=spam.pk, is_spam=True).exists()
    assert spam.matches.count() == 0
    assert mail.outbox == []
    assert need_status(result.need) == NeedStatus.WAITING


def test_flagging_spam_cancels_matches_and_unflagging_routes_again(desk, admin_user):
    need = submit().need
    with pytest.raises(ValidationError):
        need_flag_spam(need=need, by=admin_user, reason="  ")
    need_flag_spam(need=need, by=admin_user, reason="Publicité")
    assert need_status(Need.objects.get(pk=need.pk)) == NeedStatus.SPAM
    assert need.matches.get().status == "cancelled"
    need_unflag_spam(need=need, by=admin_user)
    assert need_status(Need.objects.get(pk=need.pk)) == NeedStatus.WAITING


def test_hand_over_moves_open_matches_and_rules_to_a_colleague(desk, advisor_b, expert_b, org_a):
    desk["first"].person = advisor_b
    desk["first"].save()
    need = submit().need
    assert need.matches.get().assignee == advisor_b
    moved = desk_hand_over(from_user=advisor_b, to_user=expert_b, by=advisor_b)
    assert moved == {"matches": 1, "rules": 1}
    assert need.matches.get().assignee == expert_b
    desk["first"].refresh_from_db()
    assert desk["first"].person == expert_b
    from tests.conftest import make_user

    outsider = make_user("olga.autre@test.example", org_a, ["advisor"])
    with pytest.raises(ValidationError):
        desk_hand_over(from_user=expert_b, to_user=outsider, by=expert_b)


def test_a_rule_naming_an_absent_person_routes_to_the_delegate(desk, advisor_b, expert_b):
    from guichet.desk.services import absence_declare

    desk["first"].person = advisor_b
    desk["first"].save()
    absence_declare(
        user=advisor_b,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        delegate=expert_b,
        by=advisor_b,
        today=date(2026, 3, 1),
    )
    need = submit().need
    assert need.matches.get().assignee == expert_b
