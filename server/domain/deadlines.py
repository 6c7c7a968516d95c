"""How a dossier stands against its deadline, as the dispatch board shows it.

An acuut deadline is the moment someone must be on site (docs/dispatch.md "Deadlines"): once
someone is, the question is settled, so there is no countdown any more, only whether he
arrived in time. Other deadlines are the moment the work must be done and keep counting down
while he works.
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
) -> Standing:
    """The deadline of a dossier as it stands at `now`; `on_site`: someone is there (since
    `arrived_at`, when known)."""
    if on_site and by_arrival(urgency):
        late = None
        if deadline is not None and arrived_at is not None:
            late = max(0, math.ceil((arrived_at - deadline).total_seconds() / 60))
        text = f"ter plaatse, {duration(late)} te laat aangekomen" if late else "ter plaatse"
        return Standing(None, False, True, late, text)
    if deadline is None:
        return Standing(None, False, False, None, "geen termijn")
    left = int((deadline - now).total_seconds() // 60)
    text = f"{duration(-left)} te laat" if left < 0 else f"nog {duration(left)}"
    return Standing(left, left < 0, False, None, text)


def duration(minutes: int) -> str:
    """ "45 min", "2 u 5 min"."""
    return f"{minutes // 60} u {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
