"""The ranking index kept per process across suggestions (docs/dispatch.md, "Kept index").

Built once from every active technician with his shifts for the days ahead; each suggestion
first reads the dispatch generations (one small query, server/models/dispatch.py), which
database triggers change in the same transaction as the change, whichever process makes it:

- `crew` changed (technicians, trades, rosters, absences, coverage): build again;
- `positions` changed: the positions stamped after the kept value are read and put in place
  (CandidateIndex.move: no rebuild until MOVES_KEPT of them); `positions_gone` changed: all
  positions are read again;
- `loads` changed: the open jobs are counted again; nothing spatial is rebuilt.

Shifts are expanded for KEEP_DAYS from the build; a suggestion that needs them farther ahead,
or asks about a moment before the build, builds again (or, beyond KEEP_DAYS, is not served).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from geo.point import Point
from server import db
from server.dispatch import candidates
from server.domain.dispatch import CandidateIndex, Coverage, DispatchRules, Position
from server.models import TechnicianPosition

CREW, POSITIONS, GONE, LOADS = "crew", "positions", "positions_gone", "loads"
KEEP_DAYS = 10


@dataclass
class Kept:
    generations: dict[str, int]
    rules: DispatchRules
    built: datetime
    index: CandidateIndex
    # Every technician's last position as the index has it, by technician id.
    positions: dict[int, Position] = field(default_factory=dict)
    # Where each technician stands in the index, by id.
    numbers: dict[int, int] = field(default_factory=dict)
    coverage: dict[int, Coverage | None] = field(default_factory=dict)

    def serves(self, now: datetime, horizon: timedelta, rules: DispatchRules) -> bool:
        """Its shifts run from a day before the build; candidates.load asks for them from a
        day before `now` to `now + horizon`."""
        return (
            rules == self.rules
            and self.built <= now
            and now + horizon <= self.built + timedelta(days=KEEP_DAYS)
        )


_kept: Kept | None = None
_lock = asyncio.Lock()


async def generations() -> dict[str, int]:
    """The current dispatch generations; a kind never changed has none."""
    _, rows = await db.connection().execute_query("SELECT name, value FROM dispatch_generation")
    return {str(row[0]): int(row[1]) for row in rows}


async def index(now: datetime, horizon: timedelta, rules: DispatchRules) -> Kept | None:
    """The kept index, current as of the generations read now; None when `horizon` reaches
    beyond what is kept (the caller loads what it needs itself)."""
    global _kept
    now = now.astimezone(UTC)
    if horizon > timedelta(days=KEEP_DAYS - 1):
        return None
    current = await generations()
    kept = _kept
    if kept is not None and kept.generations == current and kept.serves(now, horizon, rules):
        return kept
    async with _lock:
        kept = _kept
        # Read before the rows: a change committed meanwhile shows as a newer generation on
        # the next suggestion, which reads again.
        current = await generations()
        if (
            kept is None
            or kept.generations.get(CREW) != current.get(CREW)
            or not kept.serves(now, horizon, rules)
        ):
            kept = await _build(now, rules, current)
        else:
            if any(kept.generations.get(k) != current.get(k) for k in (POSITIONS, GONE)):
                kept = await _moved(kept, current)
            if kept.generations.get(LOADS) != current.get(LOADS):
                kept = await _loaded(kept)
            kept = replace(kept, generations=current)
        _kept = kept
        return kept


async def coverage(kept: Kept, client_id: int) -> Coverage | None:
    """The client's coverage rules, kept with the index (they change the `crew` generation)."""
    if client_id not in kept.coverage:
        kept.coverage[client_id] = await candidates.coverage(client_id)
    return kept.coverage[client_id]


def forget() -> None:
    """Drop the kept index (a test that changes the clock's day, a changed setting)."""
    global _kept
    _kept = None


async def _build(now: datetime, rules: DispatchRules, current: dict[str, int]) -> Kept:
    # From a day before now, like candidates.load, so a shift begun yesterday is there.
    everyone = await candidates.load(now, horizon=timedelta(days=KEEP_DAYS))
    positions = {c.id: c.position for c in everyone if c.position is not None}
    numbers = {c.id: n for n, c in enumerate(everyone)}
    return Kept(current, rules, now, CandidateIndex(everyone, None, rules), positions, numbers)


async def _moved(kept: Kept, current: dict[str, int]) -> Kept:
    """New positions into the index: those that changed, in place (CandidateIndex.move);
    a new index when too many points were added that way. Only the rows stamped after the
    kept generation are read, unless positions were deleted or the count started again."""
    was, now = kept.generations.get(POSITIONS), current.get(POSITIONS)
    if kept.generations.get(GONE) == current.get(GONE) and was is not None and (now or 0) > was:
        fresh = await _positions(was)
        positions = {**kept.positions, **fresh}
    else:
        fresh = positions = await _positions(None)
    changed = {t for t, p in fresh.items() if kept.positions.get(t) != p}
    changed |= kept.positions.keys() - positions.keys()
    index = kept.index
    fits = True
    for technician_id in changed:
        number = kept.numbers.get(technician_id)
        if number is not None:
            moved = replace(index.candidates[number], position=positions.get(technician_id))
            fits = index.move(number, moved) and fits
    if not fits:
        index = CandidateIndex(index.candidates, None, kept.rules)
        index.keep_windows(kept.index)
    return replace(kept, index=index, positions=positions)


async def _positions(after: int | None) -> dict[int, Position]:
    """The positions stamped after generation `after`, or (None) all of them."""
    qs = TechnicianPosition.all() if after is None else TechnicianPosition.filter(stamp__gt=after)
    rows = await qs.values_list("technician_id", "latitude", "longitude", "reported_at")
    return {int(t): Position(Point(lat, lon), at) for t, lat, lon, at in rows}


async def _loaded(kept: Kept) -> Kept:
    loads = await candidates.open_jobs(None)
    everyone = [
        c if c.open_jobs == loads.get(c.id, 0) else replace(c, open_jobs=loads.get(c.id, 0))
        for c in kept.index.candidates
    ]
    return replace(kept, index=kept.index.with_loads(everyone))
