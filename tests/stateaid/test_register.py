"""The export of the year's de minimis grants for the national register: what the page counts
and what the file holds (live de minimis grants of the platform's partners; not aids the
companies declared, not cancelled ones, not GBER ones, not other years)."""

import csv
import html
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.stateaid.models import GrantSource, Regulation
from tests.stateaid.conftest import SIREN, SIREN_2, add_line

pytestmark = pytest.mark.django_db

URL = "/aides-d-etat/registre/"


def _text(response) -> str:
    text = html.unescape(response.content.decode()).replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def year_2025(company, sister):
    lines = {
        "aid": add_line(company, date(2025, 3, 15), "12683", description="V.I.E. à Padoue"),
        "collective": add_line(
            sister,
            date(2025, 6, 2),
            "1500.50",
            source=GrantSource.COLLECTIVE,
            body="Team France Export",
            description="Pavillon régional au salon Anuga",
        ),
        "free": add_line(
            company,
            date(2025, 9, 1),
            "900",
            regulation=Regulation.DE_MINIMIS_AGRI,
            source=GrantSource.FREE_SERVICE,
            description="Diagnostic export à sa valeur de marché",
            source_ref="diagnostics.diagnostic:7",
        ),
        "sgei": add_line(sister, date(2025, 12, 31), "4000", regulation=Regulation.DE_MINIMIS_SGEI),
    }
    # Not in the export:
    add_line(company, date(2025, 4, 1), "20000", source=GrantSource.DECLARED, body="Bpifrance")
    add_line(
        company,
        date(2025, 5, 1),
        "7000",
        cancelled_at=timezone.now(),
        cancelled_reason="Aide retirée",
    )
    add_line(company, date(2025, 5, 2), "9000", regulation=Regulation.GBER_19)
    add_line(company, date(2024, 12, 31), "3000")
    add_line(company, date(2026, 1, 1), "3000")
    return lines


def test_the_page_counts_the_year_before_download(client_for, instructor_a, year_2025):
    page = _text(client_for(instructor_a).get(URL, {"year": "2025"}))
    assert "Aides de minimis octroyées en 2025" in page
    assert "4 aides — 19 083,50 €" in page
    assert "Télécharger le fichier CSV 2025" in page
    assert "?year=2025&format=csv" in page
    assert "Organisme octroyant, Objet, Référence interne, Type d'aide." in page


def test_the_file_holds_the_registers_columns(client_for, manager_a, year_2025):
    response = client_for(manager_a).get(URL, {"year": "2025", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "registre-de-minimis-2025" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "SIREN",
        "Raison sociale",
        "Date d'octroi",
        "Montant (ESB, €)",
        "Règlement (UE)",
        "Organisme octroyant",
        "Objet",
        "Référence interne",
        "Type d'aide",
    ]
    body = rows[1:]
    assert [row[2] for row in body] == ["2025-03-15", "2025-06-02", "2025-09-01", "2025-12-31"]
    aid = body[0]
    assert aid[:7] == [
        SIREN,
        "Fromagerie de Bourgogne",
        "2025-03-15",
        "12683.00",
        "2023/2831",
        "Région Test",
        "V.I.E. à Padoue",
    ]
    assert aid[7] == f"GE-AE-{year_2025['aid'].pk:06d}"
    assert body[1][0] == SIREN_2
    assert body[1][3] == "1500.50"
    assert body[1][8] == "Participation subventionnée à une action collective"
    assert body[2][4] == "2024/3118"
    assert body[2][7] == f"GE-AE-{year_2025['free'].pk:06d} (diagnostics.diagnostic:7)"
    assert body[3][4] == "2023/2832"
    assert sum(Decimal(row[3]) for row in body) == Decimal("19083.50")


def test_the_page_opens_on_the_current_year(client_for, instructor_a, year_2025):
    this_year = timezone.localdate().year
    page = _text(client_for(instructor_a).get(URL))
    assert f'value="{this_year}"' in page
    assert f"Aides de minimis octroyées en {this_year}" in page


def test_an_empty_year_says_there_is_nothing_to_export(client_for, instructor_a, year_2025):
    page = _text(client_for(instructor_a).get(URL, {"year": "2019"}))
    assert "Aucune aide de minimis n'est enregistrée pour 2019" in page
    assert "Télécharger" not in page


def test_a_wrong_year_is_explained(client_for, instructor_a, year_2025):
    this_year = timezone.localdate().year
    for value, message in [
        ("deux mille", "Saisissez une année, par exemple 2025."),
        ("1850", f"Choisissez une année entre 2000 et {this_year}."),
    ]:
        response = client_for(instructor_a).get(URL, {"year": value, "format": "csv"})
        page = _text(response)
        assert response["Content-Type"].startswith("text/html")
        assert message in page
        assert "l'année en cours est affichée" in page
        assert f"Aides de minimis octroyées en {this_year}" in page


def test_only_instructors_managers_and_admins_export(
    client_for, advisor_a, readonly_a, admin_user, instructor_b, year_2025
):
    for user in (advisor_a, readonly_a):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).get(URL, {"year": "2025", "format": "csv"}).status_code == 403
    for user in (admin_user, instructor_b):
        assert client_for(user).get(URL, {"year": "2025"}).status_code == 200
    assert client_for(None).get(URL).status_code == 302
