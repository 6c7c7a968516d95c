"""Both Excel writers of the dossier export give the same workbook: the fast native one
(rustpy-xlsxwriter) and XlsxWriter, which stands in when the native one is not installed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from server.insight import export
from server.models import Dossier
from tests.support import world

pytestmark = pytest.mark.skipif(not export.native_available(), reason="rustpy-xlsxwriter")


async def _dossiers() -> None:
    built = await world.build()
    await Dossier.create(
        order_number="MK-2025-000001",
        client=built.woonstad,
        created_at=datetime(2025, 3, 24, 9, 15, tzinfo=UTC),
        closed_at=datetime(2025, 3, 24, 12, 45, tzinfo=UTC),
        channel="telefoon",
        category="cv_storing",
        house_number=10,
        postcode="3571AB",
        # Text that looks like a formula or a number stays text; the tail beyond Excel's
        # limit is cut as XlsxWriter cuts it; a control character survives the trip.
        description="=SUM(A1:A9) " + "x" * 40_000,
        contact_name="00123",
        city="Zeist\x01",
        technician=built.technician,
    )
    # Nothing filled in but what must be: empty cells, not zeroes or empty strings.
    await Dossier.create(
        order_number="MK-2025-000002",
        client=built.woonstad,
        created_at=datetime(2025, 7, 1, 22, 30, tzinfo=UTC),
        channel="telefoon",
        category="",
    )


def _cells(path: Path) -> tuple[Any, ...]:
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = [
        tuple((c.value, c.data_type, c.number_format if c.value is not None else "") for c in row)
        for row in sheet.iter_rows()
    ]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    return sheet.title, sheet.freeze_panes, sheet.auto_filter.ref, widths, rows


async def test_native_writer_gives_the_cells_xlsxwriter_gives(
    db_clean: None, tmp_path: Path
) -> None:
    await _dossiers()
    names = list(export.COLUMNS)
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    assert await export.write(Dossier.all(), names, fast, fast=True) == 2
    assert await export.write(Dossier.all(), names, slow, fast=False) == 2
    assert _cells(fast) == _cells(slow)
    title, freeze, _, _, rows = _cells(fast)
    assert (title, freeze) == ("Dossiers", "A2")
    header = dict(zip([v for v, _, _ in rows[0]], rows[1], strict=True))
    assert header["Gemeld"] == (datetime(2025, 3, 24, 10, 15), "d", "dd-mm-yyyy hh:mm")
    assert header["Doorlooptijd (uur)"] == (3.5, "n", "0.0")
    assert header["Huisnummer"][:2] == (10, "n")
    assert header["Melder"][:2] == ("00123", "s")
    assert header["Omschrijving"][0].startswith("=SUM(A1:A9) xxx")
    assert len(header["Omschrijving"][0]) == export.CELL_MAX
    empty = dict(zip([v for v, _, _ in rows[0]], rows[2], strict=True))
    assert empty["Gesloten"][0] is None and empty["Huisnummer"][0] is None
    assert empty["Melder"][0] is None


async def test_an_export_without_rows_still_has_its_header(db_clean: None, tmp_path: Path) -> None:
    path = tmp_path / "none.xlsx"
    assert await export.write(Dossier.all(), ["ordernummer", "gemeld"], path, fast=True) == 0
    _, _, _, _, rows = _cells(path)
    assert [v for v, _, _ in rows[0]] == ["Ordernummer", "Gemeld"]
