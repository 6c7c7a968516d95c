"""Validity hours of transfer numbers, as the desk writes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from server.domain import transfer_hours
from server.domain.errors import Unprocessable

EASTER_MONDAY = date(2026, 4, 6)


def holiday(day: date) -> bool:
    return day == EASTER_MONDAY


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def valid(hours: str, moment: str) -> bool:
    return transfer_hours.valid_at(transfer_hours.parse(hours), at(moment), holiday)


def test_office_hours_on_weekdays() -> None:
    hours = "ma-vr 08:00-17:00"
    assert valid(hours, "2026-11-17T08:00")  # Tuesday
    assert valid(hours, "2026-11-17T16:59")
    assert not valid(hours, "2026-11-17T17:00")
    assert not valid(hours, "2026-11-21T10:00")  # Saturday


def test_a_window_past_midnight_covers_the_next_morning() -> None:
    hours = "ma-vr 17:00-08:00; za-zo,fd 00:00-24:00"
    assert valid(hours, "2026-11-17T23:30")
    assert valid(hours, "2026-11-18T07:59")  # Wednesday morning, from Tuesday's window
    assert not valid(hours, "2026-11-18T08:00")
    assert valid(hours, "2026-11-21T12:00")  # Saturday
    # Sunday's window ends at midnight and Monday's evening window has not begun.
    assert not valid(hours, "2026-11-23T07:00")
    assert valid("zo-do 17:00-08:00", "2026-11-23T07:00")


def test_public_holidays_take_only_fd_windows() -> None:
    office = "ma-vr 08:00-17:00"
    oncall = "ma-vr 17:00-08:00; za-zo,fd 00:00-24:00"
    assert not valid(office, "2026-04-06T10:00")
    assert valid(oncall, "2026-04-06T10:00")
    # On Easter Monday Monday's evening window does not apply, so neither does its morning
    # after; a window for fd that runs past midnight does.
    assert not valid(oncall, "2026-04-07T07:00")
    assert valid("ma-vr,fd 17:00-08:00; za-zo,fd 00:00-24:00", "2026-04-07T07:00")


def test_always_and_written_back() -> None:
    assert transfer_hours.parse("altijd") == ()
    assert transfer_hours.parse("") == ()
    assert valid("altijd", "2026-11-17T03:00")
    windows = transfer_hours.parse("ma-vr 08:00-17:00; za,fd 10:00-14:00; vr-ma 18:00-00:00")
    assert transfer_hours.as_text(windows) == (
        "ma-vr 08:00-17:00; za,fd 10:00-14:00; ma,vr,za,zo 18:00-24:00"
    )
    assert transfer_hours.parse(transfer_hours.as_text(windows)) == windows
    assert transfer_hours.from_json([w.as_json() for w in windows]) == windows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ma-vr 8-17", "'8' is geen tijd (zoals 08:00)."),
        ("ma-vr", "'ma-vr' is geen venster: schrijf bijvoorbeeld 'ma-vr 08:00-17:00'."),
        (
            "mo-fr 08:00-17:00",
            "'mo' is geen dag: gebruik ma, di, wo, do, vr, za, zo of fd (feestdag).",
        ),
        ("ma 25:00-26:00", "'25:00' is geen tijd (zoals 08:00)."),
        ("ma 08:00-08:00", "Begin en eind zijn gelijk (08:00-08:00)."),
        ("ma-fd 08:00-17:00", "'ma-fd': fd (feestdag) hoort niet in een reeks."),
    ],
)
def test_mistakes_are_named(text: str, message: str) -> None:
    with pytest.raises(Unprocessable) as caught:
        transfer_hours.parse(text)
    assert caught.value.message == message
