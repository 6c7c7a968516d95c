"""Excel exports in constant memory: rows read from the database in keyset pages and written
one by one with XlsxWriter's constant_memory mode, so 100,000 dossiers cost no more memory
than 100. Dates are real Excel dates (local time), numbers real numbers, the header row is
frozen and carries an autofilter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from tortoise.queryset import QuerySet

from server.domain import codes, kpis
from server.domain.errors import Unprocessable
from server.domain.lifecycle import PHASE_LABELS
from server.models import Dossier

PAGE = 2000


@dataclass(frozen=True)
class Column:
    header: str
    source: str  # a field for QuerySet.values(), joins with __
    kind: str = "text"  # text, datetime, int, hours
    label: Callable[[Any], Any] | None = None
    width: int = 16


def _labels(table: dict[str, str]) -> Callable[[Any], Any]:
    return lambda v: table.get(v, v) if v else ""


COLUMNS: dict[str, Column] = {
    "ordernummer": Column("Ordernummer", "order_number", width=16),
    "opdrachtgever": Column("Opdrachtgever", "client__name", width=22),
    "gemeld": Column("Gemeld", "created_at", "datetime"),
    "eerste_contact": Column("Eerste contact", "first_contact_at", "datetime"),
    "gesloten": Column("Gesloten", "closed_at", "datetime"),
    "doorlooptijd": Column("Doorlooptijd (uur)", "closed_at", "hours", width=12),
    "fase": Column("Fase", "phase", label=_labels(PHASE_LABELS)),
    "kanaal": Column("Kanaal", "channel", label=_labels(codes.CHANNEL_LABELS), width=10),
    "categorie": Column("Categorie", "category", label=_labels(codes.CATEGORY_LABELS), width=22),
    "urgentie": Column("Urgentie", "urgency", label=_labels(codes.URGENCY_LABELS), width=11),
    "vakdiscipline": Column("Vakdiscipline", "trade", label=_labels(codes.TRADE_LABELS)),
    "ordersoort": Column("Ordersoort", "order_type", label=_labels(codes.ORDER_TYPE_LABELS)),
    "resultaat": Column("Resultaat", "result_code", label=_labels(codes.RESULT_LABELS), width=24),
    "monteur": Column("Monteur", "technician__name", width=18),
    "aannemer": Column("Aannemer", "contractor__name", width=18),
    "straat": Column("Straat", "street", width=20),
    "huisnummer": Column("Huisnummer", "house_number", "int", width=10),
    "toevoeging": Column("Toevoeging", "suffix", width=8),
    "postcode": Column("Postcode", "postcode", width=9),
    "plaats": Column("Plaats", "city"),
    "melder": Column("Melder", "contact_name", width=20),
    "omschrijving": Column("Omschrijving", "description", width=40),
    "arbeidstijd": Column("Verwachte arbeidstijd (min)", "labour_minutes", "int", width=12),
    "afspraak": Column("Afspraak", "appointment_start", "datetime"),
    "uiterlijk": Column("Uiterlijk", "deadline_at", "datetime"),
}
RENAMED = {"deadline": "uiterlijk"}
DEFAULT_COLUMNS = (
    "ordernummer",
    "opdrachtgever",
    "gemeld",
    "gesloten",
    "doorlooptijd",
    "kanaal",
    "categorie",
    "urgentie",
    "resultaat",
    "monteur",
    "postcode",
    "plaats",
)


def pick(names: Sequence[str]) -> list[str]:
    """The user's chosen columns in the order given; unknown names are refused by name."""
    # "deadline" was the column's name before it read "Uiterlijk" like the rest of the product.
    chosen = [RENAMED.get(n, n) for n in names if n] or list(DEFAULT_COLUMNS)
    for name in chosen:
        if name not in COLUMNS:
            raise Unprocessable(f"Onbekende kolom '{name}'.", "kolom")
    return list(dict.fromkeys(chosen))


