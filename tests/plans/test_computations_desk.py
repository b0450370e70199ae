"""Computations on the one-stop desk: needs received and the share taken in charge within the
service level — on records built here, the expected numbers written out, and checked against
the desk's own figures so that both pages agree."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.desk import figures
from tests.plans.computation_records import (
    agri_filiere,
    at,
    column,
    companies,
    compute,
    match,
    need,
    no_personal_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(reference, org_a, org_b):
    """The service level is 5 working days (the desk's default).
    n1 fromagerie, Mon 4 March 2024, taken by org_a two days later: in time.
    n2 moutarderie, 4 March 2024, taken by org_a on 20 March: late.
    n3 no company (declared in Côte-d'Or), 2 April 2024, org_b never answered: late.
    n7 lunetterie, Mon 6 May 2024: org_a refused the next day; rerouted to org_b on 20 May,
       taken on 21 May: late for the need and for org_a, in time for org_b.
    Not counted: a spam, a need attached to n1, a need of December 2023."""
    c = companies()
    n1 = need(c["fromagerie"], at(2024, 3, 4))
    match(n1, org_a, status="taken", taken_at=at(2024, 3, 6))
    n2 = need(c["moutarderie"], at(2024, 3, 4))
    match(n2, org_a, status="done", taken_at=at(2024, 3, 20))
    n3 = need(None, at(2024, 4, 2), departement="21")
    match(n3, org_b)
    n7 = need(c["lunetterie"], at(2024, 5, 6))
    match(n7, org_a, status="refused", answered=at(2024, 5, 7))
    match(n7, org_b, status="taken", routed_at=at(2024, 5, 20), taken_at=at(2024, 5, 21))
    spam = need(c["lunetterie"], at(2024, 3, 5), is_spam=True)
    match(spam, org_a)
    attached = need(c["fromagerie"], at(2024, 3, 5), duplicate_of=n1)
    match(attached, org_a)
    old = need(c["lunetterie"], at(2023, 12, 1))
    match(old, org_a, status="taken", taken_at=at(2023, 12, 4))
    return {"n1": n1, "n2": n2, "n3": n3, "n7": n7}


def test_needs_received_in_2024(needs):
    figure = compute("needs_received", year=2024)
    assert figure.value == 4
    assert column(figure, "Référence") == [
        needs["n1"].reference,
        needs["n2"].reference,
        needs["n3"].reference,
        needs["n7"].reference,
    ]
    assert column(figure, "Entreprise") == [
        "Fromagerie de Bourgogne",
        "Moutarderie de Mâcon",
        "Entreprise sans SIREN",
        "Lunetterie du Jura",
    ]
    assert column(figure, "Reçue le")[0] == date(2024, 3, 4)
    assert column(figure, "État") == [
        "Prise en charge",
        "Close avec aide",
        "En attente de prise en charge",
        "Prise en charge",
    ]
    assert column(figure, "Partenaires sollicités")[3] == "CCI Test, Région Test"
    assert no_personal_data(figure)
    # The desk's figures page says the same.
    assert figure.value == figures.needs_received(figures.Scope.year(2024))


def test_needs_received_filters(needs, org_a, org_b):
    assert compute("needs_received", year=2023).value == 1
    assert compute("needs_received").value == 5
    by_a = compute("needs_received", year=2024, organisation_id=org_a.pk)
    assert by_a.value == 3
    by_b = compute("needs_received", year=2024, organisation_id=org_b.pk)
    assert column(by_b, "Référence") == [needs["n3"].reference, needs["n7"].reference]
    for org in (org_a, org_b):
        scope = figures.Scope.year(2024, organisation_id=org.pk)
        assert compute("needs_received", year=2024, organisation_id=org.pk).value == (
            figures.needs_received(scope)
        )
    # Côte-d'Or: the fromagerie's need and the one declared there without a company.
    assert compute("needs_received", year=2024, departement="21").value == 2
    assert compute("needs_received", year=2024, departement="71").value == 1
    # A filière or a size leaves out the need without a company.
    assert compute("needs_received", year=2024, filiere_id=agri_filiere().pk).value == 2
    assert compute("needs_received", year=2024, size="PME").value == 2
    assert compute("needs_received", year=2024, size="TPE").value == 1


def test_share_taken_in_time_in_2024(needs):
    figure = compute("needs_answered_in_time_share", year=2024)
    assert figure.value == Decimal("25.0")
    assert figure.parts == {"numerator": 1, "denominator": 4}
    assert figure.detail == "1 sur 4 demandes"
    assert column(figure, "Dans le délai") == ["Oui", "Non", "Non", "Non"]
    assert column(figure, "Prise en charge le") == [
        date(2024, 3, 6),
        date(2024, 3, 20),
        None,
        date(2024, 5, 21),
    ]
    assert no_personal_data(figure)
    share = figures.taken_within_delay(figures.Scope.year(2024))
    assert (share.count, share.total) == (1, 4)


def test_share_taken_in_time_per_partner_counts_from_the_routing(needs, org_a, org_b):
    by_a = compute("needs_answered_in_time_share", year=2024, organisation_id=org_a.pk)
    assert by_a.value == Decimal("33.3")  # n1 in time; n2 late; n7 refused
    assert by_a.parts == {"numerator": 1, "denominator": 3}
    by_b = compute("needs_answered_in_time_share", year=2024, organisation_id=org_b.pk)
    assert by_b.value == Decimal("50.0")  # n7 taken the day after it reached org_b; n3 not
    assert column(by_b, "Début du délai") == [date(2024, 4, 2), date(2024, 5, 20)]
    assert column(by_b, "Dans le délai") == ["Non", "Oui"]
    for org, parts in ((org_a, (1, 3)), (org_b, (1, 2))):
        share = figures.taken_within_delay(figures.Scope.year(2024, organisation_id=org.pk))
        assert (share.count, share.total) == parts


def test_share_taken_in_time_company_filters(needs):
    cote_dor = compute("needs_answered_in_time_share", year=2024, departement="21")
    assert cote_dor.value == Decimal("50.0")  # n1 in time, n3 late
    agri = compute("needs_answered_in_time_share", year=2024, filiere_id=agri_filiere().pk)
    assert agri.parts == {"numerator": 1, "denominator": 2}
    assert compute("needs_answered_in_time_share", year=2024, size="PME").value == Decimal("50.0")
    # 2023: the need of Friday 1 December was taken in charge on Monday: in time.
    assert compute("needs_answered_in_time_share", year=2023).value == Decimal("100.0")


def test_share_without_any_need_is_not_computed(reference):
    figure = compute("needs_answered_in_time_share", year=2024)
    assert figure.value is None
    assert figure.parts == {"numerator": 0, "denominator": 0}
    assert figure.detail == ""
    assert list(figure.records) == []


def test_a_need_still_within_its_delay_is_not_counted_yet(reference, org_a):
    from django.utils import timezone

    recent = need(companies()["fromagerie"], timezone.now())
    match(recent, org_a)
    figure = compute("needs_answered_in_time_share")
    assert figure.value is None
    assert list(figure.records) == []  # not in the drill-down either
    assert compute("needs_received").value == 1
