"""A client's own closure days (a bridge day, a company outing) close its office like a public
holiday: "kantoor niet binnen 24 uur bereikbaar" and "buiten kantoortijd" count them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.triage import ClientCalendar, Condition, TriageError
from server.triage.conditions import evaluate_condition

AMS = ZoneInfo("Europe/Amsterdam")
ASCENSION_MORNING = datetime(2026, 5, 14, 9, tzinfo=AMS)
BRIDGE_DAY = [{"date": "2026-05-15", "reason": "Brugdag"}]


def test_ascension_morning_reaches_the_office_on_friday_without_a_closure_day() -> None:
    calendar = ClientCalendar.from_settings(
        {"mon": [["08:00", "17:00"]], "fri": [["08:00", "17:00"]]}
    )
    result = evaluate_condition(
        Condition.KANTOOR_NIET_BINNEN_24U_BEREIKBAAR, ASCENSION_MORNING, calendar
    )
    assert result.value is False
    assert "volgende opening vrijdag 15 mei 08:00" in result.explanation


def test_a_bridge_day_makes_the_office_unreachable_and_says_why() -> None:
    calendar = ClientCalendar.from_settings(
        {"mon": [["08:00", "17:00"]], "fri": [["08:00", "17:00"]]}, closure_days=BRIDGE_DAY
    )
    result = evaluate_condition(
        Condition.KANTOOR_NIET_BINNEN_24U_BEREIKBAAR, ASCENSION_MORNING, calendar
    )
    assert result.value is True
    assert "volgende opening maandag 18 mei 08:00" in result.explanation
    assert "feestdag: Hemelvaartsdag" in result.explanation
    assert "sluitingsdag: Brugdag" in result.explanation
    friday = evaluate_condition(
        Condition.BUITEN_KANTOORTIJD, datetime(2026, 5, 15, 10, tzinfo=AMS), calendar
    )
    assert friday.value is True and friday.explanation.endswith("Brugdag)")


@pytest.mark.parametrize("bad", [[{"date": "15-05-2026"}], [{"reason": "x"}], "2026-05-15", [3]])
def test_a_malformed_closure_day_is_refused(bad: object) -> None:
    with pytest.raises(TriageError):
        ClientCalendar.from_settings({}, closure_days=bad)  # type: ignore[arg-type]
