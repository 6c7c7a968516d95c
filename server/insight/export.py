"""Excel exports in constant memory: rows read from the database in keyset pages and written
as they come, so 100,000 dossiers cost no more memory than 100. Dates are real Excel dates
(local time), numbers real numbers, the header row is frozen and carries an autofilter.

The dossier export writes with rustpy-xlsxwriter (Rust's rust_xlsxwriter; about five times
less CPU than XlsxWriter, docs/performance.md "Export") when it is installed, streaming in
its constant-memory mode; otherwise, and for an export without rows (it would write no
header), with XlsxWriter's constant_memory mode. Both give the same cells.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import xlsxwriter
from tortoise.queryset import QuerySet

from server.domain import codes, kpis
from server.domain.errors import Unprocessable
from server.domain.lifecycle import PHASE_LABELS
from server.models import Dossier

native: ModuleType | None
try:
    import rustpy_xlsxwriter as native
except ImportError:  # pragma: no cover - the wheel is a dependency; XlsxWriter stands in
    native = None

PAGE = 2000
# Excel keeps at most this many characters in a cell (XlsxWriter cuts longer text too).
CELL_MAX = 32767
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
HOURS_FORMAT = "0.0"


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


def native_available() -> bool:
    return native is not None


async def write(
    qs: QuerySet[Dossier], names: list[str], path: Path, *, fast: bool | None = None
) -> int:
    """Write the filtered dossiers to `path` (.xlsx); returns the number of rows. `fast`:
    with rustpy-xlsxwriter (default: when installed), else with XlsxWriter."""
    cols = [COLUMNS[n] for n in names]
    pages = _pages(qs, [c.source for c in cols])
    first: list[dict[str, Any]] = await anext(pages, [])
    if (native_available() if fast is None else fast) and first:
        return await _write_native(cols, first, pages, path)
    return await _write_xlsxwriter(cols, first, pages, path)


async def _write_xlsxwriter(
    cols: list[Column],
    first: list[dict[str, Any]],
    pages: AsyncIterator[list[dict[str, Any]]],
    path: Path,
) -> int:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        sheet = book.add_worksheet("Dossiers")
        header = book.add_format({"bold": True, "bg_color": "#EEF1F5", "bottom": 1})
        when = book.add_format({"num_format": DATETIME_FORMAT})
        hours = book.add_format({"num_format": HOURS_FORMAT})
        for i, col in enumerate(cols):
            sheet.set_column(i, i, col.width)
        sheet.freeze_panes(1, 0)
        for i, col in enumerate(cols):
            sheet.write_string(0, i, col.header, header)
        row = 0
        page = first
        while page:
            for record in page:
                row += 1
                for i, col in enumerate(cols):
                    _cell(sheet, row, i, col, record, when, hours)
            page = await anext(pages, [])
        sheet.autofilter(0, 0, max(row, 1), len(cols) - 1)
    finally:
        book.close()
    return row


async def _write_native(
    cols: list[Column],
    first: list[dict[str, Any]],
    pages: AsyncIterator[list[dict[str, Any]]],
    path: Path,
) -> int:
    """The writer runs in a thread and pulls its rows from a generator there, which asks
    the event loop for each next page: one page in memory at a time."""
    assert native is not None
    loop = asyncio.get_running_loop()
    count = 0

    headers = [col.header for col in cols]
    converters = [_converter(col) for col in cols]

    def records() -> Iterator[dict[str, Any]]:
        nonlocal count
        page = first
        while page:
            count += len(page)
            for record in page:
                yield dict(zip(headers, [f(record) for f in converters], strict=True))
            page = asyncio.run_coroutine_threadsafe(_next(pages), loop).result()

    def save() -> None:
        when = native.Format().set_num_format(DATETIME_FORMAT)
        formats = {
            c.header: (
                when if c.kind == "datetime" else native.Format().set_num_format(HOURS_FORMAT)
            )
            for c in cols
            if c.kind in ("datetime", "hours")
        }
        native.write_worksheet(
            records(),
            str(path),
            sheet_name="Dossiers",
            freeze_row=1,
            freeze_col=0,
            datetime_format=DATETIME_FORMAT,
            column_widths=[float(c.width) for c in cols],
            column_formats=formats,
            header_format=native.Format()
            .set_bold()
            .set_background_color("#EEF1F5")
            .set_border_bottom("thin"),
            autofilter=True,
        )

    await asyncio.to_thread(save)
    return count


async def _next(pages: AsyncIterator[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return await anext(pages, [])


def _converter(col: Column) -> Callable[[dict[str, Any]], Any]:
    """A cell for the native writer from a row, as `_cell` writes it (None leaves it empty);
    one function per column, chosen once, as 2.5 million cells go through them."""
    source, label = col.source, col.label
    if col.kind == "hours":
        return lambda r: (
            None if r.get(source) is None else (r[source] - r["created_at"]).total_seconds() / 3600
        )
    if col.kind == "datetime":
        return lambda r: _local(r.get(source))
    if col.kind == "int":
        return lambda r: r.get(source)
    if label is not None:
        return lambda r: str(text)[:CELL_MAX] if (text := label(r.get(source))) else None
    return lambda r: str(value)[:CELL_MAX] if (value := r.get(source)) else None


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
