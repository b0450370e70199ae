"""Single undertakings as users see them: the list, creating one, linking companies by SIREN
with the reason, unlinking, the combined position — and who may do what."""

import html
from datetime import date, timedelta

import pytest

from guichet.journeys.models import TimelineEvent
from guichet.stateaid import services
from guichet.stateaid.models import UndertakingGroup, UndertakingMembership
from tests.stateaid.conftest import SIREN, SIREN_2, SIREN_3, add_line

pytestmark = pytest.mark.django_db

GROUPS = "/aides-d-etat/entreprises-uniques/"


def _text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\u00a0", " ")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def group(company, sister):
    group = services.undertaking_group_create(
        name="Groupe Bourgogne", reason="Holding détenant 100 % des deux sociétés"
    )
    services.undertaking_link(group=group, company=company, reason="Filiale à 100 %")
    services.undertaking_link(group=group, company=sister, reason="Filiale à 100 %")
    return group


def test_members_read_single_undertakings_without_managing_them(client_for, advisor_a, group):
    page = _text(client_for(advisor_a).get(GROUPS))
    assert "Groupe Bourgogne" in page
    assert f'href="/entreprises/{SIREN}/aides-d-etat/">Fromagerie de Bourgogne</a>' in page
    assert f'href="/entreprises/{SIREN_2}/aides-d-etat/">Moutarderie de Dijon</a>' in page
    assert "Créer l'entreprise unique" not in page
    detail = _text(client_for(advisor_a).get(f"{GROUPS}{group.pk}/"))
    assert "Holding détenant 100 % des deux sociétés" in detail
    assert "Rattacher une entreprise" not in detail
    assert client_for(advisor_a).post(GROUPS, {"name": "X", "reason": "Y"}).status_code == 403
    assert UndertakingGroup.objects.count() == 1


def test_an_instructor_creates_a_single_undertaking(client_for, instructor_b):
    client = client_for(instructor_b)
    page = _text(client.get(GROUPS))
    assert "Aucune entreprise unique n'est encore enregistrée." in page
    refused = client.post(GROUPS, {"name": "Groupe Martin", "reason": ""})
    assert "Indiquez le motif du rattachement." in _text(refused)
    assert 'value="Groupe Martin"' in _text(refused)
    assert UndertakingGroup.objects.count() == 0

    response = client.post(
        GROUPS, {"name": "Groupe Martin", "reason": "Pacte d'actionnaires"}, follow=True
    )
    group = UndertakingGroup.objects.get()
    assert response.redirect_chain[-1][0] == f"{GROUPS}{group.pk}/"
    assert group.created_by == instructor_b
    page = _text(response)
    assert "Aucune entreprise n'est encore rattachée à ce groupe." in page
    assert "Rattacher une entreprise" in page


def test_linking_a_company_by_siren_logs_it_on_its_timeline(client_for, instructor_a, group, third):
    client = client_for(instructor_a)
    url = f"{GROUPS}{group.pk}/rattacher/"
    response = client.post(
        url, {"siren": "383 474 814", "reason": "Contrôlée à 60 % par la holding"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{GROUPS}{group.pk}/"
    membership = UndertakingMembership.objects.get(company=third)
    assert membership.group == group
    assert membership.linked_by == instructor_a
    assert "Cassis de Nuits est rattachée" in _messages(response)[0]
    event = TimelineEvent.objects.get(company=third)
    assert event.kind == "aid"
    assert event.title == "Rattachée à l'entreprise unique « Groupe Bourgogne »"
    assert "Contrôlée à 60 % par la holding" in event.text
    assert event.link == f"{GROUPS}{group.pk}/"
    assert event.organisation == instructor_a.organisation


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("12345", "Le SIREN compte exactement 9 chiffres."),
        ("999999999", "Aucune entreprise de SIREN 999999999 dans le registre."),
        (SIREN, "Fromagerie de Bourgogne fait déjà partie de l'entreprise unique"),
    ],
)
def test_a_wrong_link_is_explained_and_changes_nothing(
    client_for, manager_a, group, siren, message
):
    response = client_for(manager_a).post(
        f"{GROUPS}{group.pk}/rattacher/", {"siren": siren, "reason": "Motif saisi"}
    )
    page = _text(response)
    assert response.status_code == 200
    assert message in page
    assert "L'entreprise n'a pas été rattachée" in page
    assert "Motif saisi" in page  # what was typed is kept
    assert UndertakingMembership.objects.count() == 2


