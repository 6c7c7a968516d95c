"""Dates and times written the Dutch way, for explanations and read-back texts."""

from __future__ import annotations

from datetime import date, datetime

from server.domain.dutch import MONTHS, WEEKDAYS


def day_month(day: date) -> str:
    """`4 april`"""
    return f"{day.day} {MONTHS[day.month - 1]}"


def weekday_date(day: date) -> str:
    """`zaterdag 4 april`"""
    return f"{WEEKDAYS[day.weekday()]} {day_month(day)}"


def moment(at: datetime) -> str:
    """`zaterdag 4 april 12:00` (in the time zone `at` carries)."""
    return f"{weekday_date(at.date())} {at:%H:%M}"


def month_day(mmdd: str) -> str:
    """`10-01` -> `1 oktober`"""
    month, day = (int(part) for part in mmdd.split("-"))
    return f"{day} {MONTHS[month - 1]}"


def yes_no(value: bool) -> str:
    return "ja" if value else "nee"
