"""Protocol pages: each client's protocol and its history, and the editor for supervisors."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.communication import notifications
from server.domain.errors import AppError
from server.domain.numbers import row_id
from server.models import Client, ClientNotification, ProtocolVersion
from server.protocols import protocol_files, protocols
from server.triage import protocol_to_dict
from server.web.auth import current_user
from server.web.templating import templates


async def protocol_list(request: Request) -> Response:
    user = current_user(request)
    rows = await protocols.overview(user)
    return templates.TemplateResponse(request, "protocols/list.html", {"rows": rows})


def _tree(client: Client, version: ProtocolVersion) -> dict[str, Any]:
    return protocol_to_dict(protocols.protocol(client, version))


async def detail(request: Request) -> Response:
    user = current_user(request)
    client, current = await protocols.current_for(user, request.path_params["client"])
    _, history = await protocols.history(user, client.code)
    context = {
        "client": client,
        "v": current,
        "current": current,
        "history": history,
        "tree": _tree(client, current),
        "may_edit": protocols.may_edit(user),
        "published": request.query_params.get("gepubliceerd"),
        "mails": await _mails(current),
        "mail_status": notifications.STATUS_LABELS,
    }
    return templates.TemplateResponse(request, "protocols/detail.html", context)


async def _mails(version: ProtocolVersion) -> list[ClientNotification]:
    return await ClientNotification.filter(
        protocol_version_id=version.id, kind=notifications.PROTOCOL_CONFIRMATION
    )


async def version(request: Request) -> Response:
    user = current_user(request)
    p = request.path_params
    client, found = await protocols.version_for(user, p["client"], p["version"])
    current = await protocols.current(client)
    change = await protocols.change_of(found)
    context = {
        "client": client,
        "v": found,
        "current": current,
        "diff": protocol_files.diff_lines(change),
        "tree": _tree(client, found),
        "mails": await _mails(found),
        "mail_status": notifications.STATUS_LABELS,
    }
    return templates.TemplateResponse(request, "protocols/version.html", context)


async def _editor(
    request: Request,
    text: str | None = None,
    reason: str = "",
    based_on: int | None = None,
    error: AppError | None = None,
    checked: bool = False,
) -> Response:
    user = current_user(request)
    code = request.path_params["client"]
    client, current = await protocols.current_for(user, code)
    result = await protocols.check(user, client.code, current.text if text is None else text)
    context = {
        "client": client,
        "current": current,
        "text": current.text if text is None else text,
        "reason": reason,
        "based_on": based_on or current.version,
        "findings": result.findings,
        "diff": protocol_files.diff_lines(result.diff) if checked else None,
        "changed": bool(result.diff),
        "checked": checked,
        "error": error,
    }
    status = error.status if error else 200
    return templates.TemplateResponse(request, "protocols/edit.html", context, status_code=status)


async def edit(request: Request) -> Response:
    return await _editor(request)


async def save(request: Request) -> Response:
    """Check (show problems and the change) or publish, as the pressed button says."""
    user = current_user(request)
    form = await request.form()
    text = str(form.get("text", "")).replace("\r\n", "\n")
    reason = str(form.get("reason", ""))
    raw_base = str(form.get("based_on", ""))
    based_on = row_id(raw_base)
    if form.get("action") != "publiceren":
        return await _editor(request, text, reason, based_on, checked=True)
    try:
        created = await protocols.publish(
            user, request.path_params["client"], text, reason, based_on
        )
    except AppError as exc:  # problems in the text, no reason, or a newer version meanwhile
        return await _editor(request, text, reason, based_on, exc, checked=True)
    code = request.path_params["client"].upper()
    return RedirectResponse(f"/protocollen/{code}?gepubliceerd={created.version}", status_code=303)
