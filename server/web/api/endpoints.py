"""JSON API endpoints under /api/v1. Docstrings hold each endpoint's OpenAPI description."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server import scoping
from server.auth import login, tokens
from server.domain.numbers import HOUSE_NUMBER_MAX
from server.services import dossiers, housing, intake
from server.web.api.common import int_param, parse, text_param, token_json
from server.web.api.schemas import (
    DossierCreate,
    DossierUpdate,
    NoteBody,
    TokenRequest,
    TransitionBody,
    dossier_json,
)
from server.web.auth import current_user


async def token(request: Request) -> JSONResponse:
    """
    summary: Log in and get a bearer token
    tags: [auth]
    requestBody:
      content: {application/json: {schema: {$ref: "#/components/schemas/TokenRequest"}}}
    responses:
      200: {description: '{"token": ..., "expires_at": ...}'}
      401: {description: Wrong username or password}
      429: {description: Too many failed attempts}
    """
    body = await parse(request, TokenRequest)
    remote = request.client.host if request.client else ""
    user = await login.authenticate(body.username, body.password, remote)
    value, expires = await tokens.issue(user, body.label)
    return JSONResponse(token_json(user, value, expires))


async def clients(request: Request) -> JSONResponse:
    """
    summary: The clients the caller may see
    tags: [clients]
    responses:
      200: {description: 'List of {"code", "name"}'}
    """
    user = current_user(request)
    rows = await scoping.clients(user).filter(active=True).order_by("name")
    return JSONResponse([{"code": c.code, "name": c.name, "kind": c.kind} for c in rows])


async def dossier_create(request: Request) -> JSONResponse:
    """
    summary: Create a dossier (intake)
    tags: [dossiers]
    requestBody:
      content: {application/json: {schema: {$ref: "#/components/schemas/DossierCreate"}}}
    responses:
      201: {description: The dossier with its order_number (and its triage, when given)}
      403: {description: Triage in the same call is for the desk only}
      422: {description: 'Invalid input: {"error": {"message", "field"}}'}
    """
    user = current_user(request)
    body = await parse(request, DossierCreate)
    answers = body.triage.to_input() if body.triage else None
    created = await intake.create(user, body.to_input(), answers)
    full = await dossiers.get(user, created.order_number)
    return JSONResponse(dossier_json(full, await dossiers.timeline(full)), status_code=201)


async def dossier_list(request: Request) -> JSONResponse:
    """
    summary: Search dossiers by order number, tenant name or postcode
    tags: [dossiers]
    parameters:
      - {name: q, in: query, schema: {type: string}}
      - {name: phase, in: query, schema: {type: string}, description: 'a phase, or "open"'}
      - {name: client, in: query, schema: {type: string}}
      - {name: limit, in: query, schema: {type: integer, default: 50, maximum: 500}}
      - {name: offset, in: query, schema: {type: integer, default: 0}}
    responses:
      200: {description: '{"total": N, "items": [...]}'}
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
    parameters: [{name: order_number, in: path, required: true, schema: {type: string}}]
    responses:
      200: {description: The dossier and its events}
      404: {description: Not found, or not visible to the caller}
    """
    user = current_user(request)
    d = await dossiers.get(user, request.path_params["order_number"])
    return JSONResponse(dossier_json(d, await dossiers.timeline(d)))


async def dossier_update(request: Request) -> JSONResponse:
    """
    summary: Correct a dossier's contact, category or description
    tags: [dossiers]
    parameters: [{name: order_number, in: path, required: true, schema: {type: string}}]
    requestBody:
      content: {application/json: {schema: {$ref: "#/components/schemas/DossierUpdate"}}}
    responses:
      200: {description: The dossier after the change; the timeline holds old and new values}
      409: {description: The dossier changed since the given version}
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
    parameters: [{name: order_number, in: path, required: true, schema: {type: string}}]
    requestBody:
      content: {application/json: {schema: {$ref: "#/components/schemas/TransitionBody"}}}
    responses:
      200: {description: The dossier after the move}
      403: {description: The caller's role may not make this move}
      409: {description: The dossier changed meanwhile}
      422: {description: Not allowed from this phase, or something required is missing}
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
    parameters: [{name: order_number, in: path, required: true, schema: {type: string}}]
    requestBody:
      content: {application/json: {schema: {$ref: "#/components/schemas/NoteBody"}}}
    responses:
      201: {description: Note added}
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
      - {name: client, in: query, required: true, schema: {type: string}}
      - {name: postcode, in: query, required: true, schema: {type: string}}
      - {name: house_number, in: query, schema: {type: integer}}
      - {name: suffix, in: query, schema: {type: string}}
    responses:
      200: {description: '{"items": [...]} with the registered parties of each address'}
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
