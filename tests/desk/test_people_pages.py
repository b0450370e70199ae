"""Absences (a colleague stands in) and the hand-over of a person's work in one action."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from guichet.desk.models import Absence, MatchStatus, NeedEvent, RoutingRule
from guichet.desk.services import match_answer
from tests.conftest import make_user
from tests.desk.conftest import submit

ABSENCES = "/guichet/absences/"


def html_of(response) -> str:
    return unescape(response.content.decode())


def taken_by(user, name: str):
    """A need of its own requester, routed to CCI Test and taken in charge by `user`."""
    slug = name.lower().replace(" ", "-")
    need = submit(company_name=name, contact_email=f"{slug}@entreprise.example").need
    match = need.matches.get()
    match_answer(match=match, user=user, status=MatchStatus.TAKEN)
    return match


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


# --- Absences -----------------------------------------------------------------------------


def test_absence_starting_today_moves_open_matches_to_the_delegate(
    client_for, desk, advisor_b, expert_b
):
    first, second = taken_by(advisor_b, "Une Entreprise"), taken_by(advisor_b, "Autre Maison")
    client = client_for(advisor_b)
    html = html_of(client.get(ABSENCES))
    assert "<h1>Absences et remplacements</h1>" in html
    assert 'name="user"' not in html  # an advisor declares their own absence
    assert re.search(rf'<option value="{expert_b.pk}">Eve Expert</option>', html)
    assert f'<option value="{advisor_b.pk}">' not in html  # not their own delegate
    response = client.post(
        ABSENCES, {"starts_on": day(0), "ends_on": day(7), "delegate": expert_b.pk}, follow=True
    )
    assert response.redirect_chain == [(ABSENCES, 302)]
    html = html_of(response)
    start, end = timezone.localdate(), timezone.localdate() + timedelta(days=7)
    assert (
        f"Absence de Bruno Autre du {start:%d/%m/%Y} au {end:%d/%m/%Y} enregistrée : "
        "2 demandes en cours sont confiées à Eve Expert" in html
    )
    for match in (first, second):
        match.refresh_from_db()
        assert match.assignee == expert_b
        assert match.events.filter(kind=NeedEvent.Kind.REASSIGNED).exists()
    listed = html[html.index("Absences en cours et à venir</caption>") :]
    assert "<td>Bruno Autre</td>" in listed
    assert f"<td>{end:%d/%m/%Y}</td>" in listed
    assert "<td>Eve Expert</td>" in listed


def test_future_absence_moves_nothing_yet(client_for, desk, advisor_b, expert_b):
    match = taken_by(advisor_b, "Une Entreprise")
    response = client_for(advisor_b).post(
        ABSENCES, {"starts_on": day(10), "ends_on": day(12), "delegate": expert_b.pk}, follow=True
    )
    starts = timezone.localdate() + timedelta(days=10)
    assert f"ses demandes en cours seront confiées à Eve Expert le {starts:%d/%m/%Y}." in (
        html_of(response)
    )
    match.refresh_from_db()
    assert match.assignee == advisor_b
    assert Absence.objects.get().user == advisor_b


def test_absence_errors_are_french_and_keep_the_values(client_for, desk, advisor_b, expert_b):
    client = client_for(advisor_b)
    html = html_of(
        client.post(ABSENCES, {"starts_on": day(5), "ends_on": day(2), "delegate": expert_b.pk})
    )
    assert "L'absence n'est pas enregistrée" in html
    assert "La date de fin précède la date de début." in html
    assert f'value="{day(5)}"' in html
    assert re.search(rf'<option value="{expert_b.pk}" selected>Eve Expert</option>', html)
    html = html_of(client.post(ABSENCES, {"starts_on": "31/02/2026", "ends_on": ""}))
    assert "Saisissez une date valide, par exemple 15/03/2026." in html
    assert "Indiquez le dernier jour d'absence." in html
    assert "Choisissez le collègue qui reprend les demandes." in html
    html = html_of(client.post(ABSENCES, {"starts_on": day(-9), "ends_on": day(-2)}))
    assert "Choisissez le collègue qui reprend les demandes." in html
    html = html_of(
        client.post(ABSENCES, {"starts_on": day(-9), "ends_on": day(-2), "delegate": expert_b.pk})
    )
    assert "Cette absence est déjà terminée." in html
    assert not Absence.objects.exists()


def test_delegate_must_be_a_colleague(client_for, desk, advisor_b, advisor_a, readonly_a):
    html = html_of(
        client_for(advisor_b).post(
            ABSENCES, {"starts_on": day(0), "ends_on": day(1), "delegate": advisor_a.pk}
        )
    )
    assert "Choisissez un membre actif de l'organisation." in html
    assert not Absence.objects.exists()


def test_manager_declares_a_colleague_absence(client_for, desk, manager_b, advisor_b, expert_b):
    match = taken_by(advisor_b, "Une Entreprise")
    client = client_for(manager_b)
    html = html_of(client.get(ABSENCES))
    assert 'name="user"' in html
    response = client.post(
        ABSENCES,
        {
            "user": advisor_b.pk,
            "starts_on": day(0),
            "ends_on": day(3),
            "delegate": expert_b.pk,
        },
        follow=True,
    )
    assert "1 demande en cours est confiée à Eve Expert" in html_of(response)
    match.refresh_from_db()
    assert match.assignee == expert_b


def test_list_shows_my_organisation_only(client_for, desk, advisor_b, expert_b, org_a, advisor_a):
    colleague_a = make_user("anne.autre@test.example", org_a, ["advisor"])
    Absence.objects.create(
        user=advisor_a,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=2),
        delegate=colleague_a,
    )
    Absence.objects.create(
        user=expert_b,
        starts_on=timezone.localdate() - timedelta(days=9),
        ends_on=timezone.localdate() - timedelta(days=1),
        delegate=advisor_b,
    )
    html = html_of(client_for(advisor_b).get(ABSENCES))
    assert "Claire Conseil" not in html
    assert "<td>Eve Expert</td>" not in html  # finished
    assert "Aucune absence n'est déclarée dans votre organisation." in html
    assert "Claire Conseil" in html_of(client_for(advisor_a).get(ABSENCES))


def test_absences_page_permissions(client_for, desk, readonly_a):
    assert client_for(readonly_a).get(ABSENCES).status_code == 403
    anonymous = client_for(None).get(ABSENCES)
    assert anonymous.status_code == 302


# --- Hand-over ----------------------------------------------------------------------------


def hand_over_url(user) -> str:
    return f"/guichet/transfert/{user.pk}/"


def test_hand_over_moves_matches_and_rules(client_for, desk, manager_b, advisor_b, expert_b):
    first, second = taken_by(advisor_b, "Une Entreprise"), taken_by(advisor_b, "Autre Maison")
    rule = desk["first"]
    rule.person = advisor_b
    rule.save()
    client = client_for(manager_b)
    html = html_of(client.get(hand_over_url(advisor_b)))
    assert "<h1>Transférer le travail de Bruno Autre</h1>" in html
    assert "<td>Demandes du guichet en cours</td>" in html
    assert "<td>2</td>" in html
    assert re.search(rf'<option value="{expert_b.pk}">Eve Expert</option>', html)
    assert f'<option value="{advisor_b.pk}">' not in html
    response = client.post(hand_over_url(advisor_b), {"to_user": expert_b.pk}, follow=True)
    assert response.redirect_chain == [(hand_over_url(advisor_b), 302)]
    html = html_of(response)
    assert "Le travail de Bruno Autre est transféré à Eve Expert" in html
    assert "Demandes du guichet en cours : 2 demandes, 1 règle d'orientation" in html
    for match in (first, second):
        match.refresh_from_db()
        assert match.assignee == expert_b
    assert RoutingRule.objects.get(pk=rule.pk).person == expert_b


def test_hand_over_to_someone_outside_the_organisation_is_refused(
    client_for, desk, admin_user, advisor_b, advisor_a, expert_b
):
    match = taken_by(advisor_b, "Une Entreprise")
    html = html_of(client_for(admin_user).post(hand_over_url(advisor_b), {"to_user": advisor_a.pk}))
    assert "Choisissez un membre actif de la même organisation." in html
    html = html_of(client_for(admin_user).post(hand_over_url(advisor_b), {}))
    assert "Choisissez le collègue qui reprend le travail." in html
    match.refresh_from_db()
    assert match.assignee == advisor_b


def test_hand_over_without_colleague_says_what_to_do(client_for, desk, admin_user, org_a, bpi):
    alone = make_user("seul.agent@test.example", bpi, ["advisor"])
    html = html_of(client_for(admin_user).get(hand_over_url(alone)))
    assert "Aucun collègue actif de la même organisation ne peut reprendre ce travail." in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("advisor_b", 403), ("manager_a", 403), ("manager_b", 200), ("admin_user", 200)],
)
def test_hand_over_page_permissions(request, client_for, desk, advisor_b, manager_b, who, status):
    user = request.getfixturevalue(who)
    assert client_for(user).get(hand_over_url(advisor_b)).status_code == status


def test_hand_over_of_an_unknown_person_is_404(client_for, desk, admin_user):
    assert client_for(admin_user).get("/guichet/transfert/99999/").status_code == 404
