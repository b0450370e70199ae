"""Figures of the desk: each figure on a fixed data set, the managers' page (filters, table,
comments, exports, permissions) and the public page.

The data set (first-answer delay: 5 working days; "today" = Monday 1 June 2026):
- n1 clients-etranger, Mon 2 March: CCI takes it on 4 March (2 working days), closes it with
  help on 20 March; survey: contacted, useful, comment shared.
- n2 clients-etranger, Mon 2 March: CCI refuses on 5 March (out of scope, 3 working days), the
  need goes to the Région, which takes it on 12 March (8 working days after receipt, 5 after
  it reached the Région) and closes it without help; survey: useful in part, comment kept.
- n3 financer-prospection, Doubs, Wed 1 April: Bpifrance answers "unreachable" on 2 April.
- n4 clients-etranger, Mon 4 May: still pending (late).
- n5 clients-etranger, Fri 29 May: still pending (within its delay).
- a spam need, a duplicate attached to n4, a need of December 2025: never counted in 2026.
"""

from datetime import date

import pytest

from guichet.desk import figures
from guichet.desk.figures import Satisfaction, Scope, Share
from guichet.desk.models import Match, MatchStatus, Subject
from guichet.desk.services import match_answer, need_flag_spam
from guichet.desk.services.survey import survey_answer
from tests.desk.conftest import at, submit

TODAY = date(2026, 6, 1)
YEAR = Scope.year(2026)


def _answer(need, organisation, user, status, day, **extra):
    match = need.matches.get(organisation=organisation)
    return match_answer(match=match, user=user, status=status, at=at(day), **extra)


@pytest.fixture
def data(desk, org_a, org_b, bpi, advisor_a, advisor_b, admin_user):
    from tests.conftest import make_user

    bpi_user = make_user("bea.bpi@test.example", bpi, ["advisor"])
    n1 = submit(when="2026-03-02", contact_email="n1@a.example", company_name="Alpha SA").need
    _answer(n1, org_b, advisor_b, MatchStatus.TAKEN, "2026-03-04")
    _answer(n1, org_b, advisor_b, MatchStatus.DONE, "2026-03-20")
    survey_answer(
        need=n1,
        contacted=True,
        useful="yes",
        comment="Conseiller très réactif, merci.",
        comment_shared=True,
        at=at("2026-04-01"),
    )

    n2 = submit(when="2026-03-02", contact_email="n2@b.example", company_name="Beta SARL").need
    _answer(n2, org_b, advisor_b, MatchStatus.REFUSED, "2026-03-05", refusal_reason="out_of_scope")
    _answer(n2, org_a, advisor_a, MatchStatus.TAKEN, "2026-03-12")
    _answer(n2, org_a, advisor_a, MatchStatus.DONE_NO_HELP, "2026-03-20")
    survey_answer(
        need=n2,
        contacted=True,
        useful="partly",
        comment="Réponse tardive, à garder pour le guichet.",
        comment_shared=False,
        at=at("2026-04-02"),
    )

    n3 = submit(
        ("financer-prospection",),
        when="2026-04-01",
        contact_email="n3@c.example",
        company_name="Gamma SAS",
        postal_code="25000",
    ).need
    _answer(n3, bpi, bpi_user, MatchStatus.UNREACHABLE, "2026-04-02")

    n4 = submit(when="2026-05-04", contact_email="n4@d.example", company_name="Delta").need
    n5 = submit(when="2026-05-29", contact_email="n5@e.example", company_name="Epsilon").need
    duplicate = submit(when="2026-05-05", contact_email="n4@d.example", company_name="Delta")
    assert duplicate.attached_to == n4
    spam = submit(when="2026-03-10", contact_email="spam@x.example", company_name="Spam").need
    need_flag_spam(need=spam, by=admin_user, reason="Publicité")
    old = submit(when="2025-12-15", contact_email="old@f.example", company_name="Old").need
    return {"n1": n1, "n2": n2, "n3": n3, "n4": n4, "n5": n5, "old": old, "bpi": bpi}


