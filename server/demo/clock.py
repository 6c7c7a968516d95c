"""Time helpers for the demo history: Dutch working days and appointment slots.

Arithmetic is done in UTC (no surprises around the change to and from summer time); hours
of the day are judged in Europe/Amsterdam.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server import settings
from server.triage.office import holiday_name

TZ = ZoneInfo(settings.TIMEZONE)
OFFICE_OPEN, OFFICE_CLOSE = 8, 17


def local(at: datetime) -> datetime:
    return at.astimezone(TZ)


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock moment in Amsterdam (minutes may run past the hour), as UTC."""
    hour, minute = hour + minute // 60, minute % 60
    return datetime.combine(day, time(hour, minute), TZ).astimezone(UTC)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def in_office_hours(at: datetime) -> bool:
    moment = local(at)
    return is_working_day(moment.date()) and OFFICE_OPEN <= moment.hour < OFFICE_CLOSE


def working_day_after(day: date, days: int = 1) -> date:
    """The `days`-th working day after `day`."""
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day


def next_office_moment(rng: random.Random, after: datetime, within_minutes: int = 90) -> datetime:
    """When the desk picks up non-urgent work: now if the office is open, else next morning."""
    if in_office_hours(after):
        return after + timedelta(minutes=rng.randint(5, within_minutes))
    day = local(after).date()
    if local(after).hour >= OFFICE_OPEN or not is_working_day(day):
        day = working_day_after(day)
    return at_local(day, OFFICE_OPEN, rng.randint(0, 75))


def slot(rng: random.Random, earliest: datetime, saturday: bool = False) -> datetime:
    """A half-hour appointment slot in working hours (07:30-16:00) at or after `earliest`."""
    moment = local(earliest)
    day = moment.date()
    start = moment.hour * 60 + moment.minute
    while True:
        open_day = is_working_day(day) or (saturday and day.weekday() == 5)
        first, last = (7 * 60 + 30, 16 * 60) if day.weekday() < 5 else (9 * 60, 12 * 60)
        if open_day and start <= last:
            begin = max(first, ((start + 29) // 30) * 30)
            choices = list(range(begin, last + 1, 30))
            minutes = choices[min(len(choices) - 1, int(rng.expovariate(0.6)))]
            return at_local(day, minutes // 60, minutes % 60)
        day += timedelta(days=1)
        start = 0
