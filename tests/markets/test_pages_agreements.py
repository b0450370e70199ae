"""Cooperation agreements: list (filter, exports), recording and editing per organisation,
French validation that keeps what was typed, and the audit log."""

import csv
import html
import io
from datetime import date

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.markets import services
from guichet.markets.models import CooperationAgreement
from guichet.reference.models import Country
from tests.conftest import make_user

LIST = "/marches/accords/"
CREATE = "/marches/accords/nouveau/"
QUERIES = 15


@pytest.fixture
def manager_b(org_b):
    return make_user("marc.gestion@test.example", org_b, ["manager"])


@pytest.fixture
def agreements(reference, org_a, org_b, manager_a):
    germany, japan = Country.objects.get(iso3="DEU"), Country.objects.get(iso3="JPN")
    mine = services.agreement_create(
        country=germany,
        title="Coopération avec la Rhénanie-Palatinat",
        counterpart="Land de Rhénanie-Palatinat",
        signed_on=date(2019, 5, 2),
        organisation=org_a,
        by=manager_a,
    )
    theirs = services.agreement_create(
        country=japan, title="Accord avec Kyoto", organisation=org_b, by=None
    )
    return mine, theirs


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(LIST).status_code == 302
    assert client.get(CREATE).status_code == 302


def test_list_readonly_reads_but_does_not_edit(client_for, readonly_a, agreements):
    mine, _theirs = agreements
    body = _text(client_for(readonly_a).get(LIST))
    assert "2 accords" in body
    assert "Coopération avec la Rhénanie-Palatinat" in body
    assert "Accord avec Kyoto" in body
    assert reverse("markets:country", args=["DEU"]) in body
    assert "Nouvel accord" not in body
    assert reverse("markets:agreement_edit", args=[mine.pk]) not in body
    assert client_for(readonly_a).get(CREATE).status_code == 403


