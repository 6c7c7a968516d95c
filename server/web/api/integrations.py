"""The chain's integrations (server/chain/integrations.py), for supervisors and admins.
Docstrings hold each endpoint's OpenAPI description."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.chain import integrations
from server.chain.integrations import IntegrationInput
from server.web.api.common import parse
from server.web.api.schemas import Body
from server.web.auth import current_user
from server.web.params import path_id

Message = Literal["onderhoudsverzoek", "onderhoudsorder", "afspraak"]


class IntegrationBody(Body):
    name: str = Field(max_length=200)
    owner: str = Field(max_length=40, description='"client:<code>" or "contractor:<id>"')
    endpoint_url: str = Field(max_length=500, description="The receiver's VERA base URL")
    auth: Literal["api_key", "oauth2"] = "api_key"
    api_key_header: str = Field("X-API-KEY", max_length=60)
    token_url: str = Field("", max_length=500)
    oauth_client_id: str = Field("", max_length=200)
    oauth_scope: str = Field("", max_length=200)
    secret: str = Field("", max_length=2000, description="API key or client secret; empty keeps it")
    messages: list[Message] = Field(default_factory=list, max_length=3)
    active: bool = False


class IntegrationRow(BaseModel):
    id: int
    name: str
    owner: str
    owner_name: str
    endpoint_url: str
    auth: str
    api_key_header: str
    token_url: str
    oauth_client_id: str
    oauth_scope: str
    secret_set: bool
    messages: list[str]
    active: bool
    inbound_key_hint: str = Field(description="The last characters of the key it answers with")


class IntegrationKey(BaseModel):
    integration: IntegrationRow
    inbound_key: str = Field(description="For its X-API-KEY header on /api/vera/v4; shown once")


def _input(body: IntegrationBody) -> IntegrationInput:
    return IntegrationInput(**{**body.model_dump(), "messages": list(body.messages)})


async def integration_list(request: Request) -> JSONResponse:
    """
    summary: The integrations with clients' and contractors' systems (VERA)
    tags: [chain]
    responses:
      200: [IntegrationRow]
      403: Supervisor and admin only
    """
    user = current_user(request)
    return JSONResponse([integrations.as_json(i) for i in await integrations.all_for(user)])


async def integration_create(request: Request) -> JSONResponse:
    """
    summary: Add an integration; its inbound key is in the answer, once
    tags: [chain]
    body: IntegrationBody
    responses:
      201: IntegrationKey
      403: Supervisor and admin only
      422: A field does not fit (the field names it)
    """
    user = current_user(request)
    integrations.require_editor(user)
    body = await parse(request, IntegrationBody)
    made, key = await integrations.create(user, _input(body))
    made = await integrations.get(user, made.id)
    return JSONResponse({"integration": integrations.as_json(made), "inbound_key": key}, 201)


def _id(request: Request) -> int:
    return path_id(request, "integration_id", "Koppeling")


async def integration_detail(request: Request) -> JSONResponse:
    """
    summary: One integration (its secret is never shown)
    tags: [chain]
    responses:
      200: IntegrationRow
      403: Supervisor and admin only
      404: No such integration
    """
    user = current_user(request)
    return JSONResponse(integrations.as_json(await integrations.get(user, _id(request))))


async def integration_update(request: Request) -> JSONResponse:
    """
    summary: Change an integration (an empty secret keeps the stored one)
    tags: [chain]
    body: IntegrationBody
    responses:
      200: IntegrationRow
      403: Supervisor and admin only
      404: No such integration
      422: A field does not fit (the field names it)
    """
    user = current_user(request)
    integrations.require_editor(user)
    integration_id = _id(request)
    body = await parse(request, IntegrationBody)
    return JSONResponse(
        integrations.as_json(await integrations.update(user, integration_id, _input(body)))
    )


async def integration_key(request: Request) -> JSONResponse:
    """
    summary: A new inbound key (the old one stops working at once)
    tags: [chain]
    responses:
      200: IntegrationKey
      403: Supervisor and admin only
      404: No such integration
    """
    user = current_user(request)
    integration_id = _id(request)
    key = await integrations.new_key(user, integration_id)
    found = await integrations.get(user, integration_id)
    return JSONResponse({"integration": integrations.as_json(found), "inbound_key": key})
