"""Desk and portal pages for dossiers: search list, intake form, dossier page, actions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from geo import pc4
from server import scoping, settings
from server.contacts import contacts, mail_replies
from server.contacts import intake as contact_intake
from server.dispatch import appointment_slots, suggestions
from server.domain import normalise
from server.domain.calls import CONTACT_CHANNEL_OF_DOSSIER
from server.domain.errors import AppError, Forbidden, Unprocessable
from server.domain.lifecycle import FINAL_PHASES, PHASE_LABELS, Phase, transitions_for
from server.domain.numbers import HOUSE_NUMBER_MAX, whole_number
from server.domain.roles import DESK_ROLES, Role
from server.dossiers import dossiers, work_queue
from server.dossiers import intake as intake_service
from server.dossiers.dossiers import AddressInput, DossierInput
from server.fieldwork import fieldwork_view
from server.models import Contact, Contractor, Technician, User
from server.privacy import views
from server.web.auth import current_user
from server.web.pages.triage import triage_from_form
from server.web.params import int_param
from server.web.templating import templates

PAGE_SIZE = 50
MAX_PAGE = 100_000  # keeps the offset within any database's range
# A contact's channel as the channel of the dossier made in it.
CHANNEL_OF_CONTACT = {v: k for k, v in CONTACT_CHANNEL_OF_DOSSIER.items()} | {
    "telefoon_uit": "telefoon"
}
# Who has dossiers of his own to filter on: those who take reports in and work on them.
MINE_ROLES = (*DESK_ROLES, Role.CLIENT)
FREE_SLOTS = 5  # free times offered for moving an appointment
SUGGESTED = 10  # suitable technicians ranked for the dropdown; the first PANEL get a card
PANEL = 5


async def dossier_list(request: Request) -> Response:
    """The dossier list; for open dossiers the work queue, by time left to the deadline."""
    user = current_user(request)
    p = request.query_params
    page = int_param(request, "pagina", 1, 1, MAX_PAGE)
    phase = p.get("fase", "open")
    q, client = p.get("q", ""), p.get("klant", "")
    order = p.get("volgorde") or ("termijn" if phase == "open" else "nieuw")
    mine = p.get("mijn") == "1" and user.role in MINE_ROLES
    result = await dossiers.search(
        user,
        q,
        phase,
        client,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        order=order,
        mine=mine,
    )
    filters = {"q": q, "phase": phase, "client": client, "order": order, "mine": mine}
    query = {"q": q, "fase": phase, "klant": client, "volgorde": order, "mijn": "1" if mine else ""}
    return templates.TemplateResponse(
        request,
        "dossiers/list.html",
        {
            "result": result,
            "filters": filters,
            "query": {k: v for k, v in query.items() if v or k == "fase"},
            "standings": await work_queue.standings(result.items, datetime.now(UTC)),
            "orders": work_queue.ORDERS,
            "may_mine": user.role in MINE_ROLES,
            "page": page,
            "pages": max(1, -(-result.total // PAGE_SIZE)),
            "clients": await scoping.clients(user).filter(active=True),
            "phases": PHASE_LABELS,
        },
    )


async def _intake_context(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    user = current_user(request)
    return {"clients": await scoping.clients(user).filter(active=True), "values": values}


def _may_intake(request: Request) -> None:
    user = current_user(request)
    if user.role not in DESK_ROLES and user.role != Role.CLIENT:
        raise Forbidden("Uw rol mag geen meldingen aannemen.")


async def intake_form(request: Request) -> Response:
    _may_intake(request)
    user = current_user(request)
    values: dict[str, Any] = {
        "channel": "telefoon",
        "category": "",
        "client": request.query_params.get("klant"),
    }
    contact = await _contact_for_form(user, request.query_params.get("contact", ""))
    if contact is not None:
        values.update(_values_from_contact(contact))
    parent = request.query_params.get("herhaling")
    if parent:
        original = await dossiers.get(user, parent)
        values.update(_values_from(original))
    # Prefilled caller details, never the triage: a known caller is asked the protocol again.
    values.update(contact=contact.id if contact else "", contact_started=_now_iso())
    context = await _intake_context(request, values)
    context["contact"] = contact
    return templates.TemplateResponse(request, "dossiers/new.html", context)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


async def _contact_for_form(user: User, raw: str) -> Contact | None:
    """The contact a desk intake is made in: the one asked for, else the call the agent is on."""
    if user.role not in DESK_ROLES:
        return None
    if raw:
        return await contacts.get(user, raw)
    found = await contacts.open_contact_of(user)
    return await contacts.get(user, found.id) if found else None


def _values_from_contact(contact: Contact) -> dict[str, Any]:
    values: dict[str, Any] = {"channel": CHANNEL_OF_CONTACT.get(contact.channel, "telefoon")}
    if contact.client:
        values["client"] = contact.client.code
    if contact.caller.startswith("+"):
        values["contact_phone"] = normalise.display_phone(contact.caller)
    elif "@" in contact.caller:
        values["contact_email"] = contact.caller
    if contact.caller_name:
        values["contact_name"] = contact.caller_name
    return values


def _values_from(original: Any) -> dict[str, Any]:
    return {
        "client": original.client.code,
        "postcode": original.display_postcode,
        "house_number": original.house_number,
        "suffix": original.suffix,
        "street": original.street,
        "city": original.city,
        "contact_name": original.contact_name,
        "contact_phone": original.contact_phone,
        "contact_email": original.contact_email,
        "category": original.category,
        "parent": original.order_number,
    }


def _input_from(form: FormData) -> DossierInput:
    def text(key: str) -> str:
        return str(form.get(key, "")).strip()

    number = text("house_number")
    house_number = whole_number(number, 1, HOUSE_NUMBER_MAX) if number else None
    if number and house_number is None:
        raise Unprocessable(f"'{number}' is geen huisnummer.", "address.house_number")
    return DossierInput(
        client=text("client"),
        address=AddressInput(
            postcode=text("postcode"),
            house_number=house_number,
            suffix=text("suffix"),
            street=text("street"),
            city=text("city"),
        ),
        contact_name=text("contact_name"),
        contact_phone=text("contact_phone"),
        contact_email=text("contact_email"),
        channel=text("channel"),
        category=text("category"),
        description=text("description"),
        parent=text("parent") or None,
    )


async def intake(request: Request) -> Response:
    """A desk intake is made in a contact (server/contacts/intake.py); a client's is not."""
    _may_intake(request)
    form = await request.form()
    user = current_user(request)
    raw_contact = str(form.get("contact", "")).strip()
    contact = (
        await contacts.get(user, raw_contact) if raw_contact and user.role in DESK_ROLES else None
    )
    try:
        data = _input_from(form)
        if user.role in DESK_ROLES:
            created, _ = await contact_intake.create(
                user, data, triage_from_form(form), raw_contact or None, _started(form)
            )
        else:
            created = await intake_service.create(user, data, triage_from_form(form))
    except Unprocessable as exc:
        context = await _intake_context(request, dict(form))
        context.update(error=exc.message, error_field=exc.field, contact=contact)
        return templates.TemplateResponse(request, "dossiers/new.html", context, status_code=422)
    return RedirectResponse(f"/dossiers/{created.order_number}?nieuw=1", status_code=303)


