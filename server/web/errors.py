"""One place that turns errors into responses: JSON for the API, a Dutch page otherwise."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response

from server.domain.errors import AppError, TooManyRequests, Unauthorized, Unprocessable
from server.web.responses import JSONResponse

log = logging.getLogger("meldkamer")

_HTTP_MESSAGES = {
    404: "Deze pagina bestaat niet.",
    405: "Deze methode is hier niet toegestaan.",
}

# Pydantic error types in plain Dutch; the field path is given separately.
_PYDANTIC_MESSAGES = {
    "missing": "Dit veld is verplicht.",
    "string_type": "Verwacht tekst.",
    # A field name or text holding a lone surrogate, such as half an emoji.
    "string_unicode": "Bevat een ongeldig teken.",
    "int_type": "Verwacht een geheel getal.",
    "int_parsing": "Verwacht een geheel getal.",
    "dict_type": "Verwacht een object.",
    "extra_forbidden": "Onbekend veld.",
    "json_invalid": "De body is geen geldige JSON.",
    "datetime_parsing": "Verwacht een tijdstip (ISO 8601).",
    "datetime_type": "Verwacht een tijdstip (ISO 8601).",
    "bool_type": "Verwacht true of false.",
    "bool_parsing": "Verwacht true of false.",
    "model_type": "Verwacht een object.",
    "list_type": "Verwacht een lijst.",
    "float_type": "Verwacht een getal.",
    "float_parsing": "Verwacht een getal.",
    "finite_number": "Verwacht een eindig getal.",
    "int_from_float": "Verwacht een geheel getal.",
    "greater_than_equal": "Moet minstens {ge} zijn.",
    "greater_than": "Moet groter zijn dan {gt}.",
    "less_than_equal": "Mag hoogstens {le} zijn.",
    "less_than": "Moet kleiner zijn dan {lt}.",
    "string_too_long": "Mag hoogstens {max_length} tekens lang zijn.",
    "string_too_short": "Moet minstens {min_length} teken(s) lang zijn.",
    "too_long": "Mag hoogstens {max_length} elementen hebben.",
    "literal_error": "Onbekende waarde; toegestaan: {expected}.",
    "timezone_aware": "Geef het tijdstip met tijdzone (ISO 8601, zoals 2026-11-17T14:00:00+01:00).",
    "datetime_from_date_parsing": "Verwacht een tijdstip (ISO 8601).",
}


def wants_json(conn: HTTPConnection) -> bool:
    return conn.url.path.startswith("/api/") or "application/json" in conn.headers.get("accept", "")


def error_headers(exc: AppError) -> dict[str, str]:
    """Headers an error brings along: when to try again after a 429."""
    if isinstance(exc, TooManyRequests) and exc.retry_after:
        return {"Retry-After": str(exc.retry_after)}
    return {}


def error_response(conn: HTTPConnection, exc: AppError) -> Response:
    headers = error_headers(exc)
    if wants_json(conn):
        body = {"error": {"message": exc.message, "field": exc.field}}
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(body, status_code=exc.status, headers=headers)
    if isinstance(exc, Unauthorized) and conn.url.path != "/login":
        return RedirectResponse(f"/login?next={conn.url.path}", status_code=303)
    from server.web.templating import templates

    return templates.TemplateResponse(
        conn,  # type: ignore[arg-type]
        "error.html",
        {"status": exc.status, "message": exc.message},
        status_code=exc.status,
        headers=headers,
    )


def from_validation_error(exc: ValidationError) -> Unprocessable:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or None
    context = {k: str(v).replace(" or ", ", ") for k, v in first.get("ctx", {}).items()}
    try:
        message = _PYDANTIC_MESSAGES[first["type"]].format(**context)
    except (KeyError, IndexError):
        message = first["msg"]
    return Unprocessable(f"{field}: {message}" if field else message, field)


async def app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return error_response(request, exc)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    return error_response(request, from_validation_error(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
    error = AppError(message)
    error.status = exc.status_code
    return error_response(request, error)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    error = AppError("Er ging iets mis aan onze kant. Het is gelogd; probeer het opnieuw.")
    error.status = 500
    return error_response(request, error)


HANDLERS = {
    AppError: app_error,
    ValidationError: validation_error,
    HTTPException: http_error,
    Exception: server_error,
}
