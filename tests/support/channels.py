"""Real local stand-ins for the message channels: CM.com over HTTP, an aiosmtpd inbox, a
push service. A test module makes a fixture of `running(monkeypatch)`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from server import settings
from server.dossiers import dossiers
from server.dossiers.dossiers import AddressInput, DossierInput
from server.jobs import senders
from server.models import Dossier
from tests.messaging import fake_cm
from tests.messaging.servers import serve
from tests.messaging.smtp_server import Inbox, smtp_server
from tests.support import world


@dataclass
class Cm:
    """CM's stand-in; `fail_first` answers the first so many requests with 503."""

    url: str
    received: list[dict[str, Any]]
    fail_first: int = 0
    calls: int = 0


@dataclass
class Channels:
    cm: Cm
    inbox: Inbox
    push_url: str
    pushed: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)


@asynccontextmanager
async def running(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Channels]:
    """SMS, e-mail and push all configured, against servers on 127.0.0.1; no quiet hours."""
    inner = fake_cm.app()
    cm = Cm(url="", received=inner.state.received)

    async def cm_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            cm.calls += 1
            if cm.calls <= cm.fail_first:
                await PlainTextResponse("Service Unavailable", 503)(scope, receive, send)
                return
        await inner(scope, receive, send)

    pushed: list[tuple[str, dict[str, str], bytes]] = []
    answers = {"ok": 201, "weg": 410, "onbekend": 404}

    async def push(request: Request) -> Response:
        name = request.path_params["name"]
        pushed.append((name, dict(request.headers), await request.body()))
        return Response(status_code=answers[name])

    push_app = Starlette(routes=[Route("/push/{name}", push, methods=["POST"])])
    with smtp_server() as (port, inbox, _):
        async with serve(cm_app) as cm_url, serve(push_app) as push_url:
            cm.url = cm_url
            monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", fake_cm.TOKEN)
            monkeypatch.setattr(settings, "SMS_PROVIDER_URL", f"{cm_url}/v1.0/message")
            monkeypatch.setattr(settings, "SMTP_HOST", "127.0.0.1")
            monkeypatch.setattr(settings, "SMTP_PORT", port)
            monkeypatch.setattr(settings, "SMTP_STARTTLS", False)
            monkeypatch.setattr(settings, "MAIL_FROM", "berichten@meldkamer.example.nl")
            monkeypatch.setattr(settings, "QUIET_HOURS", "")
            monkeypatch.setattr(settings, "SEND_RETRY_SECONDS", 0.2)
            await senders.reset()
            try:
                yield Channels(cm, inbox, push_url, pushed)
            finally:
                await senders.reset()


async def new_dossier(
    w: world.World, phone: str = "0612345678", email: str = "huurder@example.nl"
) -> Dossier:
    return await dossiers.create(
        w.agent,
        DossierInput(
            client="WST",
            address=AddressInput(postcode="3572AB", house_number=10),
            contact_name="Fatima el Amrani",
            contact_phone=phone,
            contact_email=email,
            category="cv_storing",
            description="Geen warm water",
        ),
    )


async def plan(w: world.World, dossier: Dossier, ahead: timedelta = timedelta(days=1)) -> Dossier:
    """Assign and plan an appointment `ahead` (tomorrow): the move that tells the tenant."""
    await dossiers.transition(
        w.agent, dossier, "doorgezet_naar_monteur", {"technician_id": w.technician.id}
    )
    start = dossiers.now() + ahead
    await dossiers.transition(
        w.agent,
        dossier,
        "afspraak_ingepland",
        {"appointment_start": start, "appointment_end": start + timedelta(hours=2)},
    )
    return dossier
