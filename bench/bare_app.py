"""The yardstick for bench_http: a bare Starlette endpoint that checks a bearer token (no
database) and inserts one row as wide as a dossier with its triage, through asyncpg.

And for bench_call_events: `/bare_event` checks the call event's signature as the app does
(HMAC-SHA256 of "<t>.<body>" under BENCH_TELEPHONY_SECRET) and stores it in one INSERT …
ON CONFLICT DO NOTHING (a repeat is acknowledged, not stored twice).

Run by bench_http under uvicorn with the same options as the app: `bench.bare_app:app`.
BENCH_DATABASE_URL names the database; BENCH_TOKEN the token it accepts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TABLE = """
CREATE TABLE IF NOT EXISTS bench_bare (
    id serial PRIMARY KEY,
    order_number varchar(30) NOT NULL,
    client varchar(20) NOT NULL,
    postcode varchar(7) NOT NULL,
    house_number int NOT NULL,
    contact_name varchar(200) NOT NULL,
    contact_phone varchar(20) NOT NULL,
    channel varchar(20) NOT NULL,
    category varchar(40) NOT NULL,
    description text NOT NULL,
    triage jsonb NOT NULL,
    created_at timestamptz NOT NULL
)
"""
EVENT_TABLE = """
CREATE TABLE IF NOT EXISTS bench_bare_event (
    id bigserial PRIMARY KEY,
    call_id varchar(120) NOT NULL,
    kind varchar(12) NOT NULL,
    at timestamptz NOT NULL,
    agent varchar(254) NOT NULL,
    caller varchar(254) NOT NULL,
    line varchar(254) NOT NULL,
    data jsonb NOT NULL,
    UNIQUE (call_id, kind, at, agent)
)
"""
_pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    global _pool
    _pool = await asyncpg.create_pool(os.environ["BENCH_DATABASE_URL"], min_size=5, max_size=20)
    yield
    await _pool.close()


async def create(request: Request) -> JSONResponse:
    if request.headers.get("authorization") != f"Bearer {os.environ['BENCH_TOKEN']}":
        return JSONResponse({"error": {"message": "Log eerst in."}}, status_code=401)
    body: dict[str, Any] = await request.json()
    assert _pool is not None
    row = await _pool.fetchrow(
        "INSERT INTO bench_bare (order_number, client, postcode, house_number, contact_name,"
        " contact_phone, channel, category, description, triage, created_at)"
        " VALUES ('MK-0', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created_at",
        body["client"],
        body["address"]["postcode"],
        body["address"]["house_number"],
        body["contact"]["name"],
        body["contact"]["phone"],
        body["channel"],
        body["triage"]["subject"],
        body.get("description", ""),
        json.dumps(body["triage"]),
        datetime.now(UTC),
    )
    return JSONResponse(
        {"id": row["id"], "created_at": row["created_at"].isoformat(), **body}, status_code=201
    )


async def event(request: Request) -> JSONResponse:
    body = await request.body()
    stamp, _, given = request.headers.get("x-meldkamer-signature", "").partition(",v1=")
    stamp = stamp.removeprefix("t=")
    secret = os.environ["BENCH_TELEPHONY_SECRET"].encode()
    wanted = hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(wanted, given) or abs(time.time() - int(stamp)) > 300:
        return JSONResponse({"error": {"message": "Handtekening klopt niet."}}, status_code=403)
    data: dict[str, Any] = json.loads(body)
    assert _pool is not None
    row = await _pool.fetchrow(
        "INSERT INTO bench_bare_event (call_id, kind, at, agent, caller, line, data)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
        data["call_id"],
        data["event"],
        datetime.fromisoformat(data["at"]),
        data.get("agent", ""),
        data.get("from", ""),
        data.get("to", ""),
        body.decode(),
    )
    return JSONResponse({"applied": row is not None, "id": row["id"] if row else None})


app = Starlette(
    routes=[
        Route("/bare", create, methods=["POST"]),
        Route("/bare_event", event, methods=["POST"]),
    ],
    lifespan=lifespan,
)
