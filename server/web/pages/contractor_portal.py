"""The contractor portal (/aannemer): a contractor's open orders, live, and one order's page
with accept or decline, planning, its own technician, and done with werkbon and photos."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import live, settings
from server.contractors import orders
from server.domain.codes import RESULT_LABELS
from server.domain.errors import AppError, Unprocessable
from server.domain.lifecycle import FIELD_RESULTS
from server.domain.numbers import row_id, whole_number
from server.domain.roles import Role
from server.dossiers import dossiers, work_queue
from server.fieldwork.field_input import MAX_MATERIALS
from server.models import Dossier, Photo, RepairLog, User
from server.web import input_text
from server.web.auth import current_user, still_allowed
from server.web.templating import templates

# What the contractor reads of the timeline: the work, not the desk's notes, mails or messages.
TIMELINE_KINDS = (
    "created",
    "triage",
    "transition",
    "opdracht_geaccepteerd",
    "aannemer_monteur",
    "appointment_moved",
    "monteur_onderweg",
    "niet_thuis",
    "werkbon",
    "foto",
)
MAX_FORM_FIELDS = 20


async def _user(request: Request) -> User:
    user = current_user(request)
    await orders.contractor_of(user)
    return user


async def page(request: Request) -> Response:
    user = await _user(request)
    items = sorted(
        await orders.open_orders(user).prefetch_related("technician"),
        key=lambda d: (d.deadline_at is None, d.deadline_at or d.created_at, d.id),
    )
    photo_counts = Counter(
        await Photo.filter(dossier_id__in=[d.id for d in items]).values_list(
            "dossier_id", flat=True
        )
    )
    context = {
        "contractor": await orders.contractor_of(user),
        "items": items,
        "photo_counts": photo_counts,
        "standings": await work_queue.standings(items, datetime.now(UTC)),
    }
    return templates.TemplateResponse(request, "contractors/orders.html", context)


async def changes(request: Request) -> Response:
    user = await _user(request)
    contractor_id = user.contractor_id  # type: ignore[attr-defined]

    async def sees(now: User) -> bool:
        return now.role == Role.CONTRACTOR and now.contractor_id == contractor_id  # type: ignore[attr-defined]

    return live.stream(request, [f"contractor:{contractor_id}"], still_allowed(request, sees))


async def detail(
    request: Request,
    error: AppError | None = None,
    values: dict[str, Any] | None = None,
    done: str = "",
) -> Response:
    user = await _user(request)
    dossier = await orders.order(user, request.path_params["order_number"])
    events = await dossiers.timeline(dossier)
    context = {
        "contractor": await orders.contractor_of(user),
        "d": dossier,
        "events": [e for e in events if e.kind in TIMELINE_KINDS],
        "technicians": await orders.technicians(user),
        "results": _result_labels(),
        "standing": (await work_queue.standings([dossier], datetime.now(UTC)))[dossier.id],
        "working": dossier.phase in orders.WORKING,
        "error": error,
        "values": values or {},
        "done": done or request.query_params.get("gedaan", ""),
        "max_photos": orders.MAX_PHOTOS,
        "repair_logs": await RepairLog.filter(dossier_id=dossier.id).order_by("id"),
        "photos": await Photo.filter(dossier_id=dossier.id).order_by("id"),
    }
    status = error.status if error else 200
    return templates.TemplateResponse(request, "contractors/order.html", context, status)


def _result_labels() -> dict[str, str]:
    return {code: RESULT_LABELS[code] for code in RESULT_LABELS if code in FIELD_RESULTS}


def _text(form: FormData, key: str) -> str:
    value = form.get(key, "")
    if not isinstance(value, str):
        raise Unprocessable(f"Veld '{key}' hoort tekst te zijn, geen bestand.", key)
    if input_text.is_bad(value):  # a multipart form passes the edge's check unread
        raise Unprocessable(f"Veld '{key}' bevat een ongeldig teken.", key)
    return value.strip()


def _back(dossier: Dossier, done: str) -> Response:
    return RedirectResponse(
        f"/aannemer/opdrachten/{dossier.order_number}?gedaan={done}", status_code=303
    )


async def _act(request: Request, done: str, work: Any) -> Response:
    """Run `work(user, dossier, form)`; on a refusal the page again with the message and
    what was typed (nothing lost), else back to the order with `done` said."""
    user = await _user(request)
    dossier = await orders.order(user, request.path_params["order_number"])
    async with request.form(
        max_files=orders.MAX_PHOTOS + 1, max_fields=MAX_FORM_FIELDS
    ) as form:  # closes the uploads' temporary files
        try:
            await work(user, dossier, form)
        except AppError as exc:
            typed = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
            return await detail(request, exc, typed)
    if dossier.phase not in orders.WORKING:
        return RedirectResponse(f"/aannemer?gedaan={done}", status_code=303)
    return _back(dossier, done)


async def accept(request: Request) -> Response:
    async def work(user: User, dossier: Dossier, form: FormData) -> None:
        await orders.accept(user, dossier)

    return await _act(request, "geaccepteerd", work)


async def decline(request: Request) -> Response:
    async def work(user: User, dossier: Dossier, form: FormData) -> None:
        await orders.decline(user, dossier, _text(form, "reason")[:500])

    return await _act(request, "geweigerd", work)


async def plan(request: Request) -> Response:
    async def work(user: User, dossier: Dossier, form: FormData) -> None:
        day = _date(_text(form, "datum"))
        start = _moment(day, _text(form, "van"), "van")
        end = _moment(day, _text(form, "tot"), "tot")
        technician = _technician_id(_text(form, "technician_id"))
        await orders.plan(user, dossier, start, end, technician, _text(form, "reason")[:500])

    return await _act(request, "ingepland", work)


async def assign(request: Request) -> Response:
    async def work(user: User, dossier: Dossier, form: FormData) -> None:
        await orders.assign(user, dossier, _technician_id(_text(form, "technician_id")))

    return await _act(request, "toegewezen", work)


async def report_done(request: Request) -> Response:
    async def work(user: User, dossier: Dossier, form: FormData) -> None:
        werkbon = {
            "cause": _text(form, "cause"),
            "work_done": _text(form, "work_done"),
            "materials": materials(_text(form, "materials")),
            "minutes": _minutes(_text(form, "minutes")),
        }
        pictures = [
            (f.filename or "foto", await f.read())
            for f in form.getlist("photos")
            if isinstance(f, UploadFile) and (f.filename or f.size)
        ]
        done = orders.Done(_text(form, "result_code"), werkbon)
        await orders.report_done(user, dossier, done, pictures)

    return await _act(request, "afgerond", work)


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Unprocessable(f"'{raw[:40]}' is geen datum (dd-mm-jjjj).", "datum") from None


def _moment(day: date, raw: str, field: str) -> datetime:
    try:
        at = time.fromisoformat(raw)
    except ValueError:
        raise Unprocessable(f"'{raw[:40]}' is geen tijd (uu:mm).", field) from None
    return datetime.combine(day, at.replace(tzinfo=None), ZoneInfo(settings.TIMEZONE))


def _technician_id(raw: str) -> int | None:
    if not raw:
        return None
    found = row_id(raw)
    if found is None:
        raise Unprocessable(f"'{raw[:40]}' is geen geldige monteur.", "technician_id")
    return found


def _minutes(raw: str) -> int:
    if not raw:
        raise Unprocessable("Vul de bestede tijd in minuten in.", "minutes")
    found = whole_number(raw, 0, 24 * 60)
    if found is None:
        raise Unprocessable(
            f"Bestede tijd moet 0 tot 1440 minuten zijn, niet '{raw[:40]}'.", "minutes"
        )
    return found


# "2 st Sifon 32 mm", "1,5 m Koperbuis 15 mm", or only a name (one piece).
MATERIAL_LINE = re.compile(r"^(?:(\d{1,5}(?:[.,]\d{1,3})?)\s+(?:([A-Za-z]{1,5})\s+)?)?(.+)$")
UNITS = frozenset({"st", "m", "m1", "m2", "m3", "l", "kg", "set", "rol", "doos", "pak", "uur"})


def materials(text: str) -> list[dict[str, Any]]:
    """The werkbon's materials, one per line; field_input checks each as for the app."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_MATERIALS:
        raise Unprocessable(f"Materialen: hoogstens {MAX_MATERIALS} regels.", "materials")
    found = []
    for line in lines:
        match = MATERIAL_LINE.match(line)
        assert match is not None  # (.+) matches any non-empty line
        amount, unit, name = match.groups()
        if unit and unit.lower() not in UNITS:
            name, unit = f"{unit} {name}", None
        quantity: float | int = 1
        if amount:
            number = float(amount.replace(",", "."))
            quantity = int(number) if number.is_integer() else number
        found.append({"name": name.strip(), "quantity": quantity, "unit": (unit or "st").lower()})
    return found
