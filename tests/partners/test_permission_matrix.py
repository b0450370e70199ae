"""Each protected page × the fixed cast: who gets the page, who gets 403, who is sent to log in."""

import pytest

ADMIN_ONLY = [
    "/partenaires/nouvelle/",
    "/partenaires/region-test/modifier/",
    "/administration/utilisateurs/",
    "/administration/utilisateurs/nouveau/",
    "/administration/roles/",
    "/administration/journal/",
    "/administration/journal/?format=csv",
    "/administration/utilisateurs/?format=xlsx",
]
EVERY_MEMBER = ["/", "/compte/", "/partenaires/", "/partenaires/?format=csv"]
SAME_ORGANISATION = ["/partenaires/region-test/"]

# (cast member, expected status) for each kind of page; None = anonymous.
MATRIX = {
    "admin_only": {"admin_user": 200, "advisor_a": 403, "advisor_b": 403, "readonly_a": 403},
    "every_member": {"admin_user": 200, "advisor_a": 200, "advisor_b": 200, "readonly_a": 200},
    "same_organisation": {
        "admin_user": 200,
        "advisor_a": 200,
        "advisor_b": 403,
        "readonly_a": 200,
    },
}
CASES = [
    (url, who, status)
    for kind, urls in [
        ("admin_only", ADMIN_ONLY),
        ("every_member", EVERY_MEMBER),
        ("same_organisation", SAME_ORGANISATION),
    ]
    for url in urls
    for who, status in MATRIX[kind].items()
]


@pytest.mark.parametrize(("url", "who", "status"), CASES)
def test_page_access(request, client_for, org_a, org_b, url, who, status):
    user = request.getfixturevalue(who)
    response = client_for(user).get(url)
    assert response.status_code == status


@pytest.mark.parametrize("url", ADMIN_ONLY + EVERY_MEMBER + SAME_ORGANISATION)
def test_anonymous_is_sent_to_login(client_for, org_a, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")


def test_user_file_visible_to_self_admin_and_own_manager_only(
    client_for, admin_user, advisor_a, advisor_b, manager_a, readonly_a
):
    url = f"/administration/utilisateurs/{advisor_a.pk}/"
    assert client_for(advisor_a).get(url).status_code == 200
    assert client_for(admin_user).get(url).status_code == 200
    assert client_for(manager_a).get(url).status_code == 200
    assert client_for(advisor_b).get(url).status_code == 403
    assert client_for(readonly_a).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_api_key_actions_are_admin_only(client_for, admin_user, advisor_a, org_a):
    url = "/partenaires/region-test/cles-api/"
    assert client_for(advisor_a).post(url, {"name": "CRM"}).status_code == 403
    assert org_a.api_keys.count() == 0
    response = client_for(admin_user).post(url, {"name": "CRM"})
    assert response.status_code == 302
    assert list(org_a.api_keys.values_list("name", flat=True)) == ["CRM"]


def test_other_organisation_members_are_not_listed_as_links(client_for, advisor_a, org_b):
    page = client_for(advisor_a).get("/partenaires/").content.decode()
    assert "CCI Test" in page
    assert 'href="/partenaires/cci-test/"' not in page
    assert 'href="/partenaires/region-test/"' in page


def test_readonly_admin_cannot_administer(client_for, org_a):
    from tests.conftest import make_user

    both = make_user("rose.mixte@test.example", org_a, ["admin", "readonly"])
    assert client_for(both).get("/administration/utilisateurs/").status_code == 403


def test_navigation_shows_administration_to_admins_only(client_for, admin_user, advisor_a):
    admin_page = client_for(admin_user).get("/").content.decode()
    advisor_page = client_for(advisor_a).get("/").content.decode()
    assert ">Administration</a>" in admin_page
    assert ">Administration</a>" not in advisor_page
    assert ">Partenaires</a>" in advisor_page
