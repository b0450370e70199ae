"""Who may open or post to the inbox pages: the fixed cast (the owning organisation's advisor,
another organisation's advisor, a read-only member, anonymous, an administrator, a manager)."""

import pytest

from guichet.desk.models import Match, MatchStatus
from tests.desk.conftest import submit

LOGIN = "/compte/connexion/"
CAST = ["advisor_b", "advisor_a", "readonly_a", "anonymous", "admin_user", "manager_b"]


@pytest.fixture
def cast(request, advisor_b, advisor_a, readonly_a, admin_user, manager_b):
    def get(who: str):
        return None if who == "anonymous" else request.getfixturevalue(who)

    return get


@pytest.fixture
def need(desk):
    return submit().need


def _cases(expected: list) -> list[tuple]:
    return list(zip(CAST, expected, strict=True))


def _expect(response, expected) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([200, 200, 403, "login", 200, 200]),
)
def test_inbox(client_for, cast, need, who, expected):
    _expect(client_for(cast(who)).get("/guichet/"), expected)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([200, 403, 403, "login", 200, 200]),
)
def test_need_detail(client_for, cast, need, who, expected):
    _expect(client_for(cast(who)).get(f"/guichet/demandes/{need.reference}/"), expected)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([302, 403, 403, "login", 403, 302]),
)
def test_match_answer(client_for, cast, need, who, expected):
    match = need.matches.get()
    response = client_for(cast(who)).post(
        f"/guichet/demandes/{need.reference}/reponse/{match.pk}/",
        {f"reponse-{match.pk}-status": "taken"},
    )
    _expect(response, expected)
    match.refresh_from_db()
    assert (match.status == MatchStatus.TAKEN) is (expected == 302)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([302, 403, 403, "login", 302, 302]),
)
def test_match_assign(client_for, cast, need, advisor_b, who, expected):
    match = need.matches.get()
    response = client_for(cast(who)).post(
        f"/guichet/demandes/{need.reference}/attribuer/{match.pk}/",
        {f"attribuer-{match.pk}-assignee": advisor_b.pk},
    )
    _expect(response, expected)
    match.refresh_from_db()
    assert (match.assignee == advisor_b) is (expected == 302)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([403, 403, 403, "login", 302, 403]),
)
def test_need_spam(client_for, cast, need, who, expected):
    response = client_for(cast(who)).post(
        f"/guichet/demandes/{need.reference}/indesirable/", {"reason": "Publicité"}
    )
    _expect(response, expected)
    need.refresh_from_db()
    assert need.is_spam is (expected == 302)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([302, 403, 403, "login", 302, 302]),
)
def test_need_reroute(client_for, cast, need, bpi, who, expected):
    response = client_for(cast(who)).post(
        f"/guichet/demandes/{need.reference}/orienter/", {"organisation": bpi.pk}
    )
    _expect(response, expected)
    assert Match.objects.filter(need=need, organisation=bpi).exists() is (expected == 302)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([200, 200, 403, "login", 200, 200]),
)
def test_absences(client_for, cast, desk, who, expected):
    _expect(client_for(cast(who)).get("/guichet/absences/"), expected)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([403, 403, 403, "login", 200, 200]),
)
def test_hand_over(client_for, cast, desk, advisor_b, who, expected):
    _expect(client_for(cast(who)).get(f"/guichet/transfert/{advisor_b.pk}/"), expected)


@pytest.mark.parametrize(
    ("who", "expected"),
    _cases([302, 302, 403, "login", 302, 302]),
)
def test_bulk(client_for, cast, need, who, expected):
    match = need.matches.get()
    response = client_for(cast(who)).post(
        "/guichet/actions-groupees/", {"action": "take", "matches": [match.pk]}
    )
    _expect(response, expected)
    match.refresh_from_db()
    # Only CCI Test's members may take CCI Test's match (an administrator of another
    # organisation is told why, the other organisation does not even see it).
    assert (match.status == MatchStatus.TAKEN) is (who in ("advisor_b", "manager_b"))
