"""Sync benchmarks: one device pushing a long offline queue, and many devices at once.

Run: [DATABASE_URL=postgres://…] .venv/bin/python -m bench.bench_sync [--devices N]

The schema is (re)built by the migrations in the database named by DATABASE_URL and every
table is emptied first: point it at a scratch database. The app runs in-process (httpx over
ASGI, one event loop, the database's connection pool), so the figures are server time: the
sync engine, the mutators and the database, without a network.

1. One device, 1,000 queued operations with 50 photos (1600 x 1200 JPEG from the phone):
   upload the photos, push the queue in batches of 100 as the app does, then replay all of
   it (every answer lost) to time the exactly-once path.
2. N devices (default 200) syncing at once: each pulls (a reset), pushes 10 operations on its
   own jobs and pulls again, all started together.

`--serve 2`: instead, over real HTTP to `meldkamer serve --workers 2` (started here on a free
port, with this environment: DATABASE_URL, REDIS_URL): one device's 1,000 operations, then N
devices that have pulled push 10 operations each, all at once (operations/s server-wide).
The burst's requests go over plain sockets, encoded before the clock starts (`--client raw`,
as wrk does for bench_http): the client shares the machine's cores with the servers, and
httpx spent about as much CPU on the burst as the app processes did. `--client httpx` sends
it through httpx as before; `--client both` runs the two bursts one after the other (raw
first), each on devices of its own, so the two figures come from the same run.
`--profile`: cProfile the in-process push of 1,000 (SORT=tottime, TOP=40, CALLERS=regex).
`--tens N`: instead, in-process, N devices one after another pull and push ten (the push of
each visit, as in 2.), printing the CPU time of one push of ten; with `--profile`, profiled.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from PIL import Image

from bench.bench_call_events import tree_cpu
from bench.bench_http import named_cpu
from server import db
from server.auth import tokens
from server.models import Technician, User
from tests.fieldwork.support import job_for, repair_log
from tests.messaging.servers import free_port
from tests.support import world


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def phone_photo(rng: random.Random) -> bytes:
    """A 1600 x 1200 JPEG with texture, about the size the app sends."""
    small = Image.effect_noise((400, 300), 60).convert("RGB")
    tint = Image.new("RGB", small.size, (rng.randrange(256), rng.randrange(256), 90))
    image = Image.blend(small, tint, 0.5).resize((1600, 1200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Device:
    def __init__(self, http: httpx.AsyncClient, token: str, name: str) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}
        self.name = name
        self.seq = 0
        self.cursor: str | None = None

    def op(self, kind: str, job: str, **payload: Any) -> dict[str, Any]:
        self.seq += 1
        return {
            "seq": self.seq,
            "op_id": f"{self.name}-{self.seq}",
            "kind": kind,
            "job": job,
            "payload": payload,
            "device_time": datetime.now(UTC).isoformat(),
        }

    async def push(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        # The app sends its clock with every request (docs/sync.md, "Device clocks").
        headers = {**self.headers, "X-Device-Time": datetime.now(UTC).isoformat()}
        r = await self.http.post(
            "/api/v1/sync/push", json={"device_id": self.name, "ops": ops}, headers=headers
        )
        r.raise_for_status()
        return dict(r.json())

    async def pull(self) -> dict[str, Any]:
        params = {"device_id": self.name, **({"cursor": self.cursor} if self.cursor else {})}
        r = await self.http.get("/api/v1/sync/pull", params=params, headers=self.headers)
        r.raise_for_status()
        body = dict(r.json())
        self.cursor = body["cursor"]
        return body


def queue(device: Device, jobs: list[str], photos: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """A day offline on 20 jobs: 1,000 operations. Per job: arrive, its photos, chat messages
    and repair logs, complete."""
    ops: list[dict[str, Any]] = []
    for n, job in enumerate(jobs):
        ops.append(device.op("arrive", job))
        for client_id, photo_job in photos:
            if photo_job == job:
                ops.append(device.op("attach_photo", job, client_id=client_id))
        while len(ops) < (n + 1) * 50 - 1:
            if len(ops) % 3:
                ops.append(device.op("chat", job, text=f"Bericht {len(ops)}"))
            else:
                ops.append(device.op("add_repair_log", job, **repair_log()))
        ops.append(device.op("complete", job, result_code="verholpen"))
    assert len(ops) == 1000
    return ops


async def one_device(http: httpx.AsyncClient, w: world.World, profile: bool = False) -> None:
    rng = random.Random(3)
    jobs = [(await job_for(w, w.technician)).order_number for _ in range(20)]
    token, _ = await tokens.issue(w.tech_user, "bench")
    device = Device(http, token, "bench-device-one")
    await device.pull()
    photos = [(f"bench-photo-{i:04d}", jobs[i % 20], phone_photo(rng)) for i in range(50)]
    started = time.perf_counter()
    for client_id, job, data in photos:
        r = await http.put(
            f"/api/v1/photos/{client_id}", params={"job": job}, content=data, headers=device.headers
        )
        r.raise_for_status()
    upload = time.perf_counter() - started
    ops = queue(device, jobs, [(client_id, job) for client_id, job, _ in photos])
    profiler = cProfile.Profile() if profile else None
    cpu = time.process_time()
    started = time.perf_counter()
    statuses: dict[str, int] = {}
    if profiler is not None:
        profiler.enable()
    for i in range(0, len(ops), 100):
        result = await device.push(ops[i : i + 100])
        for o in result["outcomes"]:
            statuses[o["status"]] = statuses.get(o["status"], 0) + 1
    push = time.perf_counter() - started
    cpu = time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("TOP", "45")))
        if os.environ.get("CALLERS"):
            stats.print_callers(os.environ["CALLERS"])
    started = time.perf_counter()
    for i in range(0, len(ops), 100):
        await device.push(ops[i : i + 100])
    replay = time.perf_counter() - started
    size = sum(len(p[2]) for p in photos) / len(photos) / 1000
    print(
        f"one device on {db.dialect()}: 50 photos ({size:.0f} kB each) uploaded in "
        f"{upload:.2f} s ({upload / 50 * 1000:.0f} ms each); 1,000 operations pushed in "
        f"{push:.2f} s ({push:.2f} ms per operation; this process's CPU {cpu:.2f} s), "
        f"{statuses}; "
        f"replay of all 1,000 in {replay:.2f} s"
    )


async def many_devices(http: httpx.AsyncClient, w: world.World, count: int) -> None:
    devices = await crew(w, count, http)

    async def sync(device: Device, jobs: list[str]) -> tuple[float, float, float]:
        t0 = time.perf_counter()
        await device.pull()
        t1 = time.perf_counter()
        result = await device.push(ten(device, jobs[0]))
        assert [o["status"] for o in result["outcomes"]] == ["applied"] * 10, result
        t2 = time.perf_counter()
        await device.pull()
        t3 = time.perf_counter()
        return t3 - t0, t2 - t1, t1 - t0

    started = time.perf_counter()
    timings = await asyncio.gather(*(sync(d, jobs) for d, jobs in devices))
    wall = time.perf_counter() - started
    total = [t[0] * 1000 for t in timings]
    pushes = [t[1] * 1000 for t in timings]
    pulls = [t[2] * 1000 for t in timings]
    print(
        f"{count} devices at once on {db.dialect()}: all done in {wall:.2f} s "
        f"({count * 10 / wall:.0f} operations/s); per device pull+push+pull p50 "
        f"{statistics.median(total):.0f} ms, p99 {pct(total, 0.99):.0f} ms; push of 10 p50 "
        f"{statistics.median(pushes):.0f} ms; first pull p50 {statistics.median(pulls):.0f} ms"
    )


async def crew(
    w: world.World, count: int, http: httpx.AsyncClient, name: str = ""
) -> list[tuple[Device, list[str]]]:
    """`count` technicians with two jobs each and a device; `name` sets crews apart."""
    devices: list[tuple[Device, list[str]]] = []
    for n in range(count):
        user = await User.create(
            username=f"bench.monteur{name}{n}",
            role="technician",
            password_hash=w.tech_user.password_hash,
        )
        tech = await Technician.create(name=f"Bench Monteur {name}{n}", user=user, trades=["LOO"])
        jobs = [(await job_for(w, tech)).order_number for _ in range(2)]
        token, _ = await tokens.issue(user, "bench")
        devices.append((Device(http, token, f"bench-device-{name}{n:04d}"), jobs))
    return devices


def ten(device: Device, job: str) -> list[dict[str, Any]]:
    """What a technician sends after a visit: arrive, 3 repair logs, 5 chat messages, complete."""
    ops = [device.op("arrive", job)]
    ops += [device.op("add_repair_log", job, **repair_log()) for _ in range(3)]
    ops += [device.op("chat", job, text=f"Bericht {i}") for i in range(5)]
    ops.append(device.op("complete", job, result_code="verholpen"))
    return ops


def encoded_push(device: Device, ops: list[dict[str, Any]], port: int) -> bytes:
    """The request `Device.push` sends, as bytes on the wire (HTTP/1.1)."""
    body = json.dumps({"device_id": device.name, "ops": ops}).encode()
    head = (
        f"POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: {device.headers['Authorization']}\r\n"
        f"X-Device-Time: {datetime.now(UTC).isoformat()}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def raw_exchange(port: int, request: bytes) -> tuple[float, int, bytes]:
    """Connect (as a phone coming out of the cellar does), send one request and read its
    answer (Content-Length framed, as the app answers)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await reader.readexactly(length)
    finally:
        writer.close()
    return time.perf_counter() - started, status, body