def _started(form: FormData) -> datetime | None:
    """When the intake form was opened: the start of a contact made for it."""
    try:
        return datetime.fromisoformat(str(form.get("contact_started", "")))
    except ValueError:
        return None


async def detail(request: Request, error: AppError | None = None) -> Response:
    user = current_user(request)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    await views.opened(user, dossier, views.SCREEN)
    actor = await dossiers.actor_for(user)
    is_desk = user.role in DESK_ROLES
    now = datetime.now(UTC)
    technicians = await Technician.filter(active=True) if is_desk else []
    found, problem = await _ranking(user, dossier, now)
    context = {
        "d": dossier,
        "events": await dossiers.timeline(dossier),
        "moves": transitions_for(dossiers.state_of(dossier), actor),
        "technicians": technicians,
        "contractors": await Contractor.all() if is_desk else [],
        "technician_groups": suggestions.choice_groups(technicians, dossier.trade, found, now),
        "repeats": await dossier.repeats.all(),  # type: ignore[attr-defined]
        # The contacts it was made in or that concern it, as far as the user sees contacts.
        "contacts": await scoping.contacts(user)
        .filter(dossier_links__dossier_id=dossier.id)
        .order_by("offered_at", "id"),
        **await fieldwork_view.context(dossier),
        # The tenant's e-mails and the desk's replies (server/contacts/mail_replies.py).
        "mails": await mail_replies.mails_of_dossier(user, dossier)
        if user.role in DESK_ROLES or user.role == Role.CLIENT
        else [],
        "is_desk": user.role in DESK_ROLES,
        "created": request.query_params.get("nieuw") == "1",
        "error": error,
        "dispatch": dispatch_panel(dossier, found, problem) if is_desk else None,
        "appointment": await appointment_panel(user, dossier),
        "pc4_credit": pc4.ATTRIBUTION,
        "standing": (await work_queue.standings([dossier], now))[dossier.id],
        # Who opened it: for admins only (docs/privacy.md).
        "viewers": await views.of_dossier(dossier) if user.role == Role.ADMIN else [],
    }
    return templates.TemplateResponse(
        request, "dossiers/detail.html", context, status_code=error.status if error else 200
    )


