"""The satisfaction survey: the signed link (valid, broken, expired), one answer per closed
need, the comment kept from the partner unless the company agreed."""

import time

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from guichet.desk.models import MatchStatus, NeedEvent, SurveyResponse
from guichet.desk.services import match_answer
from guichet.desk.services.mail import SURVEY_MAX_AGE, survey_token
from guichet.desk.services.survey import survey_answer
from guichet.journeys.models import TimelineEvent
from tests.companies.conftest import make_company
from tests.desk.conftest import at, submit


def _close(need, user, status=MatchStatus.DONE):
    match = need.matches.get()
    match_answer(match=match, user=user, status=MatchStatus.TAKEN, at=at("2026-03-03"))
    match_answer(match=match, user=user, status=status, at=at("2026-03-10"))
    return need


@pytest.fixture
def closed(desk, advisor_b):
    return _close(submit().need, advisor_b)


def _url(need) -> str:
    return reverse("desk:survey", args=[survey_token(need)])


ANSWER = {
    "contacted": "yes",
    "useful": "partly",
    "comment": "Bon contact, mais pas de distributeur trouvé.",
    "comment_shared": "on",
}


def test_a_valid_link_shows_the_three_questions(closed):
    response = Client().get(_url(closed))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Votre avis sur la demande {closed.reference}" in html
    assert "Avez-vous été contacté par un conseiller ?" in html
    assert "La réponse vous a-t-elle été utile ?" in html
    assert "En partie" in html
    assert "Elle a été traitée par CCI Test." in html
    assert "transmis au partenaire qui a traité ma demande" in html
    assert 'type="radio"' in html
    assert "jeanne.martin" not in html  # no contact details on a page reached by a link


def test_a_broken_link_answers_400_and_tells_how_to_reach_the_desk(closed):
    token = survey_token(closed)
    response = Client().get(reverse("desk:survey", args=[token[:-3] + "abc"]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce lien n&#x27;est plus valide" in html or "Ce lien n'est plus valide" in html
    assert "03 80 00 00 00" in html
    assert reverse("desk:intake") in html


def test_a_link_signed_with_another_salt_is_refused(closed):
    token = signing.dumps({"need": closed.pk, "ref": closed.reference}, salt="autre")
    assert Client().get(reverse("desk:survey", args=[token])).status_code == 400


def test_a_link_naming_another_reference_is_refused(closed):
    from guichet.desk.services.mail import SURVEY_SALT

    token = signing.dumps({"need": closed.pk, "ref": "26-AAAAAA"}, salt=SURVEY_SALT)
    assert Client().get(reverse("desk:survey", args=[token])).status_code == 400


def test_an_expired_link_answers_410(closed, monkeypatch):
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - SURVEY_MAX_AGE - 3600)
    token = survey_token(closed)
    monkeypatch.setattr(signing.time, "time", real)
    response = Client().post(reverse("desk:survey", args=[token]), ANSWER)
    assert response.status_code == 410
    html = response.content.decode()
    assert "a expiré" in html
    assert "03 80 00 00 00" in html
    assert not SurveyResponse.objects.exists()


def test_a_link_still_within_its_validity_works(closed, monkeypatch):
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - SURVEY_MAX_AGE + 3600)
    token = survey_token(closed)
    monkeypatch.setattr(signing.time, "time", real)
    assert Client().get(reverse("desk:survey", args=[token])).status_code == 200


def test_answer_is_saved_once_then_thanks(closed):
    client = Client()
    response = client.post(_url(closed), ANSWER)
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "Merci pour votre réponse" in thanks.content.decode()
    saved = SurveyResponse.objects.get(need=closed)
    assert (saved.contacted, saved.useful, saved.comment, saved.comment_shared) == (
        True,
        "partly",
        "Bon contact, mais pas de distributeur trouvé.",
        True,
    )
    event = closed.events.get(kind=NeedEvent.Kind.SURVEY)
    assert "réponse utile : en partie" in event.text
    assert "Bon contact" in event.text


def test_a_second_visit_says_already_answered_and_changes_nothing(closed):
    client = Client()
    client.post(_url(closed), ANSWER)
    again = client.get(_url(closed))
    assert again.status_code == 200
    assert "Vous avez déjà répondu, merci" in again.content.decode()
    second = client.post(_url(closed), {**ANSWER, "useful": "no", "comment": "Autre avis"})
    assert "Vous avez déjà répondu, merci" in second.content.decode()
    saved = SurveyResponse.objects.get(need=closed)
    assert (saved.useful, saved.comment) == (
        "partly",
        "Bon contact, mais pas de distributeur trouvé.",
    )
    assert closed.events.filter(kind=NeedEvent.Kind.SURVEY).count() == 1


