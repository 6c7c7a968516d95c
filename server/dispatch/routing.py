"""Road travel times for the best few suggestions, from the routing engine at ROUTING_URL.

Ranking first uses the distance estimate for everyone (fast, no I/O: docs/geo.md); then one
OSRM table request asks the engine for the road trips of the best few, within ROUTING_TIMEOUT
seconds. When the engine is slow, down or answers nonsense, the estimate stands and the reasons
say so ("geschat, routeplanner gaf geen antwoord"); a suggestion never waits longer than that.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from geo.distance import RoutingClient, Travel
from geo.point import Point
from server import settings
from server.domain.dispatch import Candidate, DispatchRules, Job, Suggestion, refine

log = logging.getLogger("meldkamer.routing")
# How many of the best estimated suggestions the engine is asked about, at least.
REFINE_AT_LEAST = 10


def client() -> RoutingClient | None:
    if not settings.ROUTING_URL:
        return None
    return RoutingClient(settings.ROUTING_URL, timeout=settings.ROUTING_TIMEOUT)


def pool_size(limit: int) -> int:
    """How many to rank by estimate before asking the engine: twice what is shown, so someone
    just outside the shown few whose road trip is shorter than estimated can still move up."""
    return max(2 * limit, REFINE_AT_LEAST)


async def trips(engine: RoutingClient, origins: Sequence[Point], to: Point) -> dict[Point, Travel]:
    """Road trips by origin; raises when the engine gives no answer at all."""
    answers = await engine.table(origins, to)
    return {o: t for o, t in zip(origins, answers, strict=True) if t is not None}


async def refine_by_route(
    engine: RoutingClient,
    job: Job,
    pool: Sequence[Candidate],
    best: Sequence[Suggestion],
    now: datetime,
    rules: DispatchRules,
    limit: int,
) -> list[Suggestion]:
    """`best` (ranked by estimate) ranked again by road travel time, cut to `limit`."""
    by_id = {c.id: c for c in pool}
    origins = list(dict.fromkeys(s.origin_point for s in best if s.origin_point is not None))
    try:
        routes, failed = await trips(engine, origins, job.location), False
    except Exception as exc:  # noqa: BLE001 - any failure of the engine means: use the estimate
        log.warning(
            "routing engine gave no table, using the estimate: %s: %s", type(exc).__name__, exc
        )
        routes, failed = {}, True
    chosen = [by_id[s.technician_id] for s in best]
    return refine(job, chosen, now, routes, rules=rules, routing_failed=failed, limit=limit)
