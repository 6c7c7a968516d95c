"""The arrival time a tenant is given when the technician sets off.

Plain arithmetic on a travel time (server/fieldwork/eta.py finds the trip): a few minutes to
get going and to park on top, never less than a sane minimum, rounded up to five minutes (a
tenant hears "rond 10:25", not "10:23"), and capped so that a far-off home base cannot promise
an arrival tomorrow. Without a travel time (no origin or no location known) the old default.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

# Walking to the van, parking and finding the door.
OVERHEAD_MINUTES = 5
MINIMUM_MINUTES = 10
STEP_MINUTES = 5
MAXIMUM_MINUTES = 240
DEFAULT_MINUTES = 30
# Arriving this much before the appointment starts means: he comes at the appointment.
EARLY = timedelta(hours=1)


def arrival_minutes(travel_minutes: float | None) -> int:
    """Minutes from setting off to the arrival the tenant is told."""
    if travel_minutes is None or not math.isfinite(travel_minutes) or travel_minutes < 0:
        return DEFAULT_MINUTES
    minutes = max(MINIMUM_MINUTES, travel_minutes + OVERHEAD_MINUTES)
    rounded = math.ceil(minutes / STEP_MINUTES - 1e-9) * STEP_MINUTES
    return int(min(MAXIMUM_MINUTES, rounded))


def told_arrival(eta: datetime, appointment_start: datetime | None) -> tuple[datetime, bool]:
    """The arrival a tenant is told, and whether it is the appointment time.

    He comes at the appointment, not at the moment his trip would end, when that is well before
    it: a job booked for the next morning that he set off for the evening before is announced
    as "dinsdag 8 december om 08:00", not "rond 17:25" today.
    """
    if appointment_start is not None and appointment_start - eta > EARLY:
        return appointment_start, True
    return eta, False
