"""Contacts API: the desk's contacts, registering them, transfers, caller recognition and each
client's contact set-up. Docstrings hold each endpoint's OpenAPI description."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server import scoping
from server.contacts import contacts, mail_replies, recognition, setup, transfers
from server.contacts.setup import Setup
from server.domain.errors import BadRequest
from server.web.api.common import int_param, parse
from server.web.api.contact_schemas import (
    ContactRegister,
    ContactSetupBody,
    ContactUpdate,
    MailReplyBody,
    TransferBody,
    contact_json,
    mail_json,
)
from server.web.api.schemas import dossier_json
from server.web.auth import current_user


async def contact_list(request: Request) -> JSONResponse:
    """
    summary: Search contacts by number, e-mail address, name or subject
    tags: [contacts]
    parameters:
      - name: q
        in: query
        schema: {type: string}
        description: '06 12345678, +31612345678, 0031…, an e-mail address, a name'
      - {name: client, in: query, schema: {type: string}}
      - {name: state, in: query, schema: {type: string}, description: 'a state, or "open"'}
      - {name: channel, in: query, schema: {type: string}, description: 'telefoon_in, email, …'}
      - {name: limit, in: query, schema: {type: integer, default: 50, maximum: 500}}
      - {name: offset, in: query, schema: {type: integer, default: 0}}
    responses:
      200: {description: '{"total": N, "items": [contact, ...]}, newest first'}
    """
    user = current_user(request)
    p = request.query_params
    found = await contacts.search(
        user,
        q=p.get("q", ""),
        client=p.get("client", ""),
        state=p.get("state", ""),
        limit=int_param(request, "limit", 50, 1, 500),
        offset=int_param(request, "offset", 0, 0, 10_000_000),
        channel=p.get("channel", ""),
    )
    return JSONResponse({"total": found.total, "items": [contact_json(c) for c in found.items]})


async def contact_register(request: Request) -> JSONResponse:
    """
    summary: Register a contact that came in outside the telephony (complete at once)
    tags: [contacts]
    body: ContactRegister
    responses:
      201: {description: 'The contact, state afgerond'}
      403: {description: 'Desk roles only'}
      422: {description: 'Invalid input: {"error": {"message", "field"}}'}
    """
    user = current_user(request)
    contacts.require_desk(user)
    body = await parse(request, ContactRegister)
    contact = await contacts.register(user, None, body.to_input())
    contact = await contacts.get(user, contact.id)
    return JSONResponse(
        contact_json(contact, await contacts.linked_dossiers(user, contact)), status_code=201
    )


async def contact_detail(request: Request) -> JSONResponse:
    """
    summary: One contact with its dossiers, and whom the desk may transfer to now
    tags: [contacts]
    parameters: [{name: contact_id, in: path, required: true, schema: {type: integer}}]
    responses:
      200:
        description: 'The contact, "dossiers", "mails" (an e-mail and its replies) and (desk
          only) "transfer_now"'
      404: {description: 'Not found, or not visible to the caller'}
    """
    user = current_user(request)
    contact = await contacts.get(user, request.path_params["contact_id"])
    out = contact_json(contact, await contacts.linked_dossiers(user, contact))
    out["mails"] = [mail_json(m) for m in await mail_replies.mails_of_contact(user, contact)]
    if user.role != "client":
        offers = await transfers.offers(contact.client_id)
        out["transfer_now"] = [transfers.as_json(o.target) for o in offers if o.valid]
    return JSONResponse(out)


async def contact_update(request: Request) -> JSONResponse:
    """
    summary: Register what a contact led to (subject, result code, note), or correct it
    tags: [contacts]
    parameters: [{name: contact_id, in: path, required: true, schema: {type: integer}}]
    body: ContactUpdate
    responses:
      200: {description: 'The contact; finished once its call has ended'}
      422: {description: 'Invalid input: {"error": {"message", "field"}}'}
    """
    user = current_user(request)
    contacts.require_desk(user)
    body = await parse(request, ContactUpdate)
    contact = await contacts.get(user, request.path_params["contact_id"])
    await contacts.register(user, contact, body.to_input(contact))
    contact = await contacts.get(user, contact.id)
    return JSONResponse(contact_json(contact, await contacts.linked_dossiers(user, contact)))


async def contact_transfer(request: Request) -> JSONResponse:
    """
    summary: Record that the caller was put through (to a transfer number, or one typed in)
    tags: [contacts]
    parameters: [{name: contact_id, in: path, required: true, schema: {type: integer}}]
    body: TransferBody
    responses:
      200: {description: 'The contact with its transfer'}
      422: {description: 'Not one of the client''s numbers, or not a phone number'}
    """
    user = current_user(request)
    contacts.require_desk(user)
    body = await parse(request, TransferBody)
    contact = await contacts.get(user, request.path_params["contact_id"])
    await contacts.record_transfer(user, contact, body.target, body.number)
    contact = await contacts.get(user, contact.id)
    return JSONResponse(contact_json(contact))


async def contact_reply(request: Request) -> JSONResponse:
    """
    summary: Reply by e-mail to the tenant's mail of an e-mail contact (threaded, over SMTP)
    tags: [contacts]
    parameters: [{name: contact_id, in: path, required: true, schema: {type: integer}}]
    body: MailReplyBody
    responses:
      201: {description: 'The reply as queued: {"id", "direction", "subject", "to", ...}'}
      422: {description: 'No text, or the contact is not an e-mail'}
    """
    user = current_user(request)
    contacts.require_desk(user)
    body = await parse(request, MailReplyBody)
    contact = await contacts.get(user, request.path_params["contact_id"])
    original = await mail_replies.inbound_of(user, contact)
    sent = await mail_replies.reply(user, original, body.text)
    return JSONResponse(mail_json(sent), status_code=201)


async def caller(request: Request) -> JSONResponse:
    """
    summary: Recognise a caller by number or e-mail address
    tags: [contacts]
    parameters:
      - name: number
        in: query
        required: true
        schema: {type: string}
        description: '06 12345678, +31612345678, 0031…, or an e-mail address'
    responses:
      200: {description: '{"caller", "name", "contacts", "dossiers", "addresses", "open_there"}'}
      400: {description: 'Not a phone number or e-mail address'}
    """
    user = current_user(request)
    contacts.require_desk(user)
    raw = request.query_params.get("number", "")
    found = await recognition.recognise(user, raw[:254])
    if found is None:
        raise BadRequest(f"'{raw[:254]}' is geen telefoonnummer of e-mailadres.", "number")
    return JSONResponse(
        {
            "caller": found.caller,
            "name": found.name,
            "contacts": [contact_json(c) for c in found.earlier],
            "dossiers": [dossier_json(d) for d in found.dossiers],
            "addresses": found.addresses,
            "open_there": [dossier_json(d) for d in found.open_there],
        }
    )


async def setup_get(request: Request) -> JSONResponse:
    """
    summary: A client's contact set-up (greeting, inbound lines, transfer numbers, result codes)
    tags: [contacts]
    parameters: [{name: client, in: path, required: true, schema: {type: string}}]
    responses:
      200:
        description: '{"client", "greeting", "inbound", "transfers", "result_codes", "mailbox",
          "call_survey"} (the mailbox without its password)'
      403: {description: 'Desk roles only'}
    """
    user = current_user(request)
    contacts.require_desk(user)
    client = await scoping.client(user, request.path_params["client"])
    return JSONResponse(await setup.as_json(client))


async def setup_put(request: Request) -> JSONResponse:
    """
    summary: Replace a client's contact set-up, all of it at once
    tags: [contacts]
    parameters: [{name: client, in: path, required: true, schema: {type: string}}]
    body: ContactSetupBody
    responses:
      200: {description: 'The set-up as stored'}
      403: {description: 'Supervisor and admin only'}
      422: {description: 'Invalid input, naming the item: {"error": {"message", "field"}}'}
    """
    user = current_user(request)
    setup.require_editor(user)
    client = await scoping.client(user, request.path_params["client"])
    body = await parse(request, ContactSetupBody)
    await setup.replace(
        user,
        client,
        Setup(
            body.greeting,
            body.lines(),
            body.targets(),
            body.codes(),
            mailbox=body.mailbox_input(),
            # Left out: the mailbox stays as it is; null removes it.
            keep_mailbox="mailbox" not in body.model_fields_set,
            call_survey=body.call_survey,
            report_email=body.report_email,
            service_level_norm=(
                None if body.service_level_norm is None else str(body.service_level_norm)
            ),
        ),
    )
    return JSONResponse(await setup.as_json(client))
