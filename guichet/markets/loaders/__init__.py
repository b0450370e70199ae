"""Loading market data files into Parquet (storage.py's schemas) and TradeDataset records.

    load_trade(fmt="baci"|"comtrade"|"customs-fr", path=…)  trade years / regional customs
    load_geodist(path=…)                                    CEPII GeoDist distances
    load_macro(path=…)                                      GDP and population

Each reads the file once with DuckDB, validates in SQL, reports every rejected row (line,
French reason, original fields) and is idempotent: the same file loaded twice rewrites nothing.
A dry run (wet_run=False) gives the same counts and writes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from guichet.markets import storage
from guichet.markets.countries import CountryTableError
from guichet.markets.loaders import baci, comtrade, customs, tables
from guichet.markets.loaders.base import (
    LoadError,
    LoadOutcome,
    Progress,
    file_checksum,
    open_csv,
    report,
    run_with_progress,
)
from guichet.markets.loaders.files import prepare_input
from guichet.markets.loaders.years import already_loaded, finish, unchanged_outcome

__all__ = ["FORMATS", "LoadError", "LoadOutcome", "load_geodist", "load_macro", "load_trade"]

FORMATS = {"baci": baci, "comtrade": comtrade, "customs-fr": customs}
AUTO = "auto"


def load_trade(
    *,
    fmt: str,
    path,
    countries_path=None,
    wet_run: bool = True,
    user=None,
    progress: Progress = None,
    report_to=AUTO,
) -> LoadOutcome:
    """Load a BACI year file, a UN Comtrade bulk CSV or French customs regional tables.
    report_to: where the rejection report goes ("auto": reports/ of the markets folder, in a
    wet run only; a path: there, dry run included; None: nowhere)."""
    if fmt not in FORMATS:
        raise LoadError(f"Format inconnu « {fmt} » : baci, comtrade ou customs-fr.")
    if countries_path and fmt == "customs-fr":
        countries_path = None  # customs use ISO alpha-2 codes, not a numeric table
    module = FORMATS[fmt]

    def planner(source):
        try:
            return module.plan(source, countries_path)
        except CountryTableError as error:
            raise LoadError(str(error)) from None

    return _load(
        planner,
        path=path,
        extra=Path(countries_path) if countries_path else None,
        wet_run=wet_run,
        user=user,
        progress=progress,
        report_to=report_to,
        name=fmt,
    )


def load_geodist(*, path, user=None, progress: Progress = None, wet_run=True, report_to=AUTO):
    return _load(
        tables.plan_geodist,
        path=path,
        extra=None,
        wet_run=wet_run,
        user=user,
        progress=progress,
        report_to=report_to,
        name="geodist",
    )


def load_macro(*, path, user=None, progress: Progress = None, wet_run=True, report_to=AUTO):
    return _load(
        tables.plan_macro,
        path=path,
        extra=None,
        wet_run=wet_run,
        user=user,
        progress=progress,
        report_to=report_to,
        name="macro",
    )


def _load(planner, *, path, extra, wet_run, user, progress, report_to, name) -> LoadOutcome:
    report(progress, 1, "Préparation du fichier")
    original = Path(path)
    data_path = prepare_input(original)
    try:
        return _load_csv(
            planner,
            original=original,
            data_path=data_path,
            extra=extra,
            wet_run=wet_run,
            user=user,
            progress=progress,
            report_to=report_to,
            name=name,
        )
    finally:
        if data_path != original and data_path.parent.name.startswith("unzipped-"):
            shutil.rmtree(data_path.parent, ignore_errors=True)  # extracted from a zip: not kept


def _load_csv(
    planner, *, original, data_path, extra, wet_run, user, progress, report_to, name
) -> LoadOutcome:
    source = open_csv(data_path)
    target, sql, params = planner(source)
    report(progress, 3, "Calcul de l'empreinte du fichier")
    checksum = file_checksum(data_path, extra)
    existing = already_loaded(target, checksum)
    if existing:
        report(progress, 100, "Déjà chargé")
        return unchanged_outcome(existing, wet_run)
    con = storage.connect()
    try:
        con.execute("SET preserve_insertion_order = true")  # rowid = order of the file
        run_with_progress(
            con,
            f"CREATE TEMP TABLE staged AS {sql}",
            params,
            progress,
            5,
            70,
            "Lecture et contrôle des lignes",
        )
        outcome = finish(
            con,
            target=target,
            checksum=checksum,
            original_name=original.name,
            wet_run=wet_run,
            user=user,
            progress=progress,
            report_target=report_to,
            report_name=f"{name}-{checksum[:12]}",
        )
    except Exception as error:
        import duckdb

        if isinstance(error, duckdb.Error):
            raise LoadError(f"Lecture impossible de « {original.name} » : {error}") from error
        raise
    finally:
        con.close()
    report(progress, 100, "Terminé")
    return outcome
