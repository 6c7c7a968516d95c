"""A technician's duty (weekly roster, on-call, home base) as the supervisor sets it, his own
list of jobs, and the position his app reports while on duty."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from server import scoping
from server.dispatch import candidates
from server.domain.errors import Forbidden, NotFound, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import Role
from server.housing.geocoding import point_of
from server.models import Dossier, RosterEntry, Technician, TechnicianPosition, User

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


@dataclass
class DutyInput:
    roster: list[tuple[int, str, str]] = field(default_factory=list)
    on_call_evenings: bool = False
    on_call_weekends: bool = False
    on_call_holidays: bool = False
    position_consent: bool | None = None
    home_latitude: float | None = None
    home_longitude: float | None = None


def minute_of(text: str, field_name: str) -> int:
    match = _CLOCK.match(text.strip())
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise Unprocessable(f"Tijd '{text}' is geen UU:MM tussen 00:00 en 24:00.", field_name)
    return int(match.group(1)) * 60 + int(match.group(2))


async def set_duty(user: User, technician_id: str, data: DutyInput) -> Technician:
    """Replace his weekly roster and on-call duty (supervisor and admin only)."""
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Forbidden("Alleen supervisie en beheer stellen diensten in.")
    number = row_id(technician_id)
    tech = None if number is None else await Technician.get_or_none(id=number)
    if tech is None:
        raise NotFound(f"Monteur '{technician_id}' niet gevonden.", "technician")
    rows = []
    for number, (weekday, start, end) in enumerate(data.roster):
        first = minute_of(start, f"roster.{number}.start")
        last = minute_of(end, f"roster.{number}.end")
        if last <= first:
            raise Unprocessable(
                f"Dienst {start}-{end}: de eindtijd moet na de begintijd liggen.",
                f"roster.{number}.end",
            )
        rows.append(
            RosterEntry(technician=tech, weekday=weekday, start_minute=first, end_minute=last)
        )
    tech.on_call_evenings = data.on_call_evenings
    tech.on_call_weekends = data.on_call_weekends
    tech.on_call_holidays = data.on_call_holidays
    if data.position_consent is not None:
        tech.position_consent = data.position_consent
    if data.home_latitude is not None and data.home_longitude is not None:
        tech.home_latitude, tech.home_longitude = data.home_latitude, data.home_longitude
    async with in_transaction() as conn:
        await RosterEntry.filter(technician_id=tech.id).using_db(conn).delete()
        for row in rows:
            await row.save(using_db=conn)
        await tech.save(using_db=conn)
        if not tech.position_consent:
            await TechnicianPosition.filter(technician_id=tech.id).using_db(conn).delete()
    return tech


async def me(user: User) -> Technician:
    if user.role != Role.TECHNICIAN:
        raise Forbidden("Alleen voor servicemonteurs.")
    tech = await Technician.get_or_none(user_id=user.id, active=True)
    if tech is None:
        raise NotFound("Bij deze gebruiker hoort geen actieve monteur.", "technician")
    return tech


async def jobs(user: User) -> list[Dossier]:
    """His open jobs (scoping gives a technician only the dossiers assigned to him)."""
    await me(user)
    return (
        await scoping.dossiers(user)
        .filter(phase__in=list(candidates.ASSIGNED_PHASES))
        .order_by("appointment_start", "deadline_at", "created_at")
        .prefetch_related("client")
    )


def job_json(d: Dossier) -> dict[str, object]:
    point = point_of(d)
    return {
        "order_number": d.order_number,
        "client": d.client.code,
        "phase": d.phase,
        "urgency": d.urgency,
        "trade": d.trade,
        "category": d.category,
        "description": d.description,
        "address": {
            "street": d.street,
            "house_number": d.house_number,
            "suffix": d.suffix,
            "postcode": d.postcode,
            "city": d.city,
        },
        "location": {
            "latitude": point.lat if point else None,
            "longitude": point.lon if point else None,
            "precision": d.geo_precision if d.geo_source else None,
        },
        "contact": {"name": d.contact_name, "phone": d.contact_phone},
        "deadline_at": d.deadline_at.isoformat() if d.deadline_at else None,
        "labour_minutes": d.labour_minutes,
        "appointment_start": d.appointment_start.isoformat() if d.appointment_start else None,
        "appointment_end": d.appointment_end.isoformat() if d.appointment_end else None,
        "version": d.version,
    }


async def report_position(
    user: User,
    latitude: float,
    longitude: float,
    accuracy: float | None,
    now: datetime | None = None,
) -> bool:
    """Keep his last position, only with his consent and while he is on duty; off duty any
    kept position is removed. Returns whether it was kept."""
    tech = await me(user)
    if not tech.position_consent:
        raise Forbidden("U heeft geen toestemming gegeven om uw positie te delen.", "consent")
    now = now or datetime.now(UTC)
    candidate = (await candidates.load(now, ids=[tech.id]))[0]
    if not any(s.start <= now < s.end for s in candidate.shifts):
        await TechnicianPosition.filter(technician_id=tech.id).delete()
        return False
    await TechnicianPosition.update_or_create(
        technician_id=tech.id,
        defaults={
            "latitude": latitude,
            "longitude": longitude,
            "accuracy_m": accuracy,
            "reported_at": now,
        },
    )
    return True