async def tens(http: httpx.AsyncClient, w: world.World, count: int, profile: bool) -> None:
    """The CPU time of one push of ten, the devices one after another (no waiting on others):
    what a visit's push costs the app, whatever the load of the machine."""
    devices = await crew(w, count, http)
    for device, _ in devices:
        await device.pull()
    # CPU time, not wall time: on a shared machine the wait for a core is not this code's.
    profiler = cProfile.Profile(time.process_time) if profile else None
    cpus: list[float] = []
    walls: list[float] = []
    for device, jobs in devices:
        ops = ten(device, jobs[0])
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        result = await device.push(ops)
        if profiler is not None:
            profiler.disable()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
        assert [o["status"] for o in result["outcomes"]] == ["applied"] * 10, result
    print(
        f"{count} pushes of ten one after another on {db.dialect()}: CPU per push p50 "
        f"{statistics.median(cpus):.1f} ms, mean {statistics.mean(cpus):.1f} ms; wall p50 "
        f"{statistics.median(walls):.1f} ms (app and client in this process)"
    )
    if profiler is not None:
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("TOP", "45")))
        if os.environ.get("CALLERS"):
            stats.print_callers(os.environ["CALLERS"])


def serve(workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LOG_LEVEL": "WARNING", "SMS_PRODUCT_TOKEN": "", "SMTP_HOST": ""}
    meldkamer = str(Path(sys.executable).parent / "meldkamer")
    return subprocess.Popen(
        [meldkamer, "serve", "--workers", str(workers), "--port", str(port)], env=env
    )


async def served(count: int, workers: int, client: str = "raw") -> None:
    """The same over real HTTP to `meldkamer serve --workers N` on this machine: one device's
    1,000 operations (without photos), then `count` devices that have pulled push 10 each, all
    at once. The client runs here too, on the same CPUs."""
    await db.migrate()
    await db.init()
    await db.empty_all_tables()
    w = await world.build()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(workers, port)
    # Kept-alive connections are let go before the server's keep-alive timeout (5 s) closes
    # them: reusing one the server is closing at that moment is a ReadError (seen between the
    # raw burst and the httpx crew's pulls once the burst took a second).
    limits = httpx.Limits(
        max_connections=count, max_keepalive_connections=count, keepalive_expiry=2
    )
    try:
        async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as http:
            bursts = ["raw", "httpx"] if client == "both" else [client]
            crews = {name: await crew(w, count, http, name) for name in bursts}
            one = await User.create(
                username="bench.een", role="technician", password_hash=w.tech_user.password_hash
            )
            tech = await Technician.create(name="Bench Een", user=one, trades=["LOO"])
            jobs = [(await job_for(w, tech)).order_number for _ in range(20)]
            token, _ = await tokens.issue(one, "bench")
            await db.close()
            while True:
                assert server.poll() is None, "meldkamer serve stopped"
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.3)
            device = Device(http, token, "bench-device-een")
            await device.pull()
            ops = queue(device, jobs, [])
            started = time.perf_counter()
            for i in range(0, len(ops), 100):
                result = await device.push(ops[i : i + 100])
                assert {o["status"] for o in result["outcomes"]} == {"applied"}, result
            push = time.perf_counter() - started
            print(
                f"over HTTP, {workers} app processes: one device's 1,000 operations pushed in "
                f"{push:.2f} s ({push:.2f} ms per operation)"
            )
            for name, devices in crews.items():
                await asyncio.gather(*(d.pull() for d, _ in devices))
                if name == "raw":
                    await raw_burst(devices, port, server.pid, workers)
                else:
                    await httpx_burst(devices, base, limits, server.pid, workers)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _burst_line(
    client: str, workers: int, count: int, wall: float, pushes: list[float], cpus: list[float]
) -> str:
    cpu, db_cpu, own_cpu = cpus
    return (
        f"over HTTP, {workers} app processes, client {client}: {count} devices x 10 operations "
        f"pushed at once in {wall:.2f} s ({count * 10 / wall:.0f} operations/s); push of 10 p50 "
        f"{statistics.median(pushes):.0f} ms, p99 {pct(pushes, 0.99):.0f} ms; the app "
        f"processes' CPU {cpu:.1f} s, {cpu / count * 1000:.1f} ms per push of ten; "
        f"PostgreSQL's CPU {db_cpu:.1f} s, {db_cpu / count * 1000:.1f} ms per push; "
        f"this client's CPU {own_cpu:.1f} s"
    )


