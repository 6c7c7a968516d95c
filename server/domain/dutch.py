"""Numbers, dates and times the Dutch way, for every page, message and export: 84,2%,
3,78 uur, 1.234, 06-12-2026, wo 02-12-2026 15:39, dinsdag 4 maart.

One place, on Babel's Dutch locale data (CLDR), instead of hand formatting in each module.
Moments are shown in Europe/Amsterdam whatever zone they come in.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, get_day_names, get_month_names
from babel.numbers import format_decimal, format_percent

LOCALE = "nl_NL"
# Parsed once: Babel parses a locale given by name again on every call (a third of the time
# of formatting a moment).
_LOCALE = Locale.parse(LOCALE)
ZONE = ZoneInfo("Europe/Amsterdam")

WEEKDAYS = tuple(get_day_names("wide", locale=_LOCALE)[i] for i in range(7))
MONTHS = tuple(get_month_names("wide", locale=_LOCALE)[m] for m in range(1, 13))


def number(value: float | int | None, decimals: int = 2, *, fixed: bool = False) -> str:
    """3,78 · 1.234 · 2,5 (at most `decimals` decimals, no trailing zeros; `fixed`: always
    that many, 5,0); "" for None."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + ("0" if fixed else "#") * decimals if decimals else "")
    return str(format_decimal(value, format=pattern, locale=_LOCALE))


def signed(value: float | int | None, decimals: int = 2) -> str:
    """A difference: +1,5 or -2 (0 has no sign)."""
    if value is None:
        return ""
    text = number(value, decimals)
    return f"+{text}" if value > 0 else text


def percent(points: float | int | None, decimals: int = 1) -> str:
    """A share given in percentage points (84.2) as 84,2%."""
    if points is None:
        return ""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "") + "%"
    return str(format_percent(points / 100, format=pattern, locale=_LOCALE))


def hours(value: float | int | None) -> str:
    """3,78 uur"""
    return "" if value is None else f"{number(value)} uur"


def _local(value: datetime) -> datetime:
    return value.astimezone(ZONE)


def day(value: date | datetime | None) -> str:
    """06-12-2026 (dd-mm-jjjj); a moment by its Amsterdam date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return str(format_date(value, "dd-MM-yyyy", locale=_LOCALE))


def moment(value: datetime | None, pattern: str = "dd-MM-yyyy HH:mm") -> str:
    """06-12-2026 15:39 in Amsterdam time, or another Babel (CLDR) pattern."""
    if value is None:
        return ""
    local = _local(value)
    if any(letter in pattern for letter in _ZONE):
        return str(format_datetime(local, pattern, locale=_LOCALE))
    if not any(letter in pattern for letter in _FINER_THAN_MINUTES):
        local = local.replace(second=0, microsecond=0)
    return _formatted(local, pattern)


# Babel applies a pattern slowly (every intake's messages spell out a deadline or two): what
# it made is kept per moment and pattern, to the minute where the pattern shows no finer. Not
# with a zone in the pattern: the hour repeated when summer time ends is one key for two.
_FINER_THAN_MINUTES = "sSA"
_ZONE = "zZvVxXO"


@lru_cache(maxsize=4096)
def _formatted(local: datetime, pattern: str) -> str:
    return str(format_datetime(local, pattern, locale=_LOCALE))


def day_moment(value: datetime | None) -> str:
    """wo 02-12-2026 15:39"""
    return moment(value, "EEE dd-MM-yyyy HH:mm")


def clock(value: datetime | None) -> str:
    """15:39"""
    return moment(value, "HH:mm")


def long_day(value: datetime | None) -> str:
    """dinsdag 4 maart"""
    return moment(value, "EEEE d MMMM")


def short_moment(value: datetime, today: date | None = None) -> str:
    """10:10 on `today`, else wo 25 nov 10:00: how the desk reads a time near now."""
    local = _local(value)
    if today is not None and local.date() == today:
        return clock(local)
    return moment(local, "EEE d MMM HH:mm")


def sentence(text: str | None) -> str:
    """`text` closed with a full stop unless it already ends in one (or ! ? …): no "..".
    Empty stays empty."""
    text = (text or "").rstrip()
    if not text or text[-1] in ".!?…":
        return text
    return f"{text}."


def clause(text: str | None) -> str:
    """`text` without its closing full stop, for a sentence that goes on after it."""
    text = (text or "").rstrip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


# The units of the management figures and their tables (server.domain.kpis, server.insight).
UNITS = ("tekst", "aantal", "%", "uur", "score", "datum")


def by_unit(value: object, unit: str) -> str:
    """A figure as a person reads it: 1.234 · 84,2% · 3,78 uur · 4,25 · 01-11-2026;
    "—" when there is none."""
    if value is None or value == "":
        return "—"
    if unit == "datum":
        return day(date.fromisoformat(str(value)[:10]))
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if unit == "%":
        return percent(value)
    if unit == "uur":
        return hours(value)
    if unit == "aantal":
        return number(value, 0)
    return number(value)
