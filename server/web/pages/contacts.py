"""Contact pages: the list, registering a contact without a dossier (Alt+K), a contact's page,
recording a transfer, and the screen pop every desk tab shows for the agent's call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import live, scoping, settings
from server.communication import call_surveys
from server.contacts import contact_live, contacts, mail_replies, recognition, setup, transfers
from server.contacts.contacts import Registration
from server.domain import call_survey, greeting, result_codes
from server.domain.calls import (
    CONTACT_CHANNEL_LABELS,
    CONTACT_STATE_LABELS,
    OPEN_STATES,
    SERVICE_LEVEL_SECONDS,
    state_label,
)
from server.domain.errors import AppError, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import DESK_ROLES
from server.knowledge import solutions
from server.messaging.kinds import CHANNEL_LABELS, STATUS_LABELS
from server.models import CallEvent, Contact, InboundLine, KnowledgeArticle, User
from server.web.auth import current_user, require_role, still_allowed
from server.web.pages.dossiers import MAX_PAGE
from server.web.params import int_param
from server.web.templating import templates

PAGE_SIZE = 50


def _labels() -> dict[str, Any]:
    return {
        "contact_channel": CONTACT_CHANNEL_LABELS,
        "contact_state": CONTACT_STATE_LABELS,
        "state_label": state_label,
        "norm": SERVICE_LEVEL_SECONDS,
    }


async def contact_list(request: Request) -> Response:
    user = current_user(request)
    p = request.query_params
    page = int_param(request, "pagina", 1, 1, MAX_PAGE)
    filters = {
        "q": p.get("q", ""),
        "client": p.get("klant", ""),
        "state": p.get("stand", ""),
        "channel": p.get("kanaal", ""),
    }
    found = await contacts.search(
        user,
        filters["q"],
        filters["client"],
        filters["state"],
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        channel=filters["channel"],
    )
    registered = p.get("geregistreerd", "")
    return templates.TemplateResponse(
        request,
        "contacts/list.html",
        {
            "result": found,
            "filters": filters,
            "page": page,
            "pages": max(1, -(-found.total // PAGE_SIZE)),
            "clients": await scoping.clients(user).filter(active=True),
            "registered": registered if registered.isdigit() else "",
            "is_desk": user.role in DESK_ROLES,
            **_labels(),
        },
    )


async def _form_context(
    user: User, contact: Contact | None, values: dict[str, Any]
) -> dict[str, Any]:
    clients = await scoping.clients(user).filter(active=True)
    return {
        "contact": contact,
        "values": values,
        "clients": clients,
        # Each client's result codes, for the form to offer the chosen client's.
        "codes": {c.code: [r.as_json() for r in setup.codes_of(c)] for c in clients},
        "default_codes": [r.as_json() for r in result_codes.DEFAULT],
        "offers": await transfers.offers(contact.client_id) if contact else [],
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        # For 'opgelost met artikel': every article, the client's own marked by its code.
        "articles": await KnowledgeArticle.all().order_by("title", "id").prefetch_related("client"),
        **_labels(),
    }


async def _values_of(contact: Contact | None) -> dict[str, Any]:
    if contact is None:
        return {"channel": "telefoon_in"}
    article = await solutions.of_contact(contact)
    return {
        "client": contact.client.code if contact.client else "",
        "subject": contact.subject,
        "result_code": contact.result_code or ("doorverbonden" if contact.transferred_at else ""),
        "note": contact.note,
        "referred_to": contact.referred_to,
        "caller": contact.caller,
        "caller_name": contact.caller_name,
        "channel": contact.channel,
        "article": str(article.id) if article else "",
    }


async def register_form(request: Request) -> Response:
    """Alt+K: the call the agent is on (or the contact asked for), or a new contact by hand."""
    user = require_role(request, *DESK_ROLES)
    raw = request.query_params.get("contact", "")
    contact = await contacts.get(user, raw) if raw else await contacts.open_contact_of(user)
    values = await _values_of(contact)
    if request.query_params.get("klant") and not values.get("client"):
        values["client"] = request.query_params["klant"].upper()
    if request.query_params.get("betreft"):
        values["dossiers"] = request.query_params["betreft"]
    return templates.TemplateResponse(
        request, "contacts/register.html", await _form_context(user, contact, values)
    )


def _registration(form: FormData) -> Registration:
    def text(key: str) -> str:
        return str(form.get(key, "")).strip()

    started: datetime | None = None
    try:
        started = datetime.fromisoformat(text("started")) if text("started") else None
    except ValueError:
        started = None
    return Registration(
        client=text("client"),
        subject=text("subject"),
        result_code=text("result_code"),
        note=str(form.get("note", "")),
        referred_to=text("referred_to"),
        caller=text("caller"),
        caller_name=text("caller_name"),
        channel=text("channel") or "telefoon_in",
        dossiers=[n for n in text("dossiers").replace(",", " ").split() if n],
        started_at=started,
        article=_article(text("article")),
    )


def _article(raw: str) -> int | None:
    if not raw:
        return None
    value = row_id(raw)
    if value is None:
        raise Unprocessable(f"Artikel '{raw[:40]}' niet gevonden.", "article")
    return value


async def register(request: Request) -> Response:
    user = require_role(request, *DESK_ROLES)
    form = await request.form()
    raw = str(form.get("contact", "")).strip()
    contact = await contacts.get(user, raw) if raw else None
    try:
        saved = await contacts.register(user, contact, _registration(form))
    except Unprocessable as exc:
        context = await _form_context(user, contact, dict(form))
        context.update(error=exc.message, error_field=exc.field)
        return templates.TemplateResponse(
            request, "contacts/register.html", context, status_code=422
        )
    return RedirectResponse(f"/contacten?geregistreerd={saved.id}", status_code=303)


async def detail(request: Request, error: AppError | None = None) -> Response:
    user = current_user(request)
    contact = await contacts.get(user, request.path_params["contact_id"])
    is_desk = user.role in DESK_ROLES
    survey, invitation = await call_surveys.of_contact(contact.id)
    context = {
        "c": contact,
        "solved_with": await solutions.of_contact(contact),
        "survey": survey,
        "invitation": invitation,
        "survey_labels": call_survey.ASPECT_LABELS,
        "message_status": STATUS_LABELS,
        "message_channel": CHANNEL_LABELS,
        "dossiers": await contacts.linked_dossiers(user, contact),
        "events": await CallEvent.filter(contact_id=contact.id).order_by("at", "id")
        if is_desk
        else [],
        "is_desk": is_desk,
        "error": error,
        "mails": await mail_replies.mails_of_contact(user, contact),
        "replied": request.query_params.get("beantwoord") == "1",
    }
    if is_desk:
        context.update(await _form_context(user, contact, await _values_of(contact)))
    else:
        context.update(_labels())
    return templates.TemplateResponse(
        request, "contacts/detail.html", context, status_code=error.status if error else 200
    )


async def update(request: Request) -> Response:
    user = require_role(request, *DESK_ROLES)
    contact = await contacts.get(user, request.path_params["contact_id"])
    form = await request.form()
    try:
        await contacts.register(user, contact, _registration(form))
    except Unprocessable as exc:
        context = await _form_context(user, contact, dict(form))
        context.update(
            c=contact,
            solved_with=await solutions.of_contact(contact),
            mails=await mail_replies.mails_of_contact(user, contact),
            dossiers=await contacts.linked_dossiers(user, contact),
            events=await CallEvent.filter(contact_id=contact.id).order_by("at", "id"),
            is_desk=True,
            error=exc,
            error_field=exc.field,
        )
        return templates.TemplateResponse(request, "contacts/detail.html", context, status_code=422)
    return RedirectResponse(f"/contacten?geregistreerd={contact.id}", status_code=303)


async def transfer(request: Request) -> Response:
    """Record a transfer from the pop or the contact's page (a button per transfer number)."""
    user = require_role(request, *DESK_ROLES)
    contact = await contacts.get(user, request.path_params["contact_id"])
    form = await request.form()
    raw = str(form.get("target", "")).strip()
    target = row_id(raw) if raw else None
    try:
        if raw and target is None:
            raise Unprocessable(f"'{raw[:40]}' is geen doorverbindnummer.", "target")
        await contacts.record_transfer(user, contact, target, str(form.get("number", "")))
    except AppError as exc:
        return await detail(request, exc)
    back = str(form.get("terug", ""))
    if not back.startswith("/") or back.startswith("//"):
        back = f"/contacten/{contact.id}"  # only back to a page of this site
    return RedirectResponse(back, status_code=303)


