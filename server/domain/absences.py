"""Absences: whole days a technician is away (verlof, ziek, cursus), on-call duty included.

Days are local (Europe/Amsterdam): an absence from Monday to Wednesday takes out every shift
between Monday 00:00 and Thursday 00:00 local time, and cuts a shift that runs across either
edge. Nobody takes over his on-call duty automatically; `rota_holes` finds the times when an
absence leaves a trade with nobody on duty or on call, so the board can warn about them.
Appointments he already has stay booked; `absence_during` finds those that fall in an absence,
so the desk can move them or give them to someone else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.domain.dispatch import ZONE
from server.domain.duty import Shift

ABSENCE_KINDS = {"verlof": "Verlof", "ziek": "Ziek", "cursus": "Cursus"}
# An absence longer than this is almost certainly a typing error in a year.
MAX_DAYS = 366


@dataclass(frozen=True)
class Absence:
    starts_on: date
    ends_on: date  # inclusive
    kind: str = "verlof"

    def span(self, zone: ZoneInfo = ZONE) -> tuple[datetime, datetime]:
        """From local midnight of the first day to local midnight after the last, in UTC."""
        start = datetime.combine(self.starts_on, time(0), zone)
        end = datetime.combine(self.ends_on + timedelta(days=1), time(0), zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def check(starts_on: date, ends_on: date, kind: str) -> list[tuple[str, str]]:
    """What is wrong with an absence as entered: (field, Dutch message) pairs."""
    problems = []
    if kind not in ABSENCE_KINDS:
        known = ", ".join(ABSENCE_KINDS)
        problems.append(("kind", f"Onbekende soort afwezigheid '{kind}' (kies uit {known})."))
    if ends_on < starts_on:
        problems.append(("ends_on", f"De einddatum {ends_on:%d-%m-%Y} ligt voor de begindatum."))
    elif (ends_on - starts_on).days >= MAX_DAYS:
        problems.append(("ends_on", f"Een afwezigheid duurt hoogstens {MAX_DAYS} dagen."))
    return problems


def without_absences(
    shifts: Iterable[Shift], absences: Sequence[Absence], zone: ZoneInfo = ZONE
) -> list[Shift]:
    """The shifts with every absent day taken out."""
    result = list(shifts)
    for absence in absences:
        gone_from, gone_until = absence.span(zone)
        kept: list[Shift] = []
        for s in result:
            if s.end <= gone_from or s.start >= gone_until:
                kept.append(s)
                continue
            if s.start < gone_from:
                kept.append(Shift(s.start, gone_from, s.on_call))
            if s.end > gone_until:
                kept.append(Shift(gone_until, s.end, s.on_call))
        result = kept
    return result


def absence_during(
    absences: Iterable[Absence], start: datetime, end: datetime | None, zone: ZoneInfo = ZONE
) -> Absence | None:
    """The first absence that an appointment from `start` to `end` falls in, even partly;
    without an end (or an end not after the start) the appointment is the moment `start`."""
    for absence in absences:
        gone_from, gone_until = absence.span(zone)
        if end is None or end <= start:
            if gone_from <= start < gone_until:
                return absence
        elif start < gone_until and end > gone_from:
            return absence
    return None


def absent_at(absences: Iterable[Absence], moment: datetime, zone: ZoneInfo = ZONE) -> bool:
    day = moment.astimezone(zone).date()
    return any(a.starts_on <= day <= a.ends_on for a in absences)


@dataclass(frozen=True)
class RotaMember:
    """One technician for `rota_holes`: his shifts as rostered and as they are after his
    absences."""

    name: str
    trades: frozenset[str]
    planned: tuple[Shift, ...]
    actual: tuple[Shift, ...]


@dataclass(frozen=True)
class Hole:
    """A time when the roster had someone of `trade` on duty or on call and, because of
    absences, nobody is; `absent` names whose duty it was."""

    trade: str
    start: datetime
    end: datetime
    absent: tuple[str, ...]


def rota_holes(members: Iterable[RotaMember], start: datetime, end: datetime) -> list[Hole]:
    """Holes per trade in [start, end), by start then trade."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    members = list(members)
    holes: list[Hole] = []
    for trade in sorted({t for m in members for t in m.trades}):
        crew = [m for m in members if trade in m.trades]
        planned = _union((s.start, s.end) for m in crew for s in m.planned)
        actual = _union((s.start, s.end) for m in crew for s in m.actual)
        for gap_start, gap_end in _minus(planned, actual):
            gap_start, gap_end = max(gap_start, start), min(gap_end, end)
            if gap_end <= gap_start:
                continue
            absent = tuple(
                sorted(
                    m.name
                    for m in crew
                    if m.planned != m.actual
                    and any(s.start < gap_end and s.end > gap_start for s in m.planned)
                )
            )
            holes.append(Hole(trade, gap_start, gap_end, absent))
    holes.sort(key=lambda h: (h.start, h.trade))
    return holes


Span = tuple[datetime, datetime]


def _union(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        elif b > a:
            merged.append((a, b))
    return merged


def _minus(spans: list[Span], taken: list[Span]) -> list[Span]:
    """The parts of `spans` not covered by `taken` (both sorted and disjoint)."""
    result: list[Span] = []
    for a, b in spans:
        cursor = a
        for c, d in taken:
            if d <= cursor or c >= b:
                continue
            if c > cursor:
                result.append((cursor, c))
            cursor = max(cursor, d)
        if cursor < b:
            result.append((cursor, b))
    return result
