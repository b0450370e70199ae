"""The need as its partners see it: company, contact (audited), matches, history, survey, and
the forms to answer, assign, flag as spam and orient to another partner."""

import re
from html import unescape

import pytest
from django.core import mail

from guichet.core.models import AuditEvent
from guichet.desk.models import Match, MatchStatus, NeedEvent, SurveyResponse
from guichet.desk.services import match_answer
from tests.companies.conftest import make_company
from tests.desk.conftest import submit


def url(need, suffix: str = "") -> str:
    return f"/guichet/demandes/{need.reference}/{suffix}"


def answer_url(need, match) -> str:
    return url(need, f"reponse/{match.pk}/")


def html_of(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def need(desk):
    return submit(when="2026-03-02").need


@pytest.fixture
def match(need):
    return need.matches.get()


# --- What the page shows ------------------------------------------------------------------


def test_page_shows_the_need_and_audits_the_contact_display(client_for, need, advisor_b):
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()
    html = html_of(client_for(advisor_b).get(url(need)))
    assert f"<h1>Demande {need.reference}</h1>" in html
    assert "En attente de prise en charge</p>" in html
    assert "Reçue le 2 mars 2026 à 10:00 — Formulaire public" in html
    assert "<strong>Fromagerie Test</strong>" in html
    assert "Entreprise absente du registre" in html
    assert "aucun SIRET déclaré" in html
    assert "Jeanne Martin" in html
    assert "— Gérante" in html
    assert 'href="mailto:jeanne.martin@fromagerie.example"' in html
    assert "03 80 11 22 33" in html
    assert "Nous cherchons des distributeurs en Allemagne." in html
    assert '<p class="fr-tag">Trouver des clients à l\'étranger</p>' in html
    assert '<h3 class="fr-h5 fr-mb-1w">CCI Test</h3>' in html
    assert "Accusé de réception (jeanne.martin@fromagerie.example)" in html
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_type="desk.Need")
    assert views.count() == before + 1
    view = views.latest("pk")
    assert (view.object_id, view.actor) == (str(need.pk), advisor_b)
    client_for(advisor_b).get(url(need))
    assert views.count() == before + 2


def test_registry_company_is_one_click_away(client_for, desk, advisor_b, reference):
    company = make_company("552100554", "Fromagerie Dijonnaise")
    need = submit(siret="55210055400012", company_name="").need
    html = html_of(client_for(advisor_b).get(url(need)))
    assert re.search(r'href="/entreprises/552100554/">Fromagerie Dijonnaise</a>', html)
    assert f"SIREN {company.siren_display}" in html
    assert "SIRET déclaré 55210055400012" in html
    assert "absente du registre" not in html


def test_unknown_company_shows_the_declared_siret(client_for, desk, advisor_b):
    need = submit(siret="55210055400012", company_name="Inconnue SARL").need
    html = html_of(client_for(advisor_b).get(url(need)))
    assert "<strong>Inconnue SARL</strong>" in html
    assert "Entreprise absente du registre" in html
    assert "SIRET déclaré : 55210055400012" in html


def test_attached_needs_are_listed_with_date_channel_and_text(client_for, need, advisor_b):
    again = submit(when="2026-03-04", description="Je relance : toujours intéressée.").need
    assert again.duplicate_of == need
    html = html_of(client_for(advisor_b).get(url(need)))
    assert "Demandes rattachées (1)" in html
    assert f"<strong>04/03/2026 10:00</strong> — Formulaire public ({again.reference}) :" in html
    assert "Je relance : toujours intéressée." in html
    attached = html_of(client_for(advisor_b).get(url(again)))
    assert "Cette demande a été rattachée à la demande en cours" in attached
    assert f'href="/guichet/demandes/{need.reference}/">{need.reference}</a>' in attached


def test_reference_is_case_insensitive_and_unknown_is_a_french_404(client_for, need, advisor_b):
    client = client_for(advisor_b)
    assert client.get(f"/guichet/demandes/{need.reference.lower()}/").status_code == 200
    response = client.get("/guichet/demandes/26-ZZZZZZ/")
    assert response.status_code == 404


def test_history_shows_each_step(client_for, need, match, advisor_b):
    match_answer(match=match, user=advisor_b, status=MatchStatus.TAKEN, comment="Appel lundi.")
    html = html_of(client_for(advisor_b).get(url(need)))
    history = html[html.index('id="historique"') :]
    assert history.index("Demande reçue") < history.index("Orientée")
    assert "Réponse du partenaire" in history
    assert "Bruno Autre\n" in history
    assert "(CCI Test)" in history
    assert "Prise en charge : Appel lundi." in history
    assert "Prise en charge (jeanne.martin@fromagerie.example)" in history


@pytest.mark.parametrize("shared", [True, False])
def test_survey_comment_shown_only_when_shared(client_for, need, advisor_b, shared):
    SurveyResponse.objects.create(
        need=need, contacted=True, useful="partly", comment="Merci Bruno !", comment_shared=shared
    )
    html = html_of(client_for(advisor_b).get(url(need)))
    survey = html[html.index('id="enquete"') :]
    assert "En partie" in survey
    assert ("Merci Bruno !" in survey) is shared
    assert ("qu'elle n'a pas souhaité transmettre" in survey) is not shared


