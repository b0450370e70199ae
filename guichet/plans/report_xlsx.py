"""The yearly report as a workbook: a summary sheet with every indicator, one sheet per measure
with what was done and, for each of its indicators, the records behind the figure (the
drill-down list: ``Figure.records`` shown with ``Figure.columns``, or the manual entries of the
year), and a sheet telling how each figure is obtained.

Numbers stay numbers and dates stay dates; a text starting like a formula is neutralised.
Drill-down lists name companies, dates, amounts and partners, never a person.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from guichet.plans.report import (
    STATUS_METHOD,
    MeasureBlock,
    ReportData,
    format_value,
    percent_text,
    source_text,
    with_detail,
)
from guichet.plans.selectors import IndicatorResult, manual_values

MAX_TITLE = 31
_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)

SUMMARY_HEADERS = (
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
)
MANUAL_HEADERS = ("Année", "Période", "Valeur", "Source", "Organisation", "Saisie le")


def cell(value):
    """A value openpyxl writes as such: numbers, dates, texts (formula-like text escaped)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal) or hasattr(value, "isoformat"):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def sheet_title(text: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters at most, none of \\ * ? : / [ ]), unique in
    the workbook (compared without case, as Excel does)."""
    base = _FORBIDDEN.sub(" ", text).strip().strip("'") or "Feuille"
    title = base[:MAX_TITLE].rstrip()
    number = 2
    while title.lower() in used:
        suffix = f" ({number})"
        title = base[: MAX_TITLE - len(suffix)].rstrip() + suffix
        number += 1
    used.add(title.lower())
    return title


def _summary_row(result: IndicatorResult) -> list:
    indicator = result.indicator
    measure = indicator.measure
    return [
        measure.axis.number,
        f"{measure.number} – {measure.title}",
        indicator.code,
        indicator.name,
        "automatique" if indicator.is_automatic else "manuel",
        indicator.unit,
        None if result.not_broken_down else result.value,
        result.detail,
        result.target,
        None if result.progress is None else float(result.progress),
        result.status.label,
        source_text(result),
    ]


def _summary(workbook: Workbook, data: ReportData, used: set[str]) -> None:
    sheet = workbook.active
    sheet.title = sheet_title("Synthèse", used)
    sheet.append(list(SUMMARY_HEADERS))
    for header in sheet[1]:
        header.font = BOLD
    for result in data.results:
        sheet.append([cell(v) for v in _summary_row(result)])
        sheet.cell(row=sheet.max_row, column=10).number_format = "0%"
    for column, width in zip(
        "ABCDEFGHIJKL", (6, 30, 10, 45, 13, 14, 12, 20, 12, 12, 16, 50), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"


def _figure_rows(result: IndicatorResult) -> tuple[list[str], list[list]]:
    figure = result.figure
    if figure is None:
        return [], []
    headers = [column.header for column in figure.columns]
    rows = [[cell(column.value(record)) for column in figure.columns] for record in figure.records]
    return headers, rows


def _manual_rows(result: IndicatorResult) -> tuple[list[str], list[list]]:
    if result.not_broken_down:
        return [], []
    entries = (
        manual_values(result.indicator).filter(year=result.year).order_by("-entered_at", "-pk")
    )
    rows = [
        [
            cell(entry.year),
            cell(entry.period),
            cell(entry.value),
            cell(entry.source),
            cell(entry.organisation.name if entry.organisation_id else ""),
            cell(entry.entered_at),
        ]
        for entry in entries
    ]
    return list(MANUAL_HEADERS), rows


def _indicator_block(sheet, result: IndicatorResult) -> None:
    indicator = result.indicator
    value = (
        "non ventilable" if result.not_broken_down else format_value(result.value, indicator.unit)
    )
    line = with_detail(f"{indicator.code} – {indicator.name} : {value}", result.detail)
    if result.target is not None:
        line += f" (cible {format_value(result.target, indicator.unit)}, {percent_text(result)})"
    line += f" — {result.status.label}"
    sheet.append([cell(line)])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD
    headers, rows = _figure_rows(result) if indicator.is_automatic else _manual_rows(result)
    if not headers:
        sheet.append([cell(source_text(result))])
    elif not rows:
        empty = "Aucun enregistrement pour ces filtres."
        sheet.append([empty if indicator.is_automatic else cell(source_text(result))])
    else:
        sheet.append(headers)
        for header in sheet[sheet.max_row]:
            header.font = BOLD
        for row in rows:
            sheet.append(row)
    sheet.append([])


def _measure_sheet(workbook: Workbook, data: ReportData, block: MeasureBlock, used) -> None:
    measure = block.measure
    sheet = workbook.create_sheet(sheet_title(f"M{measure.number} {measure.title}", used))
    sheet.append([cell(f"Mesure {measure.number} – {measure.title}")])
    sheet["A1"].font = TITLE
    sheet.append([f"Réalisations {data.year}"])
    sheet["A2"].font = BOLD
    text = block.text or f"Aucun bilan n'a été rédigé pour cette mesure en {data.year}."
    sheet.append([cell(text)])
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    if not block.rows:
        sheet.append(["Cette mesure n'a pas encore d'indicateur."])
    for row in block.rows:
        _indicator_block(sheet, row.result)
    sheet.column_dimensions["A"].width = 40
    for column in "BCDEFGH":
        sheet.column_dimensions[column].width = 20


def _method_sheet(workbook: Workbook, data: ReportData, used: set[str]) -> None:
    sheet = workbook.create_sheet(sheet_title("Méthode", used))
    sheet.append([cell(data.title)])
    sheet["A1"].font = TITLE
    sheet.append(["Année", data.year])
    filters = "; ".join(f"{label} : {value}" for label, value in data.filter_lines)
    sheet.append(["Filtres", cell(filters or "Aucun")])
    sheet.append(["Établi le", data.generated_on])
    sheet.append(["Statut", cell(STATUS_METHOD)])
    sheet.append([])
    sheet.append(["Code", "Indicateur", "Définition", "Type", "Méthode", "Source", "Ventilations"])
    for header in sheet[sheet.max_row]:
        header.font = BOLD
    for entry in data.methods:
        sheet.append(
            [
                cell(entry.code),
                cell(entry.name),
                cell(entry.definition),
                cell(entry.kind),
                cell(entry.method),
                cell(entry.source),
                cell(entry.breakdowns),
            ]
        )
    for column, width in zip("ABCDEFG", (12, 40, 40, 30, 70, 25, 30), strict=True):
        sheet.column_dimensions[column].width = width


def report_workbook(data: ReportData) -> bytes:
    workbook = Workbook()
    used: set[str] = set()
    _summary(workbook, data, used)
    for axis_block in data.axes:
        for block in axis_block.measures:
            _measure_sheet(workbook, data, block, used)
    _method_sheet(workbook, data, used)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