async def _pages(qs: QuerySet[Dossier], sources: list[str]) -> AsyncIterator[list[dict[str, Any]]]:
    """Keyset pages by id: each page is one indexed query, memory stays at PAGE rows."""
    last = 0
    fields = list(dict.fromkeys(["id", "created_at", *sources]))
    while True:
        page = await qs.filter(id__gt=last).order_by("id").limit(PAGE).values(*fields)
        if not page:
            return
        yield page
        last = page[-1]["id"]


def _local(value: datetime | None) -> datetime | None:
    return value.astimezone(kpis.TZ).replace(tzinfo=None) if value else None


async def write(qs: QuerySet[Dossier], names: list[str], path: Path) -> int:
    """Write the filtered dossiers to `path` (.xlsx); returns the number of rows."""
    cols = [COLUMNS[n] for n in names]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        sheet = book.add_worksheet("Dossiers")
        header = book.add_format({"bold": True, "bg_color": "#EEF1F5", "bottom": 1})
        when = book.add_format({"num_format": "dd-mm-yyyy hh:mm"})
        hours = book.add_format({"num_format": "0.0"})
        for i, col in enumerate(cols):
            sheet.set_column(i, i, col.width)
        sheet.freeze_panes(1, 0)
        for i, col in enumerate(cols):
            sheet.write_string(0, i, col.header, header)
        row = 0
        async for page in _pages(qs, [c.source for c in cols]):
            for record in page:
                row += 1
                for i, col in enumerate(cols):
                    _cell(sheet, row, i, col, record, when, hours)
        sheet.autofilter(0, 0, max(row, 1), len(cols) - 1)
    finally:
        book.close()
    return row


def _cell(
    sheet: Any, row: int, i: int, col: Column, record: dict[str, Any], when: Any, hours: Any
) -> None:
    value = record.get(col.source)
    if col.kind == "hours":
        if value is not None:
            sheet.write_number(row, i, (value - record["created_at"]).total_seconds() / 3600, hours)
    elif col.kind == "datetime":
        if value is not None:
            sheet.write_datetime(row, i, _local(value), when)
    elif col.kind == "int":
        if value is not None:
            sheet.write_number(row, i, value)
    else:
        text = col.label(value) if col.label else value
        if text:
            sheet.write_string(row, i, str(text))


# Excel number formats per unit (dutch.UNITS). Excel shows them with the reader's own
# separators, so a Dutch Excel reads 84,2% and 3,78; dates are real dates, dd-mm-jjjj.
EXCEL_FORMATS = {
    "aantal": "#,##0",
    "%": "0.0%",
    "uur": "0.00",
    "score": "0.00",
    "datum": "dd-mm-yyyy",
}


def write_table(
    columns: list[str],
    rows: list[list[Any]],
    title: str,
    path: Path,
    units: list[str] | None = None,
) -> None:
    """A dashboard chart's numbers as a small sheet: numbers stay numbers, percentages become
    Excel percentages, dates real dates (`units` per column, dutch.UNITS)."""
    units = units or []
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = book.add_worksheet(title[:31].replace("/", "-") or "Grafiek")
        bold = book.add_format({"bold": True})
        formats = {unit: book.add_format({"num_format": f}) for unit, f in EXCEL_FORMATS.items()}
        sheet.freeze_panes(1, 0)
        for i, name in enumerate(columns):
            sheet.set_column(i, i, 16)
            sheet.write_string(0, i, name, bold)
        for r, values in enumerate(rows, start=1):
            for i, value in enumerate(values):
                unit = units[i] if i < len(units) else ""
                _table_cell(sheet, r, i, value, unit, formats.get(unit))
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    finally:
        book.close()


def _table_cell(sheet: Any, row: int, col: int, value: Any, unit: str, fmt: Any) -> None:
    if isinstance(value, bool) or value is None:
        return
    if unit == "datum":
        sheet.write_datetime(row, col, datetime.fromisoformat(str(value)[:10]), fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value / 100 if unit == "%" else value, fmt)
    else:
        sheet.write_string(row, col, str(value))
