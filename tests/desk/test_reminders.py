"""The daily job with a fixed clock: digests (one per person per day), escalation at day 9,
re-routing at day 21, abandonment and apology at day 45, surveys, absences.

Needs are received on Monday 2 March 2026; day N is N working days later (weekends, Easter
Monday and 1 May excluded)."""

from datetime import date

import pytest
from django.core import mail

from guichet.desk.calendar import add_working_days
from guichet.desk.models import CompanyEmail, DigestLog, Match, MatchStatus, NeedEvent
from guichet.desk.services import absence_declare, desk_daily_run, match_answer
from guichet.desk.status import NeedStatus, need_status
from tests.desk.conftest import at, submit

RECEIVED = date(2026, 3, 2)


def day(n: int) -> date:
    return add_working_days(RECEIVED, n)


def digests_to(email: str) -> list:
    return [m for m in mail.outbox if m.to == [email] and m.subject.startswith("Guichet export")]


def company_mails(need) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [need.contact_email]]


def test_one_digest_per_person_per_day_lists_everything_waiting(desk, advisor_b, expert_b):
    needs = [submit(contact_email=f"c{i}@example.fr").need for i in range(3)]
    mail.outbox.clear()
    desk_daily_run(today=day(1))
    desk_daily_run(today=day(1))  # the job runs twice: still one digest each
    for email in (advisor_b.email, expert_b.email):
        sent = digests_to(email)
        assert len(sent) == 1
        assert sent[0].subject == "Guichet export : 3 demandes vous attendent"
        for need in needs:
            assert need.reference in sent[0].body
    assert DigestLog.objects.filter(day=day(1)).count() == 2
    desk_daily_run(today=day(2))
    assert len(digests_to(advisor_b.email)) == 2  # one more the next day


def test_nothing_is_sent_on_a_weekend_or_a_public_holiday(desk, advisor_b):
    submit()
    mail.outbox.clear()
    assert desk_daily_run(today=date(2026, 3, 7))["working_day"] is False
    assert desk_daily_run(today=date(2026, 4, 6))["working_day"] is False  # Easter Monday
    assert mail.outbox == []


def test_a_named_assignee_alone_gets_the_match_in_the_digest(desk, advisor_b, expert_b):
    need = submit().need
    match = need.matches.get()
    match.assignee = expert_b
    match.save()
    mail.outbox.clear()
    desk_daily_run(today=day(1))
    assert len(digests_to(expert_b.email)) == 1
    assert digests_to(advisor_b.email) == []


def test_escalation_to_the_manager_at_day_nine(desk, advisor_b, manager_b):
    need = submit().need
    desk_daily_run(today=day(8))
    match = need.matches.get()
    assert match.escalated_at is None
    assert not [m for m in digests_to(manager_b.email) if need.reference in m.body]
    desk_daily_run(today=day(9))
    match.refresh_from_db()
    assert match.escalated_at is not None
    escalation = digests_to(manager_b.email)[-1]
    assert "Sans réponse de votre organisation depuis plus de 9 jours ouvrés" in escalation.body
    assert need.reference in escalation.body
    assert need.events.filter(kind=NeedEvent.Kind.ESCALATED).count() == 1
    desk_daily_run(today=day(10))
    assert need.events.filter(kind=NeedEvent.Kind.ESCALATED).count() == 1  # logged once


def test_rerouting_to_the_fallback_at_day_twenty_one(desk, fallback):
    need = submit().need
    desk_daily_run(today=day(20))
    assert need.matches.get().status == MatchStatus.PENDING
    desk_daily_run(today=day(21))
    statuses = {m.organisation.name: (m.status, m.via) for m in need.matches.all()}
    assert statuses == {
        "CCI Test": (MatchStatus.EXPIRED, Match.Via.RULE),
        "Team France Export Test": (MatchStatus.PENDING, Match.Via.FALLBACK),
    }
    assert need_status(need) == NeedStatus.WAITING
    rerouted = need.events.get(kind=NeedEvent.Kind.REROUTED)
    assert rerouted.text == "Sans réponse de CCI Test : transmise à Team France Export Test"
    assert company_mails(need) == [f"Votre demande {need.reference} a bien été reçue"]


def test_a_silent_partner_expires_without_rerouting_when_another_took_the_need(
    desk, bpi, advisor_b
):
    from tests.conftest import make_user

    need = submit(["clients-etranger", "financer-prospection"]).need
    match_answer(
        match=need.matches.get(organisation__name="CCI Test"),
        user=advisor_b,
        status="taken",
        at=at("2026-03-03"),
    )
    make_user("bea.bpi@test.example", bpi, ["expert"])
    desk_daily_run(today=day(21))
    statuses = {m.organisation.name: m.status for m in need.matches.all()}
    assert statuses == {"CCI Test": "taken", "Bpifrance Test": "expired"}


