"""The arrival time a tenant is given when the technician sets off.

Plain arithmetic on a travel time (server/fieldwork/eta.py finds the trip): a few minutes to
get going and to park on top, never less than a sane minimum, rounded up to five minutes (a
tenant hears "rond 10:25", not "10:23"), and capped so that a far-off home base cannot promise
an arrival tomorrow. Without a travel time (no origin or no location known) the old default.
"""

from __future__ import annotations

import math

# Walking to the van, parking and finding the door.
OVERHEAD_MINUTES = 5
MINIMUM_MINUTES = 10
STEP_MINUTES = 5
MAXIMUM_MINUTES = 240
DEFAULT_MINUTES = 30


def arrival_minutes(travel_minutes: float | None) -> int:
    """Minutes from setting off to the arrival the tenant is told."""
    if travel_minutes is None or not math.isfinite(travel_minutes) or travel_minutes < 0:
        return DEFAULT_MINUTES
    minutes = max(MINIMUM_MINUTES, travel_minutes + OVERHEAD_MINUTES)
    rounded = math.ceil(minutes / STEP_MINUTES - 1e-9) * STEP_MINUTES
    return int(min(MAXIMUM_MINUTES, rounded))
