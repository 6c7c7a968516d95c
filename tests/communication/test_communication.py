"""What the tenant and the client are told, and when: quiet hours, channels that are not set
up, demo clients, the on-call alert, and the unsure SMS that must not go out twice."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server import settings
from server.communication import communication, delivery_reports, outbox, sending
from server.communication.outbox import Recipient
from server.messaging.cm import CmSmsProvider
from server.messaging.kinds import Channel
from server.messaging.messages import AfspraakIngepland
from server.models import ClientNotification, DossierEvent, OutboundMessage
from tests.jobs import conftest as job_fixtures
from tests.messaging import fake_cm
from tests.messaging.servers import serve
from tests.support import world
from tests.support.channels import new_dossier, plan
from tests.support.pages import login

AMS = ZoneInfo("Europe/Amsterdam")
redis_url = job_fixtures.redis_url  # a real Redis for the queued jobs


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_without_channels_intake_goes_on_and_the_timeline_says_not_sent(
    w: world.World, http: httpx.AsyncClient
) -> None:
    d = await plan(w, await new_dossier(w))
    rows = await OutboundMessage.filter(dossier_id=d.id).order_by("channel")
    assert [(r.channel, r.status, r.last_error) for r in rows] == [
        ("email", "niet_verzonden", "kanaal niet ingesteld"),
        ("sms", "niet_verzonden", "kanaal niet ingesteld"),
    ]
    events = await DossierEvent.filter(dossier_id=d.id, kind="bericht")
    assert {e.data["status"] for e in events} == {"niet_verzonden"}
    assert d.phase == "afspraak_ingepland"
    await login(http, "anna.agent")
    page = (await http.get(f"/dossiers/{d.order_number}")).text
    assert "per e-mail aan" in page and "per email" not in page
    assert ": niet verzonden (kanaal niet ingesteld)." in page


async def test_demo_client_never_sends_a_real_sms(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", fake_cm.TOKEN)
    w.woonstad.settings = {"demo": True}
    await w.woonstad.save()
    d = await plan(w, await new_dossier(w, email=""))
    row = await OutboundMessage.get(dossier_id=d.id)
    assert (row.channel, row.status) == ("sms", "niet_verzonden")
    assert "demo" in row.last_error


async def _record_at(w: world.World, urgency: str, at: datetime) -> OutboundMessage:
    d = await new_dossier(w, email="")
    start = at + timedelta(days=1)
    message = AfspraakIngepland(
        opdrachtgever="Woonstad Utrecht",
        ordernummer=d.order_number,
        volgen_url="x",
        van=start,
        tot=start,
    )
    (row,) = await outbox.record(
        message,
        client=w.woonstad,
        dossier=d,
        recipients=[Recipient(Channel.SMS, d.contact_phone)],
        key=f"{d.order_number}:test",
        urgency=urgency,
        at=at,
    )
    return row


async def test_quiet_hours_hold_niet_urgent_until_eight_and_never_acuut(
    w: world.World, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", fake_cm.TOKEN)
    monkeypatch.setattr(settings, "QUIET_HOURS", "21:00-08:00")
    day = date.today() + timedelta(days=30)  # in the future: really held
    late = datetime.combine(day, time(22, 0), AMS)
    morning = datetime.combine(day + timedelta(days=1), time(8, 0), AMS)
    held = await _record_at(w, "niet_urgent", late)
    assert held.deliver_after == morning
    urgent = await _record_at(w, "acuut", late)
    assert urgent.deliver_after == late
    # The held message waits in the database for the outbox sweep, not in the queue
    # (tests/jobs/test_outbox_sweep.py: it survives a restart and goes out once due).
    redis = Redis.from_url(redis_url)
    try:
        assert await redis.zscore("arq:queue", f"bericht-{held.id}") is None
    finally:
        await redis.aclose()
    # A client's own quiet hours replace the setting.
    w.woonstad.settings = {"quiet_hours": "23:00-07:00"}
    await w.woonstad.save()
    assert (await _record_at(w, "niet_urgent", late)).deliver_after == late


async def test_piket_goes_to_the_on_call_contact_at_night(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", "")
    monkeypatch.setattr(settings, "QUIET_HOURS", "00:00-23:59")  # always quiet
    w.woonstad.oncall_phone, w.woonstad.oncall_email = "+31687654321", "piket@woonstad.example"
    await w.woonstad.save()
    d = await new_dossier(w)
    note = await ClientNotification.create(
        client=w.woonstad,
        dossier=d,
        kind="piket",
        to_name="Piket",
        to_phone=w.woonstad.oncall_phone,
        to_email=w.woonstad.oncall_email,
        subject="Acute melding",
        body="…",
        data={"outcome": "x", "outcome_label": "Gaslucht", "description": "Gaslucht in hal"},
        created_at=d.created_at,
    )
    await communication.send_client_notifications(dossier=d)
    rows = await OutboundMessage.filter(notification_id=note.id).order_by("channel")
    assert [(r.channel, r.recipient, r.kind) for r in rows] == [
        ("email", "piket@woonstad.example", "piket"),
        ("sms", "+31687654321", "piket"),
    ]
    assert all(r.deliver_after == r.created_at for r in rows)  # never held back
    assert "Gaslucht" in rows[1].body
    await note.refresh_from_db()
    assert (note.status, note.last_error) == (
        "wachtrij",
        "sms: kanaal niet ingesteld; email: kanaal niet ingesteld",
    )
    # Asking again adds nothing: each notification is put in the outbox once.
    await communication.send_client_notifications(dossier=d)
    assert await OutboundMessage.filter(notification_id=note.id).count() == 2


async def _one_sms(w: world.World, key: str) -> OutboundMessage:
    """An appointment SMS to a new dossier's tenant, recorded and waiting for its job."""
    d = await new_dossier(w, email="")
    message = AfspraakIngepland(
        opdrachtgever="Woonstad Utrecht",
        ordernummer=d.order_number,
        volgen_url="x",
        van=d.created_at,
        tot=d.created_at,
    )
    recipients = [Recipient(Channel.SMS, d.contact_phone)]
    (row,) = await outbox.record(
        message, client=w.woonstad, dossier=d, recipients=recipients, key=key
    )
    return row


