"""Chaos for the sync push (docs/sync.md, "Push"): 20 devices push 2,000 operations to two
`meldkamer serve` processes on one PostgreSQL while

- one of the two is killed with SIGKILL every few seconds, mid-push, and started again;
- a fifth of the pushes go to both processes at once (a retry while the first is in flight);
- some pushes are given up before their answer arrives (a dropped connection), and sent again.

Each device sends from its first unanswered operation, as the app does. In the end every
operation is answered, applied exactly once and in order, every answer a device was given for
an operation is the one stored, and the operations refused on the way (an empty chat message)
did not stop the queues. Real processes on free ports; PostgreSQL only, like
tests/test_scale_out.py (SQLite is the one-process embedded default).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from server import settings
from server.auth import tokens
from server.models import (
    Device,
    DossierEvent,
    DossierMessage,
    RepairLog,
    SyncOutcome,
    Technician,
    User,
)
from tests.fieldwork.support import job_for, repair_log
from tests.messaging.servers import free_port
from tests.support import world

pytestmark = pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"),
    reason="several processes share PostgreSQL; runs in the PostgreSQL run of scripts/test",
)

ROOT = Path(__file__).resolve().parents[2]
MELDKAMER = str(Path(sys.executable).parent / "meldkamer")
DEVICES = 20
OPS = 100
EMPTY_EVERY = 25  # every 25th operation is a chat message without text: refused


class Servers:
    """Two app processes; `kill` ends one with SIGKILL, `start` brings it back on its port."""

    def __init__(self, tmp: Path) -> None:
        self.ports = [free_port(), free_port()]
        self.procs: list[subprocess.Popen[bytes] | None] = [None, None]
        self.up = [False, False]
        self.logs = [tmp / "serve-0.log", tmp / "serve-1.log"]
        self.env = {
            **os.environ,
            "REDIS_URL": "",
            "SMS_PRODUCT_TOKEN": "",
            "SMTP_HOST": "",
            "LOG_FORMAT": "text",
            "LOG_LEVEL": "WARNING",
        }
        self.kills = 0

    def base(self, n: int) -> str:
        return f"http://127.0.0.1:{self.ports[n]}"

    def _spawn(self, n: int) -> None:
        with self.logs[n].open("ab") as log:
            self.procs[n] = subprocess.Popen(
                [MELDKAMER, "serve", "--port", str(self.ports[n])],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def start(self, n: int) -> None:
        self._spawn(n)
        deadline = time.monotonic() + 120
        async with httpx.AsyncClient(timeout=2) as http:
            while True:
                proc = self.procs[n]
                assert proc is not None and proc.poll() is None, self.logs[n].read_text()[-3000:]
                try:
                    if (await http.get(f"{self.base(n)}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the app process did not start"
                await asyncio.sleep(0.2)
        self.up[n] = True

    def kill(self, n: int) -> None:
        proc = self.procs[n]
        assert proc is not None
        self.up[n] = False
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        self.kills += 1

    def stop(self) -> None:
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            if proc is not None:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


@dataclass
class Phone:
    name: str
    headers: dict[str, str]
    job: str
    ops: list[dict[str, Any]]
    answers: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    answered: int = 0  # the app removes an operation from its queue once it holds its outcome


def operations(name: str, job: str) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = []
    for seq in range(1, OPS + 1):
        if seq == 1:
            kind, payload = "arrive", {}
        elif seq % EMPTY_EVERY == 0:
            kind, payload = "chat", {"text": " "}
        elif seq % 3 == 0:
            kind, payload = "add_repair_log", {**repair_log(), "work_done": f"Werk {seq}"}
        else:
            kind, payload = "chat", {"text": f"Bericht {seq} van {name}"}
        ops.append(
            {"seq": seq, "op_id": f"{name}-op-{seq}", "kind": kind, "job": job, "payload": payload}
        )
    return ops


async def phones(w: world.World) -> list[Phone]:
    made = []
    for n in range(DEVICES):
        user = await User.create(
            username=f"chaos.monteur{n}", role="technician", password_hash=w.tech_user.password_hash
        )
        tech = await Technician.create(name=f"Chaos Monteur {n}", user=user, trades=["LOO"])
        job = (await job_for(w, tech)).order_number
        token, _ = await tokens.issue(user, "chaos")
        name = f"chaos-phone-{n:02d}"
        made.append(Phone(name, {"Authorization": f"Bearer {token}"}, job, operations(name, job)))
    return made


async def send(
    servers: Servers, n: int, phone: Phone, batch: list[dict[str, Any]], patience: float
) -> None:
    """One push; an answer that arrives is taken in like the app does. A refused connection,
    a server killed mid-push or a client that gave up is not an answer: the batch stays queued."""
    body = {"device_id": phone.name, "ops": batch}
    try:
        async with httpx.AsyncClient(base_url=servers.base(n), timeout=patience) as http:
            answer = await http.post("/api/v1/sync/push", json=body, headers=phone.headers)
    except httpx.TransportError:
        return
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["stop"] is None, result  # sent from the first unanswered: never a gap
    for outcome in result["outcomes"]:
        phone.answers[outcome["seq"]].append(outcome)
        phone.answered = max(phone.answered, outcome["seq"])


async def drive(servers: Servers, phone: Phone, rng: random.Random) -> None:
    while phone.answered < OPS:
        # A third and two thirds into its queue, a device waits for the next kill: servers die
        # while work is still queued however fast (or loaded) the machine is; without this
        # the devices could finish between two kills.
        for share in (1, 2):
            # A plain counter the chaos task bumps, polled: no event to wait on.
            while phone.answered >= OPS * share // 3 and servers.kills < share:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        batch = phone.ops[phone.answered : phone.answered + rng.randint(5, 40)]
        alive = [n for n in (0, 1) if servers.up[n]] or [0, 1]
        chance = rng.random()
        if chance < 0.2:  # the same push to both processes at once
            await asyncio.gather(*(send(servers, n, phone, batch, 60) for n in (0, 1)))
        elif chance < 0.35:  # the connection drops before the answer
            await send(servers, rng.choice(alive), phone, batch, rng.uniform(0.01, 0.3))
        else:
            await send(servers, rng.choice(alive), phone, batch, 60)
        await asyncio.sleep(rng.uniform(0, 0.05))


async def chaos(servers: Servers, rng: random.Random, done: asyncio.Event) -> None:
    """Kill one process with SIGKILL while pushes are in flight, start it again; never both
    down at once, so the devices always have somewhere to go."""
    while not done.is_set():
        await asyncio.sleep(rng.uniform(0.5, 2.0))
        if done.is_set():
            return
        n = rng.choice((0, 1))
        servers.kill(n)
        await asyncio.sleep(rng.uniform(0.1, 0.5))
        await servers.start(n)


async def test_pushes_stay_exact_while_servers_die_and_answers_drop(
    db_clean: None, tmp_path: Path
) -> None:
    w = await world.build()
    crew = await phones(w)
    servers = Servers(tmp_path)
    rng = random.Random(15)
    try:
        await asyncio.gather(servers.start(0), servers.start(1))
        done = asyncio.Event()
        killer = asyncio.create_task(chaos(servers, rng, done))
        try:
            await asyncio.wait_for(
                asyncio.gather(*(drive(servers, p, random.Random(i)) for i, p in enumerate(crew))),
                timeout=900,
            )
        finally:
            done.set()
            await killer
    finally:
        servers.stop()
    assert servers.kills >= 2, "no server was killed while the devices pushed"

    for phone in crew:
        device = await Device.get(device_id=phone.name)
        assert device.last_seq == OPS
        stored = {r.seq: r for r in await SyncOutcome.filter(device_id=device.id)}
        # Every operation answered once in the record, under its own number and op id.
        assert sorted(stored) == list(range(1, OPS + 1))
        for op in phone.ops:
            row = stored[op["seq"]]
            assert row.op_id == op["op_id"]
            expected = "rejected" if op["seq"] % EMPTY_EVERY == 0 else "applied"
            assert row.status == expected, (row.seq, row.status, row.reason)
            # Whatever the device was told, and however often: what is stored.
            told = {(a["op_id"], a["status"], a["reason"]) for a in phone.answers[op["seq"]]}
            assert told == {(row.op_id, row.status, row.reason)}, (phone.name, op["seq"], told)
        # Applied exactly once, in the order the technician made them.
        chats = await DossierMessage.filter(op_id__startswith=f"{phone.name}-op-").order_by("id")
        expected_chats = [
            o["op_id"] for o in phone.ops if o["kind"] == "chat" and o["seq"] % EMPTY_EVERY != 0
        ]
        assert [m.op_id for m in chats] == expected_chats
        logs = await RepairLog.filter(op_id__startswith=f"{phone.name}-op-").order_by("id")
        assert [r.op_id for r in logs] == [
            o["op_id"] for o in phone.ops if o["kind"] == "add_repair_log"
        ]
        moves = await DossierEvent.filter(dossier__order_number=phone.job, kind="transition")
        assert [e.data.get("to") for e in moves].count("in_uitvoering") == 1
