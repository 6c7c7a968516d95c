"""Evaluate a protocol's conditions at the moment of the call, with a Dutch explanation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from server.triage import dutch
from server.triage.client_calendar import ClientCalendar
from server.triage.model import Condition
from server.triage.office import (
    SEARCH_DAYS,
    closed_reason,
    closure_days_between,
    holidays_between,
    next_opening,
    open_until,
)

REACH_WINDOW = timedelta(hours=24)

CONDITION_LABELS: dict[Condition, str] = {
    Condition.WINTER: "winter",
    Condition.ZOMER: "zomer",
    Condition.KANTOOR_NIET_BINNEN_24U_BEREIKBAAR: "kantoor niet binnen 24 uur bereikbaar",
    Condition.BUITEN_KANTOORTIJD: "buiten kantoortijd",
}


@dataclass(frozen=True)
class ConditionResult:
    condition: Condition
    value: bool
    # "kantoor niet binnen 24 uur bereikbaar: ja (zaterdag 4 april 12:00, ...)"
    explanation: str


def evaluate_condition(
    condition: Condition, at: datetime, calendar: ClientCalendar
) -> ConditionResult:
    local = at.astimezone(calendar.zone)
    value, reason = _EVALUATORS[condition](local, calendar)
    label = CONDITION_LABELS[condition]
    return ConditionResult(condition, value, f"{label}: {dutch.yes_no(value)} ({reason})")


def in_heating_season(local: datetime, calendar: ClientCalendar) -> bool:
    day = (local.month, local.day)
    start = _month_day(calendar.heating_season_start)
    end = _month_day(calendar.heating_season_end)
    if start <= end:
        return start <= day <= end
    return day >= start or day <= end  # the season wraps the year end


def _month_day(mmdd: str) -> tuple[int, int]:
    month, day = mmdd.split("-")
    return int(month), int(day)


def _season_reason(local: datetime, calendar: ClientCalendar) -> str:
    inside = in_heating_season(local, calendar)
    season = (
        f"stookseizoen {dutch.month_day(calendar.heating_season_start)}"
        f" t/m {dutch.month_day(calendar.heating_season_end)}"
    )
    return f"{dutch.day_month(local.date())} valt {'in' if inside else 'buiten'} het {season}"


def _winter(local: datetime, calendar: ClientCalendar) -> tuple[bool, str]:
    return in_heating_season(local, calendar), _season_reason(local, calendar)


def _summer(local: datetime, calendar: ClientCalendar) -> tuple[bool, str]:
    return not in_heating_season(local, calendar), _season_reason(local, calendar)


def _office_unreachable(local: datetime, calendar: ClientCalendar) -> tuple[bool, str]:
    closes = open_until(calendar, local)
    if closes is not None:
        return False, f"kantoor is nu open tot {closes:%H:%M}"
    opening = next_opening(calendar, local)
    limit = local.astimezone(UTC) + REACH_WINDOW
    unreachable = opening is None or opening.astimezone(UTC) > limit
    reason = dutch.moment(local)
    if opening is None:
        return True, f"{reason}, geen opening in de komende {SEARCH_DAYS} dagen"
    reason += f", volgende opening {dutch.moment(opening)}"
    closed_days = holidays_between(calendar, local, opening)
    if closed_days:
        reason += f"; feestdag: {', '.join(closed_days)}"
    closures = closure_days_between(calendar, local, opening)
    if closures:
        reason += f"; sluitingsdag: {', '.join(closures)}"
    return unreachable, reason


def _after_hours(local: datetime, calendar: ClientCalendar) -> tuple[bool, str]:
    closes = open_until(calendar, local)
    if closes is not None:
        return False, f"kantoor is nu open tot {closes:%H:%M}"
    holiday = closed_reason(calendar, local.date())
    why = holiday if holiday is not None else "kantoor gesloten"
    return True, f"{dutch.moment(local)}, {why}"


_EVALUATORS: dict[Condition, Callable[[datetime, ClientCalendar], tuple[bool, str]]] = {
    Condition.WINTER: _winter,
    Condition.ZOMER: _summer,
    Condition.KANTOOR_NIET_BINNEN_24U_BEREIKBAAR: _office_unreachable,
    Condition.BUITEN_KANTOORTIJD: _after_hours,
}
