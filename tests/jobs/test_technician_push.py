"""Push notifications to technicians, end to end: the dispatch event, the outbox row, a real
arq worker on Redis, a local push service; each test decrypts what the phone would receive."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import http_ece
import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server import settings
from server.dispatch import assignments
from server.dossiers import dossiers
from server.jobs import queue, senders
from server.messaging.push import b64url
from server.models import Dossier, DossierEvent, OutboundMessage, PushSubscription, User
from tests.fieldwork.support import App, close
from tests.jobs.conftest import burst
from tests.messaging.servers import serve
from tests.support import world
from tests.support.world import token_for


@dataclass
class PushService:
    """A push service on 127.0.0.1: `/push/<name>` answers 201, `/push/weg` 410, and the first
    `busy` requests 503 (Service Unavailable)."""

    url: str = ""
    received: list[tuple[str, bytes]] = field(default_factory=list)
    busy: int = 0
    calls: int = 0


@dataclass
class Phone:
    """A subscribed browser: only its private key opens what the push service hands it."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    async def subscribe(self, user: User) -> PushSubscription:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return await PushSubscription.create(
            user=user,
            endpoint=self.endpoint,
            p256dh=b64url(point),
            auth=b64url(self.auth),
            created_at=dossiers.now(),
        )

    def inbox(self, service: PushService) -> list[dict[str, Any]]:
        name = self.endpoint.rsplit("/", 1)[1]
        return [
            json.loads(
                http_ece.decrypt(
                    body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
                )
            )
            for got, body in service.received
            if got == name
        ]


