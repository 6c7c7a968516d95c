"""Suggestions and slots for one dossier through the server's services, from the database:
500 technicians of the trade with weekly rosters, home bases around Utrecht, 500 open jobs.

Run: DATABASE_URL=postgres://… .venv/bin/python -m bench.bench_dispatch_db [--queries N]

The schema is (re)built by the migrations in the database named by DATABASE_URL, which must be
a scratch database: its tables are emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server import db, settings
from server.dispatch import appointment_slots, suggestions
from server.models import Client, Dossier, RosterEntry, Technician, User

AMS = ZoneInfo("Europe/Amsterdam")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=AMS)


async def build(rng: random.Random, technicians: int) -> tuple[User, list[Dossier]]:
    client = await Client.create(code="BENCH", name="Bench Wonen")
    agent = await User.create(username="bench.agent", role="agent", password_hash="x")
    await Technician.bulk_create(
        [
            Technician(
                name=f"Monteur {n}",
                trades=["LOO"],
                home_latitude=52.09 + rng.uniform(-0.27, 0.27),
                home_longitude=5.12 + rng.uniform(-0.44, 0.44),
            )
            for n in range(technicians)
        ]
    )
    techs = await Technician.all()
    await RosterEntry.bulk_create(
        [
            RosterEntry(technician=t, weekday=day, start_minute=480, end_minute=1020)
            for t in techs
            for day in range(5)
        ]
    )
    dossiers = []
    for n in range(technicians + 50):
        lat, lon = 52.09 + rng.uniform(-0.27, 0.27), 5.12 + rng.uniform(-0.44, 0.44)
        assigned = n < technicians
        start = TUESDAY_10 + timedelta(hours=rng.randint(0, 30))
        dossiers.append(
            Dossier(
                order_number=f"MK-2026-{n:06d}",
                client=client,
                street="Straat",
                house_number=n + 1,
                postcode="3572AB",
                city="Utrecht",
                latitude=lat,
                longitude=lon,
                geo_precision="adres",
                geo_source="bench",
                contact_name="Huurder",
                channel="telefoon",
                category="lekkage_afvoer",
                urgency="urgent",
                trade="LOO",
                labour_minutes=60,
                deadline_at=TUESDAY_10 + timedelta(hours=24),
                phase="afspraak_ingepland" if assigned else "nieuw",
                technician=rng.choice(techs) if assigned else None,
                appointment_start=start if assigned else None,
                appointment_end=start + timedelta(hours=1) if assigned else None,
                created_at=TUESDAY_10 - timedelta(hours=1),
            )
        )
    await Dossier.bulk_create(dossiers)
    return agent, await Dossier.filter(phase="nieuw")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def main(technicians: int, queries: int) -> None:
    await db.migrate()
    await db.init()
    try:
        await db.empty_all_tables()
        rng = random.Random(7)
        agent, open_ = await build(rng, technicians)
        for label, call in (
            ("suggestions", lambda d: suggestions.suggest(agent, d, now=TUESDAY_10)),
            ("slots (trade)", lambda d: appointment_slots.slots_for(agent, d, now=TUESDAY_10)),
        ):
            times = []
            for n in range(queries):
                d = open_[n % len(open_)]
                started = time.perf_counter()
                await call(d)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{label:<15} {technicians} technicians on {db.dialect()}: "
                f"p50 {statistics.median(times):.1f} ms, p99 {pct(times, 0.99):.1f} ms "
                f"({queries} queries)"
            )
    finally:
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--technicians", type=int, default=500)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    print(f"database: {settings.DATABASE_URL.split('@')[-1]}")
    asyncio.run(main(args.technicians, args.queries))
