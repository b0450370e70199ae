"""`python manage.py import_sirene`: dry run by default, --wet-run, --report, progress."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.companies.models import Company, Establishment
from tests.companies.fixtures.sirene import (
    ESTABLISHMENTS_FILE,
    establishment,
    siren,
    siret,
    unit,
    write_stock,
)

pytestmark = pytest.mark.usefixtures("reference")

A, B = siren(60000001), siren(60000002)
SAMPLES = Path("/work/shared/data/sirene")


def import_sirene(units: Path, places: Path, *args: str) -> str:
    out = io.StringIO()
    call_command(
        "import_sirene", "--unites-legales", str(units), "--etablissements", str(places), *args,
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


@pytest.fixture
def stock(tmp_path):
    return write_stock(
        tmp_path,
        [unit(A), unit(B)],
        [
            establishment(siret(A), complementAdresseEtablissement="BAT 1\nETAGE 2"),
            establishment(siret(B), trancheEffectifsEtablissement="XX"),
        ],
    )


def test_dry_run_by_default_prints_the_counts_and_writes_nothing(stock):
    output = import_sirene(*stock)
    assert "Simulation : rien ne sera écrit en base (ajoutez --wet-run pour écrire)." in output
    assert "Repérage des établissements du territoire" in output  # progress, plain lines
    assert "créées                               2               1" in output
    assert f"{ESTABLISHMENTS_FILE}, ligne 4 : tranche d'effectifs inconnue : « XX »" in output
    assert Company.objects.count() == 0


def test_wet_run_writes_and_reports_json(stock, tmp_path):
    report_path = tmp_path / "rapport.json"
    output = import_sirene(*stock, "--wet-run", "--report", str(report_path))
    assert "Écriture en base" in output
    assert f"Rapport complet : {report_path}" in output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert set(report) >= {"read", "created", "updated", "unchanged", "ceased", "rejected"}
    assert isinstance(report["seconds"], float)
    assert report["read"] == {"unites_legales": 2, "etablissements": 2}
    assert report["created"] == {"unites_legales": 2, "etablissements": 1}
    assert report["updated"] == report["ceased"] == {"unites_legales": 0, "etablissements": 0}
    # The first establishment spans lines 2-3 (a quoted newline): the bad one is line 4.
    assert report["rejected"] == [
        {"file": ESTABLISHMENTS_FILE, "line": 4, "reason": "tranche d'effectifs inconnue : « XX »"}
    ]
    assert list(Company.objects.order_by("siren").values_list("siren", flat=True)) == [A, B]


def test_second_run_says_nothing_changed(stock):
    import_sirene(*stock, "--wet-run")
    output = import_sirene(*stock, "--wet-run")
    assert "Aucune modification : les données sont à jour." in output
    assert "inchangées                           2               1" in output


def test_unknown_region_is_refused(stock):
    with pytest.raises(CommandError, match=r"Code de région inconnu : 98\."):
        import_sirene(*stock, "--region", "98")


def test_a_file_that_is_not_sirene_is_refused(tmp_path, stock):
    other = tmp_path / "clients.csv"
    other.write_text("nom;ville\nDupont;Dijon\n", encoding="utf-8")
    with pytest.raises(CommandError, match="utilise le séparateur « point-virgule »"):
        import_sirene(stock[0], other, "--wet-run")
    assert Establishment.objects.count() == 0


def test_departement_selection(tmp_path):
    ajaccio = siren(60000003)
    units, places = write_stock(
        tmp_path,
        [unit(A), unit(ajaccio)],
        [
            establishment(siret(A)),
            establishment(siret(ajaccio), codeCommuneEtablissement="2A004"),
        ],
    )
    import_sirene(units, places, "--departement", "2a", "--wet-run")
    assert list(Company.objects.values_list("siren", flat=True)) == [ajaccio]


# serialized_rollback: the flush after a transactional test would empty the roles that a
# data migration seeds, and later tests need them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wet_run_outside_a_transaction(stock):
    """The command's own path: batches written on a second connection (PostgreSQL)."""
    import_sirene(*stock, "--wet-run")
    assert Establishment.objects.get().company.siren == A
    assert Company.objects.count() == 2


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="échantillon INSEE absent de /work/shared/data")
def test_real_insee_sample_headers_are_read(tmp_path):
    """The INSEE sample rows (not copied here) carry the real column names and order."""
    units = SAMPLES / "StockUniteLegale_sample_sirene_as_api.csv"
    places = SAMPLES / "StockEtablissement_geo_sample_sirene_as_api.csv"
    report_path = tmp_path / "r.json"
    import_sirene(units, places, "--region", "84", "--report", str(report_path))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["read"] == {"unites_legales": 3, "etablissements": 3}
    assert report["rejected"] == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_rewrites_one_line_on_a_terminal(stock):
    out = Terminal()
    call_command(
        "import_sirene", "--unites-legales", str(stock[0]), "--etablissements", str(stock[1]),
        stdout=out,
    )  # fmt: skip
    output = out.getvalue()
    assert "\rRepérage des établissements du territoire : 0 % — 0 lignes" in output
    assert "\rTerminé : 100 %" in output
    assert "\nSimulation (rien n'est écrit)" in output  # the summary starts on its own line