# --- Who may see it -------------------------------------------------------------------------


def test_other_organisation_and_readonly_member_get_403(client_for, need, advisor_a, readonly_a):
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_type="desk.Need")
    assert client_for(advisor_a).get(url(need)).status_code == 403
    assert client_for(readonly_a).get(url(need)).status_code == 403
    assert not views.exists()


def test_anonymous_is_sent_to_the_login_page(client_for, need):
    response = client_for(None).get(url(need))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_administrator_sees_every_need_but_cannot_answer_for_another_organisation(
    client_for, need, match, admin_user
):
    html = html_of(client_for(admin_user).get(url(need)))
    assert "Jeanne Martin" in html
    assert f'action="{answer_url(need, match)}"' not in html
    assert f'action="{url(need, f"attribuer/{match.pk}/")}"' in html
    response = client_for(admin_user).post(
        answer_url(need, match), {f"reponse-{match.pk}-status": "taken"}
    )
    assert response.status_code == 403


# --- Answers ----------------------------------------------------------------------------------


def test_take_in_charge_tells_the_company(client_for, need, match, advisor_b):
    mail.outbox.clear()
    client = client_for(advisor_b)
    html = html_of(client.get(url(need)))
    assert f'action="{answer_url(need, match)}"' in html
    assert "Je prends en charge : l'entreprise sera prévenue" in html
    response = client.post(
        answer_url(need, match), {f"reponse-{match.pk}-status": "taken"}, follow=True
    )
    assert response.redirect_chain == [(url(need) + "#orientations", 302)]
    html = html_of(response)
    assert (
        f"Vous avez pris en charge la demande {need.reference} : "
        "l'entreprise en est informée par courriel." in html
    )
    match.refresh_from_db()
    assert (match.status, match.assignee, match.answered_by) == (
        MatchStatus.TAKEN,
        advisor_b,
        advisor_b,
    )
    assert [m.subject for m in mail.outbox] == [
        f"Votre demande {need.reference} est prise en charge"
    ]
    assert "Prise en charge</p>" in html
    # A taken match offers the closing answers only.
    assert "Je prends en charge" not in html
    assert "Close : l'entreprise a été aidée" in html


def test_done_closes_the_need_and_tells_the_company(client_for, need, match, advisor_b):
    mail.outbox.clear()
    response = client_for(advisor_b).post(
        answer_url(need, match),
        {f"reponse-{match.pk}-status": "done", f"reponse-{match.pk}-comment": "RDV fait."},
        follow=True,
    )
    html = html_of(response)
    assert f"La demande {need.reference} est close pour votre organisation (Close avec aide)." in (
        html
    )
    match.refresh_from_db()
    assert (match.status, match.comment) == (MatchStatus.DONE, "RDV fait.")
    assert f"Votre demande {need.reference} est close" in [m.subject for m in mail.outbox]
    assert f'action="{answer_url(need, match)}"' not in html


