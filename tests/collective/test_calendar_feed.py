"""The iCalendar feed of the programme: its exact text (folding at 75 octets, escaping,
all-day dates with an exclusive end, stable UIDs), and what it leaves out."""

from datetime import UTC, datetime

import pytest

from guichet.collective.calendar_feed import escape_text, fold
from guichet.collective.models import CollectiveAction, Programme
from tests.collective.conftest import make_action


def test_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 40  # 12 + 80 octets
    folded = fold(line)
    parts = folded.split("\r\n")
    assert [len(p.encode()) for p in parts] == [74, 19]  # no "é" cut in two
    assert parts[1].startswith(" ")
    assert "".join(p.removeprefix(" ") for p in parts) == line
    assert fold("X" * 75) == "X" * 75
    assert fold("X" * 76) == "X" * 75 + "\r\n X"


@pytest.fixture
def published(reference, org_a):
    action = make_action(
        org_a,
        slug="ces-2027",
        year=2027,
        kind="fair",
        title="CES Las Vegas; pavillon French Tech, région",
        city="Las Vegas",
        country_id="US",
        starts_on=datetime(2027, 1, 6).date(),
        ends_on=datetime(2027, 1, 9).date(),
        registration_deadline=datetime(2026, 10, 15).date(),
        free_cancellation_until=None,
    )
    make_action(org_a, slug="brouillon-2027", year=2027, status="draft")
    CollectiveAction.objects.filter(pk=action.pk).update(
        updated_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    )
    Programme.objects.filter(year=2027).update(is_published=True)
    return action


def test_the_feed_text(client_for, published):
    response = client_for(None).get("/actions-collectives/programme/2027/calendrier.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="programme-actions-collectives-2027.ics"' in response["Content-Disposition"]
    expected = (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//Guichet Export//Programme d'actions collectives//FR\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "X-WR-CALNAME:Programme d'actions collectives 2027\r\n"
        "X-WR-TIMEZONE:Europe/Paris\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:ces-2027@testserver\r\n"
        "DTSTAMP:20261102T093000Z\r\n"
        "DTSTART;VALUE=DATE:20270106\r\n"
        "DTEND;VALUE=DATE:20270110\r\n"
        "SUMMARY:CES Las Vegas\\; pavillon French Tech\\, région\r\n"
        "LOCATION:Las Vegas\\, États-Unis\r\n"
        "DESCRIPTION:Pavillon régional sur un salon organisé par Région Test. Par\r\n"
        " ticipation : 5\u202f000\u202f€ par entreprise. Inscriptions jusqu'au 15/10/202\r\n"
        " 6.\\nhttp://testserver/actions-collectives/action/ces-2027/\r\n"
        "URL:http://testserver/actions-collectives/action/ces-2027/\r\n"
        "TRANSP:TRANSPARENT\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    assert response.content.decode("utf-8") == expected
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75
    unfolded = response.content.decode().replace("\r\n ", "")
    assert (
        "DESCRIPTION:Pavillon régional sur un salon organisé par Région Test. Participation : "
        "5\u202f000\u202f€ par entreprise. Inscriptions jusqu'au 15/10/2026.\\n"
        "http://testserver/actions-collectives/action/ces-2027/\r\n"
    ) in unfolded
    assert "brouillon" not in unfolded