def test_needs_received_excludes_spam_duplicates_and_other_periods(data):
    assert figures.needs_received(YEAR) == 5
    assert figures.needs_received(Scope.year(2025)) == 1
    assert figures.needs_received(Scope(start=date(2026, 3, 1), end=date(2026, 4, 1))) == 2


def test_needs_received_by_group(data, org_a, org_b, subjects):
    by_month = figures.needs_received(YEAR, "month")
    assert by_month == {date(2026, 3, 1): 2, date(2026, 4, 1): 1, date(2026, 5, 1): 2}
    by_partner = figures.needs_received(YEAR, "partner")
    assert by_partner == {org_b.pk: 4, org_a.pk: 1, data["bpi"].pk: 1}
    by_subject = figures.needs_received(YEAR, "subject")
    assert by_subject == {
        subjects["clients-etranger"].pk: 4,
        subjects["financer-prospection"].pk: 1,
    }
    assert figures.needs_received(YEAR, "departement") == {"21": 4, "25": 1}


def test_filters_partner_subject_departement(data, org_a, subjects):
    assert figures.needs_received(Scope.year(2026, organisation_id=org_a.pk)) == 1
    scope = Scope.year(2026, subject_id=subjects["financer-prospection"].pk)
    assert figures.needs_received(scope) == 1
    assert figures.needs_received(Scope.year(2026, departement="25")) == 1
    assert figures.needs_received(Scope.year(2026, departement="25", organisation_id=org_a.pk)) == 0


def test_share_taken_within_the_delay(data):
    # n1 in time; n2 late; n3 never taken (delay over); n4 late; n5 still within its delay.
    assert figures.taken_within_delay(YEAR, today=TODAY) == Share(1, 4)
    by_month = figures.taken_within_delay(YEAR, "month", today=TODAY)
    assert by_month == {
        date(2026, 3, 1): Share(1, 2),
        date(2026, 4, 1): Share(0, 1),
        date(2026, 5, 1): Share(0, 1),
    }
    assert by_month[date(2026, 3, 1)].percent == 50


def test_share_within_the_delay_per_partner_counts_from_when_it_reached_the_partner(
    data, org_a, org_b
):
    by_partner = figures.taken_within_delay(YEAR, "partner", today=TODAY)
    assert by_partner == {org_b.pk: Share(1, 3), org_a.pk: Share(1, 1), data["bpi"].pk: Share(0, 1)}
    scope = Scope.year(2026, organisation_id=org_a.pk)
    assert figures.taken_within_delay(scope, today=TODAY) == Share(1, 1)


def test_a_delay_counts_working_days_only(desk, advisor_b, org_b):
    # Received Thursday 30 April; Friday 1 May and Friday 8 May are public holidays, so
    # Monday 11 May is the 5th working day: still in time.
    need = submit(when="2026-04-30", contact_email="late@x.example").need
    _answer(need, org_b, advisor_b, MatchStatus.TAKEN, "2026-05-11")
    scope = Scope(start=date(2026, 4, 30), end=date(2026, 5, 1))
    assert figures.taken_within_delay(scope, today=TODAY) == Share(1, 1)
    assert figures.median_first_answer_days(scope) == 5


def test_median_working_days_to_the_first_answer(data, org_a, org_b):
    # First answers: n1 after 2 days, n2 after 3 (the refusal), n3 after 1.
    assert figures.median_first_answer_days(YEAR) == 2
    assert figures.median_first_answer_days(YEAR, "month") == {
        date(2026, 3, 1): 2.5,
        date(2026, 4, 1): 1,
    }
    by_partner = figures.median_first_answer_days(YEAR, "partner")
    assert by_partner == {org_b.pk: 2.5, org_a.pk: 5, data["bpi"].pk: 1}
    assert figures.median_first_answer_days(Scope.year(2025)) is None


def test_share_closed_with_help(data, org_b):
    assert figures.closed_with_help(YEAR) == Share(1, 3)
    assert figures.closed_with_help(YEAR, "departement") == {"21": Share(1, 2), "25": Share(0, 1)}
    assert figures.closed_with_help(Scope.year(2025)) == Share(0, 0)
    assert figures.closed_with_help(Scope.year(2025)).percent is None


