"""The Starlette application: routes, middleware, one lifespan, error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from server import collector, db, live, logs, settings
from server.jobs import periodic, queue, tasks
from server.web import csrf, direct
from server.web.api import endpoints, telephony
from server.web.auth import MeldkamerAuth, on_auth_error
from server.web.body_limits import BodyLimits
from server.web.compression import Compression
from server.web.direct import Direct
from server.web.errors import HANDLERS
from server.web.headers import SecurityHeaders
from server.web.input_text import TextCheck
from server.web.request_context import RequestContext, RouteProbe
from server.web.routes import LARGE_BODIES, routes
from server.web.second_step import SecondStepDue


def create_app(manage_db: bool = True) -> ASGIApp:
    """The app; tests that set up the database themselves pass manage_db=False."""
    tasks.register()  # without Redis, the jobs the app asks for run in this process

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_db:
            await db.init()
        await live.broker.start()
        try:
            async with periodic.in_process():  # the outbox sweep, when there is no worker
                with collector.tuned():
                    yield
        finally:
            await queue.stop_inline()
            await live.broker.stop()
            if manage_db:
                await db.close()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=str(settings.SECRET_KEY),
                session_cookie="meldkamer_session",
                max_age=settings.SESSION_HOURS * 3600,
                same_site="lax",
                https_only=settings.HTTPS,
            ),
            Middleware(AuthenticationMiddleware, backend=MeldkamerAuth(), on_error=on_auth_error),
            # Two-factor login made required for his role: the next request asks for it.
            Middleware(SecondStepDue),
            # Inside the session: its refusal is the usual page for the signed-in user.
            Middleware(TextCheck),
        ],
        exception_handlers=HANDLERS,
        lifespan=lifespan,
    )
    # CSRF sits outside the app so a forged form post never reaches the session or the
    # endpoint; the body limits sit outside that, since the CSRF check reads form bodies
    # (anonymous ones too, for /login); the security headers sit outside everything (they
    # read no body), so every refusal and the server error page carry them too. Compression
    # sits outside those (it only rewrites bodies on the way out); the request context sits
    # outermost, so its id and its access line cover everything, and it sees the direct peer
    # before the forwarded headers of a trusted proxy replace it (uvicorn's own proxy
    # middleware, here instead of in `serve`, for that reason).
    limited = BodyLimits(
        csrf.protect(RouteProbe(app)),
        default=settings.MAX_BODY_BYTES,
        large=settings.MAX_UPLOAD_BYTES,
        large_routes=LARGE_BODIES,
        timeout=settings.REQUEST_BODY_TIMEOUT,
    )
    outer: ASGIApp = Compression(SecurityHeaders(limited, hsts=settings.HTTPS))
    if settings.TRUSTED_PROXIES:
        trusted = list(settings.TRUSTED_PROXIES)
        outer = ProxyHeadersMiddleware(outer, trusted_hosts=trusted)  # type: ignore[arg-type,assignment]
    # The telephony platform's signed webhook, and intakes posted by a program with a bearer
    # token, skip the stack (server/web/direct.py).
    webhooks = {("POST", "/api/v1/telephony/events"): telephony.direct_call_event()}
    bearer = {
        ("POST", endpoints.DOSSIERS_PATH): direct.endpoint(
            endpoints.direct_dossier_create,
            max_body=settings.MAX_BODY_BYTES,
            body_timeout=settings.REQUEST_BODY_TIMEOUT,
            hsts=settings.HTTPS,
            status=201,
        )
    }
    return RequestContext(Direct(outer, webhooks, bearer), settings.TRUSTED_PROXIES)


logs.configure(settings.LOG_FORMAT, settings.LOG_LEVEL)
app = create_app()
