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

import io
from datetime import date

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from guichet.desk import figures
from guichet.desk.figures import Satisfaction, Scope, Share
from guichet.desk.models import Match, MatchStatus, Subject
from guichet.desk.services import match_answer, need_flag_spam
from guichet.desk.services.survey import survey_answer
from tests.conftest import make_user
from tests.desk.conftest import at, submit

TODAY = date(2026, 6, 1)
YEAR = Scope.year(2026)


def _answer(need, organisation, user, status, day, **extra):
    match = need.matches.get(organisation=organisation)
    return match_answer(match=match, user=user, status=status, at=at(day), **extra)


@pytest.fixture
def data(desk, org_a, org_b, bpi, advisor_a, advisor_b, admin_user):
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
    data, org_b, advisor_b, advisor_a
):
    comments = figures.survey_comments(YEAR, advisor_b)
    assert [c["comment"] for c in comments] == ["Conseiller très réactif, merci."]
    assert comments[0]["partners"] == ["CCI Test"]
    assert comments[0]["shared"] is True
    # The Région did not handle n1, and n2's comment was not shared with it.
    assert figures.survey_comments(YEAR, advisor_a) == []


def test_administrators_of_the_desk_read_every_comment(data, admin_user):
    comments = figures.survey_comments(YEAR, admin_user)
    assert [(c["comment"], c["shared"]) for c in comments] == [
        ("Réponse tardive, à garder pour le guichet.", False),
        ("Conseiller très réactif, merci.", True),
    ]
    assert (
        figures.survey_comments(YEAR, admin_user, limit=1)[0]["reference"] == data["n2"].reference
    )


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


# --- The managers' page -------------------------------------------------------------------


@pytest.fixture
def fixed_today(monkeypatch):
    from guichet.desk.views import figures as views

    monkeypatch.setattr(views, "_today", lambda: TODAY)
    return TODAY


def _page(client_for, user, query="?year=2026"):
    return client_for(user).get(reverse("desk:figures") + query)


def test_figures_page_for_a_manager(data, org_b, client_for, fixed_today):
    manager = make_user("marc.manager@test.example", org_b, ["manager"])
    response = _page(client_for, manager)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chiffres du guichet — 2026" in html
    assert "Prises en charge en 5 jours ouvrés au plus" in html
    assert "25\u00a0%" in html  # 1 in time out of 4 whose delay is over
    assert "1 sur 4 demandes dont le délai est échu" in html
    assert "1 sur 3 demandes closes" in html
    assert "2\u00a0j" in html  # median working days to the first answer
    assert "mars 2026" in html
    assert "décembre 2026" in html
    assert "Hors de notre champ d" in html
    assert '<title id="chiffres-demandes-title">Demandes reçues par mois</title>' in html
    # The comment shared with the CCI (which handled n1) is shown; the other one is not.
    assert "Conseiller très réactif, merci." in html
    assert "Réponse tardive" not in html
    assert "n1@a.example" not in html


def test_a_comment_is_not_shown_to_another_partner(data, org_a, client_for, fixed_today):
    manager = make_user("paul.pilote@test.example", org_a, ["manager"])
    html = _page(client_for, manager).content.decode()
    assert "Conseiller très réactif" not in html
    assert "Réponse tardive" not in html
    assert "Aucun commentaire à afficher" in html


def test_figures_page_for_an_administrator(data, admin_user, client_for, fixed_today):
    response = _page(client_for, admin_user)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Conseiller très réactif, merci." in html
    # The comment kept from the partner is the desk's: shown, and flagged as such.
    assert "Réponse tardive, à garder pour le guichet." in html
    assert html.count("Réservé au guichet : non transmis au partenaire") == 1


def test_figures_page_refuses_advisors_and_anonymous(desk, advisor_a, client_for):
    assert _page(client_for, advisor_a).status_code == 403
    anonymous = _page(client_for, None)
    assert anonymous.status_code == 302
    assert "/connexion/" in anonymous["Location"] or "login" in anonymous["Location"]


def test_filters_and_grouping_by_partner(data, org_a, client_for, admin_user, fixed_today):
    html = _page(
        client_for, admin_user, f"?year=2026&partner={org_a.pk}&group=partner"
    ).content.decode()
    assert "Détail par partenaire" in html
    assert '<th scope="row">Région Test</th>' in html
    assert '<th scope="row">CCI Test</th>' not in html
    assert "100\u00a0%" in html  # the Région took n2 within 5 days of receiving it


