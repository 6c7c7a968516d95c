"""IMAP IDLE against a real Dovecot: a mail becomes a contact as it arrives, without waiting
for the minute's poll; a server without IDLE, or a dropped connection, falls back to polling;
stopping ends every IDLE."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Awaitable, Callable

import pytest
from redis.asyncio import Redis

from server.contacts import mail_idle, mail_in
from server.models import Contact
from tests.contacts.dovecot import Dovecot
from tests.contacts.mail_support import at, give_mailbox, mail
from tests.support import world


async def _until(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.05)


def _contacts(count: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await Contact.filter(channel="email").count() == count

    return check


async def _idling(idler: mail_idle.Idler, client_id: int) -> mail_idle.Watch:
    async def check() -> bool:
        watch = idler.watches.get(client_id)
        return watch is not None and watch.idling.is_set()

    await _until(check, 10)
    return idler.watches[client_id]


async def test_a_mail_becomes_a_contact_as_it_arrives_where_the_server_offers_idle(
    w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail("Er al voor de start"), at(0))
    idler = mail_idle.Idler(refresh_seconds=3600)  # no cron and no refresh in this test
    await idler.start()
    try:
        watch = await _idling(idler, w.woonstad.id)
        await _until(_contacts(1))  # what was waiting is read when the watch begins
        began = time.monotonic()
        dovecot.deliver(address, mail("Lekkage in de keuken"), at(1))
        await _until(_contacts(2), 5)
        assert time.monotonic() - began < 5  # not a minute: IDLE said it arrived
        await _until(lambda: _all_marked(dovecot, address, 2))  # marked after storing
    finally:
        await idler.stop()
    assert not watch.is_alive()  # stopped: IDLE ended, logged out
    subjects = (
        await Contact.filter(channel="email")
        .order_by("offered_at")
        .values_list("subject", flat=True)
    )
    assert subjects == ["Er al voor de start", "Lekkage in de keuken"]


async def _all_marked(dovecot: Dovecot, address: str, count: int) -> bool:
    flags = await asyncio.to_thread(dovecot.flags, address)
    return len(flags) == count and all(b"$Meldkamer" in f for f in flags)


async def test_a_dropped_connection_is_taken_up_again(w: world.World, dovecot: Dovecot) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    idler = mail_idle.Idler(refresh_seconds=3600, retry_seconds=0.2)
    await idler.start()
    try:
        watch = await _idling(idler, w.woonstad.id)
        first = watch.box
        assert first is not None and first.client is not None
        first.client.socket().shutdown(socket.SHUT_RDWR)  # the network goes away

        async def again() -> bool:
            return watch.box is not first and watch.idling.is_set()

        await _until(again, 10)
        dovecot.deliver(address, mail("Na de storing"), at(2))
        await _until(_contacts(1), 5)
    finally:
        await idler.stop()
    assert not watch.is_alive()


async def test_a_server_without_idle_is_left_to_the_minutes_poll(
    w: world.World, dovecot_without_idle: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot_without_idle)
    idler = mail_idle.Idler(refresh_seconds=3600)
    await idler.start()
    try:

        async def given_up() -> bool:
            watch = idler.watches.get(w.woonstad.id)
            return watch is not None and watch.unsupported and not watch.is_alive()

        await _until(given_up, 10)  # no IDLE offered: no connection held
        dovecot_without_idle.deliver(address, mail("Via de poll"), at(3))
        await asyncio.sleep(1)
        assert await Contact.filter(channel="email").count() == 0
        assert await mail_in.poll_all() == {"WST": 1}  # the worker's cron, every minute
        await idler.refresh()  # the next round leaves it alone: still no connection
        assert not idler.watches[w.woonstad.id].is_alive()
    finally:
        await idler.stop()


async def test_two_workers_hold_one_idle_connection_per_mailbox(
    w: world.World, dovecot: Dovecot
) -> None:
    redis = Redis.from_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9"))
    try:
        await redis.ping()
    except OSError as exc:
        await redis.aclose()
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"Redis unreachable: {exc}")
    await redis.delete(mail_idle.CLAIM_KEY.format(w.woonstad.id))
    address = await give_mailbox(w.woonstad, dovecot)
    first = mail_idle.Idler(refresh_seconds=3600, redis=redis)
    second = mail_idle.Idler(refresh_seconds=3600, redis=redis)
    try:
        await first.start()
        await _idling(first, w.woonstad.id)
        await second.refresh()
        assert w.woonstad.id not in second.watches  # the first worker holds it
        dovecot.deliver(address, mail("Eén keer gelezen"), at(4))
        await _until(_contacts(1))
        await first.stop()  # lets go of its claim
        await second.refresh()
        await _idling(second, w.woonstad.id)  # and the other takes it up
    finally:
        await first.stop()
        await second.stop()
        await redis.aclose()
