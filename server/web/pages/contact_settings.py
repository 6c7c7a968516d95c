"""Supervisors keep each client's contact set-up: greeting, inbound lines, transfer numbers
with their hours, result codes (one plain text field each, one line per item), and the
mailbox (its password is never put back in the page)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import scoping
from server.contacts import lines, mailbox, setup, transfers
from server.contacts.mailbox import MailboxInput
from server.contacts.setup import Setup
from server.domain import call_survey, result_codes, telephony
from server.domain.errors import Unprocessable
from server.domain.numbers import whole_number
from server.escalations import cases as escalation_cases
from server.models import Client, InboundLine, MailboxState, TransferTarget
from server.web.auth import require_role
from server.web.templating import templates

EDITORS = ("admin", "supervisor")
MAILBOX_FIELDS = ("address", "host", "port", "tls", "username", "folder")


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
        **{
            f"mailbox_{k}": str(v if v is not None else "")
            for k, v in (mailbox.as_json(client) or {"tls": "ssl"}).items()
            if k in MAILBOX_FIELDS
        },
        "call_survey": "ja" if call_survey.enabled(client.settings) else "",
        "report_email": setup.report_email_of(client),
        "service_level_norm": str(telephony.norm_of(client.settings)),
        "escalation_contact": escalation_cases.contact_line(client),
    }


async def _page(client: Client, values: dict[str, str]) -> dict[str, Any]:
    return {
        "client": client,
        "values": values,
        "mailbox": mailbox.as_json(client),
        "mailbox_state": await MailboxState.get_or_none(client_id=client.id),
    }


def _mailbox_input(values: dict[str, str]) -> MailboxInput | None:
    if not (values["mailbox_host"].strip() or values["mailbox_address"].strip()):
        return None
    port = values["mailbox_port"].strip()
    number = whole_number(port, 1, 65535) if port else None
    if port and number is None:
        raise Unprocessable(f"Poort '{port[:20]}' is geen getal van 1 tot 65535.", "mailbox.port")
    return MailboxInput(
        address=values["mailbox_address"],
        host=values["mailbox_host"],
        port=number,
        tls=values["mailbox_tls"] or "ssl",
        username=values["mailbox_username"],
        password=values["mailbox_password"],
        folder=values["mailbox_folder"],
    )


async def edit(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    client = await scoping.client(user, request.path_params["client"])
    context = await _page(client, await _texts(client))
    context["saved"] = request.query_params.get("opgeslagen") == "1"
    return templates.TemplateResponse(request, "contacts/settings.html", context)


async def save(request: Request) -> Response:
    user = require_role(request, *EDITORS)
    client = await scoping.client(user, request.path_params["client"])
    form = await request.form()
    names = ["greeting", "inbound", "transfers", "result_codes", "call_survey"]
    names += [f"mailbox_{k}" for k in (*MAILBOX_FIELDS, "password")]
    names += ["report_email", "service_level_norm", "escalation_contact"]
    values = {k: str(form.get(k, "")) for k in names}
    try:
        await setup.replace(
            user,
            client,
            Setup(
                values["greeting"],
                lines.parse_lines(values["inbound"]),
                transfers.parse_lines(values["transfers"]),
                result_codes.parse_lines(values["result_codes"]),
                mailbox=_mailbox_input(values),
                # A checkbox: sent when ticked, absent when not.
                call_survey=bool(values["call_survey"]),
                report_email=values["report_email"],
                service_level_norm=values["service_level_norm"],
                escalation_contact=values["escalation_contact"],
            ),
        )
    except Unprocessable as exc:
        values["mailbox_password"] = ""  # never sent back, not even as typed
        context = await _page(client, values)
        context.update(error=exc.message, error_field=exc.field)
        return templates.TemplateResponse(
            request, "contacts/settings.html", context, status_code=422
        )
    return RedirectResponse(f"/contactinstellingen/{client.code}?opgeslagen=1", status_code=303)
