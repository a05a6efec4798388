"""CSV and XLSX exports of a report table (app.reports.tables): the same rows as the page.

CSV is written for a spreadsheet opened by a Dutch reader: UTF-8 with a byte order mark,
semicolon-separated, the decimal comma in Dutch (a point in English), one header row in the
reader's language. XLSX holds real numbers and the same headers.

Spreadsheet formula injection: a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return is prefixed with an apostrophe in the CSV (OWASP "CSV injection"); in the
XLSX every text cell is stored as a string, never a formula. Job titles are typed by users, so
this matters. Numbers are written as numbers (a negative balance is a number, not text).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from app import dates
from app.reports.tables import Table

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet would take for a formula, made plain text."""
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def withheld() -> str:
    return _("afgeschermd")


def _csv_value(value, kind: str, decimal_comma: bool) -> str:
    if value is None:
        return withheld() if kind == "count" else ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal | float):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime):
        return dates.moment(value, "export")  # local time, not the stored UTC
    if isinstance(value, date):
        return dates.day(value, "export")
    return neutralise(str(value))


def to_csv(table: Table) -> bytes:
    decimal_comma = str(get_locale() or "nl").startswith("nl")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(c.label)) for c in table.columns])
    for r, row in enumerate(table.rows):
        writer.writerow([_csv_value(v, table.kind(r, c), decimal_comma) for c, v in enumerate(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append([str(c.label) for c in table.columns])
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            kind = table.kind(r - 2, c - 1)
            if value is None:
                cell.value = withheld() if kind == "count" else None
            elif isinstance(value, Decimal):
                cell.value = int(value) if value == value.to_integral_value() else float(value)
            elif isinstance(value, datetime):
                cell.value = dates.to_local(value).replace(tzinfo=None)  # local, as on the page
            elif isinstance(value, int | float | date):
                cell.value = value
            else:
                cell.value = str(value)
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # openpyxl takes "=…" for a formula otherwise
    for header in sheet[1]:
        header.data_type = TYPE_STRING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(table: Table, period, extension: str) -> str:
    return f"deelkracht-{table.key}-{period.start.isoformat()}-{period.end.isoformat()}.{extension}"
