"""Numbers, dates and times as a Dutch reader expects them, from one module on Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from server.domain import dutch
from server.insight.export import write_table

# 14:39 UTC on 2 December is 15:39 in Amsterdam (winter time).
MOMENT = datetime(2026, 12, 2, 14, 39, tzinfo=UTC)


def test_numbers_and_shares() -> None:
    assert dutch.percent(84.2) == "84,2%"
    assert dutch.percent(84.0) == "84%"
    assert dutch.hours(3.78) == "3,78 uur"
    assert dutch.number(1234) == "1.234"
    assert dutch.number(2.5) == "2,5"
    assert dutch.number(5, 1, fixed=True) == "5,0"
    assert dutch.signed(1.5) == "+1,5" and dutch.signed(-2) == "-2" and dutch.signed(0) == "0"
    assert dutch.number(None) == "" and dutch.percent(None) == ""


def test_dates_and_times_in_amsterdam() -> None:
    assert dutch.day(MOMENT) == "02-12-2026"
    assert dutch.day(date(2026, 3, 4)) == "04-03-2026"
    assert dutch.moment(MOMENT) == "02-12-2026 15:39"
    assert dutch.day_moment(MOMENT) == "wo 02-12-2026 15:39"
    assert dutch.long_day(MOMENT) == "woensdag 2 december"
    assert dutch.short_moment(MOMENT, date(2026, 12, 2)) == "15:39"
    assert dutch.short_moment(MOMENT, date(2026, 12, 1)) == "wo 2 dec 15:39"
    # Summer time: 08:00 UTC on 1 July is 10:00 in Amsterdam.
    assert dutch.moment(datetime(2026, 7, 1, 8, tzinfo=UTC)) == "01-07-2026 10:00"


def test_by_unit_as_the_dashboard_writes_it() -> None:
    assert dutch.by_unit(84.2, "%") == "84,2%"
    assert dutch.by_unit(3.78, "uur") == "3,78 uur"
    assert dutch.by_unit(12345, "aantal") == "12.345"
    assert dutch.by_unit("2026-11-01", "datum") == "01-11-2026"
    assert dutch.by_unit(None, "%") == "—"
    assert dutch.by_unit("Cv-storing", "tekst") == "Cv-storing"


def test_sentences_end_in_one_full_stop() -> None:
    assert dutch.sentence("Afspraak met huurder bevestigd.") == "Afspraak met huurder bevestigd."
    assert dutch.sentence("Huurder gebeld") == "Huurder gebeld."
    assert dutch.sentence("Komt u?") == "Komt u?"
    assert dutch.clause("Gaslucht in de woning.") == "Gaslucht in de woning"
    assert dutch.clause("Wacht...") == "Wacht..."


def test_excel_tables_keep_numbers_dates_and_shares_typed(tmp_path: Path) -> None:
    path = tmp_path / "tabel.xlsx"
    write_table(
        ["Vanaf", "Meldingen", "Doorlooptijd", "Percentage"],
        [["2026-11-01", 1234, 3.78, 84.2]],
        "Meldingen",
        path,
        ["datum", "aantal", "uur", "%"],
    )
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[2]] == [datetime(2026, 11, 1), 1234, 3.78, pytest.approx(0.842)]
    assert [c.number_format for c in sheet[2]] == ["dd-mm-yyyy", "#,##0", "0.00", "0.0%"]
