"""Assigning a dossier to a technician and booking, moving and cancelling its appointment.

Every phase change goes through server.dossiers.dossiers.transition, so the lifecycle rules
and the timeline hold; after each change the board, the dossier page and the technician's app
are told (server.live), the technicians concerned get a push notification
(server.fieldwork.technician_push), and the tenant hears of a booking, a move or a
cancellation (server.communication.communication).
"""

from __future__ import annotations

from datetime import UTC, datetime

from server import live
from server.communication import communication
from server.domain.errors import Forbidden, Unprocessable
from server.domain.lifecycle import Phase
from server.domain.roles import DESK_ROLES
from server.dossiers import dossiers
from server.fieldwork import technician_push
from server.models import Dossier, Technician, User


def _require_desk(user: User | None) -> None:
    if user is None or user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer plant monteurs in.")


async def _technician(technician_id: int) -> Technician:
    tech = await Technician.get_or_none(id=technician_id, active=True)
    if tech is None:
        raise Unprocessable(
            f"Monteur {technician_id} bestaat niet of is niet actief.", "technician_id"
        )
    return tech


async def assign(
    user: User | None,
    dossier: Dossier,
    technician_id: int,
    *,
    at: datetime | None = None,
    check_role: bool = True,
) -> Dossier:
    """Send the dossier to a technician (phase doorgezet_naar_monteur); a dossier already
    with someone else goes back to analysing first, so both moves are on the timeline. A
    booked appointment lapses when the dossier goes to someone else (that is its reason); it
    stays when it goes to the technician who has it already."""
    if check_role:
        _require_desk(user)
    tech = await _technician(technician_id)
    previous = dossier.technician_id  # type: ignore[attr-defined]
    if dossier.phase == Phase.AFSPRAAK:
        if previous == technician_id:
            return dossier
        await dossiers.transition(
            user,
            dossier,
            Phase.DOORGEZET,
            {"technician_id": technician_id, "reason": f"Opnieuw toegewezen aan {tech.name}"},
            at,
        )
    elif dossier.phase == Phase.DOORGEZET and previous != technician_id:
        await dossiers.transition(user, dossier, Phase.ANALYSEREN, {}, at)
    if dossier.phase != Phase.DOORGEZET:
        await dossiers.transition(
            user, dossier, Phase.DOORGEZET, {"technician_id": technician_id}, at
        )
    await publish(dossier, "assigned", previous)
    return dossier


async def book(
    user: User | None,
    dossier: Dossier,
    technician_id: int,
    start: datetime,
    end: datetime,
    *,
    reason: str = "",
    at: datetime | None = None,
    check_role: bool = True,
) -> Dossier:
    """Book a slot: assign when needed, then afspraak_ingepland; on a dossier that already has
    an appointment this moves it (recorded as such, with the old and new time). Without a user
    and `check_role` False: the tenant picked the slot online (server/selfservice)."""
    if check_role:
        _require_desk(user)
    if start.tzinfo is None or end.tzinfo is None:
        raise Unprocessable("Een afspraak vraagt om tijden met tijdzone.", "start")
    if end <= start:
        raise Unprocessable("De eindtijd moet na de begintijd liggen.", "end")
    if dossier.phase == Phase.AFSPRAAK:
        return await _move(user, dossier, technician_id, start, end, reason, at)
    previous = dossier.technician_id  # type: ignore[attr-defined]
    if dossier.phase != Phase.DOORGEZET or previous != technician_id:
        await assign(user, dossier, technician_id, at=at, check_role=check_role)
    await dossiers.transition(
        user,
        dossier,
        Phase.AFSPRAAK,
        {"technician_id": technician_id, "appointment_start": start, "appointment_end": end},
        at,
    )
    await publish(dossier, "appointment", previous)
    return dossier


async def move_planned(
    user: User,
    dossier: Dossier,
    technician_id: int | None,
    start: datetime,
    end: datetime,
    reason: str = "",
) -> Dossier:
    """Move a booked appointment for whoever may plan it (the caller checked); the tenant is
    told as when the desk moves it."""
    return await _move(user, dossier, technician_id, start, end, reason, None)


