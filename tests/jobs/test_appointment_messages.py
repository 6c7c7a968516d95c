"""Booking, moving and cancelling an appointment through the dispatch API tells the tenant, once
per change, by SMS and e-mail: sent by a real arq worker to CM.com's stand-in and aiosmtpd."""

from __future__ import annotations

import email
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from server.jobs import queue
from server.models import DossierEvent, OutboundMessage
from tests.jobs.test_send_message_job import run_worker
from tests.support import world
from tests.support.channels import Channels, new_dossier
from tests.support.pages import login
from tests.support.world import token_for

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def texts(channels: Channels) -> list[str]:
    """Every SMS text CM's stand-in accepted, and every e-mail's plain text, since the last call."""
    sms = [m["body"]["content"] for r in channels.cm.received for m in r["messages"]["msg"]]
    mails = []
    for envelope in channels.inbox.envelopes:
        mail = email.message_from_bytes(envelope.content)
        plain = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
        mails.append(f"{mail['Subject']}\n{plain.get_payload(decode=True).decode()}")  # type: ignore[union-attr]
    channels.cm.received.clear()
    channels.inbox.envelopes.clear()
    return sms + mails


async def test_moving_and_cancelling_tell_the_tenant_once_each(
    redis_url: str, w: world.World, channels: Channels, http: httpx.AsyncClient
) -> None:
    d = await new_dossier(w)
    headers = await token_for(http, "anna.agent")
    url = f"/api/v1/dossiers/{d.order_number}/appointment"
    day = datetime.now(AMS).date() + timedelta(days=2)
    nine = datetime.combine(day, time(9, 0), AMS)

    async def book(start: datetime, reason: str = "") -> None:
        body = {
            "technician_id": w.technician.id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            "reason": reason,
        }
        answer = await http.post(url, json=body, headers=headers)
        assert answer.status_code == 200, answer.text

    await book(nine)
    assert await run_worker(redis_url) == (2, 0)
    booked = texts(channels)
    assert len(booked) == 2 and all("09:00" in t for t in booked)

    await book(nine + timedelta(hours=3), "Huurder pas om 12 uur thuis")
    assert await run_worker(redis_url) == (2, 0)
    sms, mail = texts(channels)
    assert "is gewijzigd naar" in sms and "tussen 12:00 en 13:00" in sms
    assert d.order_number in sms and f"/volg/{d.id}." in sms
    assert "12:00" in mail and "09:00" in mail  # the e-mail also names the old time

    # The same move submitted again changes nothing the tenant sees: nothing is sent.
    await book(nine + timedelta(hours=3), "Huurder pas om 12 uur thuis")
    assert await run_worker(redis_url) == (0, 0)
    # A job that runs again (a retry, a duplicate in the queue) sends nothing either.
    moved = await OutboundMessage.get(dossier_id=d.id, kind="afspraak_gewijzigd", channel="sms")
    await queue.enqueue("send_message", moved.id, job_id="nog-een-keer")
    assert await run_worker(redis_url) == (1, 0)
    assert texts(channels) == []

    cancelled = await http.post(f"{url}/cancel", json={"reason": "Monteur ziek"}, headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    assert await run_worker(redis_url) == (2, 0)
    sms, mail = texts(channels)
    assert "gaat niet door" in sms and "12:00-13:00" in sms
    assert "Er wordt een nieuwe afspraak met u gemaakt." in sms
    assert "Monteur ziek" not in sms + mail  # the desk's reason is for the desk

    rows = await OutboundMessage.filter(dossier_id=d.id).order_by("id")
    assert [(r.kind, r.channel, r.status, r.attempts) for r in rows] == [
        ("afspraak_ingepland", "sms", "verzonden", 1),
        ("afspraak_ingepland", "email", "verzonden", 1),
        ("afspraak_gewijzigd", "sms", "verzonden", 1),
        ("afspraak_gewijzigd", "email", "verzonden", 1),
        ("afspraak_geannuleerd", "sms", "verzonden", 1),
        ("afspraak_geannuleerd", "email", "verzonden", 1),
    ]
    # The timeline says what went out, in Dutch, on the desk's dossier page.
    events = await DossierEvent.filter(dossier_id=d.id, kind="bericht").order_by("id")
    assert [(e.data["about"], e.data["status"]) for e in events][2:] == [
        ("afspraak_gewijzigd", "verzonden"),
        ("afspraak_gewijzigd", "verzonden"),
        ("afspraak_geannuleerd", "verzonden"),
        ("afspraak_geannuleerd", "verzonden"),
    ]
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    assert "Afspraak gewijzigd per sms aan +31612345678: verzonden." in page.text
    assert "Afspraak geannuleerd per e-mail aan huurder@example.nl: verzonden." in page.text


async def test_a_move_recorded_as_history_tells_nobody(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    from server.dispatch import assignments

    d = await new_dossier(w, email="")
    start = datetime.now(AMS) + timedelta(days=2)
    past = datetime.now(AMS) - timedelta(days=1)
    await assignments.book(w.agent, d, w.technician.id, start, start + timedelta(hours=1), at=past)
    await assignments.book(
        w.agent, d, w.technician.id, start + timedelta(hours=2), start + timedelta(hours=3), at=past
    )
    await assignments.cancel(w.agent, d, "Import", at=past)
    assert await OutboundMessage.filter(dossier_id=d.id).count() == 0
    assert await run_worker(redis_url) == (0, 0)


async def test_a_clients_own_text_for_a_moved_appointment_is_used(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    from server.dispatch import assignments

    w.woonstad.settings = {
        "message_templates": {
            "afspraak_gewijzigd/sms.txt": "Nieuwe tijd voor {{ ordernummer }}: "
            "{{ van|moment }} (was {{ oude_van|tijd }})."
        }
    }
    await w.woonstad.save()
    d = await new_dossier(w, email="")
    nine = datetime.combine(datetime.now(AMS).date() + timedelta(days=2), time(9, 0), AMS)
    await assignments.book(w.agent, d, w.technician.id, nine, nine + timedelta(hours=1))
    later = nine + timedelta(hours=5)
    await assignments.book(w.agent, d, w.technician.id, later, later + timedelta(hours=1))
    assert await run_worker(redis_url) == (2, 0)
    booked, moved = sorted(texts(channels), key=lambda text: text.startswith("Nieuwe"))
    assert "er is een afspraak" in booked  # the built-in text where the client has none
    assert moved.startswith(f"Nieuwe tijd voor {d.order_number}: ")
    assert moved.endswith("om 14:00 (was 09:00).")
