"""A client's calendar from its stored settings; bad settings name the field."""

from __future__ import annotations

from datetime import time

import pytest

from server.triage import ClientCalendar, TriageError
from server.triage.client_calendar import END_OF_DAY


def test_from_settings() -> None:
    calendar = ClientCalendar.from_settings(
        {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "sat": [["09:00", "24:00"]]},
        {"start": "11-01", "end": "03-31"},
    )

    assert calendar.office_hours == {
        0: [(time(8), time(12)), (time(13), time(17))],
        5: [(time(9), END_OF_DAY)],
    }
    assert (calendar.heating_season_start, calendar.heating_season_end) == ("11-01", "03-31")
    assert calendar.timezone == "Europe/Amsterdam"


def test_default_heating_season() -> None:
    calendar = ClientCalendar.from_settings({})

    assert (calendar.heating_season_start, calendar.heating_season_end) == ("10-01", "04-30")


@pytest.mark.parametrize(
    ("office_hours", "season", "message", "field"),
    [
        (
            {"maandag": []},
            None,
            "onbekende weekdag 'maandag' (gebruik mon, tue, wed, thu, fri, sat, sun)",
            "office_hours",
        ),
        (
            {"mon": [["8:00", "17:00"]]},
            None,
            "ongeldige tijd '8:00': verwacht UU:MM, bijv. '08:00'",
            "office_hours.mon[0]",
        ),
        (
            {"tue": [["08:00", "17:00"], ["18:00", "17:30"]]},
            None,
            "openingstijd 18:00-17:30 eindigt niet na het begin",
            "office_hours.tue[1]",
        ),
        (
            {"wed": ["08:00-17:00"]},
            None,
            "verwacht [van, tot], bijv. ['08:00', '17:00'], niet '08:00-17:00'",
            "office_hours.wed[0]",
        ),
        (
            {},
            {"start": "13-01", "end": "04-30"},
            "ongeldige datum '13-01': verwacht MM-DD, bijv. '10-01'",
            "heating_season.start",
        ),
        (
            {},
            {"start": "10-01", "end": "02-30"},
            "ongeldige datum '02-30': verwacht MM-DD, bijv. '10-01'",
            "heating_season.end",
        ),
        ({}, {"start": "10-01"}, "stookseizoen mist 'end'", "heating_season.end"),
    ],
)
def test_bad_settings(
    office_hours: dict[str, list[list[str]]],
    season: dict[str, str] | None,
    message: str,
    field: str,
) -> None:
    with pytest.raises(TriageError) as caught:
        ClientCalendar.from_settings(office_hours, season)

    assert (caught.value.message, caught.value.field) == (message, field)
