"""Supervisors keep each client's contact set-up: greeting, inbound lines, transfer numbers
with their hours, result codes. One plain text field each, one line per item."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import scoping
from server.contacts import lines, setup, transfers
from server.contacts.setup import Setup
from server.domain import result_codes, telephony
from server.domain.errors import Unprocessable
from server.models import Client, InboundLine, TransferTarget
from server.web.auth import require_role
from server.web.templating import templates

EDITORS = ("admin", "supervisor")


async def client_list(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    return templates.TemplateResponse(
        request,
        "contacts/settings_list.html",
        {"clients": await scoping.clients(user).filter(active=True)},
    )


async def _texts(client: Client) -> dict[str, str]:
    return {
        "greeting": setup.greeting_of(client),
        "inbound": lines.as_lines(await InboundLine.filter(client_id=client.id)),
        "transfers": transfers.as_lines(
            await TransferTarget.filter(client_id=client.id).order_by("position", "id")
        ),
        "result_codes": result_codes.as_lines(setup.codes_of(client)),
        "report_email": setup.report_email_of(client),
        "service_level_norm": str(telephony.norm_of(client.settings)),
    }


async def edit(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    client = await scoping.client(user, request.path_params["client"])
    context: dict[str, Any] = {
        "client": client,
        "values": await _texts(client),
        "saved": request.query_params.get("opgeslagen") == "1",
    }
    return templates.TemplateResponse(request, "contacts/settings.html", context)


async def save(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    client = await scoping.client(user, request.path_params["client"])
    form = await request.form()
    names = ("greeting", "inbound", "transfers", "result_codes", "report_email")
    values = {k: str(form.get(k, "")) for k in (*names, "service_level_norm")}
    try:
        await setup.replace(
            user,
            client,
            Setup(
                values["greeting"],
                lines.parse_lines(values["inbound"]),
                transfers.parse_lines(values["transfers"]),
                result_codes.parse_lines(values["result_codes"]),
                values["report_email"],
                values["service_level_norm"],
            ),
        )
    except Unprocessable as exc:
        context = {
            "client": client,
            "values": values,
            "error": exc.message,
            "error_field": exc.field,
        }
        return templates.TemplateResponse(
            request, "contacts/settings.html", context, status_code=422
        )
    return RedirectResponse(f"/contactinstellingen/{client.code}?opgeslagen=1", status_code=303)
