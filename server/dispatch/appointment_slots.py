"""Free appointment slots for a dossier: the technician's or the trade's agendas from the
database, searched by server.domain.slots.find_slots."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from server.dispatch import candidates
from server.dispatch.suggestions import require_desk
from server.domain.errors import NotFound, Unprocessable
from server.domain.slots import Appointment, Slot, find_slots
from server.housing.geocoding import point_of
from server.models import Dossier, Technician, User


async def slots_for(
    user: User,
    dossier: Dossier,
    *,
    technician_id: int | None = None,
    trade: str | None = None,
    now: datetime | None = None,
    limit: int = 10,
) -> list[Slot]:
    """The earliest slots for one technician (`technician_id`) or for every technician of the
    trade (the dossier's, or `trade`)."""
    require_desk(user)
    return await free_slots(dossier, technician_id=technician_id, trade=trade, now=now, limit=limit)


async def free_slots(
    dossier: Dossier,
    *,
    technician_id: int | None = None,
    trade: str | None = None,
    now: datetime | None = None,
    limit: int = 10,
) -> list[Slot]:
    """`slots_for` without the desk's check: the tenant's tracking page offers the same slots
    for the dossier's trade (server/communication/tenant_appointments.py), and a tenant picks a
    time online before the report is stored (server/selfservice)."""
    now = now or datetime.now(UTC)
    if technician_id is not None:
        tech = await Technician.get_or_none(id=technician_id, active=True)
        if tech is None:
            raise NotFound(f"Monteur {technician_id} niet gevonden.", "technician")
        job = candidates.job_for(dossier, trade or dossier.trade or (tech.trades or [""])[0])
    else:
        job = candidates.job_for(dossier, trade)
    rules = candidates.rules()
    until = job.deadline or now + rules.horizon
    horizon = max(until - now, timedelta(0)) + timedelta(days=1)
    if technician_id is not None:
        pool = await candidates.load(now, ids=[technician_id], horizon=horizon)
    else:
        pool = await candidates.load(now, trade=job.trade, horizon=horizon)
    agenda = await appointments([c.id for c in pool], now, until, exclude=dossier.id)
    return find_slots(
        job,
        pool,
        agenda,
        now,
        rules=rules,
        limit=limit,
        require_trade=technician_id is None,
    )


async def appointments(
    technician_ids: list[int], start: datetime, end: datetime, *, exclude: int | None = None
) -> dict[int, list[Appointment]]:
    """Their booked appointments overlapping [start, end), other than dossier `exclude`."""
    if not technician_ids:
        return {}
    rows = await Dossier.filter(
        technician_id__in=technician_ids,
        appointment_start__isnull=False,
        appointment_start__lt=end,
        phase__in=list(candidates.ASSIGNED_PHASES),
    ).exclude(id=exclude or 0)
    found: dict[int, list[Appointment]] = defaultdict(list)
    for d in rows:
        assert d.appointment_start is not None
        finish = d.appointment_end or d.appointment_start + timedelta(
            minutes=d.labour_minutes or candidates.DEFAULT_LABOUR_MINUTES
        )
        if finish <= start:
            continue
        found[d.technician_id].append(  # type: ignore[attr-defined]
            Appointment(d.appointment_start, finish, point_of(d), d.id)
        )
    return dict(found)


def parse_when(raw: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise Unprocessable(f"'{raw}' is geen tijdstip (ISO 8601).", field) from None
    if value.tzinfo is None:
        raise Unprocessable(f"Tijdstip '{raw}' mist een tijdzone.", field)
    return value
