"""From a validated staged table to one Parquet file and one TradeDataset per year.

The staged table (built by a format's loader) has the output columns plus `reason` (NULL for
a good row, the French reason of a rejection otherwise), `raw` (the row's original fields)
and `skipped` (rows deliberately left out, such as imports in a Comtrade file).

Idempotency: the file's checksum is stored on every dataset it produced; loading a file whose
checksum is already recorded for this source rewrites nothing ("déjà chargé"). A year loaded
from a different file is replaced (Parquet overwritten, dataset updated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from guichet.markets import storage
from guichet.markets.loaders.base import (
    LoadOutcome,
    copy_to_parquet,
    prepare_line_numbers,
    report,
    write_report,
)
from guichet.markets.models import TradeDataset


@dataclass
class Target:
    kind: str
    source: str
    columns: list[str]  # output columns, in the Parquet schema's order
    path_for: object  # year -> Path
    currency: str
    product_level: str = ""
    nomenclature: str = ""
    single: bool = False  # one table without a year (distances, macro): year 0, one file
    after: list[str] = field(default_factory=list)  # SQL run on the staged table before writing


def already_loaded(target: Target, checksum: str) -> list[TradeDataset]:
    """The datasets this very file produced, when all their Parquet files are still there."""
    found = list(
        TradeDataset.objects.filter(kind=target.kind, source=target.source, checksum=checksum)
    )
    if found and all(storage.absolute(d.path).exists() for d in found):
        return found
    return []


def unchanged_outcome(datasets: list[TradeDataset], wet_run: bool) -> LoadOutcome:
    years = sorted(d.year for d in datasets)
    label = ", ".join(str(y) for y in years if y) or "ce fichier"
    return LoadOutcome(
        dataset=datasets[-1],
        rows=sum(d.rows for d in datasets),
        rejected=sum(d.rows_rejected for d in datasets),
        report_path=None,
        messages=[f"Déjà chargé ({label}) : fichier identique, rien n'a été réécrit."],
        datasets=datasets,
        years=years,
        value_total=sum(d.value_total for d in datasets),
        unchanged=True,
        wet_run=wet_run,
    )


def finish(
    con,
    *,
    target: Target,
    checksum: str,
    original_name: str,
    wet_run: bool,
    user,
    progress,
    report_target,
    report_name: str,
) -> LoadOutcome:
    """Counts, rejection report, Parquet per year and datasets (wet run only)."""
    for statement in target.after:
        con.execute(statement)
    report(progress, 75, "Contrôle des lignes rejetées")
    prepare_line_numbers(con)
    rejected, report_file, sample = write_report(
        con, report_name, report_target if (wet_run or report_target != "auto") else None
    )
    year_expr = "0" if target.single else "year"
    per_year = con.execute(
        f"SELECT {year_expr} AS y, count(*), coalesce(sum(value), 0) FROM staged "  # noqa: S608 - fixed text
        "WHERE reason IS NULL AND NOT skipped GROUP BY y ORDER BY y"
    ).fetchall()
    rejected_by_year = dict(
        con.execute(
            f"SELECT {year_expr} AS y, count(*) FROM staged WHERE reason IS NOT NULL GROUP BY y"  # noqa: S608 - fixed text
        ).fetchall()
    )
    skipped = con.execute("SELECT count(*) FROM staged WHERE skipped").fetchone()[0]
    outcome = LoadOutcome(
        dataset=None,
        rows=sum(r[1] for r in per_year),
        rejected=rejected,
        report_path=report_file,
        years=[r[0] for r in per_year],
        skipped=skipped,
        value_total=float(sum(r[2] for r in per_year)),
        wet_run=wet_run,
        rejected_sample=sample,
    )
    if not per_year:
        outcome.messages.append("Aucune ligne valide : rien n'a été chargé.")
        return outcome
    if not wet_run:
        outcome.messages.append("Simulation : rien n'a été écrit (ajoutez --wet-run).")
        return outcome
    # Rejections without a usable year are counted on the first year's dataset.
    orphans = rejected - sum(
        v for k, v in rejected_by_year.items() if k in {r[0] for r in per_year}
    )
    columns = ", ".join(target.columns)
    for index, (year, rows, total) in enumerate(per_year):
        span = (80 + 18 * index / len(per_year), 80 + 18 * (index + 1) / len(per_year))
        report(progress, span[0], f"Écriture de l'année {year}" if year else "Écriture")
        path = target.path_for(year)
        where = "" if target.single else f" AND year = {int(year)}"
        copy_to_parquet(
            con,
            f"SELECT {columns} FROM staged WHERE reason IS NULL AND NOT skipped{where}",  # noqa: S608 - fixed column names, integer year
            [],
            path,
            progress,
            span,
        )
        level = _level(con, target, year)
        dataset = _record(
            target,
            year=year,
            path=path,
            level=level,
            checksum=checksum,
            original_name=original_name,
            rows=rows,
            rejected=rejected_by_year.get(year, 0) + (orphans if index == 0 else 0),
            total=total,
            user=user,
        )
        outcome.datasets.append(dataset)
    outcome.dataset = outcome.datasets[-1]
    years = ", ".join(str(y) for y in outcome.years if y)
    outcome.messages.append(f"Chargé : {years or 'table'} ({outcome.rows} lignes).")
    return outcome


def _level(con, target: Target, year) -> str:
    """'hs4'/'hs6' from the codes themselves when the format does not fix it."""
    if target.product_level != "auto":
        return target.product_level
    length = con.execute(
        "SELECT max(length(product)) FROM staged WHERE reason IS NULL AND NOT skipped AND year = ?",
        [int(year)],
    ).fetchone()[0]
    return f"hs{length}" if length else ""


@transaction.atomic
def _record(
    target: Target, *, year, path: Path, level, checksum, original_name, rows, rejected, total, user
):
    dataset, _created = TradeDataset.objects.update_or_create(
        kind=target.kind,
        source=target.source,
        year=int(year or 0),
        defaults={
            "path": storage.relative(path),
            "original_name": original_name[:300],
            "checksum": checksum,
            "product_level": level or "",
            "nomenclature": target.nomenclature,
            "rows": rows,
            "rows_rejected": rejected,
            "value_total": float(total),
            "currency": target.currency,
            "is_demo": False,
            "loaded_by": user if getattr(user, "pk", None) else None,
        },
    )
    return dataset
