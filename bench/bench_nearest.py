"""Nearest suitable technician among 10,000: p50/p99 of one dispatch suggestion.

Run: .venv/bin/python -m bench.bench_nearest [--technicians N] [--queries N] [--scan-queries N]

Sixty contractors each work in one PC4 range (PC4 numbers follow geography) and cover it for
8 of 12 clients; their technicians live at PC4 centroids in that range, 2 km of jitter. Each
technician has one or two trades (plumbers and heating engineers most common), a week of
shifts from one of four rosters (one with evening, weekend and holiday on-call duty), 0-4 open
jobs, and 40 % report a recent position with consent. Jobs sit at random PC4 centroids, 30 %
acuut, the rest urgent with a 24-hour deadline.

Measured per query, with and without coverage rules: `rank_nearby` (per-trade spatial index,
radius doubling until the answer is exact) for the best 10, the index built once; `rank`
scanning every technician, as a baseline, which also checks that both give the same answer;
and the index build on its own (what a change of positions costs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock
from typing import TypeVar
from zoneinfo import ZoneInfo

from geo.pc4 import load_table
from geo.point import Point
from server.domain.dispatch import (
    Candidate,
    CandidateIndex,
    Coverage,
    CoverageRule,
    Job,
    Position,
    rank,
    rank_nearby,
)
from server.domain.duty import Roster, Shift, expand_roster

T = TypeVar("T")
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=AMS)  # a Tuesday
TRADES = ["LOO", "CVI", "ELE", "TIM", "GLA", "DAK", "ONT", "SCH", "ALA", "OVE"]
TRADE_WEIGHTS = [25, 25, 15, 10, 8, 5, 5, 3, 2, 2]
CLIENTS = 12
CONTRACTORS = 60


def rosters() -> list[list[Shift]]:
    week = (NOW - timedelta(days=1), NOW + timedelta(days=7))
    patterns = [
        Roster(),
        Roster(working_hours={day: [(clock(7), clock(16))] for day in range(5)}),
        Roster(working_hours={day: [(clock(12), clock(21))] for day in range(6)}),
        Roster(on_call_evenings=True, on_call_weekends=True, on_call_holidays=True),
    ]
    return [expand_roster(pattern, *week) for pattern in patterns]


def jitter(rng: random.Random, point: Point, km: float) -> Point:
    return Point(point.lat + rng.uniform(-km, km) / 111.2, point.lon + rng.uniform(-km, km) / 68.0)


def regions(rng: random.Random) -> list[tuple[int, int]]:
    """Each contractor works in one PC4 range (PC4 numbers run roughly with geography)."""
    result = []
    for _ in range(CONTRACTORS):
        start = rng.randrange(1000, 9700)
        result.append((start, min(9999, start + rng.randrange(300, 1200))))
    return result


def technicians(count: int, rng: random.Random, areas: list[tuple[int, int]]) -> list[Candidate]:
    table = load_table()
    shifts = rosters()
    result = []
    for number in range(count):
        contractor = rng.randrange(CONTRACTORS)
        low, high = areas[contractor]
        local = [point for code, point in table.items() if low <= int(code) <= high]
        home = jitter(rng, rng.choice(local), 2.0)
        trades = frozenset(rng.choices(TRADES, TRADE_WEIGHTS, k=rng.choice((1, 2))))
        position = None
        if rng.random() < 0.4:
            seen = NOW - timedelta(minutes=rng.uniform(0, 25))
            position = Position(jitter(rng, home, 15.0), seen)
        result.append(
            Candidate(
                id=number,
                name=f"Monteur {number}",
                trades=trades,
                contractor_id=contractor,
                shifts=tuple(rng.choices(shifts, (40, 25, 20, 15))[0]),
                home=home,
                position=position,
                position_consent=position is not None,
                open_jobs=rng.randrange(5),
            )
        )
    return result


def coverage(rng: random.Random, areas: list[tuple[int, int]]) -> Coverage:
    """Each contractor covers its own region for 8 of the 12 clients, every trade."""
    return Coverage(
        CoverageRule(contractor, client, low, high)
        for contractor, (low, high) in enumerate(areas)
        for client in rng.sample(range(CLIENTS), 8)
    )


def jobs(count: int, rng: random.Random) -> list[Job]:
    places = list(load_table().items())
    result = []
    for _ in range(count):
        pc4, point = rng.choice(places)
        acuut = rng.random() < 0.3
        result.append(
            Job(
                trade=rng.choices(TRADES, TRADE_WEIGHTS)[0],
                urgency="acuut" if acuut else "urgent",
                location=jitter(rng, point, 1.0),
                labour_minutes=rng.choice((30, 60, 90, 120)),
                deadline=None if acuut else NOW + timedelta(hours=24),
                client_id=rng.randrange(CLIENTS),
                postcode=pc4 + "AB",
            )
        )
    return result


class Millis(list[float]):
    """Wall times of calls, and beside them their CPU time (`cpu`): on a shared machine the
    wall time also counts the time other processes had the CPU."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def timed(fn: Callable[[], T], into: Millis) -> T:
    cpu = time.thread_time()
    started = time.perf_counter()
    result = fn()
    into.append((time.perf_counter() - started) * 1000.0)
    into.cpu.append((time.thread_time() - cpu) * 1000.0)
    return result


def report(name: str, millis: Millis) -> None:
    cpu = sorted(millis.cpu)
    ordered = sorted(millis)

    def p99(values: list[float]) -> float:
        return values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]

    print(
        f"{name:<44} n={len(ordered):>5}  p50 {statistics.median(ordered):8.2f} ms"
        f"  p99 {p99(ordered):8.2f} ms  max {ordered[-1]:8.2f} ms"
        f"  (CPU p50 {statistics.median(cpu):.2f} ms, p99 {p99(cpu):.2f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--technicians", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--scan-queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    areas = regions(rng)
    crowd = technicians(args.technicians, rng, areas)
    queries = jobs(args.queries, rng)
    builds = Millis()
    for _ in range(20):
        timed(lambda: CandidateIndex(crowd, NOW), builds)
    index = CandidateIndex(crowd, NOW)
    for label, cover in (("coverage rules", coverage(rng, areas)), ("no coverage rules", None)):
        print(f"\n{len(crowd)} technicians, {len(queries)} jobs, {label}")
        nearby = Millis()
        found = 0
        for job in queries:
            suggestions = timed(
                lambda job=job, cover=cover: rank_nearby(job, index, NOW, coverage=cover), nearby
            )
            found += bool(suggestions)
        scans = Millis()
        for job in queries[: args.scan_queries]:
            expected = timed(
                lambda job=job, cover=cover: rank(job, crowd, NOW, coverage=cover), scans
            )
            assert rank_nearby(job, index, NOW, coverage=cover) == expected, job
        report("rank_nearby: best 10, index prebuilt", nearby)
        report("rank: best 10, scanning everyone (baseline)", scans)
        print(
            f"jobs with a suggestion: {found}/{len(queries)}; "
            f"same answer as the scan on {len(scans)}"
        )
    print()
    report("index build (CandidateIndex, all technicians)", builds)


if __name__ == "__main__":
    main()