def test_manager_edits_only_its_organisation(client_for, manager_a, agreements):
    mine, theirs = agreements
    client = client_for(manager_a)
    body = _text(client.get(LIST))
    assert reverse("markets:agreement_edit", args=[mine.pk]) in body
    assert reverse("markets:agreement_edit", args=[theirs.pk]) not in body
    assert client.get(reverse("markets:agreement_edit", args=[theirs.pk])).status_code == 403
    response = client.post(
        reverse("markets:agreement_edit", args=[theirs.pk]),
        {"country": "JP", "title": "Piraté"},
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Accord avec Kyoto"


def test_advisor_may_not_record(client_for, advisor_a, db):
    assert client_for(advisor_a).get(CREATE).status_code == 403


def test_filter_by_country_and_export(client_for, advisor_a, agreements):
    client = client_for(advisor_a)
    body = _text(client.get(LIST, {"pays": "JPN"}))
    assert "1 accord" in body
    assert "Accord avec Kyoto" in body
    assert "Rhénanie" not in body
    response = client.get(LIST, {"pays": "DEU", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Identifiant", "Pays", "Code pays (ISO alpha-3)", "Intitulé"]
    assert len(rows) == 2
    assert rows[1][1:5] == [
        "Allemagne",
        "DEU",
        "Coopération avec la Rhénanie-Palatinat",
        "Land de Rhénanie-Palatinat",
    ]
    assert rows[1][7] == "Région Test"


def test_bad_country_filter_in_french(client_for, advisor_a, agreements):
    body = _text(client_for(advisor_a).get(LIST, {"pays": "ZZZ"}))
    assert "Aucun accord dans ce pays." in body
    assert "Corrigez le filtre" in body


def test_empty_list_says_what_to_do(client_for, manager_a, db):
    body = _text(client_for(manager_a).get(LIST))
    assert "Aucun accord de coopération n'est encore enregistré" in body
    assert "« Nouvel accord »" in body


def test_create_for_own_organisation_with_audit(client_for, manager_a, reference):
    client = client_for(manager_a)
    form = _text(client.get(CREATE, {"pays": "USA"}))
    assert '<option value="US" selected>' in form
    response = client.post(
        CREATE,
        {
            "country": "US",
            "title": "Accord avec l'Ohio",
            "counterpart": "État de l'Ohio",
            "signed_on": "2024-01-15",
            "ends_on": "2027-01-14",
            "description": "Échanges d'entreprises.",
        },
    )
    assert response.status_code == 302
    agreement = CooperationAgreement.objects.get()
    assert agreement.organisation == manager_a.organisation
    assert agreement.created_by == manager_a
    assert agreement.country.iso3 == "USA"
    assert agreement.ends_on == date(2027, 1, 14)
    event = AuditEvent.objects.get(action="create", object_type="markets.CooperationAgreement")
    assert event.changes["title"] == "Accord avec l'Ohio"
    assert "Accord avec l'Ohio" in _text(client.get(LIST))


def test_create_refusals_in_french_and_kept(client_for, manager_a, reference):
    response = client_for(manager_a).post(
        CREATE,
        {
            "country": "",
            "title": "Accord à dates inversées",
            "signed_on": "2024-06-01",
            "ends_on": "2024-01-01",
        },
    )
    body = _text(response)
    assert response.status_code == 200
    assert "Choisissez le pays de l'accord." in body
    assert not CooperationAgreement.objects.exists()
    assert 'value="Accord à dates inversées"' in body
    response = client_for(manager_a).post(
        CREATE,
        {
            "country": "DE",
            "title": "Accord à dates inversées",
            "signed_on": "2024-06-01",
            "ends_on": "2024-01-01",
        },
    )
    body = _text(response)
    assert "L'accord ne peut pas prendre fin avant d'être signé (le 01/06/2024)." in body
    assert 'value="2024-06-01"' in body
    assert not CooperationAgreement.objects.exists()


def test_invalid_date_in_french(client_for, manager_a, reference):
    body = _text(
        client_for(manager_a).post(
            CREATE, {"country": "DE", "title": "Accord", "signed_on": "31/02/2024"}
        )
    )
    assert "Date invalide (format JJ/MM/AAAA)." in body


def test_edit_with_audit(client_for, manager_a, agreements):
    mine, _ = agreements
    url = reverse("markets:agreement_edit", args=[mine.pk])
    client = client_for(manager_a)
    assert "Coopération avec la Rhénanie-Palatinat" in _text(client.get(url))
    response = client.post(
        url,
        {
            "country": "DE",
            "title": "Coopération renouvelée",
            "counterpart": "Land de Rhénanie-Palatinat",
            "signed_on": "2019-05-02",
            "ends_on": "2029-05-01",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Coopération renouvelée"
    event = AuditEvent.objects.get(
        action="update", object_type="markets.CooperationAgreement", object_id=str(mine.pk)
    )
    assert event.changes["title"] == [
        "Coopération avec la Rhénanie-Palatinat",
        "Coopération renouvelée",
    ]
    assert event.changes["ends_on"] == [None, "2029-05-01"]


def test_admin_without_organisation_chooses_one(client_for, reference, org_b):
    admin = make_user("root.admin@test.example", org_b, ["admin"])
    admin.organisation = None
    admin.save()
    client = client_for(admin)
    assert 'name="organisation"' in _text(client.get(CREATE))
    response = client.post(CREATE, {"country": "DE", "title": "Accord régional"})
    assert "Choisissez l'organisation qui a signé ou suit l'accord." in _text(response)
    response = client.post(
        CREATE, {"country": "DE", "title": "Accord régional", "organisation": org_b.pk}
    )
    assert response.status_code == 302
    assert CooperationAgreement.objects.get().organisation == org_b


def test_service_refuses_missing_country(reference, org_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.agreement_create(country=None, title="", organisation=org_a, by=None)
    assert refused.value.message_dict == {
        "country": ["Choisissez le pays de l'accord."],
        "title": ["Donnez un intitulé à l'accord."],
    }


def test_list_queries_do_not_grow_with_agreements(
    client_for, manager_a, agreements, django_assert_max_num_queries
):
    client = client_for(manager_a)
    client.get(LIST)  # session and permission caches warmed
    germany = Country.objects.get(iso3="DEU")
    with django_assert_max_num_queries(QUERIES) as captured:
        client.get(LIST)
    before = len(captured.captured_queries)
    for n in range(5):
        services.agreement_create(
            country=germany, title=f"Accord {n}", organisation=manager_a.organisation, by=None
        )
    with django_assert_max_num_queries(before) as captured:
        body = _text(client.get(LIST))
    assert "7 accords" in body