async def _ranking(
    user: Any, dossier: Any, now: datetime
) -> tuple[suggestions.Suggestions | None, str | None]:
    """Suitable technicians for an open dossier, for the desk (the panel and the dropdown);
    the reason instead when there can be none (no trade, no location)."""
    if user.role not in DESK_ROLES or dossier.phase in FINAL_PHASES:
        return None, None
    try:
        return await suggestions.ranked(dossier, now=now, limit=SUGGESTED), None
    except AppError as exc:
        return None, exc.message


def dispatch_panel(
    dossier: Any, found: suggestions.Suggestions | None, problem: str | None
) -> dict[str, Any] | None:
    """The suggestions card while the dossier waits for a technician."""
    if dossier.phase not in suggestions.UNASSIGNED_PHASES:
        return None
    if found is None:
        return {"suggested": [], "problem": problem or "Geen suggesties."}
    return {"suggested": found.with_order()[:PANEL], "problem": None}


async def appointment_panel(user: Any, dossier: Any) -> dict[str, Any] | None:
    """For the desk while an appointment is booked: the technician's next free slots to move
    it to (a reason instead when there can be none)."""
    if user.role not in DESK_ROLES or dossier.phase != Phase.AFSPRAAK:
        return None
    try:
        slots = await appointment_slots.slots_for(
            user, dossier, technician_id=dossier.technician_id, limit=FREE_SLOTS
        )
    except AppError as exc:
        return {"slots": [], "problem": exc.message}
    return {"slots": slots, "problem": None}


def local_datetime(raw: str, field: str) -> datetime | None:
    """A datetime-local form value, read as Amsterdam time."""
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=ZoneInfo(settings.TIMEZONE))
    except ValueError:
        raise Unprocessable(f"'{raw}' is geen geldig tijdstip.", field) from None


def _int(raw: str, field: str) -> int | None:
    if not raw:
        return None
    value = whole_number(raw)
    if value is None:
        raise Unprocessable(f"'{raw}' is geen geldige keuze.", field)
    return value


async def move(request: Request) -> Response:
    user = current_user(request)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()

    def text(key: str) -> str:
        return str(form.get(key, "")).strip()

    try:
        data = {
            "result_code": text("result_code") or None,
            "reason": text("reason") or None,
            "referred_to": text("referred_to") or None,
            "technician_id": _int(text("technician_id"), "technician_id"),
            "contractor_id": _int(text("contractor_id"), "contractor_id"),
            "appointment_start": local_datetime(text("appointment_start"), "appointment_start"),
            "appointment_end": local_datetime(text("appointment_end"), "appointment_end"),
        }
        await dossiers.transition(user, dossier, text("to"), data)
    except AppError as exc:
        return await detail(request, exc)
    return _back(dossier.order_number)


async def note(request: Request) -> Response:
    user = current_user(request)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()
    try:
        await dossiers.add_note(user, dossier, str(form.get("text", "")))
    except AppError as exc:
        return await detail(request, exc)
    return _back(dossier.order_number, "#tijdlijn")


async def contact(request: Request) -> Response:
    user = current_user(request)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()
    try:
        await dossiers.record_contact(
            user, dossier, str(form.get("how", "telefoon")), str(form.get("summary", ""))
        )
    except AppError as exc:
        return await detail(request, exc)
    return _back(dossier.order_number, "#tijdlijn")


async def edit(request: Request) -> Response:
    user = current_user(request)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in dossiers.EDITABLE if k in form}
    version = _int(str(form.get("version", "")), "version")
    try:
        await dossiers.update_details(user, dossier, values, version)
    except AppError as exc:
        return await detail(request, exc)
    return _back(dossier.order_number)


def _back(order_number: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/dossiers/{order_number}{anchor}", status_code=303)
