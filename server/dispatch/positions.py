"""Technicians' last positions are kept only while they are on duty and have consented
(docs/dispatch.md): `purge` removes every other one. The worker runs it every few minutes;
a position report from a technician who is off duty removes his own at once (duty.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server import settings
from server.dispatch import candidates
from server.models import TechnicianPosition


def max_age() -> timedelta:
    return timedelta(minutes=settings.POSITION_MAX_AGE_MINUTES)


async def purge(now: datetime | None = None) -> int:
    """Delete positions older than POSITION_MAX_AGE_MINUTES, and those of technicians who are
    off duty now (absent days included), have withdrawn consent or are no longer active.
    Returns how many were deleted."""
    now = now or datetime.now(UTC)
    deleted = await TechnicianPosition.filter(reported_at__lt=now - max_age()).delete()
    kept = [
        int(t)  # type: ignore[call-overload]
        for t in await TechnicianPosition.all().values_list("technician_id", flat=True)
    ]
    if not kept:
        return deleted
    crew = await candidates.load(now, ids=kept, horizon=timedelta(hours=1))
    on_duty = {
        c.id for c in crew if c.position_consent and any(s.start <= now < s.end for s in c.shifts)
    }
    gone = [t for t in kept if t not in on_duty]
    if gone:
        deleted += await TechnicianPosition.filter(technician_id__in=gone).delete()
    return deleted
