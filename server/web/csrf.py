"""The CSRF check (asgi-csrf) around the app, and what it cannot read.

asgi-csrf reads a form's body itself, before the app, to find the token, and raises on a body
it cannot parse: a form that is not UTF-8, a multipart body without a boundary or with a broken
one. That was a 500 for anyone, /login included; here it is a 400, as Starlette answers such a
form inside the app.
"""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

from asgi_csrf import asgi_csrf_decorator
from starlette.datastructures import FormData
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from server import settings
from server.domain.errors import AppError, BadRequest
from server.web.errors import error_response

_PHOTO_STEP = re.compile(r"/melden/[^/]+/details")
# Set once the check has passed the request on: an error after that is the app's own.
_passed: ContextVar[bool] = ContextVar("csrf_passed", default=False)


def protect(app: ASGIApp) -> ASGIApp:
    """`app` behind the CSRF check: a POST, PATCH, PUT or DELETE that carries cookies needs the
    token as a form field or the x-csrf-token header; /login always does."""
    csrf = asgi_csrf_decorator(
        cookie_name="meldkamer_csrf",
        http_header="x-csrf-token",
        form_input="csrf_token",
        signing_secret=str(settings.SECRET_KEY),
        always_protect={"/login"},
        cookie_secure=settings.HTTPS,
        send_csrf_failed=_csrf_failed,
        skip_if_scope=_skipped,
    )
    return _UnreadableForm(csrf(_Passed(app)))


# File uploads from pages. asgi-csrf 0.11 looks for its token in a multipart body under a fixed
# name ("csrftoken") with a parser API python-multipart no longer has, so these forms are let
# through the middleware and checked by `checked_form` in the endpoint, the same comparison.
_UPLOAD_FORMS = re.compile(r"^/beheer/opdrachtgevers/[^/]+/(logo|woningbestand)$")


class CsrfFailed(AppError):
    status = 403


def _skipped(scope: Scope) -> bool:
    return _signed_webhook(scope) or _upload_form(scope)


def _upload_form(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
    return multipart and bool(_UPLOAD_FORMS.match(str(scope.get("path", ""))))


async def checked_form(request: Request) -> FormData:
    """The form of an upload page, after the CSRF check the middleware left to us. The caller
    closes it (its files are spooled to disk)."""
    form = await request.form()
    if _upload_form(request.scope):
        expected = request.scope.get("csrftoken")
        sent = form.get("csrf_token")
        token = expected() if callable(expected) else ""
        if not isinstance(sent, str) or not secrets.compare_digest(sent, token):
            await form.close()
            raise CsrfFailed(
                "Formulier verlopen of ongeldig (CSRF). Laad de pagina opnieuw en probeer het"
                " nog eens."
            )
    return form


def _signed_webhook(scope: Scope) -> bool:
    """Call events are signed by the telephony platform and act on no session: a browser's
    cookies there (a desk on the same host) must not turn them into a CSRF refusal.

    A tenant's photos online (/melden/<client>/details) are a multipart form, which asgi-csrf
    cannot read with this python-multipart (a 400 for every upload); that step acts only on the
    draft its SameSite=Lax cookie names, which another site's form never sends
    (server/selfservice/drafts.py)."""
    path = str(scope.get("path", ""))
    # The chain's VERA API acts on an integration's key, never on a session either.
    return path.startswith(("/api/v1/telephony/", "/api/vera/")) or (
        _PHOTO_STEP.fullmatch(path) is not None
    )


class _Passed:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        _passed.set(True)
        await self.app(scope, receive, send)


class _UnreadableForm:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        _passed.set(False)
        try:
            await self.app(scope, receive, send)
        except AppError:  # the body limits' refusals, rendered outside
            raise
        except Exception:
            if _passed.get():
                raise
            error = BadRequest("Het formulier kon niet gelezen worden.")
            await error_response(HTTPConnection(scope), error)(scope, receive, send)


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
