"""The company downloads its decision letter through its link, without an account."""

from django.test import Client
from django.urls import reverse

from guichet.aids.links import application_token
from tests.aids.money_factories import envelope, granted, proposed


def test_the_company_downloads_its_decision_letter(scheme, company, org_a, instructor_a):
    envelope(scheme)
    application = granted(scheme, company, org_a, instructor_a)
    token = application_token(application)
    page = Client().get(reverse("aids:company_file", args=[token]))
    letter_url = reverse("aids:company_decision_letter", args=[token])
    assert "Télécharger la lettre de décision (PDF)" in page.content.decode()
    assert letter_url in page.content.decode()
    response = Client().get(letter_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_no_letter_before_the_decision_nor_with_a_bad_link(scheme, company, org_a):
    envelope(scheme)
    application = proposed(scheme, company, org_a)
    token = application_token(application)
    page = Client().get(reverse("aids:company_file", args=[token]))
    assert "lettre de décision" not in page.content.decode()
    assert Client().get(reverse("aids:company_decision_letter", args=[token])).status_code == 404
    forged = reverse("aids:company_decision_letter", args=[token[:-2] + "xx"])
    assert Client().get(forged).status_code == 404
