"""Spreadsheet exports (CSV for any tool, XLSX for Excel/LibreOffice) of any list a page shows."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMATS = {"csv", "xlsx"}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    return value


def _safe_text(value) -> str:
    """Neutralise CSV formula injection (a cell starting with '=' runs in a spreadsheet)."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def export_response(
    *, rows: Iterable[Sequence], headers: Sequence[str], filename: str, fmt: str, sheet: str = ""
) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=(sheet or filename)[:31])
        worksheet.append(list(headers))
        for row in rows:
            worksheet.append([_safe_text(v) if isinstance(v, str) else v for v in map(_cell, row)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=_XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_text(v) if isinstance(v, str) else v for v in map(_cell, row)])
    # UTF-8 with BOM so that Excel opens accents correctly; ';' is the French list separator.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
