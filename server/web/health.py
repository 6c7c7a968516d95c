"""Liveness and readiness: the database, and Redis when configured; the site's icon."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse

from server import db, settings


async def healthz(request: Request) -> JSONResponse:
    """
    summary: State of the database and Redis
    tags: [meta]
    security: []
    responses:
      200: {description: Everything needed is reachable}
      503: {description: Something is down; the body says what}
    """
    state: dict[str, str] = {}
    try:
        await db.ping()
        state["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and we say why
        state["database"] = f"fout: {exc}"
    if settings.REDIS_URL:
        state["redis"] = await _redis_state(settings.REDIS_URL)
    else:
        state["redis"] = "niet geconfigureerd (taken draaien in het proces)"
    ok = state["database"] == "ok" and state["redis"] != "onbereikbaar"
    return JSONResponse({"status": "ok" if ok else "fout", **state}, status_code=200 if ok else 503)


async def _redis_state(url: str) -> str:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=2)
    try:
        await client.ping()
        return "ok"
    except Exception:  # noqa: BLE001
        return "onbereikbaar"
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
