"""Quiet hours: niet urgent waits until morning, nothing else does."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.messaging.quiet import QuietHours, deliver_at

AMS = ZoneInfo("Europe/Amsterdam")
NIGHT = QuietHours(time(21, 0), time(8, 0))


def ams(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def test_evening_niet_urgent_waits_until_eight() -> None:
    assert deliver_at(ams(2025, 3, 4, 22, 30), "niet_urgent", "melding_ontvangen", NIGHT) == ams(
        2025, 3, 5, 8, 0
    )


def test_early_morning_waits_until_eight_the_same_day() -> None:
    assert deliver_at(ams(2025, 3, 5, 3, 10), "niet_urgent", "afgerond", NIGHT) == ams(
        2025, 3, 5, 8, 0
    )


@pytest.mark.parametrize(
    "at", [ams(2025, 3, 4, 8, 0), ams(2025, 3, 4, 14, 0), ams(2025, 3, 4, 20, 59)]
)
def test_daytime_goes_now(at: datetime) -> None:
    assert deliver_at(at, "niet_urgent", "melding_ontvangen", NIGHT) == at


def test_start_of_quiet_hours_is_quiet() -> None:
    assert deliver_at(ams(2025, 3, 4, 21, 0), "niet_urgent", "afgerond", NIGHT) == ams(
        2025, 3, 5, 8, 0
    )


@pytest.mark.parametrize("urgency", ["acuut", "urgent"])
def test_acuut_and_urgent_never_wait(urgency: str) -> None:
    now = ams(2025, 3, 4, 23, 45)
    assert deliver_at(now, urgency, "melding_ontvangen", NIGHT) == now


@pytest.mark.parametrize("kind", ["piket", "protocol_bevestiging", "monteur_onderweg"])
def test_on_call_client_and_on_the_way_never_wait(kind: str) -> None:
    now = ams(2025, 3, 4, 23, 45)
    assert deliver_at(now, "niet_urgent", kind, NIGHT) == now


def test_no_quiet_hours() -> None:
    now = ams(2025, 3, 4, 23, 45)
    assert deliver_at(now, "niet_urgent", "afgerond", None) == now


def test_answer_in_the_zone_of_now_across_summer_time() -> None:
    # The night the clocks go forward: 22:00 CET is 21:00 UTC; 08:00 CEST is 06:00 UTC.
    now = datetime(2025, 3, 29, 21, 0, tzinfo=UTC)
    at = deliver_at(now, "niet_urgent", "afgerond", NIGHT)
    assert at == datetime(2025, 3, 30, 6, 0, tzinfo=UTC)
    assert at.tzinfo is UTC
    assert at - now == timedelta(hours=9)


def test_quiet_hours_within_one_day() -> None:
    lunch = QuietHours(time(12, 0), time(13, 30))
    assert deliver_at(ams(2025, 3, 4, 12, 15), "niet_urgent", "afgerond", lunch) == ams(
        2025, 3, 4, 13, 30
    )
    assert deliver_at(ams(2025, 3, 4, 22, 0), "niet_urgent", "afgerond", lunch) == ams(
        2025, 3, 4, 22, 0
    )


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        deliver_at(datetime(2025, 3, 4, 22, 0), "niet_urgent", "afgerond", NIGHT)


def test_parse_setting() -> None:
    assert QuietHours.parse("21:00-08:00") == NIGHT
    assert QuietHours.parse(" 22:30 - 7:00 ") == QuietHours(time(22, 30), time(7, 0))
    assert QuietHours.parse("") is None
    for bad in ("21-8", "25:00-08:00", "21:00"):
        with pytest.raises(ValueError, match="quiet hours"):
            QuietHours.parse(bad)
    with pytest.raises(ValueError, match="empty"):
        QuietHours.parse("08:00-08:00")
