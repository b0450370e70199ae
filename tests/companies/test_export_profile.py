"""Export profile: dated facts with their source, edited through the form of the company file."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.companies.models import Company, ExportFact
from guichet.companies.selectors import current_export_profile
from guichet.companies.services import export_fact_record, export_profile_update
from tests.companies.conftest import make_company

URL = "/entreprises/552100554/profil-export/"


@pytest.fixture
def company(reference):
    return make_company("552100554", "BISCUITERIE DU MORVAN")


def form_data(**overrides) -> dict:
    data = {
        "status": "occasional",
        "export_share": "12,5",
        "turnover_band": "2m_10m",
        "countries_served": ["DE", "BE"],
        "countries_targeted": ["JP"],
        "clusters": "Vitagora\nPôle Nutrition Santé",
        "innovative": "on",
        "observed_on": "2024-03-01",
        "source": "declared",
        "comment": "Entretien annuel",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_records_one_fact_per_value(client_for, advisor_a, company):
    client = client_for(advisor_a)
    form = client.get(URL).content.decode()
    assert "Profil export — BISCUITERIE DU MORVAN" in form
    assert f'value="{timezone.localdate().isoformat()}"' in form
    assert "Allemagne" in form
    assert "2–10 M€" in form
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/entreprises/552100554/"
    facts = {f.attribute: f for f in ExportFact.objects.filter(company=company)}
    assert {a: f.value for a, f in facts.items()} == {
        "status": "occasional",
        "export_share": 12.5,
        "turnover_band": "2m_10m",
        "countries_served": ["BE", "DE"],
        "countries_targeted": ["JP"],
        "clusters": ["Vitagora", "Pôle Nutrition Santé"],
        "innovative": True,
    }
    fact = facts["status"]
    assert (fact.observed_on, fact.source, fact.comment) == (
        date(2024, 3, 1),
        "declared",
        "Entretien annuel",
    )
    assert fact.recorded_by == advisor_a
    assert fact.organisation == advisor_a.organisation
    assert Company.objects.get(pk=company.pk).export_status == "occasional"
    page = client.get("/entreprises/552100554/").content.decode()
    assert "Le profil export est mis à jour (7 données enregistrées)." in page
    assert "Exportateur occasionnel" in page
    assert "2–10 M€" in page
    assert "Belgique, Allemagne" in page
    assert "Vitagora, Pôle Nutrition Santé" in page


def test_unchanged_values_add_no_fact_and_history_is_kept(client_for, advisor_a, company):
    client = client_for(advisor_a)
    client.post(URL, form_data())
    form = client.get(URL).content.decode()
    assert 'value="occasional" selected' in form
    assert "Vitagora\nPôle Nutrition Santé</textarea>" in form

    client.post(URL, form_data(observed_on="2024-06-01"))
    assert ExportFact.objects.count() == 7
    page = client.get("/entreprises/552100554/").content.decode()
    assert "Aucune valeur n&#x27;a changé : le profil export est inchangé." in page

    client.post(URL, form_data(status="regular", export_share="30", observed_on="2024-06-01"))
    assert ExportFact.objects.count() == 9
    current = current_export_profile(company)
    assert current["status"].value == "regular"
    assert current["export_share"].value == 30
    assert current["countries_served"].observed_on == date(2024, 3, 1)
    assert list(
        ExportFact.objects.filter(attribute="status")
        .order_by("observed_on")
        .values_list("value", flat=True)
    ) == ["occasional", "regular"]
    assert Company.objects.get(pk=company.pk).export_status == "regular"
    page = client.get("/entreprises/552100554/").content.decode()
    assert "Exportateur occasionnel" in page
    assert "Exportateur régulier" in page


def test_blank_values_record_nothing_but_an_emptied_list_is_a_change(
    client_for, advisor_a, company
):
    client = client_for(advisor_a)
    blank = form_data(
        status="",
        export_share="",
        turnover_band="",
        countries_served=None,
        countries_targeted=None,
        clusters="",
        innovative=None,
    )
    client.post(URL, blank)
    assert ExportFact.objects.count() == 0
    client.post(URL, form_data())
    client.post(URL, {**blank, "observed_on": "2024-05-01"})
    new = ExportFact.objects.filter(observed_on=date(2024, 5, 1))
    assert sorted(new.values_list("attribute", "value")) == [
        ("clusters", []),
        ("countries_served", []),
        ("countries_targeted", []),
        ("innovative", False),
    ]
    assert current_export_profile(company)["status"].value == "occasional"


def test_errors_are_in_french_and_keep_what_was_typed(client_for, advisor_a, company):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(advisor_a).post(
        URL, form_data(export_share="150", observed_on=tomorrow, clusters="Cluster Franche-Comté")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le formulaire contient des erreurs" in html
    assert "La date du constat ne peut pas être dans le futur." in html
    assert "inférieure ou égale à 100" in html
    assert 'value="150"' in html
    assert "Cluster Franche-Comté</textarea>" in html
    assert f'value="{tomorrow}"' in html
    assert ExportFact.objects.count() == 0


def test_the_service_validates_each_attribute(advisor_a, company):
    today = timezone.localdate()
    cases = [
        ("status", "sometimes", "Statut export inconnu"),
        ("export_share", 101, "entre 0 et 100"),
        ("export_share", "beaucoup", "entre 0 et 100"),
        ("export_share", True, "entre 0 et 100"),
        ("turnover_band", "1 Md€", "Tranche de chiffre d'affaires inconnue"),
        ("countries_served", ["DE", "XX", "ZZ"], "Codes pays inconnus : XX, ZZ"),
        ("innovative", "peut-être", "vrai ou faux"),
        ("clusters", ["x" * 121], "dépasse 120 caractères"),
    ]
    for attribute, value, message in cases:
        with pytest.raises(ValidationError) as error:
            export_fact_record(
                company=company,
                attribute=attribute,
                value=value,
                observed_on=today,
                source="advisor",
                by=advisor_a,
            )
        assert message in " ".join(error.value.message_dict["value"]), attribute
    with pytest.raises(ValidationError) as error:
        export_fact_record(
            company=company,
            attribute="size",
            value=1,
            observed_on=today + timedelta(days=1),
            source="rumeur",
            by=advisor_a,
        )
    assert set(error.value.message_dict) == {"attribute", "observed_on", "source"}
    assert ExportFact.objects.count() == 0


def test_a_band_label_is_accepted_and_stored_as_its_code(advisor_a, company):
    fact = export_fact_record(
        company=company,
        attribute="turnover_band",
        value="10–50 M€",
        observed_on=date(2024, 1, 1),
        source="import",
        by=advisor_a,
    )
    assert fact.value == "10m_50m"


def test_a_backdated_status_does_not_replace_the_cached_current_one(advisor_a, company):
    record = {"company": company, "attribute": "status", "source": "advisor", "by": advisor_a}
    export_fact_record(value="regular", observed_on=date(2024, 5, 1), **record)
    export_fact_record(value="never", observed_on=date(2019, 1, 1), **record)
    company.refresh_from_db()
    assert company.export_status == "regular"
    assert current_export_profile(company)["status"].value == "regular"


def test_profile_update_is_all_or_nothing(advisor_a, company):
    with pytest.raises(ValidationError) as error:
        export_profile_update(
            company=company,
            values={"status": "regular", "countries_served": ["QQ"]},
            observed_on=date(2024, 1, 1),
            source="advisor",
            by=advisor_a,
        )
    assert "countries_served" in error.value.message_dict
    assert ExportFact.objects.count() == 0
    company.refresh_from_db()
    assert company.export_status == ""