def test_grouping_by_subject_and_departement(data, subjects, client_for, admin_user, fixed_today):
    html = _page(client_for, admin_user, "?year=2026&group=subject").content.decode()
    assert escape(subjects["financer-prospection"].label) in html
    html = _page(client_for, admin_user, "?year=2026&group=departement&departement=25").content
    assert "25 — Doubs" in html.decode()


def test_a_period_replaces_the_year(data, client_for, admin_user, fixed_today):
    html = _page(client_for, admin_user, "?start=2026-03-01&end=2026-03-31").content.decode()
    assert "Chiffres du guichet — du 01/03/2026 au 31/03/2026" in html
    assert "1 sur 2 demandes dont le délai est échu" in html


def test_bad_filters_get_french_errors_and_the_current_year(
    data, client_for, admin_user, fixed_today
):
    html = _page(client_for, admin_user, "?year=1990&group=bogus&start=2026-05-01").content.decode()
    assert "Les filtres contiennent des erreurs" in html
    assert "Indiquez le début et la fin." in html
    assert "Regroupement inconnu." in html
    assert "Chiffres du guichet — 2026" in html
    reversed_period = _page(client_for, admin_user, "?start=2026-05-01&end=2026-04-01")
    assert "La fin de la période doit suivre son début." in reversed_period.content.decode()


def test_empty_state(desk, admin_user, client_for, fixed_today):
    html = _page(client_for, admin_user).content.decode()
    assert "Aucune demande reçue sur cette période" in html
    assert reverse("desk:record_need") in html
    assert "<svg" not in html


def test_xlsx_export_contains_the_numbers(data, client_for, admin_user, fixed_today):
    response = _page(client_for, admin_user, "?year=2026&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == (
        "Mois",
        "Demandes reçues",
        "Prises en charge dans le délai",
        "Demandes dont le délai est échu ou prises en charge",
        "Part prise en charge dans le délai (%)",
    )
    march = next(r for r in rows if r[0] == "mars 2026")
    assert march[1:6] == (2, 1, 2, 50, 2.5)
    total = rows[-1]
    assert total[0] == "Ensemble"
    assert total[1:4] == (5, 1, 4)
    assert total[10] == 2  # answers to the survey


def test_csv_export_keeps_the_filters(data, org_a, client_for, admin_user, fixed_today):
    response = _page(
        client_for, admin_user, f"?year=2026&group=partner&partner={org_a.pk}&format=csv"
    )
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Partenaire;Demandes reçues;")
    assert lines[1].startswith("Région Test;1;1;1;100")
    assert lines[-1].startswith("Ensemble;1;")


def test_the_page_runs_a_bounded_number_of_queries(
    data, client_for, admin_user, fixed_today, django_assert_max_num_queries
):
    client = client_for(admin_user)
    with django_assert_max_num_queries(45):
        assert client.get(reverse("desk:figures") + "?year=2026").status_code == 200


# --- The public page ----------------------------------------------------------------------


def test_public_page_shows_figures_without_names(data, fixed_today):
    response = Client().get(reverse("desk:public_figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les chiffres du guichet export" in html
    assert "Demandes reçues en 2026" in html
    assert '<th scope="col">2025</th>' in html
    assert "25\u00a0%" in html
    assert (
        '<title id="chiffres-publics-title">Demandes reçues par mois, 2025 et 2026</title>' in html
    )
    assert f'href="{reverse("desk:intake")}"' in html
    for private in (
        "Alpha SA",
        "Beta SARL",
        "Gamma",
        "n1@a.example",
        "mailto:",
        "CCI Test",
        "Région Test",
        "Conseiller très réactif",
        "Jeanne",
        "Martin",
    ):
        assert private not in html


def test_public_figures_are_cached_for_five_minutes(client, desk):
    from django.core.cache import cache
    from django.utils import timezone

    from tests.desk.conftest import submit

    year = timezone.localdate().year
    received = '<p class="guichet-figure fr-mt-1w fr-mb-0">{}</p>'
    submit(when=f"{year}-01-05")
    assert received.format(1) in client.get("/besoin/chiffres/").content.decode()
    submit(when=f"{year}-01-06", contact_email="autre@example.fr")
    assert received.format(1) in client.get("/besoin/chiffres/").content.decode()
    cache.clear()
    assert received.format(2) in client.get("/besoin/chiffres/").content.decode()
