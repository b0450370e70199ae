"""The results part inside the other pages: the surveys on the registration page, the key
results on the action's staff page."""

import html as htmllib
import re
from datetime import date

from django.urls import reverse

from guichet.collective.services.surveys import survey_answer, surveys_schedule
from tests.collective.test_surveys import ANSWER, attended


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", htmllib.unescape(response.content.decode()))


def test_the_registration_page_lists_the_surveys_and_the_entry_link(
    client_for, action, companies, org_a, advisor_a
):
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)
    survey = registration.surveys.get(wave=3)
    survey_answer(survey=survey, data=ANSWER)
    page = client_for(advisor_a).get(
        reverse("collective:registration_detail", args=[registration.pk])
    )
    assert page.status_code == 200
    html = _text(page)
    assert "Enquêtes de suivi" in html
    assert "12 contact(s), 5 rendez-vous, 3 devis, 1 contrat(s) pour 45\u202f000\u202f€" in html
    assert reverse("collective:survey_enter", args=[survey.pk]) in html
    assert "Saisir les réponses" in html  # the +6 and +12 waves


def test_the_action_page_shows_the_key_results(client_for, action, companies, org_a, advisor_a):
    action.starts_on, action.ends_on = date(2025, 10, 18), date(2025, 10, 22)
    action.save()
    registration = attended(action, companies[0], org_a)
    surveys_schedule(registration=registration)
    survey_answer(survey=registration.surveys.get(wave=3), data=ANSWER)
    html = _text(client_for(advisor_a).get(reverse("collective:action_detail", args=[action.slug])))
    assert re.search(
        r"Contrats signés : 1</strong> <span[^>]*>— sur 1 répondant / 1 participant, 100\u00a0%",
        html,
    )
    assert reverse("collective:action_results", args=[action.slug]) in html
