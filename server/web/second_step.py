"""Two-factor login made required while the user is logged in: his next request takes him to
the second step (the code, or setting it up), not only his next login (docs/admin.md).

A session that passed the second step carries `tf` and is let through at no cost; any other
session of a role that may use two-factor login costs one read of the setting per request.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.admin import two_factor
from server.domain.errors import Unauthorized
from server.web.auth import Principal
from server.web.errors import error_response, wants_json
from server.web.pages.auth import safe_next

# Logging out needs no second step; static files are no data (and a page's stylesheet
# answered by a redirect would only break the page the redirect is about to replace).
EXEMPT = ("/logout", "/static/")
NOW_REQUIRED = (
    "Tweestapsverificatie is nu verplicht voor uw rol. Log opnieuw in en stel die in; u wordt"
    " er direct naartoe gebracht."
)


class SecondStepDue:
    """Turns a session without its second step into a pending login, as right after the
    password: `/login/code` if he has set it up, `/login/tweestaps` if not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("user")
        if (
            scope["type"] != "http"
            or not isinstance(principal, Principal)
            or principal.via != "session"
            or principal.model.role not in two_factor.ELIGIBLE
            or scope["session"].get("tf")
            or scope["path"].startswith(EXEMPT)
            or principal.model.role not in await two_factor.required_roles()
        ):
            await self.app(scope, receive, send)
            return
        user = principal.model
        enrolled = await two_factor.enrolled(user)
        conn = HTTPConnection(scope)
        back = safe_next(scope["path"]) if scope["method"] == "GET" else "/"
        session = scope["session"]
        session.clear()
        session.update(
            {"pending": user.id, "pending_epoch": user.session_epoch, "pending_next": back}
        )
        if wants_json(conn):
            response = error_response(conn, Unauthorized(NOW_REQUIRED))
        else:
            target = "/login/code" if enrolled else "/login/tweestaps"
            response = RedirectResponse(target, status_code=303)
        await response(scope, receive, send)
