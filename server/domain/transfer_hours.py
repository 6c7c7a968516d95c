"""When a transfer number is valid: weekday and time windows in the client's local time.

Written the way the desk says it: "ma-vr 08:00-17:00; za 10:00-14:00", "altijd". A window
may run past midnight ("ma-vr 17:00-08:00" covers Monday evening to Tuesday morning). The day
"fd" is a Dutch public holiday: on a holiday only windows that name "fd" apply, so an office
number is not offered on Easter Monday while the on-call number is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from server.domain.errors import Unprocessable

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")  # index is date.weekday()
HOLIDAY = "fd"
ALWAYS = "altijd"
_DAY_ORDER = (*DAYS, HOLIDAY)
_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_WINDOW = re.compile(r"^(\S+)\s+(\S+)-(\S+)$")


@dataclass(frozen=True)
class Window:
    days: frozenset[str]
    start: int  # minutes after midnight
    end: int  # minutes after midnight, 1..1440; at or before start: runs past midnight

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def as_json(self) -> dict[str, Any]:
        return {"days": _ordered(self.days), "from": _clock(self.start), "to": _clock(self.end)}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _ordered(days: Iterable[str]) -> list[str]:
    return sorted(days, key=_DAY_ORDER.index)


def _minutes(raw: str, field: str) -> int:
    match = _TIME.match(raw)
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise Unprocessable(f"'{raw}' is geen tijd (zoals 08:00).", field)
    return int(match.group(1)) * 60 + int(match.group(2))


def _days(raw: str, field: str) -> frozenset[str]:
    found: set[str] = set()
    for part in raw.lower().split(","):
        first, _, last = part.partition("-")
        for day in (first, last) if last else (first,):
            if day not in _DAY_ORDER:
                raise Unprocessable(
                    f"'{day}' is geen dag: gebruik ma, di, wo, do, vr, za, zo of fd (feestdag).",
                    field,
                )
        if not last:
            found.add(first)
        elif HOLIDAY in (first, last):
            raise Unprocessable(f"'{part}': fd (feestdag) hoort niet in een reeks.", field)
        else:
            at, stop = DAYS.index(first), DAYS.index(last)
            while True:  # a range may wrap past Sunday: "vr-ma"
                found.add(DAYS[at])
                if at == stop:
                    break
                at = (at + 1) % 7
    return frozenset(found)


def window(days: str | Iterable[str], start: str, end: str, field: str = "hours") -> Window:
    chosen = _days(days if isinstance(days, str) else ",".join(days), field)
    begin, finish = _minutes(start, field), _minutes(end, field)
    if begin == 1440:
        raise Unprocessable(f"Een venster begint niet om {start}.", field)
    if finish == 0:
        finish = 1440  # "17:00-00:00" ends at midnight
    if begin == finish:
        raise Unprocessable(f"Begin en eind zijn gelijk ({start}-{end}).", field)
    return Window(chosen, begin, finish)


def parse(text: str, field: str = "hours") -> tuple[Window, ...]:
    """ "ma-vr 08:00-17:00; za 10:00-14:00" as windows; "altijd" (or nothing) is no windows."""
    text = " ".join(text.split())
    if not text or text.lower() == ALWAYS:
        return ()
    found = []
    for part in (p.strip() for p in text.split(";")):
        match = _WINDOW.match(part)
        if not match:
            raise Unprocessable(
                f"'{part}' is geen venster: schrijf bijvoorbeeld 'ma-vr 08:00-17:00'.", field
            )
        found.append(window(match.group(1), match.group(2), match.group(3), field))
    return tuple(found)


def from_json(items: Iterable[Mapping[str, Any]], field: str = "hours") -> tuple[Window, ...]:
    found = []
    for index, item in enumerate(items):
        days = item.get("days")
        if not isinstance(days, list) or not days or not all(isinstance(d, str) for d in days):
            raise Unprocessable('Geef de dagen als lijst, zoals ["ma", "di"].', field)
        found.append(
            window(days, str(item.get("from", "")), str(item.get("to", "")), f"{field}[{index}]")
        )
    return tuple(found)


def as_text(windows: Iterable[Window]) -> str:
    parts = []
    for w in windows:
        days = _ordered(w.days)
        indices = [DAYS.index(d) for d in days if d != HOLIDAY]
        run = len(indices) > 2 and indices == list(range(indices[0], indices[-1] + 1))
        named = [f"{DAYS[indices[0]]}-{DAYS[indices[-1]]}"] if run else [DAYS[i] for i in indices]
        if HOLIDAY in w.days:
            named.append(HOLIDAY)
        parts.append(f"{','.join(named)} {_clock(w.start)}-{_clock(w.end)}")
    return "; ".join(parts) or ALWAYS


def _kind(day: date, is_holiday: Callable[[date], bool]) -> str:
    return HOLIDAY if is_holiday(day) else DAYS[day.weekday()]


def valid_at(
    windows: Iterable[Window], local: datetime, is_holiday: Callable[[date], bool]
) -> bool:
    """Whether a number with these windows may be called at `local` (the client's wall clock);
    no windows means always."""
    windows = tuple(windows)
    if not windows:
        return True
    minute = local.hour * 60 + local.minute
    today = _kind(local.date(), is_holiday)
    yesterday = _kind(local.date() - timedelta(days=1), is_holiday)
    for w in windows:
        if today in w.days and (w.start <= minute < w.end or (w.overnight and minute >= w.start)):
            return True
        if yesterday in w.days and w.overnight and minute < w.end:
            return True
    return False
