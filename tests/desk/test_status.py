"""A need's status is derived from its matches, by the same rule in Python and in SQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.desk.models import Match, MatchStatus, Need
from guichet.desk.status import NeedStatus, need_status, status_of, with_status
from guichet.partners.services import organisation_create


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], NeedStatus.UNROUTED),
        (["pending"], NeedStatus.WAITING),
        (["pending", "refused"], NeedStatus.WAITING),
        (["pending", "taken"], NeedStatus.IN_PROGRESS),
        (["pending", "done"], NeedStatus.IN_PROGRESS),  # one partner helped, one still silent
        (["done", "expired"], NeedStatus.CLOSED_HELP),
        (["done_no_help", "refused"], NeedStatus.CLOSED_NO_HELP),
        (["unreachable", "expired"], NeedStatus.UNREACHABLE),
        (["expired", "refused"], NeedStatus.ABANDONED),
        (["refused", "refused"], NeedStatus.REFUSED),
    ],
)
def test_status_from_the_matches(statuses, expected):
    assert status_of(is_spam=False, duplicate_of_id=None, match_statuses=statuses) == expected


def test_spam_and_attached_win_over_matches():
    assert status_of(is_spam=True, duplicate_of_id=None, match_statuses=["taken"]) == "spam"
    assert status_of(is_spam=False, duplicate_of_id=3, match_statuses=[]) == "attached"


@pytest.fixture
def organisations(db):
    return [
        organisation_create(name=f"Partenaire {i}", kind="other", slug=f"partenaire-{i}")
        for i in range(4)
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    statuses=st.lists(st.sampled_from(MatchStatus.values), max_size=4),
    is_spam=st.booleans(),
)
def test_python_and_sql_agree(organisations, statuses, is_spam):
    need = Need.objects.create(
        company_name="Essai",
        description="Essai",
        contact_first_name="A",
        contact_last_name="B",
        contact_email="a@b.example",
        channel="web",
        is_spam=is_spam,
    )
    for organisation, status in zip(organisations, statuses, strict=False):
        Match.objects.create(need=need, organisation=organisation, status=status, via="rule")
    annotated = with_status(Need.objects.filter(pk=need.pk)).get().status
    assert annotated == need_status(Need.objects.prefetch_related("matches").get(pk=need.pk))
    need.delete()
