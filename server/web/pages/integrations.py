"""/koppelingen: the chain's integrations for supervisors and admins, and today's failures.
A secret typed in is stored and never put back in the page; the inbound key is shown once."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.chain import integrations, outbound
from server.chain.integrations import IntegrationInput
from server.domain.errors import Unprocessable
from server.models import Integration
from server.web.auth import require_role
from server.web.params import path_id
from server.web.templating import templates

EDITORS = ("admin", "supervisor")
FIELDS = (
    "name",
    "owner",
    "endpoint_url",
    "auth",
    "api_key_header",
    "token_url",
    "oauth_client_id",
    "oauth_scope",
)


async def integration_list(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    return templates.TemplateResponse(
        request,
        "chain/list.html",
        {
            "integrations": await integrations.all_for(user),
            "failures": await integrations.failures_today(),
            "kinds": outbound.MESSAGE_KINDS,
        },
    )


async def _form(
    request: Request, values: dict[str, Any], integration: Integration | None, **more: Any
) -> dict[str, Any]:
    return {
        "values": values,
        "integration": integration,
        "owners": await integrations.owners(),
        "auth_kinds": integrations.AUTH_KINDS,
        "kinds": outbound.MESSAGE_KINDS,
        **more,
    }


def _values_of(integration: Integration) -> dict[str, Any]:
    data = integrations.as_json(integration)
    return {**{k: data[k] for k in FIELDS}, "messages": data["messages"], "active": data["active"]}


async def new_form(request: Request) -> Response:
    require_role(request, *EDITORS)
    values = {k: "" for k in FIELDS} | {
        "auth": "api_key",
        "api_key_header": "X-API-KEY",
        "messages": [],
        "active": False,
    }
    return templates.TemplateResponse(
        request, "chain/edit.html", await _form(request, values, None)
    )


async def edit(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    found = await integrations.get(user, path_id(request, "integration_id", "Koppeling"))
    context = await _form(
        request, _values_of(found), found, saved=request.query_params.get("opgeslagen") == "1"
    )
    return templates.TemplateResponse(request, "chain/edit.html", context)


async def _input(request: Request) -> tuple[IntegrationInput, dict[str, Any]]:
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k, ""))[:2000] for k in FIELDS}
    values["messages"] = [str(m)[:30] for m in form.getlist("messages")][:5]
    values["active"] = form.get("active") == "ja"
    data = IntegrationInput(**values, secret=str(form.get("secret", ""))[:2001])
    return data, values


async def create(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    data, values = await _input(request)
    try:
        made, key = await integrations.create(user, data)
    except Unprocessable as exc:
        context = await _form(request, values, None, error=exc.message, error_field=exc.field)
        return templates.TemplateResponse(request, "chain/edit.html", context, status_code=422)
    found = await integrations.get(user, made.id)
    context = await _form(request, _values_of(found), found, new_key=key)
    return templates.TemplateResponse(request, "chain/edit.html", context, status_code=201)


async def save(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    integration_id = path_id(request, "integration_id", "Koppeling")
    current = await integrations.get(user, integration_id)
    data, values = await _input(request)
    try:
        await integrations.update(user, integration_id, data)
    except Unprocessable as exc:
        context = await _form(request, values, current, error=exc.message, error_field=exc.field)
        return templates.TemplateResponse(request, "chain/edit.html", context, status_code=422)
    return RedirectResponse(f"/koppelingen/{integration_id}?opgeslagen=1", status_code=303)


async def new_key(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    integration_id = path_id(request, "integration_id", "Koppeling")
    key = await integrations.new_key(user, integration_id)
    found = await integrations.get(user, integration_id)
    return templates.TemplateResponse(
        request, "chain/edit.html", await _form(request, _values_of(found), found, new_key=key)
    )
