"""A small telephony world for contact tests: two clients' lines, Woonstad's transfer numbers,
and signing call events as a telephony platform would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from server.contacts import signatures
from server.models import InboundLine, TransferTarget
from tests.support import world

SECRET = "test-telephony-secret"  # as tests/conftest.py sets TELEPHONY_SECRET
# Tuesday 17 November 2026, 14:00 in Amsterdam: Woonstad's office is open.
NOW = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)
WST_LINE = "+31851234567"
LVD_LINE = "+31302345678"
TENANT = "+31612345678"


async def telephony(w: world.World) -> None:
    await InboundLine.create(
        client=w.woonstad, kind="telefoon", value=WST_LINE, label="Storingslijn"
    )
    await InboundLine.create(client=w.lichtveld, kind="telefoon", value=LVD_LINE)
    await TransferTarget.create(
        client=w.woonstad,
        name="Klantenservice Woonstad",
        number="+31302636363",
        hours=[{"days": ["ma", "di", "wo", "do", "vr"], "from": "08:00", "to": "17:00"}],
        position=0,
    )
    await TransferTarget.create(
        client=w.woonstad,
        name="Piket Woonstad",
        number="+31612000000",
        hours=[
            {"days": ["ma", "di", "wo", "do", "vr"], "from": "17:00", "to": "08:00"},
            {"days": ["za", "zo", "fd"], "from": "00:00", "to": "24:00"},
        ],
        position=1,
    )


def signed(body: bytes, secret: str = SECRET, at: datetime | None = None) -> dict[str, str]:
    stamp = int((at or datetime.now(UTC)).timestamp())
    return {
        "content-type": "application/json",
        "x-meldkamer-signature": signatures.sign(secret, stamp, body),
    }


def event(
    call_id: str,
    kind: str,
    seconds: int = 0,
    *,
    frm: str = TENANT,
    to: str = WST_LINE,
    agent: str = "anna.agent",
    **more: Any,
) -> dict[str, Any]:
    """A call event `seconds` after NOW, as the documented API takes it."""
    return {
        "call_id": call_id,
        "event": kind,
        "at": (NOW + timedelta(seconds=seconds)).isoformat(),
        "from": frm,
        "to": to,
        "agent": agent,
        **more,
    }


async def post(http: httpx.AsyncClient, data: dict[str, Any]) -> httpx.Response:
    body = json.dumps(data).encode()
    return await http.post("/api/v1/telephony/events", content=body, headers=signed(body))
