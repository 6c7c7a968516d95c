"""Call events in-process on PostgreSQL: the app's CPU per event, and where it goes.

Run: DATABASE_URL=postgres://…/x_bench REDIS_URL=redis://127.0.0.1:6379/N \\
         .venv/bin/python -m bench.profile_call_events [--count 3000] [--profile [cprofile]]

The same signed events bench/bench_call_events.py posts (calls of offered, answered, ended,
a call's events apart), sent straight into the ASGI app (no sockets, no uvicorn, no HTTP
client in the figure), 50 at a time. The database (its name must contain 'bench') is emptied
and set up as bench_call_events does; Redis at REDIS_URL is flushed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

PROFILERS = ["pyinstrument", "cprofile"]
AT_ONCE = 50


async def post(app: Any, sig: str, body: bytes) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/telephony/events",
        "raw_path": b"/api/v1/telephony/events",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-meldkamer-signature", sig.encode()),
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def run(count: int, profile: str) -> None:
    from asgi_lifespan import LifespanManager

    from bench.bench_call_events import events, prepare
    from server import settings
    from server.app import create_app

    await prepare(settings.DATABASE_URL, settings.REDIS_URL or "")
    app = create_app()
    found = events(f"p{int(time.time())}", count // 3 + 1)
    queue = list(reversed(found))
    bad: list[int] = []

    async def worker(n: int) -> int:
        done = 0
        while queue and done < n:
            sig, body = queue.pop()
            status = await post(manager.app, sig, body)
            if status != 200:
                bad.append(status)
            done += 1
        return done

    async def burst(n: int) -> tuple[int, float, float]:
        began, began_cpu = time.perf_counter(), time.process_time()
        done = sum(await asyncio.gather(*(worker(n // AT_ONCE) for _ in range(AT_ONCE))))
        return done, time.perf_counter() - began, time.process_time() - began_cpu

    async with LifespanManager(app) as manager:
        await burst(500)  # warm-up: imports, caches, the pool
        if profile == "cprofile":
            import cProfile
            import pstats

            cprofiler = cProfile.Profile(time.process_time)
            cprofiler.enable()
            done, wall, cpu = await burst(count)
            cprofiler.disable()
            if os.environ.get("PROFILE_DUMP"):
                cprofiler.dump_stats(os.environ["PROFILE_DUMP"])
            stats = pstats.Stats(cprofiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime"))
            stats.print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        elif profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005, async_mode="disabled")
            profiler.start()
            done, wall, cpu = await burst(count)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
        else:
            done, wall, cpu = await burst(count)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"{done} events, {AT_ONCE} at once: {done / wall:.0f} events/s, "
        f"CPU {cpu * 1000 / done:.3f} ms per event (this process: app and asyncpg/redis "
        f"clients); not 200: {len(bad)}; load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--profile", nargs="?", const="pyinstrument", default="", choices=PROFILERS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    os.environ["TELEPHONY_SECRET"] = "bench-telephony-secret"  # bench_telephony.SECRET
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("SECRET_KEY", "profile-secret-key-not-for-production")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    asyncio.run(run(args.count, args.profile))


if __name__ == "__main__":
    main()