def test_abandonment_at_day_forty_five_with_one_apology(desk, advisor_b):
    desk["policy"].fallback_organisation = None  # nobody to re-route to
    desk["policy"].save()
    need = submit().need
    desk_daily_run(today=day(44))
    assert need_status(need) == NeedStatus.WAITING
    desk_daily_run(today=day(45))
    assert need_status(need) == NeedStatus.ABANDONED
    assert need.matches.get().status == MatchStatus.EXPIRED
    apology = [m for m in mail.outbox if m.subject.endswith("toutes nos excuses")]
    assert len(apology) == 1
    assert "03 80 00 00 00" in apology[0].body
    assert need.reference in apology[0].body
    # A closed need sends no more e-mails: no digest lists it, no second apology.
    mail.outbox.clear()
    desk_daily_run(today=day(46))
    assert mail.outbox == []


def test_the_apology_names_the_fallback_organisation(desk, fallback):
    need = submit().need
    for n in (21, 45):
        desk_daily_run(today=day(n))
    assert need_status(need) == NeedStatus.ABANDONED
    apology = next(m for m in mail.outbox if m.subject.endswith("toutes nos excuses"))
    assert "appelez Team France Export Test au 03 80 00 00 00" in apology.body


def test_survey_sent_ten_days_after_closure_once(desk, advisor_b):
    need = submit().need
    match_answer(match=need.matches.get(), user=advisor_b, status="done", at=at("2026-03-04"))
    desk_daily_run(today=date(2026, 3, 13))
    assert CompanyEmail.objects.filter(need=need, kind="survey").count() == 0
    desk_daily_run(today=date(2026, 3, 16))
    desk_daily_run(today=date(2026, 3, 17))
    surveys = [m for m in mail.outbox if "Votre avis" in m.subject]
    assert len(surveys) == 1
    assert "/besoin/enquete/" in surveys[0].body


def test_an_absent_advisor_gets_no_digest_and_the_delegate_gets_the_matches(
    desk, advisor_b, expert_b
):
    need = submit().need
    match = need.matches.get()
    match.assignee = advisor_b
    match.save()
    absence_declare(
        user=advisor_b,
        starts_on=date(2026, 3, 4),
        ends_on=date(2026, 3, 20),
        delegate=expert_b,
        by=advisor_b,
        today=date(2026, 3, 3),
    )
    match.refresh_from_db()
    assert match.assignee == advisor_b  # the absence has not started yet
    mail.outbox.clear()
    summary = desk_daily_run(today=date(2026, 3, 4))
    assert summary["absences_applied"] == 1
    match.refresh_from_db()
    assert match.assignee == expert_b
    assert digests_to(advisor_b.email) == []
    assert need.reference in digests_to(expert_b.email)[0].body


@pytest.mark.parametrize("bad", ["2026-13-01", "demain"])
def test_command_rejects_a_bad_date(desk, bad):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="date invalide"):
        call_command("run_desk_reminders", "--today", bad)


def test_command_reports_what_it_did(desk, advisor_b, manager_b, capsys):
    from django.core.management import call_command

    submit()
    call_command("run_desk_reminders", "--today", day(9).isoformat())
    out = capsys.readouterr().out
    assert "2 récapitulatif(s) envoyé(s), 1 demande(s) signalée(s) aux responsables" in out
    call_command("run_desk_reminders", "--today", "2026-03-07")
    assert "jour non ouvré" in capsys.readouterr().out


def test_a_silent_partner_expires_when_another_already_helped_and_the_need_closes(
    desk, bpi, advisor_b
):
    need = submit(["clients-etranger", "financer-prospection"]).need
    match_answer(
        match=need.matches.get(organisation__name="CCI Test"),
        user=advisor_b,
        status="done",
        at=at("2026-03-04"),
    )
    assert need_status(need) == NeedStatus.IN_PROGRESS  # Bpifrance has not answered yet
    desk_daily_run(today=day(21))
    statuses = {m.organisation.name: m.status for m in need.matches.all()}
    assert statuses == {"CCI Test": "done", "Bpifrance Test": "expired"}  # no fallback
    assert need_status(need) == NeedStatus.CLOSED_HELP
    assert company_mails(need)[-1] == f"Votre demande {need.reference} est close"
