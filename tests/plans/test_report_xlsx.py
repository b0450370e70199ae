"""The yearly report as a workbook: a summary of every indicator, one sheet per measure with
what was done and the records behind each figure, and the method sheet."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from guichet.plans.computations import Filters
from guichet.plans.models import Measure
from guichet.plans.report import build_report
from guichet.plans.report_xlsx import cell, sheet_title
from tests.plans.report_factory import build


@pytest.fixture
def setup(reference, plan, measure, org_a):
    return build(plan, measure, org_a)


def _workbook(setup, filters=None):
    content, _name, _type = build_report(setup.plan, 2025, filters or Filters(), "xlsx")
    return load_workbook(io.BytesIO(content))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_one_summary_sheet_one_sheet_per_measure_and_the_method(setup):
    workbook = _workbook(setup)
    assert workbook.sheetnames == [
        "Synthèse",
        "M1 Pré-détection d'entreprises",
        "M2 Innov'export   appui aux ent",
        "Méthode",
    ]
    rows = _rows(workbook["Synthèse"])
    assert rows[0] == [
        "Axe",
        "Mesure",
        "Code",
        "Indicateur",
        "Type",
        "Unité",
        "Valeur",
        "Détail",
        "Cible",
        "Avancement",
        "Statut",
        "Source",
    ]
    assert rows[1][:11] == [
        1,
        "1 – Pré-détection d'entreprises",
        "ENT-1",
        "Entreprises accompagnées",
        "automatique",
        "entreprises",
        3,
        "dont 2 PME",
        4,
        0.75,
        "À surveiller",
    ]
    assert rows[2][2:11] == [
        "EMP-1",
        "Emplois à l'international financés",
        "manuel",
        "emplois",
        76,
        None,
        80,
        0.95,
        "À surveiller",
    ]
    assert rows[2][11].startswith("Tableau de suivi des emplois de la Région ; période : année")
    assert rows[3][2:11] == [
        "INN-1",
        "Montant d'aide Innov'export",
        "manuel",
        "€",
        None,
        None,
        330000,
        None,
        "Pas de valeur",
    ]


def test_a_measure_sheet_holds_the_text_and_the_records_of_each_indicator(setup):
    rows = _rows(_workbook(setup)["M1 Pré-détection d'entreprises"])
    rows = [[v for v in row if v is not None] for row in rows]
    assert rows[0] == ["Mesure 1 – Pré-détection d'entreprises"]
    assert rows[1] == ["Réalisations 2025"]
    assert rows[2] == ["Programme régional concerté : 12 actions collectives menées avec les CCI."]
    heading = (
        "ENT-1 – Entreprises accompagnées : 3\u00a0entreprises dont 2 PME "
        "(cible 4\u00a0entreprises, 75\u00a0%) — À surveiller"
    )
    start = rows.index([heading])
    assert rows[start + 1] == ["SIREN", "Entreprise", "Créée le", "Taille"]
    assert rows[start + 2 : start + 5] == [
        ["401234567", "Comté du Jura", datetime(2025, 9, 1), "TPE"],
        ["552100554", "Fromagerie de Bourgogne", datetime(2025, 3, 1), "PME"],
        ["732829320", "Lunetterie de Dijon", datetime(2025, 6, 1), "PME"],
    ]
    # The manual indicator: every entry of the year, latest first, no person named.
    manual = rows.index(["Année", "Période", "Valeur", "Source", "Organisation", "Saisie le"])
    assert rows[manual + 1][:5] == [
        2025,
        "année 2025",
        76,
        "Tableau de suivi des emplois de la Région",
        "Région Test",
    ]
    assert rows[manual + 2][:4] == [2025, 70, "Premier relevé", "Région Test"]


def test_a_measure_without_text_or_value_says_so(setup):
    rows = _rows(_workbook(setup)["M2 Innov'export   appui aux ent"])
    texts = [row[0] for row in rows if row and row[0]]
    assert "Aucun bilan n'a été rédigé pour cette mesure en 2025." in texts
    assert "Aucune valeur saisie pour l'année" in texts


def test_filters_keep_only_matching_records(setup):
    rows = _rows(_workbook(setup, Filters(departement="39"))["M1 Pré-détection d'entreprises"])
    sirens = [row[0] for row in rows if row and isinstance(row[0], str) and row[0].isdigit()]
    assert sirens == ["401234567"]
    texts = [row[0] for row in rows if row and row[0]]
    assert (
        "Valeur saisie pour l'ensemble du plan : non ventilable selon les filtres choisis" in texts
    )


def test_method_sheet(setup):
    rows = _rows(_workbook(setup, Filters(size="PME"))["Méthode"])
    assert rows[0][0] == "Bilan 2025 — PAREX 2"
    assert rows[2][:2] == ["Filtres", "Taille d'entreprise : Petite ou moyenne entreprise (PME)"]
    codes = [row[0] for row in rows[7:]]
    assert codes == ["ENT-1", "EMP-1", "INN-1"]
    assert rows[7][4] == "Entreprises du registre créées dans l'année (date de création SIRENE)."


def test_sheet_names_are_short_valid_and_unique(setup):
    long = "Un intitulé très long : mesure [à] suivre / partenaires ?"
    for number in (3, 4):
        Measure.objects.create(plan=setup.plan, axis=setup.measure.axis, number=number, title=long)
    names = _workbook(setup).sheetnames
    # Sheets follow the axes, then the measures' numbers.
    assert names[2:4] == ["M3 Un intitulé très long   mesu", "M4 Un intitulé très long   mesu"]
    used: set[str] = set()
    assert [sheet_title("Synthèse", used), sheet_title("synthèse", used)] == [
        "Synthèse",
        "synthèse (2)",
    ]
    assert all(len(sheet_title(long, used)) <= 31 for _ in range(12))


def test_cells_keep_numbers_and_neutralise_formulas():
    assert cell(Decimal("2.5")) == Decimal("2.5")
    assert cell(date(2025, 1, 2)) == date(2025, 1, 2)
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell(None) is None
