"""Results of a paid aid: reporting them closes the file; bad input changes nothing; who may
report them."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.aids.models import Application
from guichet.aids.services.payments import payment_record
from guichet.aids.services.results import application_results_report
from guichet.partners.services import organisation_create
from guichet.reference.models import Country
from tests.aids.money_factories import envelope, granted, pdf_upload
from tests.conftest import make_user


@pytest.fixture
def paid(scheme, company, org_a, org_b, instructor_a):
    """Granted by the Région (org A), followed by the CCI (org B), balance paid."""
    envelope(scheme)
    application = granted(scheme, company, org_b, instructor_a)
    payment_record(
        application=application,
        kind="balance",
        paid_on=date(2026, 1, 20),
        proof=pdf_upload(),
        justified_expenses="25366",
        by=instructor_a,
    )
    return Application.objects.get(pk=application.pk)


def _state(application):
    saved = Application.objects.get(pk=application.pk)
    return (saved.status, saved.jobs_created, saved.export_revenue, saved.closed_at)


def test_reporting_the_results_closes_the_file(paid, instructor_a, company):
    italy, germany = Country.objects.get(iso2="IT"), Country.objects.get(iso2="DE")
    application_results_report(
        application=paid,
        jobs_created=2,
        export_revenue="350000",
        markets_opened=[italy, germany],
        comment="Le volontaire a été embauché à Milan.",
        by=instructor_a,
    )
    saved = Application.objects.get(pk=paid.pk)
    assert (saved.status, saved.jobs_created, saved.export_revenue) == (
        "closed",
        2,
        Decimal("350000.00"),
    )
    assert saved.closed_at is not None
    assert set(saved.markets_opened.values_list("iso2", flat=True)) == {"IT", "DE"}
    assert saved.results_comment == "Le volontaire a été embauché à Milan."
    event = saved.events.last()
    assert event.title == "Résultats déclarés, dossier clôturé"
    assert event.text == (
        "2 emplois créés, 350\u202f000\u202f€ de chiffre d'affaires export, marchés ouverts : "
        "Allemagne, Italie."
    )
    assert company.timeline_events.filter(title__contains="dossier clôturé").count() == 1


@pytest.mark.parametrize(
    ("jobs", "revenue", "field"),
    [(-1, "1000", "jobs_created"), (1.5, "1000", "jobs_created"), (1, "-5", "export_revenue")],
)
def test_bad_results_change_nothing(paid, instructor_a, jobs, revenue, field):
    before = _state(paid)
    with pytest.raises(ValidationError) as error:
        application_results_report(
            application=paid, jobs_created=jobs, export_revenue=revenue, by=instructor_a
        )
    assert field in error.value.message_dict
    assert _state(paid) == before


def test_results_come_after_the_balance(scheme, company, org_a, instructor_a):
    envelope(scheme)
    application = granted(scheme, company, org_a, instructor_a)
    with pytest.raises(ValidationError, match="une fois le solde versé"):
        application_results_report(
            application=application, jobs_created=1, export_revenue="0", by=instructor_a
        )
    assert Application.objects.get(pk=application.pk).status == "signed"


def test_the_following_organisation_reports_the_results(client_for, advisor_b, paid):
    client = client_for(advisor_b)
    url = reverse("aids:application_results", args=[paid.reference])
    response = client.post(url, {"jobs_created": "-2", "export_revenue": "abc"})
    html = response.content.decode()
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    assert "Le nombre d'emplois ne peut être négatif." in text
    assert "Saisissez un montant en euros" in text
    assert Application.objects.get(pk=paid.pk).status == "paid"
    response = client.post(
        url, {"jobs_created": "1", "export_revenue": "120 000", "markets_opened": ["IT"]}
    )
    assert response.status_code == 302
    saved = Application.objects.get(pk=paid.pk)
    assert (saved.status, saved.export_revenue) == ("closed", Decimal("120000.00"))


@pytest.mark.parametrize("who", ["readonly_a", "advisor_a", None])
def test_others_do_not_report_results(client_for, request, who, paid):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).post(
        reverse("aids:application_results", args=[paid.reference]),
        {"jobs_created": "1", "export_revenue": "1"},
    )
    assert response.status_code == (302 if user is None else 403)
    assert Application.objects.get(pk=paid.pk).status == "paid"


def test_a_third_organisation_does_not_report_results(client_for, paid):
    other = organisation_create(name="Bpifrance Test", kind="bpifrance", slug="bpi-test")
    outsider = make_user("olga.autre@bpi.example", other, ["advisor"])
    response = client_for(outsider).get(reverse("aids:application_results", args=[paid.reference]))
    assert response.status_code == 403
