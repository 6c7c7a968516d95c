"""Call events over real HTTP against a bare Starlette + asyncpg endpoint, side by side.

Run: .venv/bin/python -m bench.bench_call_events [--workers 2] [--duration 15]
         [--connections 50] [--url postgres://postgres@127.0.0.1:5432/fig_bench]

The database (default fig_bench, as bench/bench_telephony.py; the name must contain 'bench',
it is emptied) gets a client with its line and 20 desk agents. Two servers start under
uvicorn with the same options (bench/bench_http.py: h11, no access log, `--workers N`):

- the app, `POST /api/v1/telephony/events`, Redis at REDIS_URL (default
  redis://127.0.0.1:6379/7, flushed) for the screen pops, as in production;
- bench/bare_app.py `/bare_event`: checks the same signature, stores the event in one
  INSERT … ON CONFLICT DO NOTHING.

Each run posts events nobody sent before: calls of three events (offered, answered, ended),
signed as the platform signs them, a call's three events 400 requests apart (as the platform
sends them: seconds apart, many calls at once). wrk (Debian's package) replays them from a
file with a Lua script; without wrk a Python client (httpx) posts them. It prints events/s,
p50/p99 latency, errors, how many the server stored, the CPU its processes spent per event
(from /proc: comparable on a loaded machine, unlike the wall clock) and the ratio app / bare.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from bench.bench_http import Result, run_wrk, start, wait_listening
from bench.bench_insight import ensure_database
from bench.bench_telephony import DEFAULT_URL, LINE, SECRET

APP_PORT, BARE_PORT = 8821, 8822
APART = 400  # requests between a call's events
LUA = """
local lines, next_index, step = {}, 0, 1
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  for line in io.lines(args[1]) do table.insert(lines, line) end
  next_index, step = id, tonumber(args[2])