def test_refusals_by_reason(data, org_a, org_b):
    assert figures.refusals_by_reason(YEAR) == [
        ("out_of_scope", "Hors de notre champ d'intervention", 1)
    ]
    assert figures.refusals(YEAR, "partner") == {org_b.pk: 1}
    assert figures.refusals(Scope.year(2026, organisation_id=org_a.pk)) == 0
    assert figures.refusals_by_reason(Scope.year(2025)) == []


def test_satisfaction(data, org_a, org_b):
    answers = figures.satisfaction(YEAR)
    assert answers == Satisfaction(answers=2, contacted=2, useful_yes=1, useful_partly=1)
    assert answers.contacted_share.percent == 100
    assert answers.yes_share == Share(1, 2)
    # Per partner: only needs the partner dealt with (the CCI refused n2).
    assert figures.satisfaction(YEAR, "partner") == {
        org_b.pk: Satisfaction(answers=1, contacted=1, useful_yes=1),
        org_a.pk: Satisfaction(answers=1, contacted=1, useful_partly=1),
    }


def test_waiting_now(data, org_b, org_a):
    assert figures.waiting_now(YEAR) == 2
    assert figures.waiting_now(YEAR, "partner") == {org_b.pk: 2}
    assert figures.waiting_now(Scope.year(2026, organisation_id=org_a.pk)) == 0
    assert figures.waiting_now(Scope.year(2025)) == 1  # the need of December, still pending


def test_shared_comments_reach_only_the_partner_that_handled_the_need(
    data, org_b, advisor_b, advisor_a, admin_user
):
    for viewer in (admin_user, advisor_b):
        comments = figures.shared_comments(YEAR, viewer)
        assert [c["comment"] for c in comments] == ["Conseiller très réactif, merci."]
        assert comments[0]["partners"] == ["CCI Test"]
    # The Région did not handle n1, and n2's comment was not shared.
    assert figures.shared_comments(YEAR, advisor_a) == []


def test_table_lists_every_month_of_the_period(data):
    rows = figures.table(YEAR, "month", today=TODAY)
    assert [r.label for r in rows][:4] == [
        "janvier 2026",
        "février 2026",
        "mars 2026",
        "avril 2026",
    ]
    assert len(rows) == 12
    march = rows[2]
    assert (march.received, march.within_delay, march.median_days) == (2, Share(1, 2), 2.5)
    assert march.closed_help == Share(1, 2)
    assert march.refusals == 1
    assert march.satisfaction.answers == 2
    may = rows[4]
    assert (may.received, may.waiting) == (2, 2)


def test_table_by_partner_names_the_partners(data):
    rows = figures.table(YEAR, "partner", today=TODAY)
    assert [(r.label, r.received) for r in rows] == [
        ("Bpifrance Test", 1),
        ("CCI Test", 4),
        ("Région Test", 1),
    ]


def test_headline(data):
    head = figures.headline(YEAR, today=TODAY)
    assert head.received == 5
    assert head.within_delay == Share(1, 4)
    assert head.median_days == 2
    assert head.closed_help == Share(1, 3)
    assert head.satisfaction.answers == 2
    assert head.waiting == 3  # n4, n5 and the need of December 2025
    assert head.first_answer_days == 5


def test_months_between_spans_years():
    months = figures.months_between(date(2025, 11, 15), date(2026, 2, 1))
    assert months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert figures.month_label(date(2026, 2, 1)) == "février 2026"
    assert figures.month_label(date(2026, 2, 1), short=True) == "févr. 2026"


def test_subject_filter_keeps_the_grouping_by_subject_to_that_subject(desk, subjects):
    both = [s.code for s in Subject.objects.filter(code__in=["clients-etranger", "salon-mission"])]
    submit(tuple(both), when="2026-03-02", contact_email="two@x.example")
    scope = Scope.year(2026, subject_id=subjects["clients-etranger"].pk)
    assert figures.needs_received(scope, "subject") == {subjects["clients-etranger"].pk: 1}
    assert len(figures.needs_received(YEAR, "subject")) == len(both)
    assert Match.objects.count() >= 1
