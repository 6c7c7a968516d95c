"""A contractor's (or corporation's) ERP as a real local HTTP server speaking VERA: it takes
POST /onderhoudsorders, /onderhoudsverzoeken and /afspraken with its API key or an OAuth2 token
from its own /oauth/token, checks each body against VERA's OpenAPI as a strict receiver would,
keeps what it took once per message id, and can be down or refuse on request."""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.chain import vera_spec
from tests.messaging.servers import serve

API_KEY = "erp-sleutel-123"
CLIENT_ID, CLIENT_SECRET = "meldkamer", "oauth-geheim-456"


@dataclass
class Erp:
    url: str = ""
    # Every request it was offered: (path, message id, body), also while down.
    offered: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    # What it took, by message id (a retry of a message it has is not taken twice).
    taken: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    down: bool = False
    refuse: str = ""
    tokens_issued: int = 0
    token_seconds: int = 3600
    _tokens: set[str] = field(default_factory=set)
    use_oauth: bool = False

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [body for p, body in self.taken.values() if p == path]


def _fout(status: int, code: str, text: str) -> JSONResponse:
    return JSONResponse({"code": code, "omschrijving": text}, status)


def app(erp: Erp) -> Starlette:
    async def token(request: Request) -> Response:
        form = await request.form()
        auth = request.headers.get("authorization", "")
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if form.get("grant_type") != "client_credentials" or auth != f"Basic {expected}":
            return JSONResponse({"error": "invalid_client"}, 401)
        erp.tokens_issued += 1
        value = secrets.token_urlsafe(16)
        erp._tokens.add(value)
        return JSONResponse(
            {"access_token": value, "token_type": "Bearer", "expires_in": erp.token_seconds}
        )

    async def receive(request: Request) -> Response:
        body = await request.json()
        message_id = request.headers.get("x-stuurgegevens-referentienummer", "")
        path = request.url.path
        erp.offered.append((path, message_id, body))
        if erp.down:
            return Response("Service Unavailable", 503)
        if erp.use_oauth:
            auth = request.headers.get("authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in erp._tokens:
                return _fout(401, "401", "Token ongeldig")
        elif request.headers.get("x-api-key") != API_KEY:
            return _fout(401, "401", "API-sleutel ongeldig")
        problems = vera_spec.errors(
            request.method, vera_spec.template(path.removeprefix("/vera/v4")), body
        )
        if problems:
            return _fout(400, "SCHEMA", "; ".join(problems)[:500])
        if erp.refuse:
            return _fout(422, "AFGEWEZEN", erp.refuse)
        erp.taken.setdefault(message_id, (path, body))
        return JSONResponse(body, 201)

    return Starlette(
        routes=[
            Route("/oauth/token", token, methods=["POST"]),
            Route("/vera/v4/onderhoudsorders", receive, methods=["POST"]),
            Route("/vera/v4/onderhoudsverzoeken", receive, methods=["POST"]),
            Route("/vera/v4/afspraken", receive, methods=["POST"]),
            Route("/vera/v4/onderhoudsorders/{id}", receive, methods=["PATCH"]),
            Route("/vera/v4/onderhoudsverzoeken/{id}", receive, methods=["PATCH"]),
            Route("/vera/v4/afspraken/{id}", receive, methods=["PATCH"]),
        ]
    )


@asynccontextmanager
async def running() -> AsyncIterator[Erp]:
    erp = Erp()
    async with serve(app(erp)) as url:
        erp.url = url
        yield erp
