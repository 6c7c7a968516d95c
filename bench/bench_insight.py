"""Dashboard and Excel export on a large PostgreSQL data set.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/mk_insight_bench \
     .venv/bin/python -m bench.bench_insight [--dossiers 1000000] [--clients 50] [--skip-load]

Generates dossiers over 3 years for N clients (office-hour peaks, Monday busiest, realistic
mixes of channel, category, urgency and outcome) with their event log (created + the phase
transitions), loaded with COPY through asyncpg, not the ORM. Then times the dashboard for one
client and for all clients (90 days and 365 days), and an export of 100,000 dossiers with its
peak memory (tracemalloc: Python allocations of this process).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from tempfile import mkstemp
from typing import Any

import asyncpg

from server import db, settings

CHANNELS = (("telefoon", 80), ("email", 8), ("web", 7), ("app", 5))
CATEGORIES = (
    ("cv_storing", 22),
    ("lekkage_woning", 18),
    ("lekkage_afvoer", 9),
    ("elektra", 9),
    ("buitensluiting", 8),
    ("glasschade", 7),
    ("lekkage_waterleiding", 7),
    ("overig", 7),
    ("inbraak", 4),
    ("lift", 3),
    ("boiler", 3),
    ("storm", 2),
    ("gaslek", 1),
)
URGENCY = (("acuut", 25), ("urgent", 40), ("niet_urgent", 35))
HOUR_WEIGHT = [1, 1, 1, 1, 1, 2, 3, 8, 18, 16, 14, 13, 11, 10, 10, 10, 9, 8, 6, 6, 5, 4, 3, 2]
DAY_WEIGHT = [18, 16, 14, 14, 11, 6, 5]
END = datetime(2026, 11, 1, tzinfo=UTC)
START = END - timedelta(days=3 * 365)


def _weights(clients: int, cache: dict[int, list[float]] = {}) -> list[float]:  # noqa: B006
    """Client sizes: C001 the largest corporation, a long tail of small ones."""
    if clients not in cache:
        cache[clients] = [1 / (i**0.8) for i in range(1, clients + 1)]
    return cache[clients]


def pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def moment(rng: random.Random) -> datetime:
    while True:
        at = START + timedelta(seconds=rng.random() * (END - START).total_seconds())
        if (
            rng.random() * 18 < DAY_WEIGHT[at.weekday()]
            and rng.random() * 18 < HOUR_WEIGHT[(at.hour + 1) % 24]
        ):
            return at


def dossier(rng: random.Random, n: int, clients: int) -> tuple[dict[str, Any], list[tuple]]:
    created = moment(rng)
    urgency = pick(rng, URGENCY)
    events: list[tuple[datetime, str, dict[str, str]]] = [(created, "created", {})]
    at, phase = created, "nieuw"

    def move(to: str, minutes: float) -> None:
        nonlocal at, phase
        at = at + timedelta(minutes=minutes)
        events.append((at, "transition", {"from": phase, "to": to}))
        phase = to

    row: dict[str, Any] = {"technician_id": None, "result_code": None, "closed_at": None}
    fate = rng.random()
    if urgency == "niet_urgent" or fate < 0.2:
        move("op_afstand_opgelost", rng.expovariate(1 / 20))
        row["result_code"] = rng.choice(["telefonisch_opgelost", "geen_actie_niet_urgent"])
    else:
        move("analyseren", rng.expovariate(1 / 10))
        move("doorgezet_naar_monteur", rng.expovariate(1 / 30))
        visits = 1 if rng.random() < 0.8 else 2
        for v in range(visits):
            if v:
                move("doorgezet_naar_monteur", 60)
            move("afspraak_ingepland", rng.expovariate(1 / 15))
            wait = 90 if urgency == "acuut" else rng.expovariate(1 / (60 * 20))
            move("in_uitvoering", wait * rng.uniform(0.5, 1.5))
            move("afgerond", rng.uniform(30, 150))
        row["technician_id"] = None
        row["result_code"] = "verholpen" if rng.random() < 0.85 else "niet_verholpen"
    if at > END:  # still open at the end of the data set
        events = [e for e in events if e[0] <= END]
        phase = events[-1][2].get("to", "nieuw") if len(events) > 1 else "nieuw"
        row["result_code"] = None
    else:
        row["closed_at"] = at
    first_contact = created + timedelta(minutes=rng.expovariate(1 / 300))
    row.update(
        id=n,
        order_number=f"MK-B-{n:08d}",
        client_id=rng.choices(range(1, clients + 1), _weights(clients))[0],
        channel=pick(rng, CHANNELS),
        category=pick(rng, CATEGORIES),
        urgency=urgency,
        phase=phase,
        created_at=created,
        updated_at=at,
        first_contact_at=first_contact if first_contact < END else None,
        postcode=f"{rng.randint(1000, 9999)}{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}",
        city="Utrecht",
        street="Benchstraat",
        house_number=rng.randint(1, 300),
        contact_name="Bench Huurder",
        contact_name_search="bench huurder",
    )
    return row, [(n, e[0], e[1], e[2]) for e in events]


async def load(url: str, count: int, clients: int, seed: int = 7) -> None:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
    await conn.execute("TRUNCATE dossier_event, dossier, client RESTART IDENTITY CASCADE")
    await conn.executemany(
        "INSERT INTO client (id, code, name, kind, email, phone, office_hours, oncall_name, "
        "oncall_phone, oncall_email, settings, active, created_at) VALUES "
        "($1, $2, $3, 'woningcorporatie', '', '', '{}', '', '', '', $4, true, now())",
        [
            (i, f"C{i:03d}", f"Corporatie {i}", json.dumps({"acuut_norm_minutes": 120}))
            for i in range(1, clients + 1)
        ],
    )
    cols = await conn.fetch(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = 'dossier' ORDER BY ordinal_position"
    )
    rng = random.Random(seed)
    batch, events, event_id = 50_000, 0, 0
    started = time.perf_counter()
    for first in range(1, count + 1, batch):
        rows, ev = [], []
        for n in range(first, min(first + batch, count + 1)):
            row, evs = dossier(rng, n, clients)
            rows.append(tuple(_value(row, c) for c in cols))
            for dossier_id, at, kind, data in evs:
                event_id += 1
                ev.append((event_id, dossier_id, at, "bench", kind, json.dumps(data)))
        await conn.copy_records_to_table(
            "dossier", records=rows, columns=[c["column_name"] for c in cols]
        )
        await conn.copy_records_to_table(
            "dossier_event",
            records=ev,
            columns=["id", "dossier_id", "at", "actor_name", "kind", "data"],
        )
        events += len(ev)
    await conn.execute("ANALYZE dossier; ANALYZE dossier_event; ANALYZE client")
    print(
        f"loaded {count:,} dossiers and {events:,} events for {clients} clients "
        f"in {time.perf_counter() - started:.0f} s"
    )
    await conn.close()


def _value(row: dict[str, Any], col: Any) -> Any:
    name, kind = col["column_name"], col["data_type"]
    if name in row:
        value = row[name]
        return json.dumps(value) if kind in ("json", "jsonb") else value
    if col["is_nullable"] == "YES":
        return None
    if kind in ("json", "jsonb"):
        return "{}"
    if "int" in kind:
        return 1
    if kind == "boolean":
        return False
    if "timestamp" in kind:
        return row["created_at"]
    return ""


async def measure(clients: int) -> None:
    from server.domain import kpis
    from server.insight import archive, dashboard, export
    from server.models import User

    await db.init()
    desk = await User.filter(role="admin").first() or await User.create(
        username="bench.admin", full_name="Bench", role="admin", password_hash="x"
    )
    now = END
    for days in (90, 365):
        period = kpis.Period(date(2026, 10, 31) - timedelta(days=days - 1), date(2026, 10, 31))
        for code in ("C001", ""):
            t = time.perf_counter()
            board = await dashboard.build(desk, code, period, None, now)
            took = time.perf_counter() - t
            who = f"client {code}" if code else "all clients"
            print(
                f"dashboard {days:>3} days, {who:<12}: {took:6.2f} s "
                f"({board.kpis[0].current:,.0f} reports)"
            )
    qs = archive.query(desk, archive.parse({"status": "alle"})).filter(id__lte=100_000)
    handle, name = mkstemp(suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    rows = await export.write(qs, list(export.COLUMNS), path)
    took = time.perf_counter() - t
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"export {rows:,} rows x {len(export.COLUMNS)} columns: {took:.1f} s, peak RSS "
        f"{rss_after / 1024:.0f} MiB (+{(rss_after - rss_before) / 1024:.0f} MiB during the "
        f"export), file {path.stat().st_size / 2**20:.1f} MiB"
    )
    # Python allocations alone, on a smaller run (tracemalloc slows everything down).
    tracemalloc.start()
    await export.write(qs.filter(id__lte=20_000), list(export.COLUMNS), path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"export 20,000 rows under tracemalloc: peak Python allocations {peak / 2**20:.1f} MiB")
    path.unlink()
    await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    assert settings.DATABASE_URL.startswith("postgres"), "the benchmark runs on PostgreSQL"

    async def run() -> None:
        await db.migrate()
        if not args.skip_load:
            await load(settings.DATABASE_URL, args.dossiers, args.clients)
        await measure(args.clients)

    asyncio.run(run())


if __name__ == "__main__":
    main()