@pytest.fixture
async def service(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[PushService]:
    state = PushService()

    async def push(request: Request) -> Response:
        state.calls += 1
        if state.calls <= state.busy:
            return Response(status_code=503)
        name = request.path_params["name"]
        state.received.append((name, await request.body()))
        return Response(status_code=410 if name == "weg" else 201)

    async with serve(Starlette(routes=[Route("/push/{name}", push, methods=["POST"])])) as url:
        state.url = url
        monkeypatch.setattr(settings, "SEND_RETRY_SECONDS", 0.2)
        await senders.reset()
        yield state
        await senders.reset()


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def user_of(username: str) -> User:
    return await User.get(username=username)


async def new_job(w: world.World) -> Dossier:
    return await dossiers.create(w.agent, world.intake())


async def test_assigned_moved_cancelled_and_taken_away_each_reach_the_phone_once(
    redis_url: str, w: world.World, service: PushService
) -> None:
    piet, kees = Phone(f"{service.url}/push/piet"), Phone(f"{service.url}/push/kees")
    await piet.subscribe(await user_of("piet.monteur"))
    await kees.subscribe(await user_of("kees.monteur"))
    d = await new_job(w)
    n = d.order_number
    start = dossiers.now().replace(microsecond=0) + timedelta(days=1)

    # Booking assigns and plans in one go: one new job, not a new job and a change.
    await assignments.book(w.agent, d, w.technician.id, start, start + timedelta(hours=2))
    await assignments.book(
        w.agent, d, w.technician.id, start + timedelta(hours=3), start + timedelta(hours=4)
    )
    await assignments.cancel(w.agent, d, "Huurder belde af")
    await assignments.assign(w.agent, d, w.other_technician.id)
    # The same announcement again (a retried request) adds nothing.
    await assignments.publish(d, "assigned", w.technician.id)
    assert await burst(redis_url) == (5, 0)

    address = f"{n} — Biltstraat 10, Utrecht"
    got = piet.inbox(service)
    moved = f"{address}: nu "
    # The worker sends concurrently, so they may arrive in any order; each arrived once.
    assert sorted((m["title"], m["body"].startswith(moved)) for m in got) == sorted(
        [
            (f"Nieuwe opdracht {address}", False),
            ("Afspraak gewijzigd", True),
            ("Afspraak gewijzigd", False),
            ("Opdracht ingetrokken", False),
        ]
    )
    bodies = {m["body"] for m in got}
    assert "Lekkage aan woning" in bodies
    assert f"{address}: de afspraak is geannuleerd." in bodies
    assert f"{address} is niet meer voor u." in bodies
    assert {m["url"] for m in got} == {f"/monteur/#/opdracht/{n}"}
    assert {m["tag"] for m in got} == {n}
    # Recorded in the order things happened.
    kinds = [r.kind for r in await OutboundMessage.filter(recipient=piet.endpoint).order_by("id")]
    assert kinds == [
        "opdracht_nieuw",
        "opdracht_gewijzigd",
        "opdracht_gewijzigd",
        "opdracht_ingetrokken",
    ]
    (for_kees,) = kees.inbox(service)
    assert for_kees["title"] == f"Nieuwe opdracht {address}"
    assert for_kees["body"] == "Lekkage aan woning"
    rows = await OutboundMessage.filter(dossier_id=d.id, channel="push")
    assert {r.status for r in rows} == {"verzonden"} and len(rows) == 5
    # The meldkamer sees on the timeline that the technicians were told.
    told = await DossierEvent.filter(dossier_id=d.id, kind="bericht")
    to_technicians = [e.data for e in told if e.data["about"].startswith("opdracht_")]
    assert sorted(e["about"] for e in to_technicians) == sorted(r.kind for r in rows)
    assert {e["status"] for e in to_technicians} == {"verzonden"}


async def test_a_retried_send_pushes_once(
    redis_url: str, w: world.World, service: PushService
) -> None:
    service.busy = 1  # the push service is busy the first time
    piet = Phone(f"{service.url}/push/piet")
    await piet.subscribe(await user_of("piet.monteur"))
    d = await new_job(w)
    await assignments.assign(w.agent, d, w.technician.id)
    assert await burst(redis_url) == (1, 0)  # a retried job is one job

    assert service.calls == 2
    (message,) = piet.inbox(service)
    assert message["title"].startswith(f"Nieuwe opdracht {d.order_number}")
    row = await OutboundMessage.get(dossier_id=d.id, channel="push")
    assert (row.status, row.attempts) == ("verzonden", 2)
    # The job delivered once more by the queue sends nothing.
    await queue.enqueue("send_message", row.id, job_id="nog-een-keer")
    assert await burst(redis_url) == (1, 0)
    assert service.calls == 2


async def test_nothing_for_a_technician_without_a_subscription(
    redis_url: str, w: world.World, service: PushService
) -> None:
    d = await new_job(w)
    await assignments.assign(w.agent, d, w.other_technician.id)
    assert await OutboundMessage.filter(channel="push").count() == 0
    assert await burst(redis_url) == (0, 0)
    assert service.calls == 0


async def test_a_subscription_the_service_reports_gone_is_removed(
    redis_url: str, w: world.World, service: PushService
) -> None:
    piet = await user_of("piet.monteur")
    await Phone(f"{service.url}/push/weg").subscribe(piet)
    await Phone(f"{service.url}/push/nieuw").subscribe(piet)
    d = await new_job(w)
    await assignments.assign(w.agent, d, w.technician.id)
    assert await burst(redis_url) == (2, 0)
    left = [s.endpoint for s in await PushSubscription.filter(user_id=piet.id)]
    assert left == [f"{service.url}/push/nieuw"]
    gone = await OutboundMessage.get(recipient=f"{service.url}/push/weg")
    assert gone.status == "mislukt" and "Abonnement verwijderd" in gone.last_error


async def test_a_job_taken_away_by_any_phase_change_is_pushed_once_and_leaves_his_app(
    redis_url: str, w: world.World, service: PushService, http: httpx.AsyncClient
) -> None:
    piet = Phone(f"{service.url}/push/piet")
    await piet.subscribe(await user_of("piet.monteur"))
    start = dossiers.now().replace(microsecond=0) + timedelta(days=1)
    cancelled, referred, analysed = [await new_job(w) for _ in range(3)]
    await assignments.book(w.agent, cancelled, w.technician.id, start, start + timedelta(hours=1))
    await assignments.assign(w.agent, referred, w.technician.id)
    await assignments.assign(w.agent, analysed, w.technician.id)
    app = App(http, await token_for(http, "piet.monteur"))
    assert len((await app.pull())["snapshot"]["jobs"]) == 3
    assert await burst(redis_url) == (3, 0)  # three new jobs

    # None of these goes through dispatch's announcement: the desk moves the dossier itself.
    await dossiers.transition(w.agent, cancelled, "geannuleerd", {"reason": "Huurder verhuisd"})
    await dossiers.transition(w.agent, referred, "doorverwezen", {"referred_to": "Gemeente"})
    await dossiers.transition(w.agent, analysed, "analyseren", {})
    # Announced again (the move reaching dispatch's own announcement too): nothing more.
    for d in (cancelled, referred, analysed):
        await assignments.publish(d, "assigned", w.technician.id)
    assert await burst(redis_url) == (3, 0)

    def address(d: Dossier) -> str:
        return f"{d.order_number} — Biltstraat 10, Utrecht"

    taken = [(m["title"], m["body"]) for m in piet.inbox(service)[3:]]
    assert sorted(taken) == sorted(
        [
            ("Opdracht geannuleerd", f"{address(cancelled)} is geannuleerd."),
            ("Opdracht ingetrokken", f"{address(referred)} is niet meer voor u."),
            ("Opdracht ingetrokken", f"{address(analysed)} is niet meer voor u."),
        ]
    )
    # His app drops all three on its next pull, each with its reason.
    changes = (await app.pull())["changes"]
    assert sorted((c["kind"], c["job"]) for c in changes) == sorted(
        ("withdrawn", d.order_number) for d in (cancelled, referred, analysed)
    )
    assert f"Opdracht {cancelled.order_number} is geannuleerd." in [
        c["data"]["message"] for c in changes
    ]

    # Back to him straight from analysing (the dossier page's move): a new job again.
    await dossiers.transition(
        w.agent, analysed, "doorgezet_naar_monteur", {"technician_id": w.technician.id}
    )
    assert await burst(redis_url) == (1, 0)
    assert piet.inbox(service)[-1]["title"] == f"Nieuwe opdracht {address(analysed)}"
    assert [c["kind"] for c in (await app.pull())["changes"]] == ["job"]


async def test_his_own_moves_and_the_work_finished_push_nothing(
    redis_url: str, w: world.World, service: PushService, http: httpx.AsyncClient
) -> None:
    piet = Phone(f"{service.url}/push/piet")
    await piet.subscribe(await user_of("piet.monteur"))
    d = await new_job(w)
    start = dossiers.now().replace(microsecond=0) + timedelta(hours=1)
    await assignments.book(w.agent, d, w.technician.id, start, start + timedelta(hours=1))
    app = App(http, await token_for(http, "piet.monteur"))
    await app.pull()
    n = d.order_number
    result = await app.push([app.op("arrive", n), close(app, n)])
    assert [o["status"] for o in result["outcomes"]] == ["applied", "applied"]
    assert await burst(redis_url) == (1, 0)
    assert [m["title"] for m in piet.inbox(service)] == [
        f"Nieuwe opdracht {n} — Biltstraat 10, Utrecht"
    ]
    # The finished job stays on his list for the day.
    (change,) = (await app.pull())["changes"]
    assert (change["kind"], change["data"]["job"]["phase"]) == ("job", "afgerond")