async def pop_context(user: User, contact: Contact) -> dict[str, Any]:
    local = datetime.now(UTC).astimezone(ZoneInfo(settings.TIMEZONE))
    client = contact.client
    line = await InboundLine.get_or_none(value=contact.line) if contact.line else None
    found = await recognition.recognise(user, contact.caller, exclude=contact.id)
    return {
        "c": contact,
        "line": line,
        "greeting": greeting.render(
            setup.greeting_of(client), client.name, contact.agent_name or str(user), local
        )
        if client
        else "",
        "caller": found,
        "offers": await transfers.offers(contact.client_id),
        "dossiers": await contacts.linked_dossiers(user, contact),
        **_labels(),
    }


async def pop(request: Request) -> Response:
    """The screen pop of one contact: a fragment the desk's tabs put above their page."""
    user = require_role(request, *DESK_ROLES)
    contact = await contacts.get(user, request.path_params["contact_id"])
    return templates.TemplateResponse(
        request, "contacts/_pop.html", await pop_context(user, contact)
    )


async def current(request: Request) -> Response:
    """The pop of the call the agent is on now; 204 when he is on none."""
    user = require_role(request, *DESK_ROLES)
    contact = await contacts.open_contact_of(user)
    if contact is None or contact.state not in OPEN_STATES:
        return Response(status_code=204)
    contact = await contacts.get(user, contact.id)
    return templates.TemplateResponse(
        request, "contacts/_pop.html", await pop_context(user, contact)
    )


async def contacts_live(request: Request) -> Response:
    """Server-sent events of the agent's own channel: his calls, for the screen pop."""
    user = require_role(request, *DESK_ROLES)

    async def same_desk_user(now: User) -> bool:
        return now.id == user.id and now.role in DESK_ROLES

    return live.stream(
        request, [contact_live.channel(user.id)], still_allowed(request, same_desk_user)
    )
