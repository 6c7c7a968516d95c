"""A contractor's orders in its portal: the open ones, accepting or declining one, planning it,
sending one of its own technicians, and reporting it done with a werkbon and photos.

Every move goes through server.dossiers.dossiers.transition (the lifecycle's rules, the
timeline, the board, the technician's app and the tenant's messages, as for the desk and the
technician app); the werkbon through server.fieldwork.werkbons, photos through media/.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.queryset import QuerySet

from media import PhotoError, StoredPhoto, store_async
from server import scoping, settings
from server.auth.login import NO_CONTRACTOR
from server.dispatch import assignments
from server.domain.errors import Forbidden, Unprocessable
from server.domain.lifecycle import Phase, check_field_appointment
from server.domain.roles import Role
from server.dossiers import dossier_live, dossiers, events
from server.fieldwork import photos, werkbons
from server.fieldwork.field_input import close_fields
from server.models import Contractor, Dossier, Photo, Technician, User

# Where an order is the contractor's to work on: sent, planned, being done.
WORKING = (Phase.DOORGEZET, Phase.AFSPRAAK, Phase.IN_UITVOERING)
MAX_PHOTOS = 10


def now() -> datetime:
    return datetime.now(UTC)


async def contractor_of(user: User) -> Contractor:
    """The user's contractor; anyone else (or a contractor user without one) is refused."""
    contractor_id = user.contractor_id  # type: ignore[attr-defined]
    if user.role != Role.CONTRACTOR:
        raise Forbidden("Alleen een aannemer heeft toegang tot het aannemersportaal.")
    if contractor_id is None:
        raise Forbidden(NO_CONTRACTOR)
    return await Contractor.get(id=contractor_id)


def open_orders(user: User) -> QuerySet[Dossier]:
    """The orders the contractor has to work on, most pressing deadline first."""
    return (
        scoping.dossiers(user)
        .filter(phase__in=[p.value for p in WORKING])
        .order_by("deadline_at", "created_at", "id")
    )


async def order(user: User, order_number: str) -> Dossier:
    """One of the contractor's orders, else NotFound (another's is not revealed)."""
    await contractor_of(user)
    found = await scoping.dossier(user, order_number)
    await found.fetch_related("client", "technician")
    return found


async def technicians(user: User) -> list[Technician]:
    """The contractor's own active technicians, whom it may send."""
    contractor = await contractor_of(user)
    return await Technician.filter(contractor_id=contractor.id, active=True).order_by("name")


def _working(dossier: Dossier) -> None:
    if dossier.phase not in WORKING:
        raise Unprocessable(
            f"Opdracht {dossier.order_number} staat niet meer open voor u.", "phase"
        )


def _accepted(dossier: Dossier) -> None:
    _working(dossier)
    if dossier.contractor_accepted_at is None:
        raise Unprocessable("Accepteer de opdracht eerst.", "phase")


async def accept(user: User, dossier: Dossier, at: datetime | None = None) -> Dossier:
    """Accept the order; accepting it again changes nothing."""
    contractor = await contractor_of(user)
    _working(dossier)
    if dossier.contractor_accepted_at is not None:
        return dossier
    at = at or now()
    await dossiers._save(
        dossier,
        {"contractor_accepted_at": at},
        user,
        at,
        "opdracht_geaccepteerd",
        {"contractor": contractor.name},
    )
    await assignments.publish(dossier, "accepted", dossier.technician_id)  # type: ignore[attr-defined]
    return dossier


async def decline(user: User, dossier: Dossier, reason: str) -> Dossier:
    """Give the order back to the desk (the lifecycle wants a reason, and an order not yet
    planned): it is no longer the contractor's, nor its technician's."""
    await contractor_of(user)
    if dossier.phase == Phase.AFSPRAAK:
        raise Unprocessable(
            "Er staat al een afspraak met de huurder; bel de meldkamer om de opdracht terug te "
            "geven.",
            "phase",
        )
    _working(dossier)
    return await dossiers.transition(user, dossier, Phase.ANALYSEREN, {"reason": reason})


async def _own_technician(user: User, technician_id: int | None) -> Technician | None:
    if technician_id is None:
        return None
    contractor = await contractor_of(user)
    tech = await Technician.get_or_none(id=technician_id, contractor_id=contractor.id, active=True)
    if tech is None:
        raise Unprocessable(
            f"Monteur {technician_id} werkt niet (meer) voor {contractor.name}.", "technician_id"
        )
    return tech


