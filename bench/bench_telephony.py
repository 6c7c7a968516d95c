"""Telephony benchmarks on PostgreSQL: call events accepted per second, and the telephony
figures over a year of 2 million calls.

Run: .venv/bin/python -m bench.bench_telephony [events|figures|both] [--calls 2000000]
     [--event-calls 2000] [--concurrency 50] [--reload]
     [--url postgres://postgres@127.0.0.1:5432/fig_bench]

Uses its own database (default fig_bench, created when missing; the name must contain
'bench' because its tables are emptied).

events: the app in-process (httpx over ASGI, one event loop, the database's pool, as
  bench/bench_sync.py), `--concurrency` calls at once, each posting its offered, answered and
  ended events in order, signed as the telephony platform signs them; reports the events
  accepted per second and the latency per event.
figures: 2 million calls over one year for 10 clients (one has a quarter of them), generated
  inside PostgreSQL with generate_series (no rows through Python), then the figures of the
  largest client, of all clients, for a year and a month (median of --runs), and the plan of
  the hourly query.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from asgi_lifespan import LifespanManager

from bench.bench_insight import ensure_database
from server import db, settings
from server.contacts import signatures
from server.domain.kpis import Grain, Period
from server.insight import contact_hours, telephony
from server.insight.figures import Scope
from server.models import Client, InboundLine, User

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fig_bench"
SECRET = "bench-telephony-secret"
LINE = "+31852001400"
YEAR = Period(date(2025, 11, 1), date(2026, 10, 31))
CLIENTS = 10


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


# Call events.


async def _setup_events() -> None:
    await db.empty_all_tables()
    client = await Client.create(code="WST", name="Woonstad Bench")
    await InboundLine.create(client=client, kind="telefoon", value=LINE, label="Storingslijn")
    for n in range(20):
        await User.create(
            username=f"agent{n}", full_name=f"Agent {n}", role="agent", password_hash="x"
        )


async def _call(http: httpx.AsyncClient, n: int, latencies: list[float]) -> int:
    start = datetime.now(UTC) - timedelta(minutes=5)
    accepted = 0
    for kind, seconds in (("offered", 0), ("answered", 9), ("ended", 150)):
        body = json.dumps(
            {
                "call_id": f"bench-{n}",
                "event": kind,
                "at": (start + timedelta(seconds=seconds)).isoformat(),
                "from": f"+316{10_000_000 + n}",
                "to": LINE,
                "agent": f"agent{n % 20}",
            }
        ).encode()
        stamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "X-Meldkamer-Signature": signatures.sign(SECRET, stamp, body),
        }
        began = time.perf_counter()
        answer = await http.post("/api/v1/telephony/events", content=body, headers=headers)
        latencies.append(time.perf_counter() - began)
        if answer.status_code == 200 and answer.json()["applied"]:
            accepted += 1
        else:
            print("refused:", answer.status_code, answer.text[:200])
    return accepted


async def measure_events(calls: int, concurrency: int) -> None:
    settings.TELEPHONY_SECRETS = (SECRET,)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request costs as much
    await _setup_events()
    from server.app import create_app

    app = create_app(manage_db=False)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            await _call(http, -1, [])  # warm up: pool, templates, first plans
            latencies: list[float] = []
            queue: asyncio.Queue[int] = asyncio.Queue()
            for n in range(calls):
                queue.put_nowait(n)

            async def worker() -> int:
                done = 0
                while not queue.empty():
                    done += await _call(http, queue.get_nowait(), latencies)
                return done

            began, cpu = time.perf_counter(), time.process_time()
            accepted = sum(await asyncio.gather(*(worker() for _ in range(concurrency))))
            wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"call events on {db.dialect()}: {accepted:,} accepted of {calls * 3:,} in {wall:.1f} s "
        f"= {accepted / wall:,.0f} events/s ({concurrency} calls at once); per event p50 "
        f"{statistics.median(latencies) * 1000:.0f} ms, p99 {pct(latencies, 0.99) * 1000:.0f} ms; "
        f"app CPU {cpu / accepted * 1000:.2f} ms per event (this process, client included)"
    )


# Figures over a year.

INSERT = """
INSERT INTO contact (client_id, channel, source, caller, caller_name, line, agent_name,
  agent_ref, state, offered_at, answered_at, ended_at, registered_at, closed_at, wait_seconds,
  talk_seconds, wrap_seconds, subject, result_code, result_label, referred_to, note,
  transferred_to, transferred_name, transferred_at, created_at, updated_at)
