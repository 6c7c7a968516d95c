"""One place that turns errors into responses: JSON for the API, a Dutch page otherwise."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from server.domain.errors import AppError, Unauthorized, Unprocessable

log = logging.getLogger("meldkamer")

_HTTP_MESSAGES = {
    404: "Deze pagina bestaat niet.",
    405: "Deze methode is hier niet toegestaan.",
}

# Pydantic error types in plain Dutch; the field path is given separately.
_PYDANTIC_MESSAGES = {
    "missing": "Dit veld is verplicht.",
    "string_type": "Verwacht tekst.",
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
    "literal_error": "Onbekende waarde; toegestaan: {expected}.",
    "string_too_long": "Ten hoogste {max_length} tekens.",
    "string_too_short": "Ten minste {min_length} teken(s).",
    "too_long": "Ten hoogste {max_length} items.",
    "list_type": "Verwacht een lijst.",
    "timezone_aware": "Geef het tijdstip met tijdzone (ISO 8601, zoals 2026-11-17T14:00:00+01:00).",
    "datetime_from_date_parsing": "Verwacht een tijdstip (ISO 8601).",
    "int_from_float": "Verwacht een geheel getal.",
    "greater_than_equal": "Ten minste {ge}.",
    "less_than_equal": "Ten hoogste {le}.",
}


def wants_json(conn: HTTPConnection) -> bool:
    return conn.url.path.startswith("/api/") or "application/json" in conn.headers.get("accept", "")


def error_response(conn: HTTPConnection, exc: AppError) -> Response:
    if wants_json(conn):
        body = {"error": {"message": exc.message, "field": exc.field}}
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(body, status_code=exc.status, headers=headers)
    if isinstance(exc, Unauthorized) and conn.url.path != "/login":
        return RedirectResponse(f"/login?next={conn.url.path}", status_code=303)
    from server.web.templating import templates

    return templates.TemplateResponse(
        conn,  # type: ignore[arg-type]
        "error.html",
        {"status": exc.status, "message": exc.message},
        status_code=exc.status,
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
