"""Conditions at the moment of the call: heating season, office reachability, office hours."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.triage import ClientCalendar, evaluate_condition, next_opening
from server.triage.model import Condition

from .moments import local

UNREACHABLE = Condition.KANTOOR_NIET_BINNEN_24U_BEREIKBAAR


@pytest.mark.parametrize(
    ("month", "day", "winter"),
    [
        (10, 1, True),  # first day of the season
        (9, 30, False),
        (12, 31, True),  # the season wraps the year end
        (1, 1, True),
        (4, 30, True),  # last day of the season
        (5, 1, False),
        (7, 15, False),
    ],
)
def test_default_heating_season_wraps_the_year_end(
    calendar: ClientCalendar, month: int, day: int, winter: bool
) -> None:
    at = local(2026, month, day, 12)

    assert evaluate_condition(Condition.WINTER, at, calendar).value is winter
    assert evaluate_condition(Condition.ZOMER, at, calendar).value is not winter


def test_a_client_heating_season_within_one_year() -> None:
    calendar = ClientCalendar.from_settings({}, {"start": "01-15", "end": "03-15"})

    assert evaluate_condition(Condition.WINTER, local(2026, 2, 1, 12), calendar).value
    assert not evaluate_condition(Condition.WINTER, local(2026, 12, 1, 12), calendar).value


def test_season_explanation(calendar: ClientCalendar) -> None:
    result = evaluate_condition(Condition.ZOMER, local(2026, 1, 15, 12), calendar)

    assert result.explanation == (
        "zomer: nee (15 januari valt in het stookseizoen 1 oktober t/m 30 april)"
    )


def test_office_unreachable_over_easter_explains_why(calendar: ClientCalendar) -> None:
    result = evaluate_condition(UNREACHABLE, local(2026, 4, 4, 12), calendar)

    assert result.value
    assert result.explanation == (
        "kantoor niet binnen 24 uur bereikbaar: ja (zaterdag 4 april 12:00, volgende opening "
        "dinsdag 7 april 08:00; feestdag: Eerste paasdag, Tweede paasdag)"
    )


def test_office_open_now_is_reachable(calendar: ClientCalendar) -> None:
    result = evaluate_condition(UNREACHABLE, local(2026, 1, 13, 10), calendar)

    assert not result.value
    assert (
        result.explanation
        == "kantoor niet binnen 24 uur bereikbaar: nee (kantoor is nu open tot 17:00)"
    )


def test_sunday_morning_is_within_24_hours_of_monday_opening(calendar: ClientCalendar) -> None:
    assert not evaluate_condition(UNREACHABLE, local(2026, 1, 18, 9), calendar).value
    assert evaluate_condition(UNREACHABLE, local(2026, 1, 18, 7, 59), calendar).value


def test_exactly_24_hours_ahead_counts_as_reachable(calendar: ClientCalendar) -> None:
    assert not evaluate_condition(UNREACHABLE, local(2026, 1, 18, 8), calendar).value


def test_24_hours_are_elapsed_hours_across_daylight_saving() -> None:
    sundays = ClientCalendar.from_settings({"sun": [["08:00", "12:00"]]})
    # Sunday 29 March 2026 the clocks go forward: Saturday 07:30 to Sunday 08:00 is 23.5 hours.
    assert not evaluate_condition(UNREACHABLE, local(2026, 3, 28, 7, 30), sundays).value
    # Sunday 25 October 2026 they go back: Saturday 08:30 to Sunday 08:00 is 24.5 hours.
    assert evaluate_condition(UNREACHABLE, local(2026, 10, 24, 8, 30), sundays).value


def test_an_office_without_hours_is_never_reachable() -> None:
    result = evaluate_condition(UNREACHABLE, local(2026, 1, 13, 10), ClientCalendar({}))

    assert result.value
    assert result.explanation == (
        "kantoor niet binnen 24 uur bereikbaar: ja (dinsdag 13 januari 10:00, "
        "geen opening in de komende 14 dagen)"
    )


def test_after_hours_names_the_holiday(calendar: ClientCalendar) -> None:
    result = evaluate_condition(Condition.BUITEN_KANTOORTIJD, local(2026, 4, 27, 10), calendar)

    assert result.value
    assert result.explanation == "buiten kantoortijd: ja (maandag 27 april 10:00, Koningsdag)"


@pytest.mark.parametrize(
    ("hour", "minute", "after_hours"),
    [(7, 59, True), (8, 0, False), (12, 30, True), (13, 0, False), (16, 59, False), (17, 0, True)],
)
def test_office_hours_with_a_lunch_break(hour: int, minute: int, after_hours: bool) -> None:
    calendar = ClientCalendar.from_settings({"tue": [["08:00", "12:00"], ["13:00", "17:00"]]})

    result = evaluate_condition(
        Condition.BUITEN_KANTOORTIJD, local(2026, 1, 13, hour, minute), calendar
    )

    assert result.value is after_hours


def test_next_opening_skips_holidays(calendar: ClientCalendar) -> None:
    assert next_opening(calendar, local(2026, 12, 24, 18)) == local(2026, 12, 28, 8)
    assert next_opening(calendar, local(2026, 5, 13, 18)) == local(2026, 5, 15, 8)  # Ascension


def test_the_moment_is_read_in_amsterdam_whatever_its_zone(calendar: ClientCalendar) -> None:
    at = datetime(2026, 1, 13, 16, 30, tzinfo=UTC)  # 17:30 in Amsterdam: just closed

    result = evaluate_condition(Condition.BUITEN_KANTOORTIJD, at, calendar)

    assert (
        result.explanation == "buiten kantoortijd: ja (dinsdag 13 januari 17:30, kantoor gesloten)"
    )
