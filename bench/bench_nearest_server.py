"""Nearest suitable technician among 10,000 through the server's path, from PostgreSQL:
p50/p99 of one suggestion (`suggestions.for_job`), wall and CPU time.

Run: DATABASE_URL=postgres://…/scratch_bench .venv/bin/python -m bench.bench_nearest_server
     [--technicians N] [--queries N] [--baseline-queries N] [--moves N]

The crowd, coverage and jobs are bench_nearest's (same seed): sixty contractors each covering
its PC4 range for 8 of 12 clients, four rosters, 40 % with a recent position, 0-4 open jobs,
stored as rows (technicians, roster entries, positions, coverage, assigned dossiers) in the
database named by DATABASE_URL, a scratch database: its tables are emptied first.

Measured per suggestion, with coverage rules:
- kept: the index kept across suggestions (server/dispatch/kept.py), warm; each call reads
  the dispatch generations, the client's coverage (kept), ranks and words the reasons;
- kept, a position report before each: one technician moves between suggestions, so every
  suggestion reads the positions again and rebuilds the spatial index;
- baseline: what every suggestion did before, loading and indexing the trade's technicians.
The kept answers are checked, for the baseline's jobs, against `rank` over everyone and
against the baseline's ranking.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bench.bench_nearest import (
    CLIENTS,
    CONTRACTORS,
    NOW,
    Millis,
    coverage,
    jobs,
    regions,
    report,
    rosters,
    technicians,
)
from server import db, settings
from server.dispatch import candidates, kept, suggestions
from server.domain.dispatch import Candidate, Job, Suggestion, rank
from server.models import (
    Client,
    Contractor,
    ContractorCoverage,
    Dossier,
    RosterEntry,
    Technician,
    TechnicianPosition,
)

# bench_nearest.rosters(): none, weekdays 7-16, six days 12-21, on call only.
ROSTER_ROWS = [
    [],
    [(day, 7 * 60, 16 * 60) for day in range(5)],
    [(day, 12 * 60, 21 * 60) for day in range(6)],
    [],
]
BATCH = 2000


async def store(crowd: list[Candidate]) -> dict[int, int]:
    """The crowd as rows; returns the clients' ids by their bench number."""
    clients = [await Client.create(code=f"B{n:02d}", name=f"Bench {n}") for n in range(CLIENTS)]
    firms = [
        await Contractor.create(code=f"F{n:02d}", name=f"Aannemer {n}") for n in range(CONTRACTORS)
    ]
    patterns = rosters()
    rows = [
        Technician(
            name=c.name,
            trades=sorted(c.trades),
            contractor_id=firms[c.contractor_id].id if c.contractor_id is not None else None,
            home_latitude=c.home.lat if c.home else None,
            home_longitude=c.home.lon if c.home else None,
            on_call_evenings=list(c.shifts) == patterns[3],
            on_call_weekends=list(c.shifts) == patterns[3],
            on_call_holidays=list(c.shifts) == patterns[3],
            position_consent=c.position_consent,
        )
        for c in crowd
    ]
    for start in range(0, len(rows), BATCH):
        await Technician.bulk_create(rows[start : start + BATCH])
    ids = [t for t in await Technician.all().order_by("id").values_list("id", flat=True)]
    entries, positions, dossiers = [], [], []
    for c, tech_id in zip(crowd, ids, strict=True):
        entries += [
            RosterEntry(technician_id=tech_id, weekday=w, start_minute=a, end_minute=b)
            for w, a, b in ROSTER_ROWS[patterns.index(list(c.shifts))]
        ]
        if c.position is not None:
            positions.append(
                TechnicianPosition(
                    technician_id=tech_id,
                    latitude=c.position.point.lat,
                    longitude=c.position.point.lon,
                    reported_at=c.position.at,
                )
            )
        dossiers += [
            Dossier(
                order_number=f"B-{tech_id}-{n}",
                client_id=clients[0].id,
                channel="telefoon",
                category="lekkage",
                phase="afspraak_ingepland",
                technician_id=tech_id,
                created_at=NOW - timedelta(days=1),
            )
            for n in range(c.open_jobs)
        ]
    for model, items in (
        (RosterEntry, entries),
        (TechnicianPosition, positions),
        (Dossier, dossiers),
    ):
        for start in range(0, len(items), BATCH):
            await model.bulk_create(items[start : start + BATCH])  # type: ignore[attr-defined]
    return {n: c.id for n, c in enumerate(clients)}


