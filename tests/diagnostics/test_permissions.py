"""Who may do what with a diagnostic, with the fixed cast: the advisor who runs it (org A), a
colleague of the same organisation, an advisor of another organisation (org B), a read-only
member of org A, an administrator, and anonymous. Answers stay with the running organisation;
every member sees that a diagnostic exists, its date, level and scores."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from guichet.diagnostics import permissions
from guichet.diagnostics.services import diagnostic_complete
from tests.conftest import make_user
from tests.diagnostics.filling_factory import SIREN, answer_all


@pytest.fixture
def colleague_a(org_a):
    return make_user("sophie.collegue@test.example", org_a, ["advisor"])


@pytest.fixture
def cast(advisor_a, colleague_a, advisor_b, readonly_a, admin_user):
    return {
        "owner": advisor_a,
        "same_org": colleague_a,
        "other_org": advisor_b,
        "readonly": readonly_a,
        "admin": admin_user,
        "anonymous": AnonymousUser(),
    }


EXPECTED = {
    # who: (summary, answers, fill, start, edit plan once completed)
    "owner": (True, True, True, True, True),
    "same_org": (True, True, True, True, True),
    "other_org": (True, False, False, True, False),
    "readonly": (True, False, False, False, False),
    "admin": (True, True, True, True, True),
    "anonymous": (False, False, False, False, False),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_predicates(cast, who, diagnostic, company):
    user = cast[who]
    summary, answers, fill, start, plan = EXPECTED[who]
    assert permissions.can_view_diagnostic(user, diagnostic) is summary
    assert permissions.can_view_answers(user, diagnostic) is answers
    assert permissions.can_fill_diagnostic(user, diagnostic) is fill
    assert permissions.can_complete_diagnostic(user, diagnostic) is fill
    assert permissions.can_manage_company_link(user, diagnostic) is fill
    assert permissions.can_start_diagnostic(user, company) is start
    assert permissions.can_edit_plan(user, diagnostic) is False  # not completed yet
    answer_all(diagnostic)
    diagnostic_complete(diagnostic=diagnostic, by=cast["owner"])
    assert permissions.can_fill_diagnostic(user, diagnostic) is False
    assert permissions.can_edit_plan(user, diagnostic) is plan
    assert permissions.can_view_answers(user, diagnostic) is answers
    assert permissions.can_compare(user, company) is summary


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("same_org", 200),
        ("other_org", 403),
        ("readonly", 403),
        ("admin", 200),
        ("anonymous", 302),
    ],
)
def test_the_fill_page(client_for, cast, who, status, diagnostic):
    user = None if who == "anonymous" else cast[who]
    client = client_for(user)
    url = reverse("diagnostics:fill", args=[diagnostic.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"etape": "strategy", "q-strategy-place": "none"})
    assert response.status_code == (302 if status == 200 else status)
    assert diagnostic.answers.exists() is (status == 200)
    complete = client.post(reverse("diagnostics:complete", args=[diagnostic.pk]))
    assert complete.status_code == (200 if status == 200 else status)  # 200: answers missing


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("other_org", 200), ("readonly", 403), ("anonymous", 302)],
)
def test_the_start_page(client_for, cast, who, status, company):
    user = None if who == "anonymous" else cast[who]
    assert client_for(user).get(reverse("diagnostics:start", args=[SIREN])).status_code == status


def test_other_organisations_see_scores_not_answers_on_the_company_file(
    client_for, cast, diagnostic
):
    answer_all(diagnostic)
    diagnostic_complete(diagnostic=diagnostic, by=cast["owner"])
    for who in ("other_org", "readonly"):
        page = client_for(cast[who]).get(reverse("companies:detail", args=[SIREN]))
        html = page.content.decode()
        assert "Exportateur confirmé" in html
        assert "100 / 100" in html
        assert "Région Test" in html
    readonly_page = client_for(cast["readonly"]).get(reverse("companies:detail", args=[SIREN]))
    assert "Nouveau diagnostic" not in readonly_page.content.decode()


def test_an_in_progress_diagnostic_of_another_organisation_shows_no_progress_link(
    client_for, cast, diagnostic
):
    answer_all(diagnostic)
    html = client_for(cast["other_org"]).get(reverse("companies:detail", args=[SIREN]))
    html = html.content.decode()
    assert "En cours" in html
    assert reverse("diagnostics:fill", args=[diagnostic.pk]) not in html
    assert "43/43 réponses" not in html
    owner_html = client_for(cast["owner"]).get(reverse("companies:detail", args=[SIREN]))
    assert "43/43 réponses" in owner_html.content.decode()


def test_questionnaire_pages_are_read_by_members_and_managed_by_administrators(cast):
    assert permissions.can_view_questionnaires(cast["readonly"])
    assert not permissions.can_view_questionnaires(cast["anonymous"])
    assert permissions.can_manage_questionnaires(cast["admin"])
    for who in ("owner", "other_org", "readonly", "anonymous"):
        assert not permissions.can_manage_questionnaires(cast[who])
