"""The client report as an Excel workbook: sheet 'Cijfers' (each figure in the three periods,
numbers as numbers, percentages as percentages) and sheet 'Signalen' (the tables under each
other), the same content as the PDF."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

import xlsxwriter

if TYPE_CHECKING:
    from server.insight.report_content import Content, Table

FIGURES, SIGNALS = "Cijfers", "Signalen"


def workbook(content: Content) -> bytes:
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    try:
        formats = {
            "title": book.add_format({"bold": True, "font_size": 14}),
            "bold": book.add_format({"bold": True}),
            "head": book.add_format({"bold": True, "bg_color": "#EEF1F5", "bottom": 1}),
            "%": book.add_format({"num_format": "0.0%"}),
            "uur": book.add_format({"num_format": "0.00"}),
            "score": book.add_format({"num_format": "0.00"}),
            "aantal": book.add_format({"num_format": "0"}),
        }
        sheet = book.add_worksheet(FIGURES)
        sheet.set_column(0, 0, 38)
        sheet.set_column(1, 3, 30)
        sheet.write_string(0, 0, content.title, formats["title"])
        sheet.write_string(1, 0, content.subtitle)
        row = 3
        for i, name in enumerate(content.columns):
            sheet.write_string(row, i, name, formats["head"])
        for line in content.lines:
            row += 1
            sheet.write_string(row, 0, line.label)
            for i, value in enumerate(line.values, start=1):
                _cell(sheet, row, i, value, line.unit, formats)
        row += 2
        row = _table(sheet, row, content.tables[0], formats)  # urgency, beside the figures
        signals = book.add_worksheet(SIGNALS)
        signals.set_column(0, 0, 22)
        signals.set_column(1, 1, 40)
        signals.set_column(2, 6, 16)
        signals.write_string(0, 0, f"Signalen, {content.subtitle}", formats["title"])
        row = 2
        if not content.signals:
            signals.write_string(row, 0, "Geen signalen in deze periode.")
            row += 1
        for text in content.signals:
            signals.write_string(row, 0, text)
            row += 1
        row += 1
        for table in content.tables[1:]:
            row = _table(signals, row, table, formats) + 1
    finally:
        book.close()
    return out.getvalue()


def _cell(sheet: Any, row: int, col: int, value: Any, unit: str, formats: dict[str, Any]) -> None:
    if value is None or isinstance(value, bool):
        sheet.write_string(row, col, "—")
    elif isinstance(value, int | float):
        # Shares are kept in percentage points (84.2); Excel's percentage format wants 0.842.
        number = value / 100 if unit == "%" else value
        sheet.write_number(row, col, number, formats.get(unit))
    else:
        sheet.write_string(row, col, str(value))


def _table(sheet: Any, row: int, table: Table, formats: dict[str, Any]) -> int:
    sheet.write_string(row, 0, table.title, formats["bold"])
    row += 1
    for i, name in enumerate(table.columns):
        sheet.write_string(row, i, name, formats["head"])
    if not table.rows:
        row += 1
        sheet.write_string(row, 0, table.empty)
    for values in table.rows:
        row += 1
        for i, value in enumerate(values):
            unit = table.units[i] if i < len(table.units) else "tekst"
            _cell(sheet, row, i, value, unit, formats)
    if table.note:
        row += 1
        sheet.write_string(row, 0, table.note)
    return row + 1