def test_the_service_refuses_a_second_answer(closed):
    survey_answer(need=closed, contacted=False, useful="", comment="", comment_shared=False)
    with pytest.raises(ValidationError) as error:
        survey_answer(need=closed, contacted=True, useful="yes", comment="", comment_shared=False)
    assert "déjà répondu" in str(error.value)
    assert SurveyResponse.objects.get(need=closed).contacted is False


def test_markup_in_the_comment_is_rejected_and_the_typed_text_kept(closed):
    response = Client().post(_url(closed), {**ANSWER, "comment": "Super <script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les balises HTML et les scripts ne sont pas acceptés" in html
    assert "Super &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not SurveyResponse.objects.exists()
    with pytest.raises(ValidationError):
        survey_answer(
            need=closed, contacted=True, useful="yes", comment="<b>x</b>", comment_shared=True
        )
    assert not SurveyResponse.objects.exists()


def test_missing_answers_get_french_errors(closed):
    response = Client().post(_url(closed), {"contacted": "yes", "comment": "x" * 2001})
    html = response.content.decode()
    assert "Indiquez si la réponse vous a été utile." in html
    assert "2000 caractères au plus" in html
    empty = Client().post(_url(closed), {})
    assert "Indiquez si un conseiller vous a contacté." in empty.content.decode()
    assert not SurveyResponse.objects.exists()


def test_not_contacted_may_skip_the_usefulness(closed):
    response = Client().post(_url(closed), {"contacted": "no"})
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(need=closed)
    assert (saved.contacted, saved.useful, saved.comment_shared) == (False, "", False)


def test_a_comment_not_shared_stays_out_of_the_history(closed):
    Client().post(_url(closed), {**ANSWER, "comment_shared": ""})
    saved = SurveyResponse.objects.get(need=closed)
    assert saved.comment_shared is False
    event = closed.events.get(kind=NeedEvent.Kind.SURVEY)
    assert "Bon contact" not in event.text
    assert "réservé au guichet" in event.text


def test_an_open_need_has_no_survey_yet(desk):
    need = submit().need
    response = Client().post(_url(need), ANSWER)
    assert response.status_code == 200
    assert "Votre demande est encore en cours" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    with pytest.raises(ValidationError) as error:
        survey_answer(need=need, contacted=True, useful="yes", comment="", comment_shared=False)
    assert "pas encore close" in str(error.value)


def test_the_answer_is_logged_on_the_company_timeline(desk, advisor_b):
    company = make_company("552100554", "Fromagerie Test")
    need = _close(submit(siret="55210055400012").need, advisor_b)
    assert need.company == company
    Client().post(_url(need), ANSWER)
    logged = TimelineEvent.objects.get(company=company, title__startswith="Enquête")
    assert logged.title == f"Enquête de satisfaction, demande {need.reference}"
    assert "en partie" in logged.text
    assert "Bon contact" not in logged.text  # the comment is for the partner only


def test_the_partner_sees_the_answer_and_the_comment_only_when_shared(
    closed, advisor_b, advisor_a, admin_user
):
    from guichet.desk.services.survey import survey_for_viewer

    assert survey_for_viewer(closed, advisor_b) is None
    survey_answer(need=closed, contacted=True, useful="yes", comment="Merci !", comment_shared=True)
    seen = survey_for_viewer(closed, advisor_b)  # CCI Test handled the need
    assert (seen["useful"], seen["comment"], seen["comment_withheld"]) == ("Oui", "Merci !", False)
    assert survey_for_viewer(closed, admin_user)["comment"] == "Merci !"
    other = survey_for_viewer(closed, advisor_a)  # the Région never dealt with it
    assert (other["useful"], other["comment"], other["comment_withheld"]) == ("Oui", "", True)


def test_a_comment_not_shared_is_withheld_from_the_partner(closed, advisor_b, admin_user):
    from guichet.desk.services.survey import survey_for_viewer

    survey_answer(
        need=closed, contacted=True, useful="no", comment="Décevant.", comment_shared=False
    )
    seen = survey_for_viewer(closed, advisor_b)
    assert (seen["useful"], seen["comment"], seen["comment_withheld"]) == ("Non", "", True)
    desk = survey_for_viewer(closed, admin_user)  # the desk keeps it
    assert (desk["comment"], desk["comment_shared"]) == ("Décevant.", False)
