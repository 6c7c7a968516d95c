"""Call events from the telephony platform: our own signed format, and Twilio's status
callbacks. Public routes: the signature is the login (server/contacts/signatures.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp

from server import settings
from server.contacts import call_events, signatures, twilio
from server.contacts.call_events import Applied, CallEventInput
from server.domain.calls import CallEventKind
from server.domain.errors import BadRequest, Forbidden, NotFound
from server.web import direct
from server.web.api import common
from server.web.api.contact_schemas import CallEventBody
from server.web.errors import from_validation_error

MAX_BODY = 64 * 1024


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY:
        raise direct.too_large(MAX_BODY)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise direct.too_large(MAX_BODY)
    return body


def _answer(result: Applied) -> dict[str, Any]:
    return {
        "applied": result.applied,
        "contact_id": result.contact.id,
        "state": result.contact.state,
        "warnings": result.warnings,
    }


async def call_event(request: Request) -> JSONResponse:
    """
    summary: Report a call event (offered, answered, transferred, ended)
    description: >
      Public, but signed: header X-Meldkamer-Signature "t=<unix seconds>,v1=<hex>", v1 being
      HMAC-SHA256 of "<t>.<body>" under TELEPHONY_SECRET (docs/contacts.md). Requests signed
      more than TELEPHONY_MAX_AGE_SECONDS from the server's clock are refused. An event seen
      before is acknowledged with applied false; events may come in any order.
    tags: [telephony]
    security: []
    body: CallEventBody
    responses:
      200: {description: '{"applied", "contact_id", "state", "warnings"}'}
      400: {description: 'Not a JSON object'}
      403: {description: 'Signature missing, stale or wrong'}
      413: {description: 'Body over 64 kB'}
      422: {description: 'A field is wrong: {"error": {"message", "field"}}'}
    """
    # The app answers this path in front of the middleware stack (server/web/direct.py,
    # `direct_call_event`); this route describes it in the OpenAPI and the route table.
    return JSONResponse(await receive_event(await _body(request), request.headers))


async def receive_event(body: bytes, headers: Headers) -> dict[str, Any]:
    """A signed call event, from the body as sent: checked, applied, the answer."""
    signatures.verify(
        headers.get(signatures.HEADER, ""),
        body,
        settings.TELEPHONY_SECRETS,
        time.time(),
        settings.TELEPHONY_MAX_AGE_SECONDS,
    )
    # A NUL or lone surrogate, which no column takes, is a 422. Only a \u escape or a byte
    # beyond ASCII can bring one (JSON refuses a raw NUL in a string): the platform's plain
    # ASCII events skip the walk through the parsed body.
    data = common.loads(body, check_text=not body.isascii() or b"\\u" in body)
    if not isinstance(data, dict):
        raise BadRequest("De body moet een JSON-object zijn.")
    try:
        event = CallEventBody.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    outbound = event.direction == "out"
    result = await call_events.apply(
        CallEventInput(
            source="api",
            call_id=event.call_id,
            kind=CallEventKind(event.event),
            at=event.at,
            caller=event.to if outbound else event.from_,
            # On 'transferred', "to" is where the caller went, not our line.
            line=event.from_ if outbound else ("" if event.event == "transferred" else event.to),
            agent=event.agent,
            transferred_to=event.to if event.event == "transferred" else "",
            outbound=outbound,
            data=data,
        )
    )
    return _answer(result)


def direct_call_event() -> ASGIApp:
    """The call-event route as the app serves it: before the middleware stack."""
    return direct.endpoint(
        receive_event,
        max_body=MAX_BODY,
        body_timeout=settings.REQUEST_BODY_TIMEOUT,
        hsts=settings.HTTPS,
    )


async def twilio_status(request: Request) -> JSONResponse:
    """
    summary: Twilio Voice status callback (form-encoded, as Twilio posts it)
    description: >
      Public, but signed by Twilio (X-Twilio-Signature under TWILIO_AUTH_TOKEN, over BASE_URL
      with this path and query). Off (404) without TWILIO_AUTH_TOKEN. Mapping to call events
      in docs/contacts.md.
    tags: [telephony]
    security: []
    responses:
      200: {description: 'As the call-event API; {"applied": false} for a status not counted'}
      403: {description: 'Signature missing or wrong, or Timestamp too old'}
      404: {description: 'Twilio is not configured'}
    """
    if not settings.TWILIO_AUTH_TOKEN:
        raise NotFound("Deze pagina bestaat niet.")
    try:
        pairs = parse_qsl((await _body(request)).decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        raise BadRequest("De body is geen geldig formulier (UTF-8).") from None
    params = dict(pairs)
    url = (
        settings.BASE_URL
        + request.url.path
        + (f"?{request.url.query}" if request.url.query else "")
    )
    signatures.verify_twilio(
        settings.TWILIO_AUTH_TOKEN, url, params, request.headers.get("x-twilio-signature", "")
    )
    now = datetime.now(UTC)
    found = twilio.events(params, now)
    if found and (now - found[0].at).total_seconds() > settings.TELEPHONY_MAX_AGE_SECONDS:
        raise Forbidden(
            f"Timestamp is ouder dan {settings.TELEPHONY_MAX_AGE_SECONDS} seconden: niet verwerkt.",
            "Timestamp",
        )
    if not found:
        return JSONResponse({"applied": False, "warnings": []})
    return JSONResponse(_answer(await call_events.apply(found[0], now)))
