"""The language of a tenant's public page (server/i18n): chosen with `?taal=en` (the page's
language links), remembered on the device in a cookie, else the dossier's, else the browser's."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import i18n, settings

_YEAR = 365 * 24 * 3600


def activate(request: Request, stored: str | None = None) -> str:
    """Render this request's page in the tenant's language; returns it."""
    return i18n.activate(
        i18n.choose(
            request.query_params.get(i18n.PARAMETER),
            request.cookies.get(i18n.COOKIE),
            stored,
            request.headers.get("accept-language"),
        )
    )


def asked(request: Request) -> str | None:
    """The language the tenant just picked on this page, if any."""
    return i18n.supported(request.query_params.get(i18n.PARAMETER))


def remember(request: Request, response: Response) -> Response:
    """Keep a language the tenant just picked for their next pages on this device."""
    if chosen := asked(request):
        response.set_cookie(
            i18n.COOKIE,
            chosen,
            max_age=_YEAR,
            httponly=True,
            samesite="lax",
            secure=settings.BASE_URL.startswith("https://"),
        )
    return response