async def _move(
    user: User | None,
    dossier: Dossier,
    technician_id: int | None,
    start: datetime,
    end: datetime,
    reason: str,
    at: datetime | None,
) -> Dossier:
    """Move a booked appointment; without a technician (a contractor's order it plans
    itself) the one it has stays."""
    tech = await _technician(technician_id) if technician_id is not None else None
    previous = dossier.technician_id  # type: ignore[attr-defined]
    old_start, old_end = dossier.appointment_start, dossier.appointment_end
    changes: dict[str, object] = {"appointment_start": start, "appointment_end": end}
    if tech is not None:
        changes["technician_id"] = tech.id
    await dossiers._save(
        dossier,
        changes,
        user,
        at or datetime.now(UTC),
        "appointment_moved",
        {
            "from": old_start.isoformat() if old_start else None,
            "to": start.isoformat(),
            "end": end.isoformat(),
            "technician": tech.name if tech else None,
            "reason": reason.strip() or None,
        },
    )
    await publish(dossier, "appointment", previous)
    if at is None:  # a move with an explicit past moment is history: nobody is told
        await communication.safely(communication.appointment_moved(dossier, old_start, old_end))
        from server.chain import outbound

        await communication.safely(outbound.after_appointment_moved(dossier))
    return dossier


async def cancel(
    user: User, dossier: Dossier, reason: str, *, at: datetime | None = None
) -> Dossier:
    """Cancel the appointment: back to doorgezet_naar_monteur (still his). The lifecycle's
    lapse clears the times and puts the reason and the lapsed time on the timeline."""
    _require_desk(user)
    reason = reason.strip()
    if not reason:
        raise Unprocessable("Geef een reden voor het annuleren van de afspraak.", "reason")
    if dossier.phase != Phase.AFSPRAAK or dossier.appointment_start is None:
        raise Unprocessable(
            f"Dossier {dossier.order_number} heeft geen ingeplande afspraak.", "phase"
        )
    await dossiers.transition(user, dossier, Phase.DOORGEZET, {"reason": reason}, at)
    await publish(dossier, "appointment_cancelled", dossier.technician_id)  # type: ignore[attr-defined]
    return dossier


async def tenant_move(
    dossier: Dossier, technician_id: int, start: datetime, end: datetime, reason: str
) -> Dossier:
    """The tenant moved the appointment on the tracking page to a free slot (that page checks
    the client's rules and that the slot is free): the same move as the desk's, by nobody."""
    if dossier.phase != Phase.AFSPRAAK:
        raise Unprocessable("Er staat geen afspraak gepland.", "phase")
    return await _move(None, dossier, technician_id, start, end, reason, None)


async def tenant_cancel(dossier: Dossier, reason: str) -> Dossier:
    """The tenant cancelled the appointment on the tracking page: it lapses as when the desk
    cancels it (the dossier stays with the technician, for a new appointment)."""
    if dossier.phase != Phase.AFSPRAAK or dossier.appointment_start is None:
        raise Unprocessable("Er staat geen afspraak gepland.", "phase")
    await dossiers.transition(None, dossier, Phase.DOORGEZET, {"reason": reason})
    await publish(dossier, "appointment_cancelled", dossier.technician_id)  # type: ignore[attr-defined]
    return dossier


async def publish(dossier: Dossier, event: str, previous_technician: int | None = None) -> None:
    """Tell the board, the dossier's page and the technicians involved (after the commit)."""
    data = {
        "order_number": dossier.order_number,
        "phase": dossier.phase,
        "technician_id": dossier.technician_id,  # type: ignore[attr-defined]
        "appointment_start": (
            dossier.appointment_start.isoformat() if dossier.appointment_start else None
        ),
    }
    await live.publish("board", event, data)
    await live.publish(f"dossier:{dossier.order_number}", event, data)
    involved = {dossier.technician_id, previous_technician} - {None}  # type: ignore[attr-defined]
    for technician_id in sorted(involved):
        await live.publish(f"technician:{technician_id}", event, data)
    await technician_push.notify(dossier, event, previous_technician)