async def test_unsure_sms_waits_for_the_report_instead_of_sending_again(
    w: world.World, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CM took the request but the answer was lost (read timeout): the retry sends nothing
    once the delivery report has said the message arrived."""
    received: list[object] = []

    async def slow(request: Request) -> Response:
        received.append(await request.json())
        await asyncio.sleep(1)
        return Response("{}", media_type="application/json")

    monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", fake_cm.TOKEN)
    monkeypatch.setattr(settings, "QUIET_HOURS", "")
    async with serve(Starlette(routes=[Route("/", slow, methods=["POST"])])) as url:
        cm = CmSmsProvider(product_token=fake_cm.TOKEN, sender="Meldkamer", url=url, timeout=0.2)
        channels = sending.Channels(sms=cm)
        try:
            row = await _one_sms(w, "unsure")
            # The job waits in Redis; this test plays the worker, with a short timeout.
            first = await sending.send(row.id, channels)
            assert first.status == "wachtrij" and first.retry_in is not None
            await row.refresh_from_db()
            assert row.data["maybe_sent"] is True and row.provider_id == f"MK{row.id}"
            report = {
                "messages": {
                    "msg": {
                        "reference": row.provider_id,
                        "to": "0031612345678",
                        "status": {"code": "2", "errorCode": "", "errorDescription": ""},
                    }
                }
            }
            assert await delivery_reports.apply(report) == "afgeleverd"
            second = await sending.send(row.id, channels)
            assert second.status == "afgeleverd" and second.retry_in is None
        finally:
            await cm.aclose()
    assert len(received) == 1
    await row.refresh_from_db()
    assert row.status == "afgeleverd"


@pytest.mark.parametrize(
    ("code", "status", "reason"),
    [("2", "afgeleverd", ""), ("3", "mislukt", "Absent subscriber (5)")],
)
async def test_a_report_that_overtakes_the_send_is_not_overwritten(
    w: world.World,
    http: httpx.AsyncClient,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    status: str,
    reason: str,
) -> None:
    """CM's delivery report reaches our webhook before CM's answer to the send reaches us: the
    stand-in posts the report and only then answers, so the race happens every time."""
    webhook = f"/api/v1/webhooks/sms/{settings.SMS_WEBHOOK_SECRET}"
    reported: list[str] = []

    async def report_then_answer(request: Request) -> Response:
        msg = (await request.json())["messages"]["msg"][0]
        error = {"errorCode": "5", "errorDescription": "Absent subscriber"} if code == "3" else {}
        status_report = {"code": code, "errorCode": "", "errorDescription": "", **error}
        body = {"messages": {"msg": {"reference": msg["reference"], "status": status_report}}}
        reported.append((await http.post(webhook, json=body)).json()["status"])
        accepted = {"to": msg["to"][0]["number"], "status": "Accepted", "parts": 1}
        answer = {"errorCode": 0, "messages": [{**accepted, "reference": msg["reference"]}]}
        return JSONResponse(answer)

    monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", fake_cm.TOKEN)
    monkeypatch.setattr(settings, "QUIET_HOURS", "")
    route = Route("/", report_then_answer, methods=["POST"])
    async with serve(Starlette(routes=[route])) as url:
        cm = CmSmsProvider(product_token=fake_cm.TOKEN, sender="Meldkamer", url=url)
        try:
            row = await _one_sms(w, "race")
            # The job waits in Redis; this test plays the worker.
            outcome = await sending.send(row.id, sending.Channels(sms=cm))
        finally:
            await cm.aclose()
    assert reported == [status]  # the report arrived while the send was in progress
    assert outcome.status == status
    await row.refresh_from_db()
    assert (row.status, row.last_error) == (status, reason)
    assert row.sent_at is not None  # when it went out is still known
    events = await DossierEvent.filter(dossier_id=row.dossier_id, kind="bericht").order_by("id")  # type: ignore[attr-defined]
    assert [e.data["status"] for e in events] == [status]
