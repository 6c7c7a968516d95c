"""The materials lists the werkbon offers (server/fieldwork/materials.py). Docstrings hold each
endpoint's OpenAPI description."""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.fieldwork import materials
from server.web.api.common import json_object
from server.web.api.schemas import Body
from server.web.auth import current_user
from server.web.params import path_id


class MaterialsBody(Body):
    materials: list[str] = Field(
        description=f"Names in the order the app offers them, at most {materials.MAX_ITEMS}"
    )


def _answer(names: list[str]) -> JSONResponse:
    return JSONResponse({"materials": names})


def _contractor_id(request: Request) -> int:
    return path_id(request, "contractor_id", "Aannemer")


async def client_materials(request: Request) -> JSONResponse:
    """
    summary: The materials a client's werkbon offers
    tags: [fieldwork]
    parameters: [{name: client, in: path, required: true, schema: {type: string}}]
    responses:
      200: {description: '{"materials": ["Sifon 32 mm", ...]}'}
      404: {description: 'Not a client the caller sees'}
    """
    user = current_user(request)
    return _answer(await materials.for_client(user, request.path_params["client"]))


async def client_materials_put(request: Request) -> JSONResponse:
    """
    summary: Replace a client's materials list
    tags: [fieldwork]
    parameters: [{name: client, in: path, required: true, schema: {type: string}}]
    body: MaterialsBody
    responses:
      200: {description: 'The list as stored (trimmed, each name once)'}
      403: {description: 'Supervisor and admin only'}
      422: {description: 'Not a list of names (the message names the bad one)'}
    """
    user = current_user(request)
    data = await json_object(request)
    names = await materials.set_for_client(
        user, request.path_params["client"], data.get("materials")
    )
    return _answer(names)


async def contractor_materials(request: Request) -> JSONResponse:
    """
    summary: The materials a contractor's technicians are offered besides the client's
    tags: [fieldwork]
    parameters: [{name: contractor_id, in: path, required: true, schema: {type: integer}}]
    responses:
      200: {description: '{"materials": [...]}'}
      403: {description: 'Desk roles only'}
      404: {description: 'No such contractor'}
    """
    user = current_user(request)
    return _answer(await materials.for_contractor(user, _contractor_id(request)))


async def contractor_materials_put(request: Request) -> JSONResponse:
    """
    summary: Replace a contractor's materials list
    tags: [fieldwork]
    parameters: [{name: contractor_id, in: path, required: true, schema: {type: integer}}]
    body: MaterialsBody
    responses:
      200: {description: 'The list as stored'}
      403: {description: 'Supervisor and admin only'}
      404: {description: 'No such contractor'}
      422: {description: 'Not a list of names'}
    """
    user = current_user(request)
    data = await json_object(request)
    names = await materials.set_for_contractor(user, _contractor_id(request), data.get("materials"))
    return _answer(names)
