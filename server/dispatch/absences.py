"""Entering and listing technicians' absences (verlof, ziek, cursus).

Supervisors and admins enter and remove them; the desk may read them. An absent technician is
off duty (server.dispatch.candidates takes his absent days out of his shifts), so he is not
suggested, gets no slots and keeps no position; boards are told to reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from server import live
from server.domain.absences import ABSENCE_KINDS, Absence, absent_at, check
from server.domain.dispatch import ZONE
from server.domain.errors import Forbidden, NotFound, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import DESK_ROLES, Role
from server.models import Absence as AbsenceRow
from server.models import Technician, TechnicianPosition, User

PLANNERS = (Role.ADMIN, Role.SUPERVISOR)


@dataclass(frozen=True)
class AbsenceInput:
    starts_on: str
    ends_on: str
    kind: str
    note: str = ""


def today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(ZONE).date()


def require_planner(user: User) -> None:
    if user.role not in PLANNERS:
        raise Forbidden("Alleen supervisie en beheer leggen afwezigheid vast.")


def _day(raw: str, field: str, label: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise Unprocessable(f"{label} '{raw}' is geen datum (JJJJ-MM-DD).", field) from None


async def technician(raw_id: str | int) -> Technician:
    number = row_id(raw_id)
    tech = None if number is None else await Technician.get_or_none(id=number)
    if tech is None:
        raise NotFound(f"Monteur '{raw_id}' niet gevonden.", "technician")
    return tech


async def add(
    user: User, technician_id: str | int, data: AbsenceInput, now: datetime | None = None
) -> AbsenceRow:
    """Record an absence, or raise naming the bad value and record nothing."""
    require_planner(user)
    tech = await technician(technician_id)
    starts_on = _day(data.starts_on, "starts_on", "Begindatum")
    ends_on = _day(data.ends_on, "ends_on", "Einddatum")
    kind = data.kind.strip().lower()
    problems = check(starts_on, ends_on, kind)
    if problems:
        field, message = problems[0]
        raise Unprocessable(message, field)
    overlap = await AbsenceRow.filter(
        technician_id=tech.id, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if overlap is not None:
        raise Unprocessable(
            f"{tech.name} is al afwezig ({ABSENCE_KINDS.get(overlap.kind, overlap.kind).lower()}"
            f") van {overlap.starts_on:%d-%m-%Y} tot en met {overlap.ends_on:%d-%m-%Y}.",
            "starts_on",
        )
    now = now or datetime.now(UTC)
    row = await AbsenceRow.create(
        technician=tech,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        note=data.note.strip()[:200],
        created_by=str(user),
        created_at=now,
    )
    if absent_at([Absence(starts_on, ends_on, kind)], now):
        # Positions are kept only while he is on duty.
        await TechnicianPosition.filter(technician_id=tech.id).delete()
    await live.publish("board", "duty", {"technician_id": tech.id})
    return row


async def remove(user: User, absence_id: str | int) -> None:
    require_planner(user)
    number = row_id(absence_id)
    row = None if number is None else await AbsenceRow.get_or_none(id=number)
    if row is None:
        raise NotFound(f"Afwezigheid '{absence_id}' niet gevonden.", "absence")
    technician_id = row.technician_id  # type: ignore[attr-defined]
    await row.delete()
    await live.publish("board", "duty", {"technician_id": technician_id})


async def listing(user: User, *, since: date, technician_id: int | None = None) -> list[AbsenceRow]:
    """Absences that end on or after `since`, by start (desk roles)."""
    if user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer ziet afwezigheid van monteurs.")
    qs = AbsenceRow.filter(ends_on__gte=since)
    if technician_id is not None:
        qs = qs.filter(technician_id=technician_id)
    return await qs.prefetch_related("technician").order_by("starts_on", "id")


def absence_json(row: AbsenceRow) -> dict[str, object]:
    return {
        "id": row.id,
        "technician_id": row.technician_id,  # type: ignore[attr-defined]
        "technician": row.technician.name,
        "kind": row.kind,
        "kind_label": ABSENCE_KINDS.get(row.kind, row.kind),
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "note": row.note,
        "created_by": row.created_by,
    }
