"""Appointment slots: the earliest times a technician can do a job.

A slot fits the expected labour time plus the travel to the job from where he was before (his
previous appointment, or his home base at the start of a shift) and the travel on to his next
appointment; it lies inside one of his shifts and ends before the job's deadline. Times are
compared in UTC and returned in Europe/Amsterdam.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import islice

from geo.point import Point
from server.domain.dispatch import (
    DEFAULT_RULES,
    ZONE,
    Candidate,
    DispatchRules,
    Job,
    effective_deadline,
    origin_of,
)
from server.domain.duty import duty_windows


@dataclass(frozen=True)
class Appointment:
    """Time he is already taken; `location` None means somewhere unknown (his home base is
    assumed for the travel after it)."""

    start: datetime
    end: datetime
    location: Point | None = None
    dossier_id: int | None = None


@dataclass(frozen=True)
class Slot:
    technician_id: int
    technician_name: str
    start: datetime
    end: datetime
    travel_minutes: float


@dataclass(frozen=True)
class SlotRules:
    """`step_minutes`: slots start on whole quarters (Amsterdam's offset is whole hours, so
    rounding in UTC gives local quarters). `unknown_travel_minutes`: the travel assumed when
    neither end of a trip has a known location."""

    step_minutes: int = 15
    per_technician: int = 3
    unknown_travel_minutes: float = 30.0


def find_slots(
    job: Job,
    technicians: Iterable[Candidate],
    appointments: Mapping[int, Sequence[Appointment]],
    now: datetime,
    *,
    rules: DispatchRules = DEFAULT_RULES,
    slot_rules: SlotRules = SlotRules(),
    limit: int = 10,
    require_trade: bool = True,
) -> list[Slot]:
    """The earliest slots over all `technicians` (one chosen technician, or every one of a
    trade), at most `slot_rules.per_technician` each, earliest first, then by technician id."""
    now = now.astimezone(UTC)
    deadline = effective_deadline(job, now, rules)
    until = deadline if deadline is not None else now + rules.horizon
    plan = _Plan(job, now, deadline, until, rules, slot_rules)
    found: list[Slot] = []
    cutoff: datetime | None = None  # the latest start still among the best `limit`
    for technician in technicians:
        if require_trade and job.trade not in technician.trades:
            continue
        agenda = _agenda(appointments.get(technician.id, ()), now, until)
        for slot in islice(plan.slots(technician, agenda, cutoff), slot_rules.per_technician):
            found.append(slot)
        if len(found) >= limit:
            found.sort(key=_order)
            del found[limit:]
            cutoff = found[-1].start
    found.sort(key=_order)
    return [
        replace(s, start=s.start.astimezone(ZONE), end=s.end.astimezone(ZONE))
        for s in found[:limit]
    ]


def _order(slot: Slot) -> tuple[datetime, datetime, int]:
    return (slot.start, slot.end, slot.technician_id)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _agenda(
    appointments: Sequence[Appointment], now: datetime, until: datetime
) -> list[tuple[datetime, datetime, Point | None]]:
    """His appointments that matter for the search, in UTC, by start."""
    spans = ((_utc(a.start), _utc(a.end), a.location) for a in appointments)
    return sorted(
        (span for span in spans if span[1] > now and span[0] < until), key=lambda span: span[0]
    )


@dataclass(frozen=True)
class _Plan:
    """One job's slot search; every time in UTC."""

    job: Job
    now: datetime
    deadline: datetime | None
    until: datetime
    rules: DispatchRules
    slot_rules: SlotRules

    def slots(
        self,
        technician: Candidate,
        agenda: list[tuple[datetime, datetime, Point | None]],
        cutoff: datetime | None,
    ) -> Iterator[Slot]:
        """His slots in time order, the earliest start in each free gap of each shift; none
        starting after `cutoff` (the search already has enough earlier ones)."""
        last = self.until if cutoff is None else min(self.until, cutoff + timedelta(seconds=1))
        home = technician.home
        for window in duty_windows(technician.shifts, self.job.urgency, self.rules):
            if window.end <= self.now:
                continue
            if window.start >= last:
                return
            free_from = max(window.start, self.now)
            origin = origin_of(technician, free_from == self.now, self.now, self.rules)
            here = origin[0] if origin is not None else None
            for start, end, place in agenda:
                if end <= window.start:
                    continue
                if start >= window.end or free_from >= last:
                    break
                if start > free_from:
                    slot = self._fit(technician, free_from, start, here, place or home, True)
                    if slot is not None:
                        yield slot
                if end > free_from:
                    free_from, here = end, place or home
            if free_from < last:
                slot = self._fit(technician, free_from, window.end, here, None, False)
                if slot is not None:
                    yield slot

    def _fit(
        self,
        technician: Candidate,
        free_from: datetime,
        free_until: datetime,
        here: Point | None,
        next_place: Point | None,
        travel_on: bool,
    ) -> Slot | None:
        """The earliest start in the gap that leaves time to travel there, do the work and,
        before a next appointment (`travel_on`), travel on to it."""
        if free_until <= free_from or free_from >= self.until:
            return None
        travel_in = self._minutes(here, self.job.location)
        start = _ceil(free_from + timedelta(minutes=travel_in), self.slot_rules.step_minutes)
        end = start + timedelta(minutes=self.job.labour_minutes)
        travel_out = self._minutes(self.job.location, next_place) if travel_on else 0.0
        if end + timedelta(minutes=travel_out) > free_until:
            return None
        if self.deadline is not None and end > self.deadline:
            return None
        return Slot(technician.id, technician.name, start, end, travel_in)

    def _minutes(self, a: Point | None, b: Point | None) -> float:
        if a is None or b is None:
            return self.slot_rules.unknown_travel_minutes
        return self.rules.travel.estimate(a, b).minutes


def _ceil(moment: datetime, step_minutes: int) -> datetime:
    step = step_minutes * 60
    return datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, UTC)
