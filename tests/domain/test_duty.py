"""Duty: rosters expanded into shifts (on-call, public holidays, DST) and the windows an
urgency may use."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.domain.dispatch import DEFAULT_RULES
from server.domain.duty import Roster, Shift, duty_windows, expand_roster, on_call_at

AMS = ZoneInfo("Europe/Amsterdam")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=AMS)


def local(shifts: list[Shift]) -> list[tuple[str, str, bool]]:
    return [
        (
            f"{s.start.astimezone(AMS):%a %d %H:%M}",
            f"{s.end.astimezone(AMS):%a %d %H:%M}",
            s.on_call,
        )
        for s in shifts
    ]


def test_roster_with_evening_and_weekend_on_call() -> None:
    roster = Roster(on_call_evenings=True, on_call_weekends=True)
    shifts = expand_roster(roster, at(27, 0), at(30, 23))
    assert local(shifts) == [
        ("Thu 26 17:00", "Fri 27 08:00", True),
        ("Fri 27 08:00", "Fri 27 17:00", False),
        ("Fri 27 17:00", "Mon 30 08:00", True),
        ("Mon 30 08:00", "Mon 30 17:00", False),
        ("Mon 30 17:00", "Tue 01 08:00", True),
    ]


def test_public_holiday_has_no_working_hours_and_on_call_only_if_set() -> None:
    # Christmas 2026: Friday 25 and Saturday 26 December.
    start = datetime(2026, 12, 24, 12, tzinfo=AMS)
    end = datetime(2026, 12, 28, 12, tzinfo=AMS)
    plain = expand_roster(Roster(), start, end)
    assert local(plain) == [
        ("Thu 24 08:00", "Thu 24 17:00", False),
        ("Mon 28 08:00", "Mon 28 17:00", False),
    ]
    holidays_only = expand_roster(Roster(on_call_holidays=True), start, end)
    assert ("Fri 25 00:00", "Sun 27 00:00", True) in local(holidays_only)


def test_roster_across_the_change_to_winter_time() -> None:
    # 25 October 2026: clocks go back at 03:00, so Saturday 00:00 to Sunday 09:00 is 34 hours.
    start = datetime(2026, 10, 24, 0, tzinfo=AMS)
    shifts = expand_roster(
        Roster(working_hours={6: [(time(9), time(17))]}, on_call_weekends=True),
        start,
        start + timedelta(days=2),
    )
    night = shifts[0]
    assert local(shifts) == [
        ("Sat 24 00:00", "Sun 25 09:00", True),
        ("Sun 25 09:00", "Sun 25 17:00", False),
        ("Sun 25 17:00", "Mon 26 00:00", True),
    ]
    assert night.end - night.start == timedelta(hours=34)


def test_on_call_counts_only_for_acuut_and_joins_regular_duty() -> None:
    # Thursday's day shift, then piket from 17:00 to Friday 08:00, then Friday's day shift.
    shifts = expand_roster(Roster(on_call_evenings=True), at(26, 12), at(27, 12))
    urgent = duty_windows(shifts, "urgent", DEFAULT_RULES)
    assert [(w.start, w.end) for w in urgent] == [(at(26, 8), at(26, 17)), (at(27, 8), at(27, 17))]
    [acute] = duty_windows(shifts, "acuut", DEFAULT_RULES)
    assert (acute.start, acute.end, acute.on_call) == (at(26, 8), at(27, 17), False)
    assert on_call_at(shifts, at(26, 20), acute) is True
    assert on_call_at(shifts, at(27, 9), acute) is False


def test_empty_and_overlapping_shifts_make_one_window() -> None:
    shifts = [
        Shift(at(24, 8), at(24, 8)),
        Shift(at(24, 9), at(24, 12)),
        Shift(at(24, 11), at(24, 14)),
    ]
    windows = duty_windows(shifts, "urgent", DEFAULT_RULES)
    assert [(w.start, w.end) for w in windows] == [(at(24, 9), at(24, 14))]
