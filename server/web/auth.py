"""Who is asking: a bearer token (API, technician app) or a signed session cookie (pages)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import TypeVar

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
    UnauthenticatedUser,
)
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response

from server import settings
from server.auth import tokens
from server.domain.errors import Forbidden, Unauthorized
from server.domain.roles import Role
from server.models import User

# Set beside a technician's website session and readable by script: the app asks to take that
# session over only when it is there (pwa/static/monteur/api.js), so a start without one logs
# no 401 in the console. It holds nothing but "1"; the session stays in its HttpOnly cookie.
HANDOVER_COOKIE = "meldkamer_app"


R = TypeVar("R", bound=Response)


def offer_handover(response: R, offer: bool) -> R:
    """Tell the technician app (not) to take over the website session."""
    if offer:
        response.set_cookie(
            HANDOVER_COOKIE, "1", httponly=False, samesite="lax", secure=settings.HTTPS
        )
    else:
        response.delete_cookie(
            HANDOVER_COOKIE, httponly=False, samesite="lax", secure=settings.HTTPS
        )
    return response


class Principal(BaseUser):
    """The logged-in user as Starlette sees it; `.model` is the database row."""

    def __init__(self, model: User, via: str) -> None:
        self.model = model
        self.via = via

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return str(self.model)


NOT_BEARER = "Gebruik 'Authorization: Bearer <token>'."
TOKEN_INVALID = "Token ongeldig of verlopen; log opnieuw in."


def bearer_token(header: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None for any other scheme."""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else None


async def token_user(header: str, path: str) -> User:
    """The user of a bearer request that skips the middleware stack (server/web/direct.py),
    refused as the stack refuses it (401, or 403 for a contractor outside his area)."""
    token = bearer_token(header)
    if token is None:
        raise Unauthorized(NOT_BEARER)
    return checked_token_user(await tokens.user_for(token), path)


def checked_token_user(user: User | None, path: str) -> User:
    """`token_user` once the token is read: None (unknown, expired, its user deactivated)
    is refused as it is there."""
    if user is None:
        raise Unauthorized(TOKEN_INVALID)
    _contractor_area(user, path)
    return user


class MeldkamerAuth(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        header = conn.headers.get("authorization", "")
        if header:
            token = bearer_token(header)
            if token is None:
                raise AuthenticationError(NOT_BEARER)
            if _metrics_token(conn, token):
                return AuthCredentials(["metrics"]), UnauthenticatedUser()
            user = await tokens.user_for(token)
            if user is None:
                raise AuthenticationError(TOKEN_INVALID)
            return AuthCredentials(["authenticated", user.role]), Principal(user, "token")
        uid = conn.session.get("uid")
        if uid is None:
            return None
        user = await User.get_or_none(id=uid, active=True).prefetch_related("client")
        if user is None or conn.session.get("epoch") != user.session_epoch:
            conn.session.clear()
            return None
        return AuthCredentials(["authenticated", user.role]), Principal(user, "session")


def _metrics_token(conn: HTTPConnection, token: str) -> bool:
    """Prometheus' own token (METRICS_TOKEN), good for /metrics only; not a user's token."""
    return (
        conn.scope["path"] == "/metrics"
        and bool(settings.METRICS_TOKEN)
        and secrets.compare_digest(token.encode(), settings.METRICS_TOKEN.encode())
    )


def on_auth_error(conn: HTTPConnection, exc: Exception) -> Response:
    from server.web.errors import error_response

    if conn.scope["path"] == "/metrics":  # Prometheus with a wrong token: no login page
        return JSONResponse(
            {"error": {"message": str(exc), "field": None}},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return error_response(conn, Unauthorized(str(exc)))


# A contractor's user works in its portal only (and sees its orders' photos): every other
# page and API route answers 403 whatever its own checks would say. Here, because every
# endpoint starts here, a route added later is closed to contractors until listed.
CONTRACTOR_AREA = ("/aannemer/", "/api/v1/photos/")
CONTRACTOR_PATHS = frozenset({"/", "/aannemer", "/logout", "/api/v1/auth/logout"})


def current_user(request: Request) -> User:
    """The logged-in user, or 401. Every endpoint except login and health starts here."""
    principal = request.user
    if not isinstance(principal, Principal):
        raise Unauthorized("Log eerst in.")
    user = principal.model
    _contractor_area(user, request.url.path)
    return user


def _contractor_area(user: User, path: str) -> None:
    outside = path not in CONTRACTOR_PATHS and not path.startswith(CONTRACTOR_AREA)
    if user.role == Role.CONTRACTOR and outside:
        raise Forbidden("Uw rol heeft alleen toegang tot het aannemersportaal.")


def still_allowed(
    request: Request, may_see: Callable[[User], Awaitable[bool]]
) -> Callable[[], Awaitable[bool]]:
    """For a response that lasts (a live stream): whether the caller is, now, still logged in
    with what the request carried (session or token) and still `may_see` it."""

    async def check() -> bool:
        try:
            found = await MeldkamerAuth().authenticate(request)
        except AuthenticationError:
            return False
        if found is None or not isinstance(found[1], Principal):
            return False
        return await may_see(found[1].model)

    return check


def require_role(request: Request, *roles: str) -> User:
    user = current_user(request)
    if user.role not in roles:
        raise Forbidden("Uw rol heeft geen toegang tot deze pagina.")
    return user
