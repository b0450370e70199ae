"""The "Parcours export" section of the company file and its forms: stage, lead advisor, next
actions."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from guichet.journeys.models import Journey, NextAction, Stage, StageChange
from guichet.journeys.services import journey_set_stage, journey_start, next_action_create

FILE = "/entreprises/552100554/"
STAGE = "/entreprises/552100554/parcours/etape/"
LEAD = "/entreprises/552100554/parcours/referent/"
NEW_ACTION = "/entreprises/552100554/parcours/actions/nouvelle/"


def _section(html: str) -> str:
    start = html.index('id="parcours-entreprise"')
    return unescape(html[start : html.index("</section>", start)])


def test_a_company_not_followed_invites_to_follow_it(client_for, advisor_a, company):
    section = _section(client_for(advisor_a).get(FILE).content.decode())
    assert "L'entreprise n'est pas encore suivie" in section
    assert "Commencer le suivi" in section
    assert "Je deviens le conseiller référent" in section
    assert "Aucune action en cours pour cette entreprise." in section


def test_the_section_comes_before_the_timeline_and_the_desk(client_for, advisor_a, company):
    html = client_for(advisor_a).get(FILE).content.decode()
    assert html.index('id="parcours-entreprise"') < html.index('id="demandes-guichet"')
    assert html.index('id="parcours-entreprise"') < html.index('id="suivi-entreprise"')


def test_stage_lead_time_in_stage_and_dated_history(client_for, advisor_a, advisor_b, company):
    now = timezone.now()
    journey_start(
        company=company, lead_advisor=advisor_b, by=advisor_b, at=now - timedelta(days=50)
    )
    journey_set_stage(
        company=company, stage=Stage.DIAGNOSED, by=advisor_b, at=now - timedelta(days=12)
    )
    section = _section(client_for(advisor_a).get(FILE).content.decode())
    assert "Diagnostiquée" in section
    assert "Étape 3 sur 6" in section
    assert 'data-fr-current-step="3"' in section
    assert "Étape suivante :</span> Accompagnée" in section
    since = timezone.localtime(now - timedelta(days=12)).strftime("%d/%m/%Y")
    assert f">{since}</time>\n          (12 jours)" in section
    assert "Bruno Autre</strong>\n            (CCI Test)" in section
    assert "Historique des étapes (2)" in section
    history = section[section.index("Historique des étapes") :]
    assert history.index("Diagnostiquée") < history.index("début du suivi")
    assert "Changer l'étape" in section


def test_dropped_company_shows_its_reason(client_for, advisor_a, company):
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    journey_set_stage(
        company=company, stage=Stage.DROPPED, by=advisor_a, reason="Pas de projet à 3 ans"
    )
    section = _section(client_for(advisor_a).get(FILE).content.decode())
    assert "Sortie du parcours" in section
    assert "motif : Pas de projet à 3 ans" in section
    assert "fr-stepper" not in section
    assert ">vous</span>" in section


def test_changing_the_stage_from_the_file(client_for, advisor_a, company):
    client = client_for(advisor_a)
    response = client.post(STAGE, {"stage": "contacted", "reason": "", "on": ""})
    assert response.status_code == 302
    assert response["Location"] == FILE + "#parcours"
    journey = Journey.objects.get(company=company)
    assert (journey.stage, journey.lead_advisor) == (Stage.CONTACTED, advisor_a)
    page = client.get(FILE).content.decode()
    assert "Biscuiterie de Dijon est à l&#x27;étape « Contactée »." in page


def test_a_dated_change_in_the_past(client_for, advisor_a, company):
    journey_start(
        company=company,
        lead_advisor=advisor_a,
        by=advisor_a,
        at=timezone.now() - timedelta(days=30),
    )
    day = timezone.localdate() - timedelta(days=10)
    client_for(advisor_a).post(STAGE, {"stage": "contacted", "on": day.isoformat()})
    change = StageChange.objects.get(to_stage="contacted")
    assert timezone.localtime(change.at).date() == day


def test_leaving_without_reason_keeps_what_was_typed(client_for, advisor_a, company):
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    response = client_for(advisor_a).post(STAGE, {"stage": "dropped", "reason": " ", "on": ""})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Indiquez pourquoi l'entreprise sort du parcours (motif de sortie)." in html
    assert '<option value="dropped" selected>' in html
    assert Journey.objects.get(company=company).stage == Stage.IDENTIFIED


def test_stage_date_before_the_current_stage_is_refused_on_the_field(
    client_for, advisor_a, company
):
    journey_start(company=company, lead_advisor=advisor_a, by=advisor_a)
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = client_for(advisor_a).post(STAGE, {"stage": "contacted", "on": day})
    html = unescape(response.content.decode())
    assert "ne peut pas précéder l'arrivée à l'étape actuelle" in html
    assert f'value="{day}"' in html
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(advisor_a).post(STAGE, {"stage": "contacted", "on": future})
    assert "La date du changement ne peut pas être future." in unescape(response.content.decode())


def test_become_lead_and_name_a_colleague(client_for, advisor_a, advisor_b, company):
    client = client_for(advisor_b)
    assert client.post(LEAD, {"lead_advisor": advisor_b.pk}).status_code == 302
    assert Journey.objects.get(company=company).lead_advisor == advisor_b
    page = unescape(client.get(LEAD).content.decode())
    assert "Conseiller référent actuel : <strong>Bruno Autre</strong>" in page
    assert "Bruno Autre — CCI Test" in page
    assert "Claire Conseil" not in page  # another organisation: not offered
    response = client.post(LEAD, {"lead_advisor": advisor_a.pk})
    assert "Choisissez une personne de la liste." in unescape(response.content.decode())
    assert Journey.objects.get(company=company).lead_advisor == advisor_b


def test_plan_an_action_for_me_and_mark_it_done(client_for, advisor_a, company):
    client = client_for(advisor_a)
    due = timezone.localdate() + timedelta(days=5)
    response = client.post(
        NEW_ACTION,
        {
            "title": "Envoyer la fiche Assurance prospection",
            "due_on": due.isoformat(),
            "assignee": advisor_a.pk,
        },
    )
    assert response.status_code == 302
    action = NextAction.objects.get()
    assert (action.title, action.due_on, action.assignee) == (
        "Envoyer la fiche Assurance prospection",
        due,
        advisor_a,
    )
    section = _section(client.get(FILE).content.decode())
    assert "Envoyer la fiche Assurance prospection" in section
    assert f">{due:%d/%m/%Y}</time>" in section
    done = client.post(f"/parcours/actions/{action.pk}/faite/", {"next": FILE + "#parcours"})
    assert done["Location"] == FILE + "#parcours"
    action.refresh_from_db()
    assert action.done_at is not None
    section = _section(client.get(FILE).content.decode())
    assert "Actions faites récemment" in section
    assert "Aucune action en cours pour cette entreprise." in section


def test_overdue_action_is_flagged_with_a_badge_and_text(client_for, advisor_a, company):
    next_action_create(
        company=company,
        title="Relancer le dirigeant",
        due_on=timezone.localdate() - timedelta(days=4),
        assignee=advisor_a,
        by=advisor_a,
        today=timezone.localdate() - timedelta(days=10),
    )
    section = _section(client_for(advisor_a).get(FILE).content.decode())
    assert "En retard</p>" in section
    assert "de 4 jours" in section


def test_action_form_refusals_keep_the_input(client_for, advisor_a, company):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(advisor_a).post(
        NEW_ACTION, {"title": "Rappeler", "due_on": past, "assignee": advisor_a.pk, "notes": "x"}
    )
    html = unescape(response.content.decode())
    assert "L'échéance est passée : choisissez aujourd'hui ou une date à venir." in html
    assert 'value="Rappeler"' in html
    response = client_for(advisor_a).post(NEW_ACTION, {"title": "", "due_on": "", "assignee": ""})
    html = unescape(response.content.decode())
    assert "Indiquez l'action à mener." in html
    assert "Indiquez l'échéance." in html
    assert not NextAction.objects.exists()


def test_give_an_action_to_a_colleague(client_for, advisor_a, org_a, company):
    from tests.conftest import make_user

    colleague = make_user("marie.collegue@test.example", org_a, ["expert"])
    due = timezone.localdate() + timedelta(days=1)
    client_for(advisor_a).post(
        NEW_ACTION, {"title": "Avis juridique", "due_on": due.isoformat(), "assignee": colleague.pk}
    )
    assert NextAction.objects.get().assignee == colleague


@pytest.mark.parametrize("fixture", ["advisor_b", "readonly_a"])
def test_only_the_actions_organisation_marks_it_done(
    request, client_for, advisor_a, company, fixture
):
    action = next_action_create(
        company=company,
        title="Rappeler",
        due_on=timezone.localdate(),
        assignee=advisor_a,
        by=advisor_a,
    )
    user = request.getfixturevalue(fixture)
    assert client_for(user).post(f"/parcours/actions/{action.pk}/faite/").status_code == 403
    action.refresh_from_db()
    assert action.done_at is None


def test_unsafe_next_is_ignored(client_for, advisor_a, company):
    action = next_action_create(
        company=company,
        title="Rappeler",
        due_on=timezone.localdate(),
        assignee=advisor_a,
        by=advisor_a,
    )
    response = client_for(advisor_a).post(
        f"/parcours/actions/{action.pk}/faite/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == FILE + "#parcours"


def test_readonly_member_does_not_see_the_section(client_for, readonly_a, company):
    html = client_for(readonly_a).get(FILE).content.decode()
    assert 'id="parcours-entreprise"' not in html
