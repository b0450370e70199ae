"""The indicator library page: every member reads it (family, access and relevance ratings as
badges), filters it by family, sorts it, exports it; a manager who may change a plan adds an
entry to one of its measures. The rows are made here (the library's data migration may or may
not have run, so the table is emptied first)."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from guichet.plans.models import Axis, Indicator, LibraryEntry, Measure, Plan
from tests.conftest import make_user
from tests.plans import e_helpers


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def _words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def library(db):
    LibraryEntry.objects.all().delete()
    return {
        "jeunes": LibraryEntry.objects.create(
            family="impact",
            name="pourcentage des jeunes qui au retour d'une mobilité internationale trouvent "
            "un emploi",
            access=Decimal("1"),
            relevance=Decimal("4"),
            unit="%",
            source="ARRICOD, UA 2014",
            order=1,
        ),
        "transferts": LibraryEntry.objects.create(
            family="internationalisation",
            name="montant des transferts financiers A/R",
            access=Decimal("2"),
            relevance=Decimal("2.5"),
            source="ARRICOD, UA 2014",
            order=2,
        ),
        "entreprises": LibraryEntry.objects.create(
            family="internationalisation",
            name="nombre d'entreprises du territoire impliquées à l'international",
            access=Decimal("2"),
            relevance=Decimal("5"),
            computation=e_helpers.COUNT_KEY,
            order=7,
        ),
    }


def _order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_every_member_reads_the_library_with_its_ratings(client_for, readonly_a, library):
    response = client_for(readonly_a).get("/plans/bibliotheque/indicateurs/")
    page = _words(response)
    assert "3 indicateurs" in page
    assert (
        "Pourcentage des jeunes qui au retour d'une mobilité internationale trouvent un emploi"
        in page
    )
    assert "Indicateur d'impact" in page
    assert "Indicateur d'internationalisation" in page
    assert "2,5/5 pour la pertinence" in page
    assert "1/5 pour l'accès à la donnée" in page
    assert "Automatique : Organisations actives (test)" in page
    raw = response.content.decode()
    assert re.search(r'fr-badge--error">\s*1/5<span class="fr-sr-only"> pour l\'accès', raw)
    assert re.search(r'fr-badge--success">\s*5/5<span class="fr-sr-only"> pour la pertinence', raw)
    assert re.search(r'fr-badge--warning">\s*2,5/5', raw)
    assert "Ajouter au plan" not in page  # a read-only member picks nothing
    # Sorted by relevance by default: 5, 4, then 2.5.
    assert _order(
        page, ["Nombre d'entreprises", "Pourcentage des jeunes", "Montant des transferts"]
    ) == [
        "Nombre d'entreprises",
        "Pourcentage des jeunes",
        "Montant des transferts",
    ]


def test_filter_by_family_and_sort_by_access(client_for, advisor_a, library):
    client = client_for(advisor_a)
    page = _words(client.get("/plans/bibliotheque/indicateurs/?famille=internationalisation"))
    assert "2 indicateurs" in page
    assert "Pourcentage des jeunes" not in page
    page = _words(client.get("/plans/bibliotheque/indicateurs/?tri=acces"))
    # Access 2 (relevance 5), access 2 (relevance 2.5), access 1.
    assert _order(
        page, ["Nombre d'entreprises", "Pourcentage des jeunes", "Montant des transferts"]
    ) == [
        "Nombre d'entreprises",
        "Montant des transferts",
        "Pourcentage des jeunes",
    ]
    page = _words(client.get("/plans/bibliotheque/indicateurs/?famille=autre"))
    assert "Famille inconnue." in page
    assert "Corrigez les filtres pour voir les indicateurs." in page


def test_empty_library_says_what_to_do(client_for, advisor_a, db):
    LibraryEntry.objects.all().delete()
    page = _words(client_for(advisor_a).get("/plans/bibliotheque/indicateurs/"))
    assert "La bibliothèque d'indicateurs est vide." in page
    assert "python manage.py migrate" in page


def test_csv_and_xlsx_exports(client_for, advisor_a, library):
    client = client_for(advisor_a)
    response = client.get(
        "/plans/bibliotheque/indicateurs/?famille=internationalisation&format=csv"
    )
    assert response["Content-Disposition"].startswith(
        'attachment; filename="bibliotheque-indicateurs-'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Famille",
        "Indicateur",
        "Accès à la donnée (1 à 5)",
        "Pertinence (1 à 5)",
        "Unité",
        "Source",
        "Calcul automatique",
    ]
    assert rows[1][1:4] == [
        "nombre d'entreprises du territoire impliquées à l'international",
        "2.0",
        "5.0",
    ]
    assert rows[1][6] == "Organisations actives (test)"
    assert rows[2][6] == "Saisie manuelle"
    assert len(rows) == 3
    response = client.get("/plans/bibliotheque/indicateurs/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 4
    assert values[3][1] == "montant des transferts financiers A/R"
    assert values[3][3] == 2.5


def test_a_manager_adds_an_entry_to_a_measure(client_for, manager_a, plan, measure, library):
    client = client_for(manager_a)
    page = _words(client.get("/plans/bibliotheque/indicateurs/?plan=parex-2"))
    assert "Vous choisissez des indicateurs pour le plan PAREX 2." in page
    assert "Ajouter au plan" in page
    entry = library["entreprises"]
    url = f"/plans/bibliotheque/indicateurs/{entry.pk}/ajouter/?plan=parex-2"
    page = _words(client.get(url))
    assert "Ajouter un indicateur de la bibliothèque" in page
    assert "PAREX 2 — mesure 1 : Pré-détection d'entreprises" in page
    assert "Accès 2/5" in page
    response = client.post(url, {"measure": str(measure.pk), "code": ""})
    assert response["Location"] == "/plans/parex-2/indicateurs/1.1/modifier/"
    indicator = Indicator.objects.get(plan=plan, code="1.1")
    assert indicator.name == "Nombre d'entreprises du territoire impliquées à l'international"
    assert (indicator.computation, indicator.library_entry) == (e_helpers.COUNT_KEY, entry)
    page = _words(client.get(response["Location"]))
    assert "Repris de la bibliothèque d'indicateurs" in page
    # The same code again is refused, what was typed is kept.
    response = client.post(url, {"measure": str(measure.pk), "code": "1.1"})
    page = _text(response)
    assert "Le code 1.1 est déjà pris dans ce plan" in page
    assert 'value="1.1"' in page
    page = _text(client.post(url, {"measure": "", "code": "X"}))
    assert "Choisissez la mesure qui reçoit l'indicateur." in page


def test_a_manager_cannot_add_to_another_organisation_plan(
    client_for, org_b, plan, measure, library
):
    manager_b = make_user("nina.cci@test.example", org_b, ["manager"])
    client = client_for(manager_b)
    entry = library["jeunes"]
    page = _words(client.get("/plans/bibliotheque/indicateurs/?plan=parex-2"))
    assert "Ajouter au plan" not in page  # no plan of theirs to add to
    assert client.get(f"/plans/bibliotheque/indicateurs/{entry.pk}/ajouter/").status_code == 403
    own = Plan.objects.create(
        slug="plan-cci", name="Plan CCI", first_year=2024, last_year=2026, owner=org_b
    )
    axis = Axis.objects.create(plan=own, number=1, title="Prospecter")
    Measure.objects.create(plan=own, axis=axis, number=1, title="Salons")
    page = _words(client.get(f"/plans/bibliotheque/indicateurs/{entry.pk}/ajouter/"))
    assert "Plan CCI — mesure 1 : Salons" in page
    assert "PAREX 2" not in page
    response = client.post(
        f"/plans/bibliotheque/indicateurs/{entry.pk}/ajouter/", {"measure": str(measure.pk)}
    )
    assert "Choisissez une des mesures proposées." in _words(response)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("who", ["readonly_a", "advisor_a"])
def test_non_managers_cannot_pick(client_for, request, measure, library, who):
    user = request.getfixturevalue(who)
    entry = library["jeunes"]
    url = f"/plans/bibliotheque/indicateurs/{entry.pk}/ajouter/"
    assert client_for(user).get(url).status_code == 403
    assert client_for(user).post(url, {"measure": str(measure.pk)}).status_code == 403
    assert not Indicator.objects.exists()


def test_routes_do_not_clash_with_plan_identifiers(client_for, advisor_a, library):
    # "bibliotheque" and "nouveau" are fixed words, matched before a plan's identifier.
    assert client_for(advisor_a).get("/plans/bibliotheque/indicateurs/").status_code == 200
    assert client_for(advisor_a).get("/plans/nouveau/").status_code == 403  # a page, not a plan
    assert (
        client_for(advisor_a).get("/plans/bibliotheque/indicateurs/999/ajouter/").status_code == 404
    )