def _key(s: Suggestion) -> tuple[object, ...]:
    return (s.technician_id, s.score, s.arrival, s.makes_deadline, s.origin, s.distance_km)


async def timed(call: Callable[[], Awaitable[object]], into: Millis) -> object:
    cpu = time.thread_time()
    started = time.perf_counter()
    result = await call()
    into.append((time.perf_counter() - started) * 1000.0)
    into.cpu.append((time.thread_time() - cpu) * 1000.0)
    return result


async def main(args: argparse.Namespace) -> None:
    await db.migrate()
    await db.init()
    try:
        await db.empty_all_tables()
        rng = random.Random(args.seed)
        areas = regions(rng)
        crowd = technicians(args.technicians, rng, areas)
        queries = jobs(args.queries, rng)
        client_ids = await store(crowd)
        firm_ids = await Contractor.all().order_by("id").values_list("id", flat=True)
        rules = coverage(rng, areas).rules
        await ContractorCoverage.bulk_create(
            [
                ContractorCoverage(
                    contractor_id=firm_ids[r.contractor_id],
                    client_id=client_ids[r.client_id],
                    postcode_from=r.postcode_from,
                    postcode_to=r.postcode_to,
                )
                for r in rules
            ]
        )
        work = [
            Job(
                trade=j.trade,
                urgency=j.urgency,
                location=j.location,
                labour_minutes=j.labour_minutes,
                deadline=j.deadline,
                client_id=client_ids[j.client_id or 0],
                postcode=j.postcode,
            )
            for j in queries
        ]
        print(
            f"{len(crowd)} technicians, {len(work)} jobs, coverage rules, on {db.dialect()} "
            f"({settings.DATABASE_URL.split('@')[-1]}), load average {os.getloadavg()[0]:.1f}"
        )
        build = Millis()
        kept.forget()
        await timed(lambda: suggestions.for_job(work[0], NOW), build)
        warm = Millis()
        found = 0
        for job in work:
            result = await timed(lambda job=job: suggestions.for_job(job, NOW), warm)
            found += bool(result.items)  # type: ignore[attr-defined]
        moving = Millis()
        movers = await TechnicianPosition.all().limit(args.moves).values_list("id", flat=True)
        for n, job in enumerate(work[: args.moves]):
            await TechnicianPosition.filter(id=movers[n % len(movers)]).update(
                reported_at=NOW - timedelta(seconds=n % 600)
            )
            await timed(lambda job=job: suggestions.for_job(job, NOW), moving)
        baseline = Millis()
        everyone = await candidates.load(NOW, horizon=timedelta(days=kept.KEEP_DAYS))
        for job in work[: args.baseline_queries]:
            before = await timed(
                lambda job=job: suggestions.for_job(job, NOW, keep=False), baseline
            )
            now_kept = await suggestions.for_job(job, NOW)
            cover = await candidates.coverage(job.client_id or 0)
            # Exactly `rank` over everyone with the kept span of shifts; the same ranking as
            # before (a window running past the horizon now ends where the kept span ends).
            assert now_kept.items == rank(job, everyone, NOW, coverage=cover), job
            assert [_key(s) for s in now_kept.items] == [_key(s) for s in before.items], job
        report("kept index: build (first suggestion)", build)
        report("kept index, warm", warm)
        report("kept index, a position report before each", moving)
        report("baseline: load and index per suggestion", baseline)
        print(
            f"jobs with a suggestion: {found}/{len(work)}; kept answer equal to the baseline's "
            f"on {len(baseline)}"
        )
    finally:
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--technicians", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--baseline-queries", type=int, default=30)
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    asyncio.run(main(parser.parse_args()))
