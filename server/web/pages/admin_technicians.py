"""Admin screens for technicians (admin and supervisie): trades, home base, contractor, weekly
roster, on-call rota; absences stay on /planning, linked from here."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.admin import changes, technicians
from server.admin.technicians import TechnicianForm, roster_text
from server.domain.codes import TRADE_LABELS
from server.domain.errors import AppError
from server.models import Absence, Contractor, RosterEntry, Technician
from server.web.auth import require_role
from server.web.pages.admin import STAFF, page


async def technician_list(request: Request) -> Response:
    require_role(request, *STAFF)
    rows = await Technician.all().order_by("name").prefetch_related("contractor")
    return page(request, "technicians", {"technicians": rows, "trades": TRADE_LABELS})


def _form_of(tech: Technician, roster: list[RosterEntry]) -> TechnicianForm:
    return TechnicianForm(
        name=tech.name,
        phone=tech.phone,
        trades=list(tech.trades),
        home_postcode=tech.home_postcode,
        contractor_id=str(tech.contractor_id or ""),  # type: ignore[attr-defined]
        roster=roster_text(roster),
        on_call_evenings=tech.on_call_evenings,
        on_call_weekends=tech.on_call_weekends,
        on_call_holidays=tech.on_call_holidays,
        active=tech.active,
    )


def _read(raw: Any) -> TechnicianForm:
    return TechnicianForm(
        name=str(raw.get("name", ""))[:300],
        phone=str(raw.get("phone", ""))[:40],
        trades=[str(t)[:10] for t in raw.getlist("trades")][:30],
        home_postcode=str(raw.get("home_postcode", ""))[:20],
        contractor_id=str(raw.get("contractor", ""))[:12],
        roster=str(raw.get("roster", ""))[:4000],
        on_call_evenings=raw.get("on_call_evenings") == "ja",
        on_call_weekends=raw.get("on_call_weekends") == "ja",
        on_call_holidays=raw.get("on_call_holidays") == "ja",
        active=raw.get("active") == "ja",
    )


async def _context(tech: Technician | None, form: TechnicianForm) -> dict[str, Any]:
    return {
        "tech": tech,
        "form": form,
        "trades": TRADE_LABELS,
        "contractors": await Contractor.all().order_by("name"),
        "absences": await Absence.filter(technician_id=tech.id).order_by("starts_on")
        if tech
        else [],
        "changes": await changes.of("technician", tech.id) if tech else [],
    }


async def new_form(request: Request) -> Response:
    require_role(request, *STAFF)
    form = TechnicianForm("", "", [], "", "", "ma-vr 07:30-16:00", active=True)
    return page(request, "technician", await _context(None, form))


async def create(request: Request) -> Response:
    user = require_role(request, *STAFF)
    form = _read(await request.form())
    try:
        tech = await technicians.create(user, form)
    except AppError as exc:
        return page(request, "technician", await _context(None, form), error=exc)
    return RedirectResponse(f"/beheer/monteurs/{tech.id}?opgeslagen=1", status_code=303)


async def detail(request: Request) -> Response:
    require_role(request, *STAFF)
    tech = await technicians.get(request.path_params["technician_id"])
    context = await _context(
        tech, _form_of(tech, list(await RosterEntry.filter(technician_id=tech.id)))
    )
    context["saved"] = request.query_params.get("opgeslagen") == "1"
    return page(request, "technician", context)


async def save(request: Request) -> Response:
    user = require_role(request, *STAFF)
    tech = await technicians.get(request.path_params["technician_id"])
    form = _read(await request.form())
    try:
        await technicians.save(user, tech, form)
    except AppError as exc:
        return page(request, "technician", await _context(tech, form), error=exc)
    return RedirectResponse(f"/beheer/monteurs/{tech.id}?opgeslagen=1", status_code=303)