def test_refusal_without_reason_keeps_values_and_changes_nothing(
    client_for, need, match, advisor_b
):
    response = client_for(advisor_b).post(
        answer_url(need, match),
        {
            f"reponse-{match.pk}-status": "refused",
            f"reponse-{match.pk}-comment": "Pas notre métier.",
        },
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "La réponse n'est pas enregistrée" in html
    assert "Indiquez le motif du refus : l'entreprise et le guichet" in html
    assert "Pas notre métier.</textarea>" in html
    assert re.search(r'<input type="radio"[^>]*value="refused"[^>]*checked', html)
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING
    assert need.matches.count() == 1
    assert not NeedEvent.objects.filter(need=need, kind=NeedEvent.Kind.ANSWERED).exists()


def test_other_reason_needs_a_comment(client_for, need, match, advisor_b):
    html = html_of(
        client_for(advisor_b).post(
            answer_url(need, match),
            {
                f"reponse-{match.pk}-status": "refused",
                f"reponse-{match.pk}-refusal_reason": "other",
            },
        )
    )
    assert "Précisez le motif du refus dans le commentaire." in html
    assert '<option value="other" selected>' in html
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING


def test_refusal_with_reason_reroutes_to_the_next_rank(
    client_for, need, match, advisor_b, advisor_a
):
    response = client_for(advisor_b).post(
        answer_url(need, match),
        {
            f"reponse-{match.pk}-status": "refused",
            f"reponse-{match.pk}-refusal_reason": "out_of_territory",
        },
        follow=True,
    )
    html = html_of(response)
    assert (
        f"Refus enregistré : la demande {need.reference} est désormais orientée vers Région Test."
        in html
    )
    assert "Motif du refus" in html
    assert "Hors de notre territoire" in html
    statuses = {m.organisation.name: m.status for m in need.matches.all()}
    assert statuses == {"CCI Test": MatchStatus.REFUSED, "Région Test": MatchStatus.PENDING}
    # Région Test now sees the need and may answer it.
    new = need.matches.get(organisation__name="Région Test")
    other = html_of(client_for(advisor_a).get(url(need)))
    assert f'action="{answer_url(need, new)}"' in other


def test_a_reason_given_with_another_answer_is_ignored(client_for, need, match, advisor_b):
    client_for(advisor_b).post(
        answer_url(need, match),
        {
            f"reponse-{match.pk}-status": "unreachable",
            f"reponse-{match.pk}-refusal_reason": "out_of_scope",
        },
    )
    match.refresh_from_db()
    assert (match.status, match.refusal_reason) == (MatchStatus.UNREACHABLE, "")


def test_answer_without_choice_is_a_french_error(client_for, need, match, advisor_b):
    html = html_of(client_for(advisor_b).post(answer_url(need, match), {}))
    assert "Choisissez une réponse." in html


def test_other_organisation_cannot_answer(client_for, need, match, advisor_a):
    response = client_for(advisor_a).post(
        answer_url(need, match), {f"reponse-{match.pk}-status": "taken"}
    )
    assert response.status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING


def test_answer_is_post_only(client_for, need, match, advisor_b):
    assert client_for(advisor_b).get(answer_url(need, match)).status_code == 405


# --- Assignment -------------------------------------------------------------------------------


def test_assign_to_a_colleague(client_for, need, match, advisor_b, expert_b, advisor_a):
    client = client_for(advisor_b)
    assign = url(need, f"attribuer/{match.pk}/")
    response = client.post(assign, {f"attribuer-{match.pk}-assignee": expert_b.pk}, follow=True)
    html = html_of(response)
    assert f"La demande {need.reference} est confiée à Eve Expert." in html
    match.refresh_from_db()
    assert match.assignee == expert_b
    assert "Confiée à Eve Expert" in html
    refused = html_of(client.post(assign, {f"attribuer-{match.pk}-assignee": advisor_a.pk}))
    assert "Choisissez un membre actif de l'organisation." in refused
    match.refresh_from_db()
    assert match.assignee == expert_b


# --- Spam -------------------------------------------------------------------------------------


def test_administrator_flags_spam_with_a_reason(client_for, need, match, admin_user):
    client = client_for(admin_user)
    spam = url(need, "indesirable/")
    html = html_of(client.post(spam, {"reason": ""}))
    assert "Indiquez pourquoi la demande est indésirable." in html
    need.refresh_from_db()
    assert not need.is_spam
    response = client.post(spam, {"reason": "Publicité pour un logiciel"}, follow=True)
    html = html_of(response)
    assert f"La demande {need.reference} est marquée indésirable" in html
    assert "Motif : Publicité pour un logiciel." in html
    assert "Indésirable</p>" in html
    need.refresh_from_db()
    match.refresh_from_db()
    assert (need.is_spam, match.status) == (True, MatchStatus.CANCELLED)
    restored = html_of(client.post(spam, {"action": "restore"}, follow=True))
    assert f"La demande {need.reference} est rétablie et réorientée." in restored
    need.refresh_from_db()
    assert not need.is_spam
    assert need.matches.get().status == MatchStatus.PENDING


def test_partners_cannot_flag_spam(client_for, need, advisor_b):
    html = html_of(client_for(advisor_b).get(url(need)))
    assert "Marquer indésirable" not in html
    response = client_for(advisor_b).post(url(need, "indesirable/"), {"reason": "Test"})
    assert response.status_code == 403
    need.refresh_from_db()
    assert not need.is_spam


# --- Manual orientation -----------------------------------------------------------------------


def test_holder_orients_the_need_to_another_partner(client_for, need, advisor_b, bpi, subjects):
    client = client_for(advisor_b)
    html = html_of(client.get(url(need)))
    assert "Orienter vers un autre partenaire" in html
    form = html[html.index('id="orienter"') :]
    assert "Bpifrance Test</option>" in form
    assert "CCI Test</option>" not in form  # it already holds the need
    response = client.post(
        url(need, "orienter/"),
        {"organisation": bpi.pk, "subject": subjects["clients-etranger"].pk},
        follow=True,
    )
    assert f"La demande {need.reference} est transmise à Bpifrance Test." in html_of(response)
    manual = need.matches.get(organisation=bpi)
    assert (manual.via, manual.status) == (Match.Via.MANUAL, MatchStatus.PENDING)


def test_orientation_to_a_holder_is_refused(client_for, need, advisor_b, org_b):
    html = html_of(client_for(advisor_b).post(url(need, "orienter/"), {"organisation": org_b.pk}))
    assert "Cette organisation ne peut pas recevoir la demande." in html
    assert need.matches.count() == 1
    missing = html_of(client_for(advisor_b).post(url(need, "orienter/"), {}))
    assert "Choisissez l'organisation à qui transmettre la demande." in missing


def test_other_organisation_cannot_orient(client_for, need, advisor_a, bpi):
    response = client_for(advisor_a).post(url(need, "orienter/"), {"organisation": bpi.pk})
    assert response.status_code == 403
    assert need.matches.count() == 1
