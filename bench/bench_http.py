"""Intake over real HTTP against a bare Starlette + asyncpg endpoint, side by side.

Run: DATABASE_URL=postgres://…/bench_x .venv/bin/python -m bench.bench_http
         [--workers 2] [--duration 15] [--connections 100] [--client wrk|python]

The schema of DATABASE_URL is dropped and rebuilt by the migrations: point it at a scratch
database. It gets demo-like data (two clients, Woonstad's published protocol, 300 addresses,
technicians with their rota, the desk's users) and a bearer token for anna.agent. Then two
servers start under uvicorn with the same options (httptools and uvloop as `meldkamer serve`,
or `--http h11`; no access log from uvicorn, `--workers N`):

- the app, `POST /api/v1/dossiers` with triage (what the desk's intake sends), Redis at
  REDIS_URL (default redis://127.0.0.1:6379/7, flushed) as in production;
- bench/bare_app.py, which checks the token and inserts one row of the same width.

Both get the same load: `--connections` open connections for `--duration` seconds after a
short warm-up, with wrk (Debian's package, a Lua script for the POST body) when installed,
otherwise a Python client (httpx; it needs a core of its own, so its figures are lower).
It prints requests/s, p50/p99 latency, errors, the CPU per request of each server's processes and
of PostgreSQL's (every process called postgres on this machine, from /proc), and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
APP_PORT, BARE_PORT = 8811, 8812
INTAKE = {
    "client": "WST",
    "address": {"postcode": "3572AB", "house_number": 10, "suffix": ""},
    "contact": {"name": "Fatima el Amrani", "phone": "0612345678", "email": ""},
    "channel": "telefoon",
    "category": "",
    "description": "Afvoer in de badkamer loopt niet meer door.",
    "triage": {
        "subject": "lekkage_afvoer",
        "answers": {"bewoonbaarheid": "nee", "belemmering": "ja"},
    },
}


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms: float = 0.0  # CPU of the server's processes per request (user + system)
    db_ms: float = 0.0  # CPU of PostgreSQL's processes per request (this machine's server)


async def prepare(database_url: str, redis_url: str) -> str:
    """A fresh schema with demo-like data; the bearer token of the desk agent."""
    from redis.asyncio import Redis

    from bench.intake_data import published_world_with_stock
    from server import db, settings
    from server.auth import tokens
    from server.models import Technician, User
    from tests.support import world

    settings.DATABASE_URL = database_url
    await db.init()
    await db.connection().execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    await db.close()
    await db.migrate()
    await db.init()
    try:
        w = await published_world_with_stock()
        for n in range(20):
            tech_user = await world.user(f"monteur.{n}", "technician")
            await Technician.create(
                name=f"Monteur {n}",
                user=tech_user,
                contractor_id=w.technician.contractor_id,  # type: ignore[attr-defined]
                trades=["LOO", "CVI", "ELE"][n % 3 : n % 3 + 1],
            )
        token, _ = await tokens.issue(await User.get(username="anna.agent"), "bench")
    finally:
        await db.close()
    conn = await asyncpg.connect(database_url)
    try:
        from bench.bare_app import TABLE

        await conn.execute(TABLE)
    finally:
        await conn.close()
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    return token


# The servers' logs (the app writes an access line per request, as in production) go here,
# not between the figures.
LOG = Path(tempfile.mkdtemp(prefix="bench_http-")) / "servers.log"


def start(
    target: str, port: int, workers: int, env: dict[str, str], http: str
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port),
        "--http", http, "--loop", "uvloop", "--no-access-log", "--log-level", "warning",
        "--workers", str(workers),
    ]  # fmt: skip
    if target.endswith("create_app"):
        command.append("--factory")
    with LOG.open("ab") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and all its descendants (uvicorn's workers), from
    /proc: on a shared machine the steadier figure than requests per second."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def named_cpu(name: str) -> float:
    """User and system CPU of every process called `name` (PostgreSQL's backends, checkpointer
    and WAL writer: the server is on this machine), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command, fields = (entry / "stat").read_text().split(" (", 1)[1].rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        if command == name:
            values = fields.split()
            total += (int(values[11]) + int(values[12])) / tick
    return total