def test_a_company_of_another_group_must_be_unlinked_first(client_for, admin_user, group, third):
    other = services.undertaking_group_create(name="Groupe Nuits", reason="Même dirigeant")
    services.undertaking_link(group=other, company=third, reason="Filiale")
    response = client_for(admin_user).post(
        f"{GROUPS}{group.pk}/rattacher/", {"siren": SIREN_3, "reason": "Rachat"}
    )
    assert (
        "Cassis de Nuits fait déjà partie de l'entreprise unique « Groupe Nuits » : retirez-la "
        "d'abord de ce groupe." in _text(response)
    )
    assert UndertakingMembership.objects.get(company=third).group == other


def test_the_group_page_shows_the_combined_position(client_for, advisor_b, group, company, sister):
    add_line(company, date.today() - timedelta(days=10), "120000")
    add_line(sister, date.today() - timedelta(days=20), "100000")
    page = _text(client_for(advisor_b).get(f"{GROUPS}{group.pk}/"))
    assert "220 000 € comptés sur 300 000 €" in page
    assert "reste 80 000 €" in page
    assert "120 000 €" in page  # the company's own aids
    assert "100 000 €" in page
    # seen from either member's ledger: the same headroom
    for siren in (SIREN, SIREN_2):
        ledger = _text(client_for(advisor_b).get(f"/entreprises/{siren}/aides-d-etat/"))
        assert "reste 80 000 €" in ledger


def test_linking_a_company_that_takes_the_group_over_the_ceiling_warns(
    client_for, instructor_a, group, company, third
):
    add_line(company, date.today() - timedelta(days=10), "250000")
    add_line(third, date.today() - timedelta(days=10), "80000")
    response = client_for(instructor_a).post(
        f"{GROUPS}{group.pk}/rattacher/",
        {"siren": SIREN_3, "reason": "Même holding"},
        follow=True,
    )
    warnings = [m for m in _messages(response) if m.startswith("Plafond dépassé")]
    assert len(warnings) == 1
    assert "330 000 €" in warnings[0].replace("\u202f", " ")


def test_unlinking_needs_a_reason_and_restores_the_company_alone(
    client_for, instructor_a, group, company, sister
):
    add_line(company, date.today() - timedelta(days=10), "120000")
    add_line(sister, date.today() - timedelta(days=20), "100000")
    client = client_for(instructor_a)
    url = f"{GROUPS}{group.pk}/retirer/"
    refused = client.post(url, {"company": sister.pk, "reason": ""})
    assert "Indiquez le motif du retrait." in _text(refused)
    assert UndertakingMembership.objects.count() == 2

    response = client.post(url, {"company": sister.pk, "reason": "Cession le 30/06"}, follow=True)
    assert "Moutarderie de Dijon est retirée" in _messages(response)[0]
    assert UndertakingMembership.objects.filter(company=sister).count() == 0
    event = TimelineEvent.objects.get(company=sister, title__startswith="Retirée")
    assert "Cession le 30/06" in event.text
    ledger = _text(client.get(f"/entreprises/{SIREN_2}/aides-d-etat/"))
    assert "100 000 € comptés sur 300 000 €" in ledger
    assert "n'est rattachée à aucune entreprise unique" in ledger


def test_readers_and_advisors_cannot_link_or_unlink(
    client_for, readonly_a, advisor_a, group, sister, third
):
    for user in (readonly_a, advisor_a):
        client = client_for(user)
        linked = client.post(f"{GROUPS}{group.pk}/rattacher/", {"siren": SIREN_3, "reason": "x"})
        assert linked.status_code == 403
        unlinked = client.post(
            f"{GROUPS}{group.pk}/retirer/", {"company": sister.pk, "reason": "x"}
        )
        assert unlinked.status_code == 403
    assert UndertakingMembership.objects.count() == 2


def test_anonymous_visitors_see_nothing(client_for, group):
    assert client_for(None).get(GROUPS).status_code == 302
    assert client_for(None).get(f"{GROUPS}{group.pk}/").status_code == 302
