"""How a dossier stands against its deadline, as the dispatch board, the work queue and the
dossier page show it.

An acuut deadline is the moment someone must be on site (docs/dispatch.md "Deadlines"): once
someone is, the question is settled, so there is no countdown any more, only whether he
arrived in time. Other deadlines are the moment the work must be done and keep counting down
while he works. An appointment booked after the deadline is late already, however much time
is left: the dossier is overdue from the moment it was booked so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from server.domain.codes import Urgency

# Urgencies whose deadline is met by arriving, not by finishing.
BY_ARRIVAL = frozenset({Urgency.ACUUT})


def by_arrival(urgency: str | None) -> bool:
    return urgency in BY_ARRIVAL


@dataclass(frozen=True)
class Standing:
    """`minutes_left` (negative when overdue) is None when there is nothing to count down:
    no deadline, or it was settled by arriving. `late_minutes`: how late he arrived, for a
    settled deadline (0 in time, None when not known)."""

    minutes_left: int | None
    overdue: bool
    settled: bool
    late_minutes: int | None
    text: str


def standing(
    urgency: str | None,
    deadline: datetime | None,
    now: datetime,
    *,
    on_site: bool = False,
    arrived_at: datetime | None = None,
    appointment: datetime | None = None,
) -> Standing:
    """The deadline of a dossier as it stands at `now`; `on_site`: someone is there (since
    `arrived_at`, when known); `appointment`: when the booked appointment meets the deadline
    (`appointment_moment`), if one is booked."""
    if on_site and by_arrival(urgency):
        late = None
        if deadline is not None and arrived_at is not None:
            late = max(0, math.ceil((arrived_at - deadline).total_seconds() / 60))
        text = f"ter plaatse, {duration(late)} te laat aangekomen" if late else "ter plaatse"
        return Standing(None, False, True, late, text)
    if deadline is None:
        return Standing(None, False, False, None, "geen termijn")
    left = int((deadline - now).total_seconds() // 60)
    if left < 0:
        return Standing(left, True, False, None, f"{duration(-left)} te laat")
    if appointment is not None and appointment > deadline:
        after = math.ceil((appointment - deadline).total_seconds() / 60)
        text = f"afspraak {duration(after)} na de termijn (nog {duration(left)})"
        return Standing(left, True, False, None, text)
    return Standing(left, False, False, None, f"nog {duration(left)}")


def appointment_moment(
    urgency: str | None, start: datetime | None, end: datetime | None
) -> datetime | None:
    """When a booked appointment meets the deadline: its start for acuut (someone on site),
    its end otherwise (the work done)."""
    if start is None:
        return None
    return start if by_arrival(urgency) else (end or start)


def duration(minutes: int) -> str:
    """ "45 min", "2 u 5 min", "3 d 4 u"."""
    if minutes >= 24 * 60:
        days, rest = divmod(minutes, 24 * 60)
        return f"{days} d {rest // 60} u" if rest // 60 else f"{days} d"
    return f"{minutes // 60} u {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
