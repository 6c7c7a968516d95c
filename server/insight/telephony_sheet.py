"""The telephony figures as an Excel workbook: one sheet 'Telefonie' with every table under the
previous one (numbers stay numbers, the weekday × hour grids shaded like the dashboard's), the
same file for the dashboard's download and the monthly report."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import xlsxwriter

from server.insight.telephony import Telephony
from server.insight.telephony_tables import Table, tables

SHEET = "Telefonie"


def workbook(t: Telephony, heading: str) -> bytes:
    """The .xlsx file's bytes (a few kilobytes: at most a few hundred rows)."""
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    try:
        sheet = book.add_worksheet(SHEET)
        bold = book.add_format({"bold": True})
        title = book.add_format({"bold": True, "font_size": 14})
        head = book.add_format({"bold": True, "bg_color": "#EEF1F5", "bottom": 1})
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 24, 11)
        sheet.write_string(0, 0, heading, title)
        sheet.write_string(1, 0, t.period.label)
        row = 3
        for table in tables(t):
            row = _table(sheet, row, table, bold, head) + 1
    finally:
        book.close()
    return out.getvalue()


def _table(sheet: Any, row: int, table: Table, bold: Any, head: Any) -> int:
    sheet.write_string(row, 0, table.title, bold)
    row += 1
    for i, name in enumerate(table.columns):
        sheet.write_string(row, i, name, head)
    first = row + 1
    for values in table.rows:
        row += 1
        for i, value in enumerate(values):
            if value is None or isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                sheet.write_number(row, i, value)
            else:
                sheet.write_string(row, i, str(value))
    if table.key.startswith("bezetting") and table.rows:
        sheet.conditional_format(
            first, 1, row, len(table.columns) - 1,
            {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#2B6CB0"},
        )  # fmt: skip
    if table.note:
        row += 1
        sheet.write_string(row, 0, table.note)
    return row + 1
