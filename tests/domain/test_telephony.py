"""The telephony figures' definitions and the monthly report's day, without a database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from server.domain import telephony
from server.domain.errors import Unprocessable
from server.domain.kpis import Grain
from server.domain.telephony import Counts, rollup
from server.triage.office import holiday_name


def is_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def test_service_level_is_answered_within_30s_of_all_offered() -> None:
    c = Counts(offered=10, answered=8, within=7, abandoned=2, wait_sum=120, talk_sum=800,
               handling_sum=1000)  # fmt: skip
    assert c.service_level == 70.0
    assert c.abandon_rate == 20.0
    assert (c.average_wait, c.average_talk, c.average_handling) == (15.0, 100.0, 125.0)
    assert Counts().service_level is None
    assert Counts(offered=3).average_wait is None


def test_rollup_gives_grid_per_hour_and_series() -> None:
    monday_9 = datetime(2026, 11, 16, 9)
    hours = [
        (monday_9, Counts(offered=5, answered=4, within=3)),
        (datetime(2026, 11, 17, 9), Counts(offered=2, answered=2, within=2)),
        (datetime(2026, 11, 22, 23), Counts(offered=1, abandoned=1)),  # Sunday
        (datetime(2026, 11, 23, 8), Counts(offered=1, answered=1, within=1)),  # next week
    ]
    r = rollup(hours, Grain.WEEK)
    assert r.total.offered == 9 and r.total.within == 6
    assert r.grid.offered[0][9] == 5 and r.grid.offered[1][9] == 2 and r.grid.offered[6][23] == 1
    assert r.grid.answered[0][9] == 4
    assert r.grid.per_hour()[9] == (9, 7, 6)
    assert [(d.isoformat(), n.offered) for d, n in r.series.items()] == [
        ("2026-11-16", 8),
        ("2026-11-23", 1),
    ]
    monthly = rollup(hours, Grain.MAAND)
    assert list(monthly.series) == [date(2026, 11, 1)]


def test_norm_from_settings_with_default() -> None:
    assert telephony.norm_of({}) == 80
    assert telephony.norm_of({"service_level_norm": 90}) == 90
    assert telephony.norm_of({"service_level_norm": "90"}) == 80  # only as stored by us
    assert telephony.checked_norm(" 85% ") == 85
    assert telephony.checked_norm("") is None
    for bad in ("0", "101", "tachtig", "８０", "80.5"):
        with pytest.raises(Unprocessable, match="percentage van 1 tot en met 100"):
            telephony.checked_norm(bad)


def test_period_of_the_api() -> None:
    p = telephony.period("2026-11-01", "2026-11-30")
    assert (p.first, p.last, p.days) == (date(2026, 11, 1), date(2026, 11, 30), 30)
    with pytest.raises(Unprocessable, match="ligt voor de begindatum") as exc:
        telephony.period("2026-11-30", "2026-11-01")
    assert exc.value.field == "to"
    with pytest.raises(Unprocessable, match="hoogstens 400 dagen"):
        telephony.period("2025-01-01", "2026-11-30")
    for bad in ("", "2026-13-01", "1-11-2026", "２０２６-11-01", "2026-11-01T00:00"):
        with pytest.raises(Unprocessable) as exc:
            telephony.period(bad, "2026-11-30")
        assert exc.value.field == "from"


def test_first_working_day_skips_weekends_and_dutch_holidays() -> None:
    # 1 January 2027 is a Friday and Nieuwjaarsdag: Monday the 4th.
    assert telephony.first_working_day(2027, 1, is_holiday) == date(2027, 1, 4)
    # 1 November 2026 is a Sunday.
    assert telephony.first_working_day(2026, 11, is_holiday) == date(2026, 11, 2)
    # 1 December 2026 is a Tuesday.
    assert telephony.first_working_day(2026, 12, is_holiday) == date(2026, 12, 1)
    # Easter Monday 2027 is 29 March; 1 April 2027 is a Thursday, no holiday.
    assert telephony.first_working_day(2027, 4, is_holiday) == date(2027, 4, 1)
    # 2 January 2028 is a Sunday, 1 January a Saturday (and a holiday): Monday the 3rd.
    assert telephony.first_working_day(2028, 1, is_holiday) == date(2028, 1, 3)


def test_report_is_due_from_the_first_working_day_for_the_month_before() -> None:
    assert telephony.report_due(date(2027, 1, 1), is_holiday) is None
    assert telephony.report_due(date(2027, 1, 3), is_holiday) is None
    due = telephony.report_due(date(2027, 1, 4), is_holiday)
    assert due is not None and (due.first, due.last) == (date(2026, 12, 1), date(2026, 12, 31))
    later = telephony.report_due(date(2027, 1, 20), is_holiday)
    assert later == due  # catching up later in the month: the same month
    assert telephony.month_label(due) == "december 2026"
