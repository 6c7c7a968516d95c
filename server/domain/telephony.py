"""The telephony figures as definitions: what counts as offered, answered in time, abandoned,
and how the service level, the averages and the monthly report's day follow from the counts.

server/insight/telephony.py counts in SQL (grouped per local hour); everything here is plain
arithmetic on those counts, so the definitions are tested without a database. docs/contacts.md
("Figures") says the same in words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Any

from server.domain.errors import Unprocessable
from server.domain.kpis import Grain, Period

# The client's norm: this share (%) of the calls answered within SERVICE_LEVEL_SECONDS
# (seed 002), unless its settings say otherwise (settings["service_level_norm"]).
DEFAULT_NORM = 80
NORM_SETTING = "service_level_norm"
REPORT_EMAIL_SETTING = "report_email"
# The API's longest period: a year and a bit, so a report over a leap year still fits.
MAX_DAYS = 400
FIRST_YEAR, LAST_YEAR = 2000, 2999


@dataclass
class Counts:
    """What SQL counts for one group of inbound calls (one local hour, or a sum of hours).

    Waits and talk times are summed over answered calls only; handling is talk plus wrap-up.
    """

    offered: int = 0
    answered: int = 0
    within: int = 0  # answered within SERVICE_LEVEL_SECONDS
    abandoned: int = 0  # ended before anyone answered
    transferred: int = 0
    wait_sum: int = 0
    talk_sum: int = 0
    handling_sum: int = 0

    def add(self, other: Counts) -> None:
        # Written out: a year is 9,000 hours, each added three times (total, grid, series).
        self.offered += other.offered
        self.answered += other.answered
        self.within += other.within
        self.abandoned += other.abandoned
        self.transferred += other.transferred
        self.wait_sum += other.wait_sum
        self.talk_sum += other.talk_sum
        self.handling_sum += other.handling_sum

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Counts:
        return cls(*(int(row.get(name) or 0) for name in _COUNTED))

    @property
    def service_level(self) -> float | None:
        """Share (%) of the offered calls answered within the norm time; None without calls."""
        return _share(self.within, self.offered)

    @property
    def abandon_rate(self) -> float | None:
        return _share(self.abandoned, self.offered)

    @property
    def average_wait(self) -> float | None:
        return _mean(self.wait_sum, self.answered)

    @property
    def average_talk(self) -> float | None:
        return _mean(self.talk_sum, self.answered)

    @property
    def average_handling(self) -> float | None:
        return _mean(self.handling_sum, self.answered)


_COUNTED = tuple(item.name for item in fields(Counts))


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean(total: int, n: int) -> float | None:
    return round(total / n, 1) if n else None


@dataclass
class HourGrid:
    """Calls offered and answered per weekday (Monday first) and local hour: the staffing map."""

    offered: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    answered: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])

    def add(self, at: datetime, counts: Counts) -> None:
        self.offered[at.weekday()][at.hour] += counts.offered
        self.answered[at.weekday()][at.hour] += counts.answered

    def per_hour(self) -> list[tuple[int, int, int]]:
        """(hour, offered, answered) over all weekdays."""
        return [
            (h, sum(day[h] for day in self.offered), sum(day[h] for day in self.answered))
            for h in range(24)
        ]


def bucket_start(day: date, grain: Grain) -> date:
    """The first day of the day, ISO week or month `day` falls in (as sql.Sql.bucket)."""
    if grain == Grain.DAG:
        return day
    if grain == Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if grain == Grain.MAAND:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


@dataclass
class Rollup:
    """Hourly counts rolled up into the totals, the weekday × hour grid and a series."""

    grain: Grain
    total: Counts = field(default_factory=Counts)
    grid: HourGrid = field(default_factory=HourGrid)
    series: dict[date, Counts] = field(default_factory=dict)

    def add(self, hour: datetime, counts: Counts) -> None:
        """`hour`: the local (Europe/Amsterdam) hour the calls were offered in, naive."""
        self.total.add(counts)
        self.grid.add(hour, counts)
        self.series.setdefault(bucket_start(hour.date(), self.grain), Counts()).add(counts)


def rollup(hours: Iterable[tuple[datetime, Counts]], grain: Grain) -> Rollup:
    result = Rollup(grain)
    for hour, counts in hours:
        result.add(hour, counts)
    result.series = dict(sorted(result.series.items()))
    return result


def norm_of(settings: Mapping[str, Any] | None) -> int:
    """The client's service-level norm in percent (1–100), else DEFAULT_NORM."""
    value = (settings or {}).get(NORM_SETTING)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
        return value
    return DEFAULT_NORM


def checked_norm(raw: str | int | None) -> int | None:
    """A norm typed on the settings page or sent to the API; empty means the default."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip().removesuffix("%").strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100:
        raise Unprocessable(
            f"Servicelevelnorm '{raw}': geef een percentage van 1 tot en met 100.",
            NORM_SETTING,
        )
    return int(text)


def checked_report_email(raw: str) -> str:
    """The address the monthly report goes to, as typed: empty (no report) or an address."""
    text = raw.strip()
    if not text:
        return ""
    try:
        address: Address | None = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError):
        address = None
    if address is None or not address.username or "." not in address.domain or len(text) > 254:
        raise Unprocessable(
            f"Rapportadres '{text[:80]}' is geen geldig e-mailadres.", REPORT_EMAIL_SETTING
        )
    return text


def period(first: str, last: str) -> Period:
    """The API's period: `from` and `to` as local dates, both included."""
    start, end = _date(first, "from"), _date(last, "to")
    if end < start:
        raise Unprocessable(f"De einddatum {end} ligt voor de begindatum {start}.", "to")
    if (end - start).days + 1 > MAX_DAYS:
        raise Unprocessable(f"Kies een periode van hoogstens {MAX_DAYS} dagen.", "from")
    return Period(start, end)


def _date(raw: str, name: str) -> date:
    text = raw.strip()
    if not text:
        raise Unprocessable(f"Geef '{name}' als datum (jjjj-mm-dd).", name)
    try:
        if not text.isascii() or len(text) != 10:
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise Unprocessable(f"'{raw[:40]}' is geen geldige datum (jjjj-mm-dd).", name) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # Beyond these a moment in UTC can overflow, and no call was taken then.
        raise Unprocessable(f"Kies een datum tussen {FIRST_YEAR} en {LAST_YEAR}.", name)
    return day


# The monthly report.


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def first_working_day(year: int, month: int, is_holiday: Callable[[date], bool]) -> date:
    """The first day of the month that is no Saturday, Sunday or Dutch public holiday."""
    day = date(year, month, 1)
    while day.weekday() >= 5 or is_holiday(day):
        day += timedelta(days=1)
    return day


def report_due(today: date, is_holiday: Callable[[date], bool]) -> Period | None:
    """The month whose report is due on `today` (local): the previous one, from the first
    working day of this month on (a worker that was down that day catches up later in the
    month; the outbox key keeps it to one report per client and month). None before then."""
    if today < first_working_day(today.year, today.month, is_holiday):
        return None
    last_month = today.replace(day=1) - timedelta(days=1)
    return month_period(last_month.year, last_month.month)


MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def month_label(p: Period) -> str:
    return f"{MONTHS[p.first.month - 1]} {p.first.year}"
