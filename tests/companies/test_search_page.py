"""The /entreprises/ page: what a member sees, filters, errors, pagination, exports."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from guichet.companies.models import Company, Establishment
from tests.companies.conftest import make_company

URL = "/entreprises/"


@pytest.fixture
def registry(reference):
    make_company("111111111", "FROMAGERIE DIJONNAISE DU CENTRE", naf="10.51C", export_status="new")
    make_company(
        "222222222",
        "BOULANGERIE PATISSERIE MARTIN",
        naf="10.71C",
        commune_code="25056",
        commune_name="BESANCON",
        size_category="TPE",
        is_active=False,
    )


def text_of(response) -> str:
    """The page's HTML, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


def test_anonymous_is_sent_to_login(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")


@pytest.mark.parametrize("who", ["advisor_a", "advisor_b", "readonly_a", "admin_user"])
def test_every_member_of_an_organisation_may_search(request, client_for, registry, who):
    response = client_for(request.getfixturevalue(who)).get(URL, {"q": "fromagerie"})
    assert response.status_code == 200
    assert "FROMAGERIE DIJONNAISE DU CENTRE" in text_of(response)


def test_an_account_without_organisation_is_refused(client_for, registry):
    from guichet.partners.models import User

    loner = User.objects.create_user("sans.organisation@test.example", "x" * 20)
    assert client_for(loner).get(URL, {"q": "fromagerie"}).status_code == 403


def test_before_any_search_the_page_explains_what_to_type(client_for, advisor_a, registry):
    page = text_of(client_for(advisor_a).get(URL))
    assert "Que cherchez-vous ?" in page
    assert "SIREN (9 chiffres)" in page
    assert "« Imports SIRENE »" in page
    assert "FROMAGERIE" not in page  # nothing listed before a search
    assert "Ouvrir les imports SIRENE" not in page


def test_administrators_get_a_link_to_the_imports(client_for, admin_user, registry):
    page = text_of(client_for(admin_user).get(URL))
    assert 'href="/entreprises/imports/"' in page
    assert "Ouvrir les imports SIRENE" in page


def test_results_show_the_company_row(client_for, advisor_a, registry):
    page = text_of(client_for(advisor_a).get(URL, {"q": "fromagerie dijonaise"}))
    assert "1 entreprise trouvée" in page
    assert '<a href="/entreprises/111111111/">FROMAGERIE DIJONNAISE DU CENTRE</a>' in page
    assert "111 111 111" in page
    assert "10.51C" in page
    assert "Fabrication de fromage" in page
    assert "DIJON" in page
    assert "Côte-d'Or (21)" in page
    assert "Primo-exportateur" in page
    assert ">Active<" in page
    assert "BOULANGERIE" not in page


def test_a_ceased_company_has_its_badge(client_for, advisor_a, registry):
    page = text_of(client_for(advisor_a).get(URL, {"q": "222 222 222"}))
    assert "BOULANGERIE PATISSERIE MARTIN" in page
    assert ">Cessée<" in page
    assert "Doubs (25)" in page


def test_filters_alone_list_companies_by_name(client_for, advisor_a, registry):
    page = text_of(client_for(advisor_a).get(URL, {"region": "27", "size": "TPE"}))
    assert "1 entreprise trouvée" in page
    assert "BOULANGERIE PATISSERIE MARTIN" in page
    both = text_of(client_for(advisor_a).get(URL, {"region": "27"}))
    assert both.index("BOULANGERIE") < both.index("FROMAGERIE")
    active = text_of(client_for(advisor_a).get(URL, {"region": "27", "active": "on"}))
    assert "BOULANGERIE" not in active
    assert "1 entreprise trouvée" in active


def test_no_result_suggests_removing_filters(client_for, advisor_a, registry):
    page = text_of(client_for(advisor_a).get(URL, {"q": "fromagerie", "departement": "25"}))
    assert "Aucune entreprise trouvée" in page
    assert "Retirez un ou plusieurs filtres" in page
    assert 'href="/entreprises/?q=fromagerie">Relancer « fromagerie » sans filtre' in page
    alone = text_of(client_for(advisor_a).get(URL, {"q": "quincaillerie"}))
    assert "Aucune entreprise trouvée" in alone
    assert "Vérifiez l'orthographe" in alone
    assert "Exporter en CSV" not in alone


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"naf": "99.99Z"}, "Code NAF inconnu : « 99.99Z »."),
        ({"region": "99"}, "Région inconnue : « 99 »."),
        ({"departement": "XX"}, "Département inconnu : « XX »."),
        ({"region": "11", "departement": "21"}, "Ce département n'appartient pas à la région"),
        ({"commune": "2123"}, "Un code commune INSEE compte 5 caractères"),
        ({"filiere": "inconnue"}, "Filière inconnue : « inconnue »."),
        ({"size": "XXL"}, "Catégorie d'entreprise inconnue : « XXL »."),
        ({"export_status": "always"}, "Statut export inconnu : « always »."),
    ],
)
def test_an_invalid_filter_is_a_french_error_not_a_crash(
    client_for, advisor_a, registry, params, message
):
    response = client_for(advisor_a).get(URL, {"q": "fromagerie", **params})
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert "La recherche contient des erreurs" in page
    assert "entreprise trouvée" not in page