def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


def check_once(url: str, token: str) -> None:
    response = httpx.post(url, json=INTAKE, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 201:
        raise SystemExit(f"{url}: {response.status_code} {response.text[:300]}")


def wrk_script(token: str, folder: Path) -> Path:
    body = json.dumps(INTAKE).replace("\\", "\\\\").replace("'", "\\'")
    script = folder / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = '{body}'\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )
    return script


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(
    name: str,
    url: str,
    script: Path,
    connections: int,
    seconds: int,
    extra: list[str] | None = None,
) -> Result:
    """`extra`: arguments after the URL (`--` and what the script's init() gets)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    command += ["-s", str(script)]
    command += [url, *(extra or [])]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(g) for g in failed.groups()) if failed else 0
    return Result(name, rps, p50, p99, total, errors)


async def run_python(name: str, url: str, token: str, connections: int, seconds: int) -> Result:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        stop = time.monotonic() + seconds

        async def loop() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                began = time.perf_counter()
                response = await http.post(url, json=INTAKE, headers=headers)
                latencies.append((time.perf_counter() - began) * 1000)
                errors += response.status_code != 201

        began = time.monotonic()
        await asyncio.gather(*(loop() for _ in range(connections)))
        elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return Result(
        name, len(latencies) / elapsed, statistics.median(ordered), p99, len(ordered), errors
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="uvicorn processes per server")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per server")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--client", choices=["wrk", "python"], default=None)
    parser.add_argument(
        "--http", choices=["httptools", "h11"], default="httptools",
        help="uvicorn's HTTP parser for both servers (meldkamer serve: httptools)",
    )  # fmt: skip
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database (it is emptied).")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    client = args.client or ("wrk" if shutil.which("wrk") else "python")
    token = asyncio.run(prepare(database_url, redis_url))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BENCH_DATABASE_URL": database_url.replace("postgres://", "postgresql://", 1),
        "BENCH_TOKEN": token,
    }
    servers = [
        start("server.app:create_app", APP_PORT, args.workers, env, args.http),
        start("bench.bare_app:app", BARE_PORT, args.workers, env, args.http),
    ]
    results: list[Result] = []
    try:
        wait_listening(APP_PORT)
        wait_listening(BARE_PORT)
        targets = [
            ("intake (app)", f"http://127.0.0.1:{APP_PORT}/api/v1/dossiers"),
            ("bare insert", f"http://127.0.0.1:{BARE_PORT}/bare"),
        ]
        for _, url in targets:
            check_once(url, token)
        with tempfile.TemporaryDirectory() as folder:
            script = wrk_script(token, Path(folder))
            for (name, url), server in zip(targets, servers, strict=True):
                if client == "wrk":
                    run_wrk(name, url, script, args.connections, 3)  # warm-up
                    began, db_began = cpu_seconds(server.pid), named_cpu("postgres")
                    result = run_wrk(name, url, script, args.connections, args.duration)
                else:
                    asyncio.run(run_python(name, url, token, args.connections, 3))
                    began, db_began = cpu_seconds(server.pid), named_cpu("postgres")
                    result = asyncio.run(
                        run_python(name, url, token, args.connections, args.duration)
                    )
                used = cpu_seconds(server.pid) - began
                db_used = named_cpu("postgres") - db_began
                per = 1000 / max(result.requests, 1)
                results.append(replace(result, cpu_ms=used * per, db_ms=db_used * per))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    print(f"servers' logs: {LOG}")
    print(
        f"\n{args.connections} connections, {args.duration} s each, {client}, "
        f"{args.workers} process(es) per server, {args.http}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'errors':>8}"
        f"{'CPU ms/req':>12}{'PostgreSQL ms/req':>19}"
    )
    for r in results:
        print(
            f"{r.name:<14}{r.rps:>9.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.requests:>10}{r.errors:>8}"
            f"{r.cpu_ms:>12.2f}{r.db_ms:>19.2f}"
        )
    app, bare = results
    print(f"ratio intake / bare: {app.rps / bare.rps:.3f}")
    print(f"ratio of server CPU per request, bare / intake: {bare.cpu_ms / app.cpu_ms:.3f}")


if __name__ == "__main__":
    main()
