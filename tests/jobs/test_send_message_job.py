"""Messages sent by a real arq worker (burst) on Redis, through CM.com's stand-in, aiosmtpd and
a local push service; what the tenant receives is read back from those servers."""

from __future__ import annotations

import email
import json
import os
from datetime import timedelta
from email.message import Message

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.communication import communication
from server.dossiers import dossiers
from server.jobs.worker import make_worker
from server.messaging.push import b64url
from server.models import Dossier, DossierEvent, OutboundMessage, PushFollow, PushSubscription
from tests.support import world
from tests.support.channels import Channels, new_dossier, plan


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def run_worker(redis_url: str) -> tuple[int, int]:
    worker = make_worker(burst=True, redis_url=redis_url, manage_db=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker.jobs_complete, worker.jobs_failed


async def bericht_events(dossier_id: int) -> list[dict[str, object]]:
    rows = await DossierEvent.filter(dossier_id=dossier_id, kind="bericht").order_by("id")
    return [row.data for row in rows]


def mail_of(channels: Channels) -> Message:
    (envelope,) = channels.inbox.envelopes
    return email.message_from_bytes(envelope.content)


async def test_appointment_goes_out_by_sms_and_email(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    d = await plan(w, await new_dossier(w))
    assert await run_worker(redis_url) == (2, 0)

    (request,) = channels.cm.received
    msg = request["messages"]["msg"][0]
    assert msg["to"] == [{"number": "0031612345678"}]
    assert "Woonstad Utrecht" in msg["body"]["content"]
    assert f"/volg/{d.id}." in msg["body"]["content"]
    mail = mail_of(channels)
    assert mail["To"] == "Fatima el Amrani <huurder@example.nl>"
    assert mail["From"] == "Woonstad Utrecht <berichten@meldkamer.example.nl>"
    assert d.order_number in mail["Subject"] or d.order_number in str(mail)
    rows = await OutboundMessage.filter(dossier_id=d.id).order_by("channel")
    assert [(r.channel, r.kind, r.status, r.attempts) for r in rows] == [
        ("email", "afspraak_ingepland", "verzonden", 1),
        ("sms", "afspraak_ingepland", "verzonden", 1),
    ]
    sms = next(r for r in rows if r.channel == "sms")
    assert sms.provider_id == msg["reference"] == f"MK{sms.id}"
    assert {(e["channel"], e["status"]) for e in await bericht_events(d.id)} == {
        ("sms", "verzonden"),
        ("email", "verzonden"),
    }


async def test_retry_after_503_sends_exactly_once(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    channels.cm.fail_first = 1
    d = await plan(w, await new_dossier(w, email=""))
    assert await run_worker(redis_url) == (1, 0)  # a retried job is one job

    assert channels.cm.calls == 2
    assert len(channels.cm.received) == 1  # the 503 never reached CM's logic: one message
    row = await OutboundMessage.get(dossier_id=d.id, channel="sms")
    assert (row.status, row.attempts) == ("verzonden", 2)
    assert [e["status"] for e in await bericht_events(d.id)] == ["verzonden"]
    # The job again (a duplicate delivery by the queue) sends nothing.
    from server.jobs import queue

    await queue.enqueue("send_message", row.id, job_id="nog-een-keer")
    assert await run_worker(redis_url) == (1, 0)
    assert channels.cm.calls == 2


async def test_permanent_refusal_is_on_the_timeline(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    d = await plan(w, await new_dossier(w, phone="0622222222", email=""))  # CM: blacklisted
    assert await run_worker(redis_url) == (1, 0)
    row = await OutboundMessage.get(dossier_id=d.id)
    assert (row.status, row.attempts) == ("mislukt", 1)
    (event,) = await bericht_events(d.id)
    assert event["status"] == "mislukt"
    assert event["reason"] == "Recipient is blacklisted (402)"


def browser_subscription() -> tuple[ec.EllipticCurvePrivateKey, bytes, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return key, auth, b64url(point)


async def follow(d: Dossier, endpoint: str, p256dh: str, auth: bytes) -> None:
    """The tenant opted in on the dossier's tracking page (stored directly: the local push
    service is http://, which the page's check refuses)."""
    sub, _ = await PushSubscription.get_or_create(
        endpoint=endpoint,
        defaults={"p256dh": p256dh, "auth": b64url(auth), "created_at": dossiers.now()},
    )
    await PushFollow.create(subscription=sub, dossier=d, created_at=dossiers.now())


async def test_on_the_way_push_is_decrypted_and_gone_subscription_removed(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    d = await plan(w, await new_dossier(w, phone="", email="huurder@example.nl"))
    assert await run_worker(redis_url) == (1, 0)  # the appointment e-mail
    key, auth, p256dh = browser_subscription()
    for name in ("ok", "weg", "onbekend"):
        await follow(d, f"{channels.push_url}/push/{name}", p256dh, auth)
    eta = dossiers.now() + timedelta(minutes=25)
    await communication.technician_on_the_way(d, eta)
    assert await run_worker(redis_url) == (4, 0)

    delivered = [body for name, _, body in channels.pushed if name == "ok"]
    (body,) = delivered
    plain = http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm")
    payload = json.loads(plain)
    assert "Piet" in payload["body"] and "Monteur" not in payload["body"]
    assert payload["tag"] == d.order_number
    assert f"/volg/{d.id}." in payload["url"]
    headers = next(h for name, h, _ in channels.pushed if name == "ok")
    assert headers["urgency"] == "high"
    # The 410 and the 404 removed those browsers' subscriptions and failed their messages only.
    assert [s.endpoint.rsplit("/", 1)[1] for s in await PushSubscription.all()] == ["ok"]
    for name in ("weg", "onbekend"):
        gone = await OutboundMessage.get(recipient=f"{channels.push_url}/push/{name}")
        assert gone.status == "mislukt" and "Abonnement verwijderd" in gone.last_error
    onderweg = await DossierEvent.get(dossier_id=d.id, kind="monteur_onderweg")
    assert onderweg.data["technician"] == "Piet"
    # The next message goes to the browser that is left only.
    earlier = dossiers.now() - timedelta(seconds=5)  # another moment: another message
    await communication.technician_on_the_way(d, eta + timedelta(minutes=5), earlier)
    assert await run_worker(redis_url) == (2, 0)
    assert [name for name, _, _ in channels.pushed].count("weg") == 1


async def test_one_browser_hears_of_both_its_reports_and_a_gone_one_is_removed_for_all(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    first, second = [
        await plan(w, await new_dossier(w, phone="0301234567", email="")) for _ in range(2)
    ]
    key, auth, p256dh = browser_subscription()
    for d in (first, second):  # one browser, opted in on both tracking pages; another too
        await follow(d, f"{channels.push_url}/push/ok", p256dh, auth)
        await follow(d, f"{channels.push_url}/push/weg", p256dh, auth)
    eta = dossiers.now() + timedelta(minutes=25)
    for d in (first, second):
        await communication.technician_on_the_way(d, eta)
    assert await run_worker(redis_url) == (4, 0)

    def tags(name: str) -> list[str]:
        bodies = [body for n, _, body in channels.pushed if n == name]
        plain = [
            http_ece.decrypt(b, private_key=key, auth_secret=auth, version="aes128gcm")
            for b in bodies
        ]
        return sorted(json.loads(p)["tag"] for p in plain)

    assert tags("ok") == sorted([first.order_number, second.order_number])
    # The push service said the other browser is gone: it follows neither report any more.
    assert [s.endpoint.rsplit("/", 1)[1] for s in await PushSubscription.all()] == ["ok"]
    assert await PushFollow.filter(subscription__endpoint__endswith="/weg").count() == 0
    channels.pushed.clear()
    await communication.technician_on_the_way(
        second, eta + timedelta(minutes=5), dossiers.now() - timedelta(seconds=5)
    )
    assert await run_worker(redis_url) == (1, 0)
    assert tags("ok") == [second.order_number] and tags("weg") == []
