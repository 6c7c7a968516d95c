"""Quiet hours: when a message to a tenant that can wait is held back until morning.

Only `niet_urgent` messages to tenants wait. Acute and urgent ones go at once (an urgent
appointment may be tonight), and so do messages to a client's on-call contact and "monteur
onderweg" (he is on his way now), and the code of a tenant reporting online (they are waiting
for it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.messaging.kinds import TO_CLIENT, Kind

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_RANGE = re.compile(r"\s*([0-2]?[0-9]):([0-5][0-9])\s*-\s*([0-2]?[0-9]):([0-5][0-9])\s*")
# Kinds that are about this very moment, or that go to the client: never held back.
NEVER_HELD = frozenset({Kind.MONTEUR_ONDERWEG, Kind.VERIFICATIECODE, *TO_CLIENT})


@dataclass(frozen=True)
class QuietHours:
    """From `start` to `end` local time; across midnight when `start` is later than `end`."""

    start: time
    end: time
    zone: ZoneInfo = field(default=AMSTERDAM)

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError(f"quiet hours {self.start:%H:%M}-{self.end:%H:%M} are empty")

    @classmethod
    def parse(cls, text: str, zone: ZoneInfo = AMSTERDAM) -> QuietHours | None:
        """`21:00-08:00` (the QUIET_HOURS setting); an empty text means no quiet hours."""
        if not text.strip():
            return None
        match = _RANGE.fullmatch(text)
        if not match:
            raise ValueError(f"quiet hours {text!r}: write them as 21:00-08:00")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if h1 > 23 or h2 > 23:
            raise ValueError(f"quiet hours {text!r}: hours run from 00 to 23")
        return cls(time(h1, m1), time(h2, m2), zone)

    def end_after(self, now: datetime) -> datetime | None:
        """The end of the quiet period `now` falls in, or None when it is not quiet."""
        local = now.astimezone(self.zone)
        at = local.time().replace(tzinfo=None)
        if self.start < self.end:
            quiet = self.start <= at < self.end
        else:
            quiet = at >= self.start or at < self.end
        if not quiet:
            return None
        day = local.date() if at < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=self.zone)


def deliver_at(now: datetime, urgency: str, kind: str, quiet: QuietHours | None) -> datetime:
    """When a message of this kind and urgency may be sent: `now`, or the end of quiet hours.

    `urgency` is a dossier urgency code (acuut, urgent, niet_urgent); `now` must carry a time
    zone, and the answer is in the same zone.
    """
    if now.tzinfo is None:
        raise ValueError("deliver_at needs an aware datetime")
    if quiet is None or urgency != "niet_urgent" or kind in NEVER_HELD:
        return now
    end = quiet.end_after(now)
    return now if end is None else end.astimezone(now.tzinfo)
