"""JSON API endpoints under /api/v1. Docstrings hold each endpoint's OpenAPI description."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse

from server import scoping
from server.admin import two_factor
from server.auth import login, tokens
from server.domain.errors import AppError, BadRequest, Unauthorized
from server.domain.numbers import HOUSE_NUMBER_MAX
from server.dossiers import desk_read, dossiers, intake
from server.housing import housing
from server.models import User
from server.privacy import views
from server.web.api.common import int_param, loads, parse, text_param, token_json
from server.web.api.schemas import (
    DossierCreate,
    DossierUpdate,
    NoteBody,
    TokenRequest,
    TransitionBody,
    dossier_json,
)
from server.web.auth import bearer_token, checked_token_user, current_user, token_user


async def token(request: Request) -> JSONResponse:
    """
    summary: Log in and get a bearer token
    tags: [auth]
    security: []
    body: TokenRequest
    responses:
      200: Token
      401: Wrong username or password
      429: Too many failed attempts (Retry-After gives the seconds to wait)
    """
    body = await parse(request, TokenRequest)
    remote = request.client.host if request.client else ""
    user = await login.authenticate(body.username, body.password, remote)
    second = await two_factor.enrolled(user) or await two_factor.must_enrol(user)
    if second and not await two_factor.check(user, body.code):
        raise Unauthorized(
            "Geef de code van uw authenticator-app mee (code); nog niet ingesteld? Doe dat"
            " eerst op de website.",
            "code",
        )
    value, expires = await tokens.issue(user, body.label)
    return JSONResponse(token_json(user, value, expires))


async def clients(request: Request) -> JSONResponse:
    """
    summary: The clients the caller may see
    tags: [clients]
    responses:
      200: [ClientRow]
    """
    user = current_user(request)
    rows = await scoping.clients(user).filter(active=True).order_by("name")
    return JSONResponse([{"code": c.code, "name": c.name, "kind": c.kind} for c in rows])


async def dossier_create(request: Request) -> JSONResponse:
    """
    summary: Create a dossier (intake)
    tags: [dossiers]
    body: DossierCreate
    responses:
      201: Dossier
      403: Triage in the same call is for the desk only
      422: 'Invalid input: {"error": {"message", "field"}}'
    """
    user = current_user(request)
    body = await parse(request, DossierCreate)
    return JSONResponse(await _created(user, body), status_code=201)


async def direct_dossier_create(body: bytes, headers: Headers) -> dict[str, Any]:
    """`dossier_create` for a program with a bearer token, answered before the middleware
    stack (server/web/direct.py): the same checks, the same answer."""
    header = headers.get("authorization", "")
    try:
        # Only a \u escape or a byte beyond ASCII can bring a NUL or lone surrogate.
        data = loads(body, check_text=not body.isascii() or b"\\u" in body)
        if not isinstance(data, dict):
            raise BadRequest("De body moet een JSON-object zijn.")
        parsed = DossierCreate.model_validate(data)
    except (AppError, ValidationError):
        await token_user(header, DOSSIERS_PATH)  # a refused token is answered first
        raise
    token = bearer_token(header)
    read = None
    if token is not None:  # the token, with what the desk intake reads, in one statement
        read = await dossiers.desk_read_with_token(tokens.digest(token), parsed.to_input())
    if read is None:
        return await _created(await token_user(header, DOSSIERS_PATH), parsed)
    user = checked_token_user(await tokens.accepted(read[0]), DOSSIERS_PATH)
    return await _created(user, parsed, read[1])


DOSSIERS_PATH = "/api/v1/dossiers"


async def _created(
    user: User, body: DossierCreate, found: desk_read.Found | None = None
) -> dict[str, Any]:
    answers = body.triage.to_input() if body.triage else None
    created, timeline = await intake.create_with_timeline(
        user, body.to_input(), answers, desk=found
    )
    if timeline is not None:  # written in one go just now: nothing to read back
        return dossier_json(created, timeline)
    full = await dossiers.get(user, created.order_number)
    return dossier_json(full, await dossiers.timeline(full))


async def dossier_list(request: Request) -> JSONResponse:
    """
    summary: Search dossiers by order number, tenant name or postcode
    tags: [dossiers]
    parameters:
      - {name: q, in: query, schema: {type: string, maxLength: 200}}
      - name: phase
        in: query
        schema: {type: string, maxLength: 30}
        description: 'a phase, or "open"'
      - {name: client, in: query, schema: {type: string, maxLength: 20}}
      - {name: limit, in: query, schema: {type: integer, default: 50, minimum: 1, maximum: 500}}
      - name: offset
        in: query
        schema: {type: integer, default: 0, minimum: 0, maximum: 10000000}
    responses:
      200: DossierPage
    """
    user = current_user(request)
    result = await dossiers.search(
        user,
        q=text_param(request, "q", 200),
        phase=text_param(request, "phase", 30),
        client=text_param(request, "client", 20),
        limit=int_param(request, "limit", 50, 1, 500),
        offset=int_param(request, "offset", 0, 0, 10_000_000),
    )
    return JSONResponse({"total": result.total, "items": [dossier_json(d) for d in result.items]})


async def dossier_detail(request: Request) -> JSONResponse:
    """
    summary: One dossier with its timeline
    tags: [dossiers]
    responses:
      200: Dossier
      404: Not found, or not visible to the caller
    """
    user = current_user(request)
    d = await dossiers.get(user, request.path_params["order_number"])
    await views.opened(user, d, views.API)
    return JSONResponse(dossier_json(d, await dossiers.timeline(d)))


async def dossier_update(request: Request) -> JSONResponse:
    """
    summary: Correct a dossier's contact, category or description
    tags: [dossiers]
    body: DossierUpdate
    responses:
      200: Dossier
      409: The dossier changed since the given version
    """
    user = current_user(request)
    body = await parse(request, DossierUpdate)
    d = await dossiers.get(user, request.path_params["order_number"])
    await dossiers.update_details(user, d, body.values(), body.version)
    d = await dossiers.get(user, d.order_number)
    return JSONResponse(dossier_json(d, await dossiers.timeline(d)))


async def dossier_transition(request: Request) -> JSONResponse:
    """
    summary: Move a dossier to another phase
    tags: [dossiers]
    body: TransitionBody
    responses:
      200: Dossier
      403: The caller's role may not make this move
      409: The dossier changed meanwhile
      422: Not allowed from this phase, or something required is missing
    """
    user = current_user(request)
    body = await parse(request, TransitionBody)
    d = await dossiers.get(user, request.path_params["order_number"])
    await dossiers.transition(user, d, body.to, body.model_dump(exclude={"to"}))
    d = await dossiers.get(user, d.order_number)
    return JSONResponse(dossier_json(d, await dossiers.timeline(d)))


async def dossier_note(request: Request) -> JSONResponse:
    """
    summary: Add a note to the dossier's timeline
    tags: [dossiers]
    body: NoteBody
    responses:
      201: Ok
    """
    user = current_user(request)
    body = await parse(request, NoteBody)
    d = await dossiers.get(user, request.path_params["order_number"])
    await dossiers.add_note(user, d, body.text)
    return JSONResponse({"ok": True}, status_code=201)


async def addresses(request: Request) -> JSONResponse:
    """
    summary: Find addresses in a client's housing stock
    tags: [clients]
    parameters:
      - {name: client, in: query, required: true, schema: {type: string, maxLength: 20}}
      - {name: postcode, in: query, required: true, schema: {type: string, maxLength: 10}}
      - {name: house_number, in: query, schema: {type: integer, minimum: 0, maximum: 100000}}
      - {name: suffix, in: query, schema: {type: string, maxLength: 10}}
    responses:
      200: Addresses
    """
    user = current_user(request)
    p = request.query_params
    found = await housing.find_addresses(
        user,
        client=text_param(request, "client", 20),
        postcode=text_param(request, "postcode", 10),
        house_number=int_param(request, "house_number", 0, 0, HOUSE_NUMBER_MAX) or None,
        suffix=text_param(request, "suffix", 10) if "suffix" in p else None,
    )
    return JSONResponse({"items": found})
