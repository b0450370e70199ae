"""Pages of the results part: the company's survey (signed link, no account), the advisor's
entry after a call, the results of an action and of a programme, who may open what."""

import html as htmllib
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.collective.links import survey_token
from guichet.collective.models import FollowUpSurvey
from guichet.collective.services.surveys import survey_answer, surveys_schedule
from tests.collective.test_surveys import ANSWER, attended
from tests.conftest import make_user

FORM = {
    "contacts_made": "12",
    "meetings_held": "5",
    "quotes_sent": "3",
    "contracts_signed": "1",
    "contracts_value": "45 000",
    "contract_countries": ["DE", "IT"],
    "expected_export_revenue": "",
    "satisfaction": "4",
    "comment": "Un importateur de Hambourg.",
}


@pytest.fixture
def registration(action, companies, org_a):
    registration = attended(action, companies[0], org_a, subsidy_amount=Decimal("4000"))
    surveys_schedule(registration=registration)
    return registration


@pytest.fixture
def survey(registration):
    return registration.surveys.get(wave=3)


def _text(response) -> str:
    """The page as a reader sees it: entities decoded, white space collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", htmllib.unescape(response.content.decode()))


def _link(survey) -> str:
    return reverse("collective:survey", args=[survey_token(survey)])


# --- the company's survey ------------------------------------------------------------------


def test_the_company_answers_without_an_account(client, survey):
    page = client.get(_link(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "SIAL Paris — pavillon Bourgogne-Franche-Comté : vos résultats à 3 mois" in html
    assert "Fromagerie de Bourgogne a participé" in html
    assert "Combien de contrats ou de commandes avez-vous signés ?" in html
    response = client.post(_link(survey), FORM)
    assert response.status_code == 302
    assert response["Location"].endswith("?merci=1")
    thanks = client.get(response["Location"]).content.decode()
    assert "Merci pour vos réponses" in thanks
    saved = FollowUpSurvey.objects.get(pk=survey.pk)
    assert (saved.contracts_signed, saved.contracts_value) == (1, Decimal("45000"))
    assert sorted(c.iso2 for c in saved.contract_countries.all()) == ["DE", "IT"]
    assert saved.answered_by is None


def test_errors_are_listed_in_french_and_what_was_typed_is_kept(client, survey):
    response = client.post(
        _link(survey),
        {**FORM, "contacts_made": "-2", "contracts_value": "", "satisfaction": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le formulaire contient 3 erreurs" in html
    assert 'href="#id_contacts_made"' in html
    assert "Contacts établis : Le nombre de contacts établis ne peut pas être négatif." in html
    assert "Indiquez le montant total des contrats signés (une estimation suffit)." in html
    assert 'href="#id_satisfaction_0"' in html
    assert "Un importateur de Hambourg." in html
    assert FollowUpSurvey.objects.get(pk=survey.pk).answered_at is None


def test_answering_again_is_said_and_replaces_the_answer(client, survey):
    survey_answer(survey=survey, data=ANSWER)
    html = client.get(_link(survey)).content.decode()
    assert "Vous avez déjà répondu le" in html
    assert "elles remplacent les précédentes" in html
    assert 'value="12"' in html  # the previous answers are shown
    assert "Remplacer mes réponses" in html
    client.post(_link(survey), {**FORM, "contacts_made": "30"})
    assert FollowUpSurvey.objects.get(pk=survey.pk).contacts_made == 30


@pytest.mark.parametrize("mangle", ["tampered", "revoked", "garbage"])
def test_a_bad_link_is_a_french_404(client, survey, mangle):
    token = survey_token(survey)
    if mangle == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif mangle == "revoked":
        registration = survey.registration
        registration.access_nonce = "rotated"
        registration.save()
    else:
        token = "n-importe-quoi"
    response = client.get(reverse("collective:survey", args=[token]))
    assert response.status_code == 404
    assert "Ce lien d'enquête n'est pas valide" in htmllib.unescape(response.content.decode())


# --- the advisor's entry -------------------------------------------------------------------


def test_the_advisor_enters_the_answers_after_a_call(client_for, survey, advisor_a):
    url = reverse("collective:survey_enter", args=[survey.pk])
    page = client_for(advisor_a).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Saisir les réponses de l'enquête à 3 mois" in html
    assert "Claire Martin" in html  # the contact to call (an audited display)
    response = client_for(advisor_a).post(url, FORM)
    assert response.status_code == 302
    saved = FollowUpSurvey.objects.get(pk=survey.pk)
    assert saved.answered_by == advisor_a
    from guichet.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="view", actor=advisor_a).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("advisor_a", 200), ("advisor_b", 403), ("readonly_a", 403), ("admin_user", 200)],
)
def test_who_may_enter_answers(request, client_for, survey, who, status):
    user = request.getfixturevalue(who)
    url = reverse("collective:survey_enter", args=[survey.pk])
    assert client_for(user).get(url).status_code == status


def test_anonymous_is_sent_to_login_for_the_entry(client, survey):
    response = client.get(reverse("collective:survey_enter", args=[survey.pk]))
    assert response.status_code == 302
    assert "connexion" in response["Location"] or "login" in response["Location"]


# --- results pages -------------------------------------------------------------------------


def test_the_action_results_show_the_contract_with_its_response_rate(
    client_for, registration, survey, advisor_a, action
):
    survey_answer(survey=survey, data=ANSWER)
    html = (
        client_for(advisor_a)
        .get(reverse("collective:action_results", args=[action.slug]))
        .content.decode()
    )
    assert "Résultats — SIAL Paris" in html
    assert "Contrats signés" in html
    assert "45\u202f000\u202f€" in html
    assert "sur 1 répondant / 1 participant, 100\u00a0%" in html
    assert "Fromagerie de Bourgogne" in html  # the answer behind the figures
    assert "Très bons contacts allemands." in html
    assert "Enquêtes de suivi par vague" in html  # chart, with its table alternative
    assert "Voir les données de ce graphique" in html


def test_other_organisations_see_the_figures_not_the_answers(
    client_for, registration, survey, advisor_b, action
):
    survey_answer(survey=survey, data=ANSWER)
    html = _text(
        client_for(advisor_b).get(reverse("collective:action_results", args=[action.slug]))
    )
    assert "45\u202f000\u202f€" in html
    assert "Très bons contacts allemands." not in html
    assert "1 réponse d'entreprise suivie par d'autres organismes" in html


def test_the_action_results_export(client_for, registration, survey, advisor_a, action):
    survey_answer(survey=survey, data=ANSWER)
    response = client_for(advisor_a).get(
        reverse("collective:action_results", args=[action.slug]) + "?format=csv"
    )
    text = response.content.decode("utf-8-sig")
    assert "Indicateur;Valeur;Répondants;Participants;Taux de réponse (%)" in text
    assert "Contrats signés;1;1;1;100.0" in text


def test_the_programme_results(client_for, registration, survey, readonly_a, action):
    survey_answer(survey=survey, data=ANSWER)
    response = client_for(readonly_a).get(reverse("collective:results") + "?year=2026")
    html = response.content.decode()
    assert "Résultats des actions collectives — programme 2026" in html
    assert reverse("collective:action_results", args=[action.slug]) in html
    assert "Total du programme" in html
    assert "sur 1 répondant / 1 participant, 100\u00a0%" in html
    assert "Participants et répondants par action" in html
    assert "Export pour l'évaluateur" not in html  # read-only: no export of names


def test_the_results_year_defaults_to_the_latest_programme(client_for, action, advisor_a):
    html = client_for(advisor_a).get(reverse("collective:results")).content.decode()
    assert "programme 2026" in html


def test_an_unknown_year_is_refused_in_french(client_for, action, advisor_a):
    response = client_for(advisor_a).get(reverse("collective:results") + "?year=1990")
    text = htmllib.unescape(response.content.decode())
    assert "Aucun programme d'actions collectives cette année-là." in text


def test_results_are_for_members(client, client_for, action, org_a):
    assert client.get(reverse("collective:results")).status_code == 302
    outsider = make_user("sans.organisme@test.example", None, ["advisor"])
    assert client_for(outsider).get(reverse("collective:results")).status_code == 403
    url = reverse("collective:action_results", args=["inconnue"])
    member = make_user("membre.a@test.example", org_a, ["advisor"])
    assert client_for(member).get(url).status_code == 404


def test_the_action_page_partials(registration, survey, advisor_a, advisor_b, action):
    from django.template.loader import render_to_string

    from guichet.collective.selectors_results import (
        action_results_summary,
        registration_surveys_context,
    )

    survey_answer(survey=survey, data=ANSWER, by=advisor_a)
    html = render_to_string(
        "collective/results/_registration_surveys.html",
        {"surveys": registration_surveys_context(registration, advisor_a)},
    )
    assert "Répondue le" in html
    assert "12 contact(s), 5 rendez-vous, 3 devis, 1 contrat(s) pour 45" in html
    assert "Saisie par Claire Conseil après un appel." in html
    assert reverse("collective:survey_enter", args=[survey.pk]) in html
    assert "Corriger les réponses" in html
    other = render_to_string(
        "collective/results/_registration_surveys.html",
        {"surveys": registration_surveys_context(registration, advisor_b)},
    )
    assert reverse("collective:survey_enter", args=[survey.pk]) not in other
    action.starts_on, action.ends_on = date(2020, 10, 18), date(2020, 10, 22)
    action.save()
    summary = render_to_string(
        "collective/results/_action_results_summary.html", action_results_summary(action)
    )
    assert "Contrats signés : 1" in summary
    assert "sur 1 répondant / 1 participant" in summary
    assert reverse("collective:action_results", args=[action.slug]) in summary
    action.starts_on, action.ends_on = date(2099, 10, 18), date(2099, 10, 22)
    action.save()
    summary = render_to_string(
        "collective/results/_action_results_summary.html", action_results_summary(action)
    )
    assert "Les résultats seront mesurés par les enquêtes" in summary


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_results_pages_read_a_fixed_number_of_queries(
    client_for, registration, survey, advisor_a, action, companies, org_a
):
    from tests.collective.conftest import make_action

    survey_answer(survey=survey, data=ANSWER)
    client = client_for(advisor_a)
    programme = reverse("collective:results") + "?year=2026"
    page = reverse("collective:action_results", args=[action.slug])
    before = (_queries(client, programme), _queries(client, page))
    for index, company in enumerate(companies[1:], start=1):
        other = make_action(org_a, slug=f"autre-{index}", series=f"autre-{index}")
        for target in (action, other):
            present = attended(target, company, org_a)
            surveys_schedule(registration=present)
            survey_answer(survey=present.surveys.get(wave=3), data=ANSWER)
            survey_answer(survey=present.surveys.get(wave=6), data=ANSWER)
    assert (_queries(client, programme), _queries(client, page)) == before
