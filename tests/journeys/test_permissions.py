"""The fixed cast: advisor of org A, advisor of org B, read-only member of A, anonymous."""

import pytest

from guichet.journeys.models import TimelineEvent
from guichet.journeys.permissions import can_add_timeline_note, can_view_timeline

TIMELINE = "/entreprises/552100554/historique/"
NEW = "/entreprises/552100554/historique/nouveau/"
_NOTE = {"kind": "call", "occurred_at": "2024-05-02", "title": "Appel"}


@pytest.mark.parametrize("fixture", ["advisor_a", "advisor_b", "manager_a", "admin_user"])
def test_working_members_may_read_and_write(request, fixture, company):
    user = request.getfixturevalue(fixture)
    assert can_view_timeline(user, company)
    assert can_add_timeline_note(user, company)


def test_readonly_member_gets_403_everywhere(client_for, readonly_a, company):
    client = client_for(readonly_a)
    assert not can_view_timeline(readonly_a, company)
    assert client.get(TIMELINE).status_code == 403
    assert client.get(TIMELINE, {"format": "csv"}).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _NOTE).status_code == 403
    assert not TimelineEvent.objects.exists()


def test_anonymous_is_sent_to_login(client_for, company):
    client = client_for(None)
    for url in (TIMELINE, NEW):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/compte/connexion/?next={url}"
    assert client.post(NEW, _NOTE).status_code == 302
    assert not TimelineEvent.objects.exists()


def test_other_organisation_may_add_and_sees_its_own_note(client_for, advisor_b, company):
    client = client_for(advisor_b)
    assert client.post(NEW, {**_NOTE, "confidential": "on"}).status_code == 302
    assert "Appel" in client.get(TIMELINE).content.decode()


def test_unknown_company_is_404(client_for, advisor_a, db):
    assert client_for(advisor_a).get("/entreprises/999999999/historique/").status_code == 404
    assert (
        client_for(advisor_a).get("/entreprises/999999999/historique/nouveau/").status_code == 404
    )
