"""When a client's office is open: office hours per weekday, closed on Dutch public holidays
and on the client's own closure days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import holidays

from server.triage.client_calendar import ClientCalendar

# Far enough to step over Christmas plus a weekend; an office closed longer counts as unreachable.
SEARCH_DAYS = 14


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[date, str]:
    # Built once per year and copied into a plain dict: the package's objects grow on lookup.
    return dict(holidays.country_holidays("NL", years=year, language="nl"))


def holiday_name(day: date) -> str | None:
    """The Dutch name of the public holiday on `day`, or None."""
    return _public_holidays(day.year).get(day)


def closed_reason(calendar: ClientCalendar, day: date) -> str | None:
    """Why the office is shut all day: a public holiday's name or the client's closure reason."""
    return holiday_name(day) or calendar.closure_days.get(day)


def opening_intervals(calendar: ClientCalendar, day: date) -> list[tuple[datetime, datetime]]:
    """The office's open intervals on a local calendar day, as aware datetimes in UTC."""
    if closed_reason(calendar, day) is not None:
        return []
    zone = calendar.zone
    return [
        (
            datetime.combine(day, start, zone).astimezone(UTC),
            datetime.combine(day, end, zone).astimezone(UTC),
        )
        for start, end in calendar.office_hours.get(day.weekday(), [])
    ]


def next_opening(calendar: ClientCalendar, at: datetime) -> datetime | None:
    """The first moment at or after `at` that the office is open (`at` itself when open now).

    Comparisons are made in UTC: aware datetimes sharing one tzinfo compare by wall clock,
    which is wrong across a daylight-saving change.
    """
    moment = at.astimezone(UTC)
    first_day = at.astimezone(calendar.zone).date()
    for offset in range(SEARCH_DAYS + 1):
        for start, end in opening_intervals(calendar, first_day + timedelta(days=offset)):
            if end > moment:
                return max(start, moment).astimezone(calendar.zone)
    return None


def open_until(calendar: ClientCalendar, at: datetime) -> datetime | None:
    """When the office closes if it is open at `at`, else None."""
    moment = at.astimezone(UTC)
    for start, end in opening_intervals(calendar, at.astimezone(calendar.zone).date()):
        if start <= moment < end:
            return end.astimezone(calendar.zone)
    return None


def closure_days_between(calendar: ClientCalendar, at: datetime, until: datetime) -> list[str]:
    """Reasons of the client's own closure days from `at` up to and including `until`."""
    return [
        reason
        for day in _local_days(calendar, at, until)
        if holiday_name(day) is None and (reason := calendar.closure_days.get(day)) is not None
    ]


def _local_days(calendar: ClientCalendar, at: datetime, until: datetime) -> list[date]:
    first = at.astimezone(calendar.zone).date()
    last = until.astimezone(calendar.zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def holidays_between(calendar: ClientCalendar, at: datetime, until: datetime) -> list[str]:
    """Names of the public holidays on the local days from `at` up to and including `until`."""
    return [
        name for day in _local_days(calendar, at, until) if (name := holiday_name(day)) is not None
    ]
