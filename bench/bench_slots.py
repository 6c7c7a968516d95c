"""Slot search for a trade: 500 technicians with a week of appointments, p50/p99 per search.

Run: .venv/bin/python -m bench.bench_slots [--technicians N] [--queries N]

The technicians work in one province-sized area (about 60 x 60 km around Utrecht), Monday to
Friday 08:00-17:00 plus a Saturday morning for one in five, and have 4-7 appointments of
30-120 minutes on each working day of the week, each at its own address. A search asks for
the earliest 10 slots (at most 3 per technician) for a job somewhere in the area, at a moment
somewhere in the week: urgent with a 24-hour deadline, or not urgent with the whole week.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from geo.point import Point
from server.domain.dispatch import Candidate, Job
from server.domain.duty import Shift
from server.domain.slots import Appointment, find_slots

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 11, 23, tzinfo=AMS)
CENTRE = Point(52.09, 5.12)


def somewhere(rng: random.Random) -> Point:
    return Point(CENTRE.lat + rng.uniform(-0.27, 0.27), CENTRE.lon + rng.uniform(-0.44, 0.44))


def shifts(rng: random.Random) -> tuple[Shift, ...]:
    days = [MONDAY + timedelta(days=n) for n in range(5)]
    result = [Shift(day.replace(hour=8), day.replace(hour=17)) for day in days]
    if rng.random() < 0.2:
        saturday = MONDAY + timedelta(days=5)
        result.append(Shift(saturday.replace(hour=8), saturday.replace(hour=12)))
    return tuple(result)


def agenda(rng: random.Random, duty: tuple[Shift, ...]) -> list[Appointment]:
    result = []
    for shift in duty:
        moment = shift.start + timedelta(minutes=rng.choice((0, 15, 30)))
        for _ in range(rng.randint(4, 7)):
            length = timedelta(minutes=rng.choice((30, 45, 60, 90, 120)))
            if moment + length > shift.end:
                break
            # In UTC, as the database hands them out (server/db.py: use_tz, UTC).
            start, end = moment.astimezone(UTC), (moment + length).astimezone(UTC)
            result.append(Appointment(start, end, somewhere(rng)))
            moment += length + timedelta(minutes=rng.choice((15, 30, 45, 60)))
    return result


def team(count: int, rng: random.Random) -> tuple[list[Candidate], dict[int, list[Appointment]]]:
    technicians, agendas = [], {}
    for number in range(count):
        duty = shifts(rng)
        technicians.append(
            Candidate(
                id=number,
                name=f"Monteur {number}",
                trades=frozenset({"CVI"}),
                shifts=duty,
                home=somewhere(rng),
            )
        )
        agendas[number] = agenda(rng, duty)
    return technicians, agendas


def report(name: str, millis: list[float]) -> None:
    ordered = sorted(millis)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(
        f"{name:<40} n={len(ordered):>4}  p50 {statistics.median(ordered):8.2f} ms"
        f"  p99 {p99:8.2f} ms  max {ordered[-1]:8.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--technicians", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    technicians, agendas = team(args.technicians, rng)
    booked = sum(len(a) for a in agendas.values())
    print(f"{len(technicians)} technicians (trade CVI), {booked} appointments in one week")
    for urgency in ("urgent", "niet_urgent"):
        millis: list[float] = []
        empty = 0
        for _ in range(args.queries):
            now = MONDAY + timedelta(hours=rng.uniform(7, 24 * 5 + 12))
            deadline = now + timedelta(hours=24) if urgency == "urgent" else None
            job = Job("CVI", urgency, somewhere(rng), rng.choice((30, 60, 90)), deadline)
            started = time.perf_counter()
            slots = find_slots(job, technicians, agendas, now, limit=10)
            millis.append((time.perf_counter() - started) * 1000.0)
            empty += not slots
        report(f"find_slots, {urgency}, earliest 10", millis)
        print(f"  searches without any slot: {empty}/{args.queries}")


if __name__ == "__main__":
    main()
