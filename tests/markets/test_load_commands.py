"""The load_trade, load_geodist and load_macro commands: dry run by default, French output."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guichet.markets import storage
from guichet.markets.loaders.jobs import load_job_execute
from guichet.markets.models import LoadJob, TradeDataset

BACI = '"t","i","j","k","v","q"\n2021,251,842,847130,1.5,"  2"\n2021,999,842,847130,2,"NA"\n'


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_trade_is_a_dry_run_by_default(tmp_path):
    path = tmp_path / "baci.csv"
    path.write_text(BACI, encoding="utf-8")
    text = run("load_trade", "--format", "baci", "--path", str(path))
    assert "Simulation : rien ne sera écrit" in text
    assert "Lignes retenues : 1" in text
    assert "Lignes rejetées : 1" in text
    assert "ligne 3 : code pays exportateur inconnu « 999 »" in text
    assert not TradeDataset.objects.exists()
    assert not storage.trade_path("baci", 2021).exists()


@pytest.mark.django_db
def test_load_trade_wet_run_then_again(tmp_path):
    path = tmp_path / "baci.csv"
    path.write_text(BACI, encoding="utf-8")
    report = tmp_path / "rejets.csv"
    text = run(
        "load_trade", "--format", "baci", "--path", str(path), "--wet-run", "--report", str(report)
    )
    assert "Chargé : 2021 (1 lignes)." in text
    assert f"Rapport des rejets : {report}" in text
    assert "3,code pays exportateur inconnu « 999 »" in report.read_text(encoding="utf-8")
    assert TradeDataset.objects.get().rows == 1
    again = run("load_trade", "--format", "baci", "--path", str(path), "--wet-run")
    assert "Déjà chargé (2021) : fichier identique, rien n'a été réécrit." in again


@pytest.mark.django_db
def test_load_trade_unknown_file_is_a_french_error(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        run("load_trade", "--format", "baci", "--path", str(tmp_path / "absent.csv"))


@pytest.mark.django_db
def test_load_geodist_and_macro_commands(tmp_path):
    dist = tmp_path / "dist_cepii.csv"
    dist.write_text("iso_o,iso_d,contig,comlang_off,colony,dist,distw\nFRA,DEU,1,0,0,880,850\n")
    assert "Chargé : table (1 lignes)." in run("load_geodist", "--path", str(dist))
    macro = tmp_path / "macro.csv"
    macro.write_text("country,year,gdp,population\nFRA,2022,2.7e12,68000000\n")
    text = run("load_macro", "--path", str(macro), "--dry-run")
    assert "Simulation (rien n'est écrit)" in text
    assert "Lignes retenues : 1" in text
    assert sorted(TradeDataset.objects.values_list("kind", flat=True)) == ["geodist"]


@pytest.mark.django_db
def test_a_failing_job_keeps_its_french_reason(tmp_path, admin_user):
    path = tmp_path / "not-baci.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    job = LoadJob.objects.create(
        kind="trade", source="baci", input_path=str(path), created_by=admin_user
    )
    assert load_job_execute(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == LoadJob.Status.FAILED
    assert "Colonne « t » absente" in job.message
    assert path.exists()  # a server file is never removed
    assert load_job_execute(job_id=job.pk) == "ignored"
