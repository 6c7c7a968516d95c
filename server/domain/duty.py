"""Duty: when a technician can be sent. Weekly rosters expand into concrete shifts (working
hours, and piketdienst in the evenings, at weekends and on public holidays); `duty_windows`
joins the shifts an urgency may use into the windows ranking and slot search look in.

Plain data; every time is compared in UTC (aware datetimes that share a tzinfo compare by wall
clock, wrong across a DST change).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays


@dataclass(frozen=True)
class Shift:
    """A concrete interval on duty (aware datetimes). `on_call` marks piketdienst: called out
    for emergencies only (see `DispatchRules.on_call_urgencies`)."""

    start: datetime
    end: datetime
    on_call: bool = False


@dataclass(frozen=True)
class Roster:
    """A weekly pattern that `expand_roster` turns into shifts.

    `working_hours` maps a weekday (0 = Monday) to local intervals. Public holidays have no
    working hours. On-call covers the rest of a workday (`on_call_evenings`: evenings and
    nights), whole weekend days and whole public holidays, as set.
    """

    working_hours: Mapping[int, Sequence[tuple[time, time]]] = field(
        default_factory=lambda: {day: [(time(8), time(17))] for day in range(5)}
    )
    on_call_evenings: bool = False
    on_call_weekends: bool = False
    on_call_holidays: bool = False
    timezone: str = "Europe/Amsterdam"


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> dict[date, str]:
    # Copied into a plain dict once per year: the package's object grows on every lookup.
    return dict(holidays.country_holidays("NL", years=year, language="nl"))


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def expand_roster(roster: Roster, start: datetime, end: datetime) -> list[Shift]:
    """The roster's shifts overlapping [start, end), merged where they touch (so on-call from
    Friday 17:00 to Monday 08:00 is one shift), in UTC."""
    zone = ZoneInfo(roster.timezone)
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    pieces: list[Shift] = []
    for offset in range((last - first).days + 1):
        pieces.extend(_day_shifts(roster, first + timedelta(days=offset), zone))
    merged = _merge(sorted(pieces, key=lambda s: (s.start, s.on_call)))
    return [s for s in merged if s.end > start and s.start < end]


def _day_shifts(roster: Roster, day: date, zone: ZoneInfo) -> list[Shift]:
    def at(moment: time) -> datetime:
        return datetime.combine(day, moment, zone).astimezone(UTC)

    day_start = at(time(0))
    day_end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    if is_public_holiday(day):
        return [Shift(day_start, day_end, on_call=True)] if roster.on_call_holidays else []
    work = [Shift(at(a), at(b)) for a, b in sorted(roster.working_hours.get(day.weekday(), []))]
    weekend = day.weekday() >= 5
    if not (roster.on_call_weekends if weekend else roster.on_call_evenings):
        return work
    gaps, cursor = [], day_start
    for shift in work:
        if shift.start > cursor:
            gaps.append(Shift(cursor, shift.start, on_call=True))
        cursor = max(cursor, shift.end)
    if cursor < day_end:
        gaps.append(Shift(cursor, day_end, on_call=True))
    return work + gaps


def _merge(shifts: Iterable[Shift]) -> list[Shift]:
    """Join shifts of the same kind that overlap or touch."""
    result: list[Shift] = []
    for shift in shifts:
        if result and result[-1].on_call == shift.on_call and shift.start <= result[-1].end:
            last = result[-1]
            result[-1] = Shift(last.start, max(last.end, shift.end), last.on_call)
        else:
            result.append(shift)
    return result


class OnCallRules(Protocol):
    """What `duty_windows` needs of the dispatch rules: which urgencies call out piket."""

    @property
    def on_call_urgencies(self) -> frozenset[str]: ...


def duty_windows(shifts: Iterable[Shift], urgency: str, rules: OnCallRules) -> list[Shift]:
    """The shifts usable for this urgency, in UTC, joined where they touch whatever their kind;
    a joined window is `on_call` when its first part is."""
    usable = sorted(
        (
            Shift(s.start.astimezone(UTC), s.end.astimezone(UTC), s.on_call)
            for s in shifts
            if not s.on_call or urgency in rules.on_call_urgencies
        ),
        key=lambda s: s.start,
    )
    windows: list[Shift] = []
    for shift in usable:
        if windows and shift.start <= windows[-1].end:
            last = windows[-1]
            windows[-1] = Shift(last.start, max(last.end, shift.end), last.on_call)
        elif shift.end > shift.start:
            windows.append(shift)
    return windows


def on_call_at(shifts: Iterable[Shift], moment: datetime, window: Shift) -> bool:
    """Whether the shift he is on at `moment` is on-call (regular duty wins an overlap);
    `window` decides when no shift holds the moment."""
    kinds = {s.on_call for s in shifts if s.start <= moment < s.end}
    return kinds == {True} if kinds else window.on_call