async def plan(
    user: User,
    dossier: Dossier,
    start: datetime,
    end: datetime,
    technician_id: int | None = None,
    reason: str = "",
) -> Dossier:
    """Plan the appointment (or move a planned one); the tenant is told as when the desk
    plans. The lifecycle checks the times (server.domain.lifecycle.check_field_appointment)."""
    _accepted(dossier)
    tech = await _own_technician(user, technician_id)
    if dossier.phase == Phase.IN_UITVOERING:
        raise Unprocessable("Het werk is al begonnen; meld het gereed.", "phase")
    previous = dossier.technician_id  # type: ignore[attr-defined]
    data: dict[str, Any] = {"appointment_start": start, "appointment_end": end}
    if tech is not None:
        data["technician_id"] = tech.id
    if dossier.phase == Phase.AFSPRAAK:
        check_field_appointment(start, end, now())
        if end <= start:
            raise Unprocessable("De eindtijd moet na de begintijd liggen.", "appointment_end")
        return await assignments.move_planned(
            user, dossier, tech.id if tech else None, start, end, reason
        )
    await dossiers.transition(user, dossier, Phase.AFSPRAAK, data)
    await assignments.publish(dossier, "appointment", previous)
    return dossier


async def assign(user: User, dossier: Dossier, technician_id: int | None) -> Dossier:
    """Send one of the contractor's own technicians: the job is on his app at once."""
    contractor = await contractor_of(user)
    _accepted(dossier)
    if dossier.phase == Phase.IN_UITVOERING:
        raise Unprocessable("Het werk is al begonnen.", "phase")
    tech = await _own_technician(user, technician_id)
    if tech is None:
        raise Unprocessable("Kies een monteur.", "technician_id")
    previous = dossier.technician_id  # type: ignore[attr-defined]
    if previous == tech.id:
        return dossier
    at = now()
    await dossiers._save(
        dossier,
        {"technician_id": tech.id},
        user,
        at,
        "aannemer_monteur",
        {"technician": tech.name, "contractor": contractor.name},
    )
    await assignments.publish(dossier, "assigned", previous)
    return dossier


@dataclass(frozen=True)
class Done:
    """What the contractor reports: the result (a field result code) and the werkbon as the
    technician app sends it (cause, work_done, materials, minutes)."""

    result_code: str
    werkbon: dict[str, Any]


async def report_done(
    user: User, dossier: Dossier, done: Done, pictures: list[tuple[str, bytes]]
) -> Dossier:
    """Done, with the werkbon and photos: everything is checked and the photos stored before
    the dossier changes; then on site (when it was not yet), the werkbon, the photos, done,
    in that order on the timeline, as the technician app would."""
    _accepted(dossier)
    code, values = close_fields({"result_code": done.result_code, "werkbon": done.werkbon})
    if values is None:
        raise Unprocessable("Vul de werkbon in.", "werkbon")
    if len(pictures) > MAX_PHOTOS:
        raise Unprocessable(f"Hoogstens {MAX_PHOTOS} foto's per gereedmelding.", "photos")
    stored = [(name, await _store(name, data)) for name, data in pictures]
    if dossier.phase != Phase.IN_UITVOERING:
        await dossiers.transition(user, dossier, Phase.IN_UITVOERING, {})
    at = now()
    technician_id = dossier.technician_id  # type: ignore[attr-defined]
    technician = await Technician.get_or_none(id=technician_id) if technician_id else None
    await werkbons.store(
        dossier,
        user,
        technician,
        f"portaal-{uuid.uuid4().hex}",
        values,
        reported_at=at,
        created_at=at,
    )
    await dossier_live.changed(dossier, "werkbon")
    for _, photo in stored:
        await _attach(user, dossier, photo, at)
    await dossiers.transition(user, dossier, Phase.AFGEROND, {"result_code": code})
    return dossier


async def _store(name: str, data: bytes) -> StoredPhoto:
    photos.check_size(len(data))
    try:
        return await store_async(settings.MEDIA_ROOT, data)
    except PhotoError as exc:
        raise Unprocessable(f"Foto '{name[:80]}': {exc.message}", "photos") from None


async def _attach(user: User, dossier: Dossier, stored: StoredPhoto, at: datetime) -> None:
    photo = await Photo.create(
        dossier=dossier,
        key=stored.key,
        client_id=f"portaal-{uuid.uuid4().hex}",
        uploaded_by=user,
        width=stored.width,
        height=stored.height,
        attached_at=at,
        created_at=at,
    )
    await events.record(dossier, "foto", user, at, key=photo.key, caption="")
    await dossier_live.changed(dossier, "foto")