@pytest.mark.parametrize("typed", ["10.71c", "1071C", "10.71"])
def test_a_naf_code_is_understood_with_or_without_its_dot(client_for, advisor_a, registry, typed):
    page = text_of(client_for(advisor_a).get(URL, {"naf": typed}))
    assert "1 entreprise trouvée" in page
    assert "BOULANGERIE PATISSERIE MARTIN" in page


@pytest.fixture
def thirty(reference):
    for i in range(30):
        make_company(f"3000000{i:02d}", f"SCIERIE NUMERO {i:02d}", naf="16.10A")


def test_pagination_shows_25_rows_and_keeps_the_filters(client_for, advisor_a, thirty):
    client = client_for(advisor_a)
    first = text_of(client.get(URL, {"q": "scierie", "naf": "16.10A"}))
    assert "30 entreprises trouvées" in first
    assert first.count('href="/entreprises/3000000') == 25
    assert 'href="?q=scierie&naf=16.10A&page=2"' in first
    second = text_of(client.get(URL, {"q": "scierie", "naf": "16.10A", "page": "2"}))
    assert second.count('href="/entreprises/3000000') == 5
    assert "30 entreprises trouvées" in second
    # The export is of the whole result, with the same filters, whatever the page.
    assert 'href="?q=scierie&naf=16.10A&format=csv"' in second
    assert 'href="?q=scierie&naf=16.10A&format=xlsx"' in second
    beyond = client.get(URL, {"q": "scierie", "page": "zzz"})
    assert beyond.status_code == 200


def of_registry(queries) -> list[dict]:
    """The queries that read companies or establishments (not the form's choices)."""
    return [q for q in queries if re.search(r"companies_(company|establishment)", q["sql"])]


def test_query_count_does_not_grow_with_the_rows(client_for, advisor_a, thirty):
    client = client_for(advisor_a)
    client.get(URL, {"naf": "16.10A"})  # warm the session and the caches
    totals, registry = [], []
    for params in ({"naf": "16.10A"}, {"naf": "16.10A", "page": "2"}, {"q": "300000001"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        totals.append(len(queries))
        registry.append(len(of_registry(queries)))
    # count, page of companies (NAF joined), their headquarters (départements joined)
    assert registry == [3, 3, 3]
    assert totals[0] == totals[1] <= 15  # 25 rows or 5: the same queries


def test_a_name_search_reads_a_bounded_number_of_queries(client_for, advisor_a, thirty):
    client = client_for(advisor_a)
    client.get(URL, {"q": "scierie"})
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "scirie numero"})
    registry_queries = of_registry(queries)
    # strict probe, tolerant candidates, their names, then count + page + headquarters;
    # SQLite also reads the trigram frequencies.
    assert len(registry_queries) == (7 if connection.vendor == "sqlite" else 6)


def test_csv_export_holds_the_whole_result(client_for, advisor_a, thirty):
    response = client_for(advisor_a).get(URL, {"q": "scierie", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="entreprises-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "SIREN",
        "Nom",
        "Code NAF",
        "Activité",
        "SIRET du siège",
        "Code commune du siège",
        "Commune du siège",
        "Département",
        "Région",
        "Catégorie d'entreprise",
        "Statut export",
        "État",
    ]
    assert len(rows) == 31
    assert rows[1][:3] == ["300000000", "SCIERIE NUMERO 00", "16.10A"]
    assert rows[1][4:] == [
        "30000000000012",
        "21231",
        "DIJON",
        "Côte-d'Or (21)",
        "Bourgogne-Franche-Comté",
        "PME",
        "",
        "Active",
    ]


def test_xlsx_export_opens_with_the_same_rows(client_for, advisor_a, registry):
    Company.objects.filter(siren="111111111").update(export_status="regular")
    response = client_for(advisor_a).get(URL, {"region": "27", "format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["SIREN", "Nom"]
    assert [row[1] for row in rows[1:]] == [
        "BOULANGERIE PATISSERIE MARTIN",
        "FROMAGERIE DIJONNAISE DU CENTRE",
    ]
    assert rows[1][-1] == "Cessée"
    assert rows[2][-2:] == ["Exportateur régulier", "Active"]


def test_a_company_with_two_establishments_is_one_row(client_for, advisor_a, registry):
    company = Company.objects.get(siren="111111111")
    Establishment.objects.create(
        siret="11111111100020",
        company=company,
        commune_code="25056",
        departement_id="25",
        region_id="27",
    )
    page = text_of(client_for(advisor_a).get(URL, {"region": "27"}))
    assert "2 entreprises trouvées" in page
    assert page.count('href="/entreprises/111111111/"') == 1


def test_search_page_links_to_filieres_and_imports_for_administrators(
    client_for, advisor_a, admin_user, registry
):
    advisor_page = client_for(advisor_a).get(URL).content.decode()
    admin_page = client_for(admin_user).get(URL).content.decode()

    assert 'href="/entreprises/filieres/"' in advisor_page
    assert 'href="/entreprises/imports/"' not in advisor_page
    assert 'href="/entreprises/imports/"' in admin_page