end
function request()
  local line = lines[(next_index % #lines) + 1]
  next_index = next_index + step
  local tab = line:find("\\t")
  local headers = {["Content-Type"] = "application/json",
                   ["X-Meldkamer-Signature"] = line:sub(1, tab - 1)}
  return wrk.format("POST", nil, headers, line:sub(tab + 1))
end
"""


def events(prefix: str, calls: int) -> list[tuple[str, bytes]]:
    """(signature header, body) for `calls` calls, a call's events APART requests apart."""
    from server.contacts import signatures

    start = datetime.now(UTC) - timedelta(minutes=5)
    stamp = int(time.time())

    def one(n: int, kind: str, seconds: int) -> tuple[str, bytes]:
        body = json.dumps(
            {
                "call_id": f"{prefix}-{n}",
                "event": kind,
                "at": (start + timedelta(seconds=seconds)).isoformat(),
                "from": f"+316{10_000_000 + n}",
                "to": LINE,
                "agent": f"agent{n % 20}",
            }
        ).encode()
        return signatures.sign(SECRET, stamp, body), body

    found = []
    for n in range(calls + 2 * APART):
        if n < calls:
            found.append(one(n, "offered", 0))
        if 0 <= n - APART < calls:
            found.append(one(n - APART, "answered", 9))
        if 0 <= n - 2 * APART < calls:
            found.append(one(n - 2 * APART, "ended", 150))
    return found


def write(found: list[tuple[str, bytes]], path: Path) -> Path:
    path.write_bytes(b"".join(sig.encode() + b"\t" + body + b"\n" for sig, body in found))
    return path


async def prepare(url: str, redis_url: str) -> None:
    from redis.asyncio import Redis

    from bench.bare_app import EVENT_TABLE
    from bench.bench_telephony import _setup_events
    from server import db

    await ensure_database(url)
    await db.migrate(url)
    await db.init(url)
    try:
        await _setup_events()
    finally:
        await db.close()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(EVENT_TABLE)
        await conn.execute("TRUNCATE bench_bare_event")
    finally:
        await conn.close()
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()


async def stored(url: str, prefix: str) -> tuple[int, int]:
    """Call events the app stored with this prefix, and the bare peer's."""
    conn = await asyncpg.connect(url)
    try:
        app = await conn.fetchval(
            "SELECT count(*) FROM call_event e JOIN contact c ON c.id = e.contact_id "
            "WHERE c.call_id LIKE $1",
            f"api:{prefix}-%",
        )
        bare = await conn.fetchval(
            "SELECT count(*) FROM bench_bare_event WHERE call_id LIKE $1", f"{prefix}-%"
        )
        return int(app), int(bare)
    finally:
        await conn.close()


async def run_python(name: str, url: str, found: list[tuple[str, bytes]], connections: int,
                     seconds: int) -> Result:  # fmt: skip
    latencies: list[float] = []
    errors = 0
    queue = list(reversed(found))
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        stop = time.monotonic() + seconds

        async def loop() -> None:
            nonlocal errors
            while time.monotonic() < stop and queue:
                sig, body = queue.pop()
                began = time.perf_counter()
                headers = {"content-type": "application/json", "X-Meldkamer-Signature": sig}
                response = await http.post(url, content=body, headers=headers)
                latencies.append((time.perf_counter() - began) * 1000)
                errors += response.status_code != 200

        began = time.monotonic()
        await asyncio.gather(*(loop() for _ in range(connections)))
        elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    p50, p99 = ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return Result(name, len(ordered) / elapsed, p50, p99, len(ordered), errors)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its descendants (uvicorn's workers),
    from /proc: what a server spends, whatever else the machine runs."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        if current in stats:
            total += int(stats[current][11]) + int(stats[current][12])
        todo += children.get(current, [])
    return total / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="uvicorn processes per server")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per server")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--calls", type=int, default=15_000, help="calls per run (3 events)")
    parser.add_argument("--client", choices=["wrk", "python"], default=None)
    parser.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args()
    if "bench" not in args.url.rsplit("/", 1)[-1]:
        raise SystemExit("The database's name must contain 'bench': it is emptied.")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    client = args.client or ("wrk" if shutil.which("wrk") else "python")
    asyncio.run(prepare(args.url, redis_url))
    env = {
        **os.environ,
        "DATABASE_URL": args.url,
        "REDIS_URL": redis_url,
        "TELEPHONY_SECRET": SECRET,
        "BENCH_TELEPHONY_SECRET": SECRET,
        "BENCH_DATABASE_URL": args.url.replace("postgres://", "postgresql://", 1),
        "BENCH_TOKEN": "unused",
    }
    servers = [
        start("server.app:create_app", APP_PORT, args.workers, env, "httptools"),
        start("bench.bare_app:app", BARE_PORT, args.workers, env, "httptools"),
    ]
    results: list[Result] = []
    loads: list[str] = []
    cpu_ms: list[float] = []
    run = f"r{int(time.time())}"
    try:
        wait_listening(APP_PORT)
        wait_listening(BARE_PORT)
        targets = [
            ("events (app)", f"http://127.0.0.1:{APP_PORT}/api/v1/telephony/events"),
            ("bare event", f"http://127.0.0.1:{BARE_PORT}/bare_event"),
        ]
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "events.lua"
            script.write_text(LUA)
            for index, ((name, url), server) in enumerate(zip(targets, servers, strict=True)):
                # Signed just before the run: a signature is good for 300 s.
                warm = events(f"{run}-w{index}", 1000)
                main_run = events(f"{run}-m{index}", args.calls)
                if client == "wrk":
                    lines = write(warm, Path(folder) / f"w{index}.txt")
                    run_wrk(name, url, script, args.connections, 3, ["--", str(lines), "2"])
                    lines = write(main_run, Path(folder) / f"m{index}.txt")
                    before = tree_cpu(server.pid)
                    result = run_wrk(
                        name, url, script, args.connections, args.duration, ["--", str(lines), "2"]
                    )
                else:
                    asyncio.run(run_python(name, url, warm, args.connections, 3))
                    before = tree_cpu(server.pid)
                    result = asyncio.run(
                        run_python(name, url, main_run, args.connections, args.duration)
                    )
                cpu_ms.append((tree_cpu(server.pid) - before) * 1000 / max(1, result.requests))
                results.append(result)
                loads.append(load_average())
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    app_stored = asyncio.run(stored(args.url, f"{run}-m0"))[0]
    bare_stored = asyncio.run(stored(args.url, f"{run}-m1"))[1]
    print(
        f"\n{args.connections} connections, {args.duration} s each, {client}, "
        f"{args.workers} process(es) per server, {os.cpu_count()} cores"
    )
    print(
        f"{'':<14}{'events/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'errors':>8}"
        f"{'stored':>8}{'CPU ms/event':>13}  load avg after"
    )
    rows = zip(results, (app_stored, bare_stored), cpu_ms, loads, strict=True)
    for r, kept, cpu, load in rows:
        print(
            f"{r.name:<14}{r.rps:>9.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.requests:>10}"
            f"{r.errors:>8}{kept:>8}{cpu:>13.2f}  {load}"
        )
    app, bare = results
    print(f"ratio app / bare: {app.rps / bare.rps:.3f}")


if __name__ == "__main__":
    main()
