"""Replying to a tenant's e-mail from the desk: on the contact's page (that mail) or the
dossier's page (its latest mail, or the one chosen)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.contacts import contacts, mail_replies
from server.domain.errors import AppError, Unprocessable
from server.domain.roles import DESK_ROLES
from server.dossiers import dossiers
from server.web.auth import require_role
from server.web.pages import contacts as contact_pages
from server.web.pages import dossiers as dossier_pages


async def contact_reply(request: Request) -> Response:
    user = require_role(request, *DESK_ROLES)
    contact = await contacts.get(user, request.path_params["contact_id"])
    form = await request.form()
    try:
        original = await mail_replies.inbound_of(user, contact)
        await mail_replies.reply(user, original, str(form.get("text", "")))
    except AppError as exc:
        return await contact_pages.detail(request, exc)
    return RedirectResponse(f"/contacten/{contact.id}?beantwoord=1#email", status_code=303)


async def dossier_reply(request: Request) -> Response:
    user = require_role(request, *DESK_ROLES)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()
    chosen = str(form.get("mail", "")).strip()
    try:
        original = (
            await mail_replies.mail_of(user, chosen)
            if chosen
            else await mail_replies.latest_inbound(user, dossier)
        )
        if original.dossier_id != dossier.id:
            raise Unprocessable(f"Die mail hoort niet bij {dossier.order_number}.", "mail")
        await mail_replies.reply(user, original, str(form.get("text", "")))
    except AppError as exc:
        return await dossier_pages.detail(request, exc)
    return RedirectResponse(f"/dossiers/{dossier.order_number}#email", status_code=303)
