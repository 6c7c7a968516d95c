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
    duty_windows,
    effective_deadline,
    origin_of,
)


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
    plan = _Plan(job, now, deadline, rules, slot_rules)
    found: list[Slot] = []
    for technician in technicians:
        if require_trade and job.trade not in technician.trades:
            continue
        agenda = sorted(
            (
                Appointment(a.start.astimezone(UTC), a.end.astimezone(UTC), a.location)
                for a in appointments.get(technician.id, ())
            ),
            key=lambda a: a.start,
        )
        found.extend(islice(plan.slots(technician, agenda), slot_rules.per_technician))
    found.sort(key=lambda s: (s.start, s.end, s.technician_id))
    return [
        replace(s, start=s.start.astimezone(ZONE), end=s.end.astimezone(ZONE))
        for s in found[:limit]
    ]


@dataclass(frozen=True)
class _Plan:
    """One job's slot search; every time in UTC."""

    job: Job
    now: datetime
    deadline: datetime | None
    rules: DispatchRules
    slot_rules: SlotRules

    @property
    def until(self) -> datetime:
        return self.deadline if self.deadline is not None else self.now + self.rules.horizon

    def slots(self, technician: Candidate, agenda: list[Appointment]) -> Iterator[Slot]:
        """His slots in time order: the earliest start in each free gap of each shift."""
        for window in duty_windows(technician.shifts, self.job.urgency, self.rules):
            if window.end <= self.now:
                continue
            if window.start >= self.until:
                return
            free_from = max(window.start, self.now)
            origin = origin_of(technician, free_from == self.now, self.now, self.rules)
            here = origin[0] if origin is not None else None
            for appointment in [a for a in agenda if a.end > window.start and a.start < window.end]:
                if appointment.start > free_from:
                    next_place = appointment.location or technician.home
                    slot = self._fit(
                        technician, free_from, appointment.start, here, next_place, True
                    )
                    if slot is not None:
                        yield slot
                if appointment.end > free_from:
                    free_from = appointment.end
                    here = appointment.location or technician.home
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
