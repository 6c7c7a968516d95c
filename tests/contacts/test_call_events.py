"""The call-event API: signed, applied once, in any order, and the agent's desk told."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
from starlette.types import ASGIApp

from server.models import CallEvent, Contact
from tests.contacts.support import (
    LVD_LINE,
    NOW,
    TENANT,
    WST_LINE,
    event,
    post,
    signed,
)
from tests.support import world
from tests.support.pages import login
from tests.support.streams import cookie_header, open_stream

pytestmark = pytest.mark.usefixtures("clock")


async def test_a_call_becomes_a_contact_of_the_client_whose_number_was_dialled(
    http: httpx.AsyncClient, w: world.World
) -> None:
    offered = await post(http, event("c-1", "offered"))
    assert offered.status_code == 200, offered.text
    assert offered.json() | {"contact_id": 0} == {
        "applied": True,
        "contact_id": 0,
        "state": "aangeboden",
        "warnings": [],
    }
    await post(http, event("c-1", "answered", 12))
    ended = await post(http, event("c-1", "ended", 192))
    assert ended.json()["state"] == "nawerk"
    contact = await Contact.get(call_id="api:c-1").prefetch_related("client", "agent")
    assert (contact.client.code, contact.caller, contact.line, contact.channel) == (
        "WST",
        TENANT,
        WST_LINE,
        "telefoon_in",
    )
    assert (contact.agent.username, contact.agent_name) == ("anna.agent", "Anna Agent")
    assert (contact.offered_at, contact.answered_at, contact.ended_at) == (
        NOW,
        NOW + timedelta(seconds=12),
        NOW + timedelta(seconds=192),
    )
    assert (contact.wait_seconds, contact.talk_seconds, contact.wrap_seconds) == (12, 180, None)


async def test_an_event_seen_twice_is_applied_once(http: httpx.AsyncClient, w: world.World) -> None:
    first = await post(http, event("c-2", "offered"))
    again = await post(http, event("c-2", "offered"))
    assert (first.json()["applied"], again.json()["applied"]) == (True, False)
    assert again.json()["contact_id"] == first.json()["contact_id"]
    assert await CallEvent.all().count() == 1
    assert await Contact.all().count() == 1


@pytest.mark.parametrize(
    "order",
    [
        ("offered", "answered", "ended"),
        ("ended", "answered", "offered"),
        ("answered", "ended", "offered"),
        ("ended", "offered", "answered"),
    ],
)
async def test_out_of_order_events_end_with_the_right_times(
    http: httpx.AsyncClient, w: world.World, order: tuple[str, ...]
) -> None:
    moments = {"offered": 0, "answered": 25, "ended": 145}
    for kind in order:
        response = await post(http, event("c-3", kind, moments[kind]))
        assert response.status_code == 200, response.text
    contact = await Contact.get(call_id="api:c-3")
    assert contact.state == "nawerk"
    assert (contact.wait_seconds, contact.talk_seconds) == (25, 120)
    assert contact.offered_at == NOW


async def test_a_call_nobody_answered_is_missed_with_its_wait(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("c-4", "offered", agent=""))
    response = await post(http, event("c-4", "ended", 48, agent=""))
    assert response.json()["state"] == "gemist"
    contact = await Contact.get(call_id="api:c-4")
    assert (contact.wait_seconds, contact.agent_id, contact.talk_seconds) == (48, None, None)


async def test_unknown_line_and_agent_are_recorded_with_a_warning(
    http: httpx.AsyncClient, w: world.World
) -> None:
    response = await post(http, event("c-5", "offered", to="+31201234567", agent="onbekend"))
    assert response.status_code == 200
    assert response.json()["warnings"] == [
        "Nummer '+31201234567' is van geen opdrachtgever; de medewerker kiest die bij het "
        "registreren.",
        "Medewerker 'onbekend' is onbekend; het contact staat zonder medewerker.",
    ]
    contact = await Contact.get(call_id="api:c-5")
    assert (contact.client_id, contact.agent_id, contact.agent_ref) == (None, None, "onbekend")


async def test_transfer_event_names_the_clients_transfer_number(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("c-6", "offered"))
    await post(http, event("c-6", "answered", 5))
    await post(http, event("c-6", "transferred", 60, to="030 263 6363"))
    contact = await Contact.get(call_id="api:c-6")
    assert (contact.transferred_to, contact.transferred_name) == (
        "+31302636363",
        "Klantenservice Woonstad",
    )
    assert contact.client_id == w.woonstad.id  # the transfer's "to" is not the line


async def test_an_outbound_call_is_telefoon_uit(http: httpx.AsyncClient, w: world.World) -> None:
    await post(http, event("c-7", "offered", frm=LVD_LINE, to="0612345678", direction="out"))
    contact = await Contact.get(call_id="api:c-7").prefetch_related("client")
    assert (contact.channel, contact.client.code, contact.caller) == (
        "telefoon_uit",
        "LVD",
        TENANT,
    )


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Handtekening ontbreekt (X-Meldkamer-Signature)."),
        (
            {"x-meldkamer-signature": "v1=abc"},
            "Handtekening onleesbaar: verwacht 't=<seconden>,v1=<hex>'.",
        ),
        (
            {"x-meldkamer-signature": "t=1,v1=abc"},
            "Handtekening verlopen: ouder dan 300 seconden (of de klok loopt verkeerd).",
        ),
    ],
)
async def test_unsigned_or_stale_requests_are_refused(
    http: httpx.AsyncClient, w: world.World, headers: dict[str, str], message: str
) -> None:
    body = json.dumps(event("c-8", "offered")).encode()
    response = await http.post("/api/v1/telephony/events", content=body, headers=headers)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == message
    assert await Contact.all().count() == 0


async def test_a_signature_with_another_secret_or_over_another_body_is_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    body = json.dumps(event("c-9", "offered")).encode()
    wrong = await http.post(
        "/api/v1/telephony/events", content=body, headers=signed(body, secret="raden")
    )
    tampered = await http.post(
        "/api/v1/telephony/events",
        content=body.replace(b"anna.agent", b"bram.agent"),
        headers=signed(body),
    )
    old = await http.post(
        "/api/v1/telephony/events",
        content=body,
        headers=signed(body, at=NOW - timedelta(minutes=6)),
    )
    assert [r.status_code for r in (wrong, tampered, old)] == [403, 403, 403]
    assert wrong.json()["error"]["message"] == "Handtekening klopt niet."
    assert await Contact.all().count() == 0


async def test_bad_fields_are_named_in_dutch(http: httpx.AsyncClient, w: world.World) -> None:
    cases = {
        "event": (
            event("c-10", "rang"),
            "event: Onbekende waarde; toegestaan: 'offered', 'answered', 'transferred', 'ended'.",
        ),
        "at": (
            event("c-10", "offered") | {"at": "2026-11-17T14:00:00"},
            "at: Geef het tijdstip met tijdzone (ISO 8601, zoals 2026-11-17T14:00:00+01:00).",
        ),
        "call_id": (event("", "offered"), "call_id: Moet minstens 1 teken(s) lang zijn."),
        "from": (
            event("c-10", "offered", frm="0" * 300),
            "from: Mag hoogstens 254 tekens lang zijn.",
        ),
    }
    for field, (data, message) in cases.items():
        response = await post(http, data)
        assert response.status_code == 422, (field, response.text)
        assert response.json()["error"] == {"message": message, "field": field}
    future = await post(http, event("c-10", "offered", 3600))
    assert future.status_code == 422
    assert future.json()["error"]["field"] == "at"
    assert "ligt in de toekomst" in future.json()["error"]["message"]


async def test_offered_call_reaches_the_agents_desk_stream(
    http: httpx.AsyncClient, app: ASGIApp, w: world.World
) -> None:
    await login(http, "anna.agent")
    async with open_stream(app, "/contacten/live", cookie_header(http)) as stream:
        assert stream.status == 200
        response = await post(http, event("c-11", "offered"))
        kind, data = await stream.next_event()
        assert kind == "contact"
        assert data == {
            "contact_id": response.json()["contact_id"],
            "state": "aangeboden",
            "event": "offered",
        }


async def test_a_call_that_rings_on_at_a_colleague_leaves_the_first_desk(
    http: httpx.AsyncClient, app: ASGIApp, w: world.World
) -> None:
    await login(http, "anna.agent")
    await post(http, event("c-12", "offered"))
    async with open_stream(app, "/contacten/live", cookie_header(http)) as stream:
        await post(http, event("c-12", "offered", 15, agent="bram.agent"))
        kind, data = await stream.next_event()
    assert kind == "contact_gone"
    contact = await Contact.get(call_id="api:c-12")
    assert data == {"contact_id": contact.id}
    assert contact.agent_id is None  # bram is not a user of this world


async def test_a_transfer_reported_first_does_not_decide_the_client(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """On 'transferred', "to" is where the caller went; the line comes with the other events."""
    first = await post(http, event("c-13", "transferred", 60, to=LVD_LINE))
    assert first.status_code == 200
    contact = await Contact.get(call_id="api:c-13")
    assert (contact.client_id, contact.line, contact.transferred_to) == (None, "", LVD_LINE)
    await post(http, event("c-13", "offered"))
    await contact.refresh_from_db()
    assert (contact.client_id, contact.line, contact.offered_at) == (w.woonstad.id, WST_LINE, NOW)


async def test_the_webhook_answers_in_front_of_the_stack_with_its_headers_and_limits(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """The call-event path skips the session, CSRF and compression (server/web/direct.py),
    but keeps the request id, the security headers, the body limit and JSON errors."""
    answered = await post(http, event("c-14", "offered"))
    assert answered.status_code == 200
    assert answered.headers["content-type"] == "application/json"
    assert len(answered.headers["x-request-id"]) == 32
    assert answered.headers["x-content-type-options"] == "nosniff"
    assert answered.headers["x-frame-options"] == "DENY"
    assert "set-cookie" not in answered.headers  # no session for a machine
    huge = b'{"call_id": "' + b"x" * 70_000 + b'"}'
    refused = await http.post("/api/v1/telephony/events", content=huge, headers=signed(huge))
    assert refused.status_code == 413
    assert refused.json()["error"]["message"] == "De body is groter dan 64 kB."
    assert refused.headers["x-frame-options"] == "DENY"
    unsigned = await http.post("/api/v1/telephony/events", content=b"{}")
    assert unsigned.status_code == 403
    assert unsigned.json()["error"] == {
        "message": "Handtekening ontbreekt (X-Meldkamer-Signature).",
        "field": "signature",
    }
    nul = json.dumps(event("c-15", "offered", agent="anna\x00")).encode()
    bad_text = await http.post("/api/v1/telephony/events", content=nul, headers=signed(nul))
    assert bad_text.status_code == 422
    assert bad_text.json()["error"]["field"] == "agent"
    other_method = await http.get("/api/v1/telephony/events")  # the stack's own answer
    assert other_method.status_code == 405
    assert await Contact.filter(call_id="api:c-15").count() == 0
