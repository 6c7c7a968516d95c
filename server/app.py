"""The Starlette application: routes, middleware, one lifespan, error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_csrf import asgi_csrf_decorator
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp

from server import db, live, settings
from server.jobs import periodic, queue, tasks
from server.web.auth import MeldkamerAuth, on_auth_error
from server.web.errors import HANDLERS
from server.web.headers import SecurityHeaders
from server.web.routes import routes


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
        ],
        exception_handlers=HANDLERS,
        lifespan=lifespan,
    )
    # CSRF sits outside the app so a forged form post never reaches the session or the
    # endpoint; the security headers sit outside everything, so its refusal and the server
    # error page (Starlette's outermost layer) carry them too.
    csrf = asgi_csrf_decorator(
        cookie_name="meldkamer_csrf",
        http_header="x-csrf-token",
        form_input="csrf_token",
        signing_secret=str(settings.SECRET_KEY),
        always_protect={"/login"},
        cookie_secure=settings.HTTPS,
        send_csrf_failed=_csrf_failed,
        skip_if_scope=_signed_webhook,
    )
    return SecurityHeaders(csrf(app))


def _signed_webhook(scope: dict[str, object]) -> bool:
    """Call events are signed by the telephony platform and act on no session: a browser's
    cookies there (a desk on the same host) must not turn them into a CSRF refusal."""
    return str(scope.get("path", "")).startswith("/api/v1/telephony/")


async def _csrf_failed(scope, send, message_id):  # type: ignore[no-untyped-def]
    body = "Formulier verlopen of ongeldig (CSRF). Laad de pagina opnieuw en probeer het nog eens."
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
app = create_app()
