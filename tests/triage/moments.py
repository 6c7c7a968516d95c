"""Moments of a call, with what the seed's conditions should say about them.

The flags are worked out by hand for a client with office hours Mon-Fri 08:00-17:00, so the
table tests do not trust the code they test. 2026: Good Friday 3 April, Easter Monday 6 April,
King's Day Monday 27 April, Christmas Friday 25 December.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@dataclass(frozen=True)
class Moment:
    name: str
    at: datetime
    winter: bool
    office_unreachable: bool
    after_hours: bool


MOMENTS = [
    # Weekend ahead: the office reopens Monday 08:00, more than 24 hours away.
    Moment("vrijdagavond_winter", local(2026, 1, 16, 19, 30), True, True, True),
    Moment("zaterdag_winter", local(2026, 1, 17, 11), True, True, True),
    Moment("dinsdagochtend_winter", local(2026, 1, 13, 10), True, False, False),
    # Good Friday is a holiday in the `holidays` package: closed until Tuesday 7 April.
    Moment("goede_vrijdag", local(2026, 4, 3, 10), True, True, True),
    Moment("paaszaterdag", local(2026, 4, 4, 12), True, True, True),
    # Easter Monday: Tuesday 08:00 is 24.5 hours after 07:30 but only 18 hours after 14:00.
    Moment("tweede_paasdag_vroeg", local(2026, 4, 6, 7, 30), True, True, True),
    Moment("tweede_paasdag_middag", local(2026, 4, 6, 14), True, False, True),
    Moment("koningsdag", local(2026, 4, 27, 10), True, False, True),
    Moment("dinsdagochtend_zomer", local(2026, 7, 14, 10), False, False, False),
    Moment("donderdagavond_zomer", local(2026, 7, 16, 20), False, False, True),
    Moment("vrijdagavond_zomer", local(2026, 7, 17, 19, 30), False, True, True),
    Moment("zaterdag_zomer", local(2026, 7, 18, 11), False, True, True),
    Moment("eerste_kerstdag", local(2026, 12, 25, 10), True, True, True),
]