def _cpus(server_pid: int) -> list[float]:
    return [tree_cpu(server_pid), named_cpu("postgres"), time.process_time()]


async def httpx_burst(
    devices: list[tuple[Device, list[str]]],
    base: str,
    limits: httpx.Limits,
    server_pid: int,
    workers: int,
) -> None:
    async def send(device: Device, job: str) -> float:
        t0 = time.perf_counter()
        result = await device.push(ten(device, job))
        assert [o["status"] for o in result["outcomes"]] == ["applied"] * 10, result
        return time.perf_counter() - t0

    # New connections: ones left idle since the pulls may be closed by the server.
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as fresh:
        for d, _ in devices:
            d.http = fresh
        before, started = _cpus(server_pid), time.perf_counter()
        timings = await asyncio.gather(*(send(d, j[0]) for d, j in devices))
        wall = time.perf_counter() - started
        used = [after - was for after, was in zip(_cpus(server_pid), before, strict=True)]
    pushes = [t * 1000 for t in timings]
    print(_burst_line("httpx", workers, len(devices), wall, pushes, used))


async def raw_burst(
    devices: list[tuple[Device, list[str]]], port: int, server_pid: int, workers: int
) -> None:
    """Every push encoded before the clock starts, each on a connection of its own opened
    within it (as httpx does); the answers are checked after it stops."""
    requests = [encoded_push(d, ten(d, jobs[0]), port) for d, jobs in devices]
    before, started = _cpus(server_pid), time.perf_counter()
    answers = await asyncio.gather(*(raw_exchange(port, request) for request in requests))
    wall = time.perf_counter() - started
    used = [after - was for after, was in zip(_cpus(server_pid), before, strict=True)]
    for _, status, body in answers:
        assert status == 200, body[:300]
        outcomes = json.loads(body)["outcomes"]
        assert [o["status"] for o in outcomes] == ["applied"] * 10, outcomes
    pushes = [seconds * 1000 for seconds, _, _ in answers]
    print(_burst_line("raw", workers, len(devices), wall, pushes, used))


async def main(devices: int, profile: bool = False, ten_count: int = 0) -> None:
    await db.migrate()
    await db.init()
    try:
        await db.empty_all_tables()
        w = await world.build()
        from server.app import create_app

        app = create_app(manage_db=False)
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                if ten_count:
                    await tens(http, w, ten_count, profile)
                    return
                await one_device(http, w, profile)
                await many_devices(http, w, devices)
    finally:
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the one device's push of 1,000"
    )
    parser.add_argument(
        "--serve",
        type=int,
        metavar="N",
        help="instead: over real HTTP to `meldkamer serve --workers N` (PostgreSQL)",
    )
    parser.add_argument(
        "--tens", type=int, default=0, metavar="N", help="instead: CPU of N pushes of ten"
    )
    parser.add_argument(
        "--client",
        choices=["raw", "httpx", "both"],
        default="raw",
        help="with --serve: the burst's client (raw: plain sockets, encoded beforehand)",
    )
    args = parser.parse_args()
    if args.serve:
        asyncio.run(served(args.devices, args.serve, args.client))
    else:
        asyncio.run(main(args.devices, args.profile, args.tens))
