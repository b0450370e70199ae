"""`python manage.py plan_report`: writes the yearly report (PDF or workbook) where asked, and
refuses an unknown plan, a year outside the plan, a bad format or filter, in French."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.plans.report_factory import build


@pytest.fixture
def setup(reference, plan, measure, org_a):
    return build(plan, measure, org_a)


def _run(*args):
    out = io.StringIO()
    call_command("plan_report", *args, stdout=out)
    return out.getvalue()


def test_writes_the_pdf_into_a_folder(setup, tmp_path):
    out = _run("--plan", "parex-2", "--year", "2025", "--format", "pdf", "--output", str(tmp_path))
    written = tmp_path / "bilan-parex-2-2025.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert f"Bilan 2025 de « PAREX 2 » écrit dans {written}" in out


def test_writes_the_workbook_to_a_file_with_filters(setup, tmp_path):
    target = tmp_path / "bilan.xlsx"
    _run("--plan", "parex-2", "--year", "2025", "--format", "xlsx", "--output", str(target))
    workbook = load_workbook(target)
    assert workbook.sheetnames[1] == "M1 Pré-détection d'entreprises"
    assert workbook["Synthèse"]["G2"].value == 3
    filtered = tmp_path / "jura.xlsx"
    _run(
        "--plan", "parex-2", "--year", "2025", "--format", "xlsx", "--output", str(filtered),
        "--departement", "39",
    )  # fmt: skip
    assert load_workbook(filtered)["Synthèse"]["G2"].value == 1


def test_default_output_is_the_current_folder(setup, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _run("--plan", "parex-2", "--year", "2024", "--format", "xlsx")
    assert (tmp_path / "bilan-parex-2-2024.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--plan", "parex-9", "--year", "2025"],
            "Plan inconnu : « parex-9 ». Plans enregistrés : parex-2.",
        ),
        (["--year", "2025"], "Indiquez le plan : --plan IDENTIFIANT"),
        (["--plan", "parex-2"], "Indiquez l'année du bilan : --year AAAA."),
        (
            ["--plan", "parex-2", "--year", "2021"],
            "Année refusée : « 2021 ». L'année doit être l'une des années du plan, de 2022 à 2026.",
        ),
        (["--plan", "parex-2", "--year", "deux mille"], "Année refusée : « deux mille »."),
        (["--plan", "parex-2", "--year", "2025", "--format", "docx"], "« pdf » ou « xlsx »"),
        (["--plan", "parex-2", "--year", "2025", "--size", "XXL"], "Taille d'entreprise inconnue"),
        (
            ["--plan", "parex-2", "--year", "2025", "--output", "/nulle/part/bilan.pdf"],
            "Le dossier « /nulle/part » n'existe pas.",
        ),
    ],
)
def test_refusals_in_french(setup, tmp_path, args, message):
    with pytest.raises(CommandError) as error:
        _run(*args)
    assert message in str(error.value)
