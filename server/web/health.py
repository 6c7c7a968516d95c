"""Liveness (/healthz: the process answers) and readiness (/readyz: the database and Redis
answer). A load balancer sends traffic only to a ready process and restarts one that is not
alive; a database outage makes every process unready, not dead. Neither shows an error's text
(it may name hosts, users or the database): that goes to the log, under the request's id.
Also the site's icon."""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse

from server import db, settings

log = logging.getLogger("meldkamer.health")
TIMEOUT = 2.0  # seconds each dependency may take to answer before it counts as down


async def healthz(request: Request) -> JSONResponse:
    """
    summary: The process is alive
    tags: [meta]
    security: []
    responses:
      200: {description: The process answers requests}
    """
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


async def readyz(request: Request) -> JSONResponse:
    """
    summary: The database and Redis are reachable
    tags: [meta]
    security: []
    responses:
      200: {description: Ready to take requests}
      503: {description: 'The database or Redis is not reachable; the body says which'}
    """
    state = {"database": await _check("database", db.ping())}
    if settings.REDIS_URL:
        state["redis"] = await _check("redis", _ping_redis(settings.REDIS_URL))
    else:
        state["redis"] = "niet geconfigureerd (taken draaien in het proces)"
    ok = state["database"] == "ok" and state["redis"] != "onbereikbaar"
    return JSONResponse(
        {"status": "ok" if ok else "fout", **state},
        status_code=200 if ok else 503,
        headers={"Cache-Control": "no-store"},
    )


async def _check(name: str, probe: object) -> str:
    try:
        await asyncio.wait_for(probe, TIMEOUT)  # type: ignore[arg-type]
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "down"; the reason goes to the log
        log.warning("readiness: %s not reachable", name, exc_info=True)
        return "onbereikbaar"


async def _ping_redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=TIMEOUT)
    try:
        await client.ping()
    finally:
        await client.aclose()


# Browsers ask for /favicon.ico on any page that names no icon (JSON, files): no 404 there.
# (A comment: route docstrings are parsed as OpenAPI YAML.)
async def favicon(request: Request) -> FileResponse:
    return FileResponse(
        settings.ROOT / "pwa" / "static" / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