SELECT c, ch, 'api', '+316' || (10000000 + g % 9000000)::text, '', $5, '', '',
  CASE WHEN missed THEN 'gemist' ELSE 'afgerond' END,
  t, CASE WHEN missed THEN NULL ELSE t + w * interval '1 second' END,
  t + (w + CASE WHEN missed THEN 0 ELSE talk END) * interval '1 second',
  CASE WHEN missed THEN NULL ELSE t + (w + talk + 30) * interval '1 second' END,
  CASE WHEN missed THEN NULL ELSE t + (w + talk + 30) * interval '1 second' END,
  w, CASE WHEN missed THEN NULL ELSE talk END, CASE WHEN missed THEN NULL ELSE 30 END,
  '', CASE WHEN missed THEN NULL WHEN x < 0.5 THEN 'opdracht' WHEN x < 0.8 THEN 'algemene_vraag'
    ELSE 'doorverwezen' END, '', '', '', '', '',
  CASE WHEN NOT missed AND x > 0.93 THEN t + (w + talk) * interval '1 second' END, t, t
FROM (
  SELECT g, $1::timestamptz + (g + random()) * $2 * interval '1 second' AS t,
    CASE WHEN random() < 0.25 THEN $3 ELSE $3 + 1 + floor(random() * ($4 - 1))::int END AS c,
    CASE WHEN random() < 0.9 THEN 'telefoon_in' WHEN random() < 0.6 THEN 'email'
      ELSE 'telefoon_uit' END AS ch,
    floor(-ln(1 - random()) * 14)::int AS w, 60 + floor(random() * 300)::int AS talk,
    random() AS x, random() AS p
  FROM generate_series($6::bigint, $7::bigint) g
) s, LATERAL (SELECT s.ch = 'telefoon_in' AND s.w > 20 + s.p * 130 AS missed) m
"""


async def load_year(url: str, calls: int) -> None:
    await db.empty_all_tables()
    clients = [await Client.create(code=f"C{n:03d}", name=f"Client {n}") for n in range(CLIENTS)]
    conn = await asyncpg.connect(url)
    try:
        step = 365 * 86400.0 / calls
        began = time.perf_counter()
        chunk = 500_000
        # Without the hourly-count triggers (a bulk load), then counted as the migration
        # counts existing contacts (contact_hours.backfill).
        await conn.execute("SET session_replication_role = replica")
        for first in range(0, calls, chunk):
            last = min(calls, first + chunk) - 1
            await conn.execute(INSERT, YEAR.start, step, clients[0].id, CLIENTS, LINE, first, last)
            print(f"  {last + 1:,} calls loaded ({time.perf_counter() - began:.0f} s)")
        await conn.execute("RESET session_replication_role")
        await conn.execute("VACUUM ANALYZE contact")
        print(
            f"loaded {calls:,} calls in {time.perf_counter() - began:.0f} s (with VACUUM ANALYZE)"
        )
        began = time.perf_counter()
        await conn.execute(f"DELETE FROM {contact_hours.TABLE}")
        await conn.execute(contact_hours.backfill(True))
        await conn.execute(f"VACUUM ANALYZE {contact_hours.TABLE}")
        hours = await conn.fetchval(f"SELECT count(*) FROM {contact_hours.TABLE}")
        print(
            f"hourly counts backfilled in {time.perf_counter() - began:.1f} s: {hours:,} rows "
            "(what migration 0022 does on an existing database)"
        )
    finally:
        await conn.close()


async def loaded(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM contact"))
    finally:
        await conn.close()


async def measure_figures(url: str, runs: int) -> None:
    largest = await Client.get(code="C000")
    print(
        "| scope | period | calls offered | figures (median) | hourly query | channels + results "
        "| before: hourly query over the calls |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    month = Period(date(2026, 10, 1), date(2026, 10, 31))
    for scope, who in ((Scope((largest.id,)), "largest client"), (Scope(None), "all clients")):
        for period, grain, label in ((YEAR, Grain.MAAND, "year"), (month, Grain.DAG, "month")):
            totals, hourly, rest, slow = [], [], [], []
            found: Any = None
            for _ in range(runs):
                began = time.perf_counter()
                found = await telephony.figures(scope, period, grain, 80)
                totals.append(time.perf_counter() - began)
                conn = db.connection()
                began = time.perf_counter()
                await telephony.hourly(conn, "postgres", scope, period)
                hourly.append(time.perf_counter() - began)
                began = time.perf_counter()
                await telephony.by_channel_and_result(conn, "postgres", scope, period)
                rest.append(time.perf_counter() - began)
                began = time.perf_counter()
                await telephony.hourly_from_contacts(conn, "postgres", scope, period)
                slow.append(time.perf_counter() - began)
            print(
                f"| {who} | {label} | {found.calls.total.offered:,} | "
                f"{statistics.median(totals):.3f} s | {statistics.median(hourly):.3f} s | "
                f"{statistics.median(rest):.3f} s | {statistics.median(slow):.2f} s |"
            )
    conn = await asyncpg.connect(url)
    try:
        await _backend_cpu(conn, largest.id)
        plan = await conn.fetch(
            f"EXPLAIN (ANALYZE, BUFFERS) SELECT hour, sum(contacts) FROM {contact_hours.TABLE} "
            "WHERE client_id = $1 AND hour >= $2 AND hour < $3 AND channel = 'telefoon_in' "
            "GROUP BY 1",
            largest.id,
            YEAR.start,
            YEAR.end,
        )
        print("\n".join(r[0] for r in plan))
    finally:
        await conn.close()


async def _backend_cpu(conn: asyncpg.Connection, client_id: int) -> None:
    """The CPU the PostgreSQL backend spends on a client's figures for the year (from
    /proc, so only with the server on this machine): what they cost on an idle core, whatever
    else the machine runs."""
    pid = await conn.fetchval("SELECT pg_backend_pid()")
    stat = f"/proc/{pid}/stat"
    if not os.path.exists(stat):
        return
    scope = Scope((client_id,))

    def cpu() -> float:
        with open(stat) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    sqls: list[tuple[str, list[Any]]] = []

    class Capture:
        """Takes the SQL the figures would run, to run it on this connection."""

        async def execute_query_dict(self, sql: str, values: list[Any]) -> list[Any]:
            sqls.append((sql, values))
            return []

    for make in (telephony.hourly, telephony.by_channel_and_result):
        await make(Capture(), "postgres", scope, YEAR)  # type: ignore[arg-type]
    await conn.execute("SET jit = off")
    runs = 5
    before = cpu()
    began = time.perf_counter()
    for _ in range(runs):
        for sql, values in sqls:
            await conn.fetch(sql, *values)
    spent, wall = (cpu() - before) / runs, (time.perf_counter() - began) / runs
    print(
        f"largest client, a year, both queries: backend CPU {spent:.2f} s per run "
        f"(wall {wall:.2f} s on the shared machine)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="?", choices=("events", "figures", "both"), default="both")
    parser.add_argument("--calls", type=int, default=2_000_000)
    parser.add_argument("--event-calls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args()

    async def run() -> None:
        await ensure_database(args.url)
        await db.migrate(args.url)
        await db.init(args.url)
        try:
            if args.what in ("events", "both"):
                await measure_events(args.event_calls, args.concurrency)
            if args.what in ("figures", "both"):
                if args.reload or args.what == "both" or await loaded(args.url) != args.calls:
                    await load_year(args.url, args.calls)
                await measure_figures(args.url, args.runs)
        finally:
            await db.close()

    asyncio.run(run())


if __name__ == "__main__":
    main()
