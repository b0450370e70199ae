"""The user page links to the hand-over of a person's work for administrators and the
person's managers only."""

from tests.conftest import make_user


def test_admin_and_manager_of_the_organisation_see_the_hand_over_link(
    client, admin_user, advisor_a, org_a, advisor_b
):
    client.force_login(admin_user)
    page = client.get(f"/administration/utilisateurs/{advisor_a.pk}/").content.decode()
    assert f'href="/guichet/transfert/{advisor_a.pk}/"' in page
    assert "Transférer son travail à un collègue" in page

    manager = make_user("mia.manager@test.example", org_a, ["manager"])
    client.force_login(manager)
    page = client.get(f"/administration/utilisateurs/{advisor_a.pk}/").content.decode()
    assert "Transférer son travail" in page


def test_a_colleague_without_management_role_does_not_see_it(client, advisor_a, org_a):
    colleague = make_user("colin.collegue@test.example", org_a, ["advisor"])
    client.force_login(advisor_a)
    response = client.get(f"/administration/utilisateurs/{colleague.pk}/")
    assert "Transférer son travail" not in response.content.decode()
