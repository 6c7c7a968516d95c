"""Which appointments fall in an absence: whole local days, edges and appointments without end."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.absences import Absence, absence_during

AMS = ZoneInfo("Europe/Amsterdam")
# Wednesday 25 to Thursday 26 November 2026, both whole days.
AWAY = Absence(date(2026, 11, 25), date(2026, 11, 26), "verlof")
OTHER = Absence(date(2026, 12, 1), date(2026, 12, 1), "ziek")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=AMS)


def test_an_appointment_inside_or_across_an_edge_falls_in_it() -> None:
    hour = timedelta(hours=1)
    assert absence_during([OTHER, AWAY], at(25, 9), at(25, 10)) == AWAY
    assert absence_during([AWAY], at(24, 23, 30), at(25, 0, 30)) == AWAY  # into the first day
    assert absence_during([AWAY], at(26, 23), at(26, 23) + hour) == AWAY  # out of the last
    assert absence_during([AWAY], at(24, 16), at(24, 17)) is None
    assert absence_during([AWAY], at(24, 23), at(25, 0)) is None  # ends as the absence begins
    assert absence_during([AWAY], at(27, 0), at(27, 1)) is None  # Friday: back at work
    assert absence_during([], at(25, 9), at(25, 10)) is None


def test_without_an_end_the_start_decides() -> None:
    assert absence_during([AWAY], at(25, 0), None) == AWAY
    assert absence_during([AWAY], at(26, 23, 59), at(26, 23, 59)) == AWAY
    assert absence_during([AWAY], at(27, 0), None) is None


def test_days_are_local_also_across_the_change_to_winter_time() -> None:
    # Sunday 25 October 2026 has 25 hours; 23:30 local is 22:30 UTC, still that Sunday.
    sunday = Absence(date(2026, 10, 25), date(2026, 10, 25))
    late = datetime(2026, 10, 25, 23, 30, tzinfo=AMS)
    assert absence_during([sunday], late, late + timedelta(minutes=20)) == sunday
    monday = datetime(2026, 10, 26, 0, 0, tzinfo=AMS)
    assert absence_during([sunday], monday, monday + timedelta(hours=1)) is None
