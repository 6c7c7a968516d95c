"""A client's office hours and heating season: the inputs of the time-dependent conditions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from server.triage.errors import TriageError

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HEATING_SEASON = {"start": "10-01", "end": "04-30"}
# 24:00 closes a day that is open until midnight; time() cannot hold it.
END_OF_DAY = time.max

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _default_office_hours() -> dict[int, list[tuple[time, time]]]:
    return {day: [(time(8), time(17))] for day in range(5)}


@dataclass(frozen=True)
class ClientCalendar:
    """Office hours per weekday (0 = Monday; a missing day is closed), heating season as MM-DD.

    The heating season may wrap the year end (10-01 .. 04-30). Dutch public holidays come from
    the `holidays` package and close the office all day; so do the client's own closure days
    (a bridge day, a company outing), each with the reason the desk reads back.
    """

    office_hours: dict[int, list[tuple[time, time]]] = field(default_factory=_default_office_hours)
    heating_season_start: str = DEFAULT_HEATING_SEASON["start"]
    heating_season_end: str = DEFAULT_HEATING_SEASON["end"]
    timezone: str = "Europe/Amsterdam"
    closure_days: dict[date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_month_day(self.heating_season_start, "heating_season.start")
        check_month_day(self.heating_season_end, "heating_season.end")
        for day, intervals in self.office_hours.items():
            if day not in range(7):
                raise TriageError(
                    f"onbekende weekdag {day!r} (0 = maandag .. 6 = zondag)", "office_hours"
                )
            for start, end in intervals:
                if start >= end:
                    raise TriageError(
                        f"openingstijd {start:%H:%M}-{end:%H:%M} eindigt niet na het begin",
                        f"office_hours.{WEEKDAY_KEYS[day]}",
                    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_settings(
        cls,
        office_hours: dict[str, list[list[str]]],
        heating_season: dict[str, str] | None = None,
        closure_days: list[dict[str, str]] | None = None,
    ) -> ClientCalendar:
        """Build from a client's stored settings: {"mon": [["08:00", "17:00"]], ...} and
        closure days [{"date": "2026-05-15", "reason": "Brugdag"}, ...]."""
        season = heating_season or DEFAULT_HEATING_SEASON
        return cls(
            office_hours=_parse_office_hours(office_hours),
            heating_season_start=_season_bound(season, "start"),
            heating_season_end=_season_bound(season, "end"),
            closure_days=_parse_closure_days(closure_days or []),
        )


def check_month_day(value: object, field_name: str) -> str:
    match = _MMDD.match(value) if isinstance(value, str) else None
    if match is None or int(match[2]) > _DAYS_IN_MONTH[int(match[1]) - 1]:
        raise TriageError(f"ongeldige datum {value!r}: verwacht MM-DD, bijv. '10-01'", field_name)
    return str(value)


def _season_bound(season: dict[str, str], key: str) -> str:
    if key not in season:
        raise TriageError(f"stookseizoen mist '{key}'", f"heating_season.{key}")
    return check_month_day(season[key], f"heating_season.{key}")


def _parse_office_hours(raw: dict[str, Any]) -> dict[int, list[tuple[time, time]]]:
    hours: dict[int, list[tuple[time, time]]] = {}
    for key, intervals in raw.items():
        if key not in WEEKDAY_KEYS:
            raise TriageError(
                f"onbekende weekdag {key!r} (gebruik {', '.join(WEEKDAY_KEYS)})", "office_hours"
            )
        if not isinstance(intervals, list):
            raise TriageError(
                f"verwacht een lijst van [van, tot], niet {intervals!r}", f"office_hours.{key}"
            )
        hours[WEEKDAY_KEYS.index(key)] = [
            _parse_interval(interval, f"office_hours.{key}[{i}]")
            for i, interval in enumerate(intervals)
        ]
    return hours


def _parse_closure_days(raw: object) -> dict[date, str]:
    if not isinstance(raw, list):
        raise TriageError("verwacht een lijst van sluitingsdagen", "closure_days")
    days: dict[date, str] = {}
    for i, item in enumerate(raw):
        field_name = f"closure_days[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("date"), str):
            raise TriageError("verwacht {'date': 'JJJJ-MM-DD', 'reason': ...}", field_name)
        try:
            day = date.fromisoformat(item["date"])
        except ValueError:
            raise TriageError(
                f"ongeldige datum {item['date']!r}: verwacht JJJJ-MM-DD", field_name
            ) from None
        days[day] = str(item.get("reason") or "kantoor gesloten")
    return days


def _parse_interval(raw: object, field_name: str) -> tuple[time, time]:
    if not (isinstance(raw, list | tuple) and len(raw) == 2):
        raise TriageError(
            f"verwacht [van, tot], bijv. ['08:00', '17:00'], niet {raw!r}", field_name
        )
    start, end = _parse_clock(raw[0], field_name), _parse_clock(raw[1], field_name)
    if start >= end:
        raise TriageError(f"openingstijd {raw[0]}-{raw[1]} eindigt niet na het begin", field_name)
    return start, end


def _parse_clock(raw: object, field_name: str) -> time:
    if raw == "24:00":
        return END_OF_DAY
    match = _CLOCK.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise TriageError(f"ongeldige tijd {raw!r}: verwacht UU:MM, bijv. '08:00'", field_name)
    return time(int(match[1]), int(match[2]))
