"""Two `meldkamer serve` processes and two `meldkamer worker` processes on one PostgreSQL and one
Redis, as in production (docs/deploy.md): a desk connected to one process sees what happens on
the other; a technician's push and its duplicate, sent to both at once, apply once; a message
held until now and asked for by both workers at once is sent once. Real processes on free
ports; PostgreSQL only (SQLite is the one-process embedded default), Redis required (in CI a
missing one fails the run)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from server import settings
from server.jobs import queue
from server.models import OutboundMessage, SyncOutcome
from tests.messaging import fake_cm
from tests.messaging.servers import free_port, serve
from tests.support import world
from tests.support.pages import csrf
from tests.support.world import PASSWORD, dossier_body

pytestmark = pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"),
    reason="several processes share PostgreSQL; runs in the PostgreSQL run of scripts/test",
)

ROOT = Path(__file__).resolve().parent.parent
MELDKAMER = str(Path(sys.executable).parent / "meldkamer")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


# The processes start once for the module (about 20 s); each test empties the tables.
@pytest.fixture(scope="module")
async def redis_url() -> AsyncIterator[str]:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError as exc:
        await client.aclose()
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc}")
    await client.flushdb()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "REDIS_URL", REDIS_URL)
        yield REDIS_URL
        await queue.close()
    await client.flushdb()
    await client.aclose()


@pytest.fixture(scope="module")
async def cm_url() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    """CM.com's stand-in, in this test's event loop; the workers send to it."""
    app = fake_cm.app()
    async with serve(app) as url:
        yield url, app.state.received


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [MELDKAMER, *args], env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )


@pytest.fixture(scope="module")
def cluster(
    database: None,
    redis_url: str,
    cm_url: tuple[str, list[dict[str, object]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[str]]:
    """Base URLs of two app processes; two workers run beside them."""
    tmp_path = tmp_path_factory.mktemp("cluster")
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "SMS_PRODUCT_TOKEN": fake_cm.TOKEN,
        "SMS_PROVIDER_URL": f"{cm_url[0]}/v1.0/message",
        "QUIET_HOURS": "",
        "LOG_FORMAT": "text",
    }
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []
    ports = [free_port(), free_port()]
    try:
        for n, port in enumerate(ports):
            log = tmp_path / f"serve-{n}.log"
            processes.append((_start(["serve", "--port", str(port)], env, log), log))
        for n in range(2):
            log = tmp_path / f"worker-{n}.log"
            processes.append((_start(["worker"], env, log), log))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 90
        for base in bases:
            while True:
                for process, log in processes:
                    assert process.poll() is None, log.read_text()
                try:
                    if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the app processes did not start"
                time.sleep(0.2)
        yield bases
    finally:
        for process, _ in processes:
            process.terminate()
        for process, _ in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


async def _login(http: httpx.AsyncClient, username: str) -> None:
    page = await http.get("/login")
    answer = await http.post(
        "/login", data={"csrf_token": csrf(page.text), "username": username, "password": PASSWORD}
    )
    assert answer.status_code == 303, answer.text


async def _token(base: str, username: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        answer = await http.post(
            "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
        )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


async def test_a_desk_on_one_process_sees_an_intake_on_the_other(
    w: world.World, cluster: list[str]
) -> None:
    first, second = cluster
    headers = await _token(second, "sanne.supervisie")
    made: list[str] = []
    async with (
        httpx.AsyncClient(base_url=first, timeout=20) as desk,
        httpx.AsyncClient(base_url=second, timeout=10) as other,
    ):
        await _login(desk, "anna.agent")
        async with desk.stream("GET", "/meldkamer/live") as stream:
            assert stream.status_code == 200
            events: asyncio.Queue[str] = asyncio.Queue()

            async def read() -> None:
                lines = stream.aiter_lines()
                async for line in lines:
                    if line.startswith("event: created"):
                        await events.put(await anext(lines))

            reader = asyncio.create_task(read())
            # The stream subscribes just after its headers are sent: an intake made in that
            # moment is not for it, so a later one is made if the first is not seen.
            data = ""
            try:
                while not data and len(made) < 3:
                    answer = await other.post(
                        "/api/v1/dossiers", json=dossier_body(), headers=headers
                    )
                    assert answer.status_code == 201, answer.text
                    made.append(answer.json()["order_number"])
                    with contextlib.suppress(TimeoutError):
                        data = await asyncio.wait_for(events.get(), 5)
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
    assert any(number in data for number in made), (data, made)


async def test_a_push_and_its_duplicate_on_two_processes_apply_once(
    w: world.World, cluster: list[str]
) -> None:
    from tests.fieldwork.support import job_for

    dossier = await job_for(w, w.technician)
    headers = await _token(cluster[0], "piet.monteur")
    op = {
        "seq": 1,
        "op_id": "telefoon-piet-1",
        "kind": "start_travel",
        "job": dossier.order_number,
        "payload": {"eta_minutes": 30},
        "device_time": datetime.now(UTC).isoformat(),
    }
    body = {"device_id": "telefoon-piet", "ops": [op]}

    async def push(base: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            return await http.post("/api/v1/sync/push", json=body, headers=headers)

    answers = await asyncio.gather(*(push(base) for base in cluster * 2))
    assert [a.status_code for a in answers] == [200] * 4, [a.text for a in answers]
    # Every copy is told the same outcome; the operation was carried out once.
    outcomes = [a.json()["outcomes"] for a in answers]
    assert [[o["status"] for o in each] for each in outcomes] == [["applied"]] * 4, outcomes
    # The copies that lost the race are answered the stored outcome (the same arrival time,
    # computed once), not a second run of the operation.
    assert all(each == outcomes[0] for each in outcomes), outcomes
    assert await SyncOutcome.filter(op_id="telefoon-piet-1").count() == 1
    told = await OutboundMessage.filter(dossier_id=dossier.id, kind="monteur_onderweg").count()
    assert told == 1


async def test_a_held_message_asked_for_by_both_workers_is_sent_once(
    w: world.World, cluster: list[str], cm_url: tuple[str, list[dict[str, object]]]
) -> None:
    now = datetime.now(UTC)
    message = await OutboundMessage.create(
        key="vastgehouden-1",
        client=w.woonstad,
        channel="sms",
        kind="ontvangen",
        recipient="+31612345678",
        body="Uw melding is ontvangen. Wij nemen morgen contact met u op.",
        deliver_after=now - timedelta(seconds=1),  # held by quiet hours until a moment ago
        created_at=now - timedelta(hours=8),
    )
    pool = await queue.pool()
    for n in range(2):  # both workers at once: the sweep, and a send of this very message
        await pool.enqueue_job("send_due_messages", _job_id=f"sweep-{n}")
        await pool.enqueue_job("send_message", message.id, _job_id=f"send-{n}")
    _, received = cm_url
    received.clear()
    deadline = time.monotonic() + 30
    while True:
        await message.refresh_from_db()
        if message.status != "wachtrij" and not await pool.zcard("arq:queue"):
            break
        assert time.monotonic() < deadline, message.status
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)  # a second send would have arrived by now
    assert message.status == "verzonden"
    assert len(received) == 1
