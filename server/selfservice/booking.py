"""The slots a tenant may pick online and booking the one picked: the desk's slot search
(server/dispatch/appointment_slots.py) for the report as it will be stored, within its urgency
deadline. A slot is checked again just before it is booked; one taken meanwhile is refused
with the fresh choice, and the report waits (nothing is lost)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server.dispatch import appointment_slots, assignments
from server.domain.codes import TriageAction, Urgency
from server.domain.slots import Slot
from server.models import Address, Client, Dossier
from server.protocols import triage
from server.protocols.triage import Decision

# Times offered to the tenant, earliest first.
OFFERED = 6
# Outcomes whose work a technician does by appointment.
BOOKABLE = frozenset({TriageAction.OPDRACHT_24U, TriageAction.SPOEDOPDRACHT})


@dataclass(frozen=True)
class Offer:
    technician_id: int
    start: datetime
    end: datetime

    @property
    def value(self) -> str:
        """The choice as the form posts it (checked against the search again when booked)."""
        return f"{self.technician_id}|{self.start.isoformat()}|{self.end.isoformat()}"

    @classmethod
    def parse(cls, raw: str) -> Offer | None:
        parts = raw.split("|")
        if len(parts) != 3 or not parts[0].isascii() or not parts[0].isdigit():
            return None
        try:
            start, end = (datetime.fromisoformat(p) for p in parts[1:])
        except ValueError:
            return None
        if start.tzinfo is None or end.tzinfo is None or len(parts[0]) > 9:
            return None
        return cls(int(parts[0]), start, end)


def bookable(decision: Decision) -> bool:
    """An outcome the tenant may book a slot for: work by a technician, not acuut."""
    outcome = decision.evaluation.outcome
    return (
        outcome is not None
        and outcome.urgency is not Urgency.ACUUT
        and outcome.action in BOOKABLE
        and bool(outcome.trade)
    )


def job(client: Client, address: Address, decision: Decision, now: datetime) -> Dossier:
    """The report as the slot search sees it, before it is stored."""
    outcome = triage.require_complete(decision)
    dossier = Dossier(
        order_number="online",
        client_id=client.id,
        postcode=address.postcode,
        latitude=address.latitude,
        longitude=address.longitude,
        trade=outcome.trade,
        urgency=outcome.urgency.value if outcome.urgency else None,
        labour_minutes=outcome.labour_minutes,
        created_at=now,
    )
    dossier.deadline_at = triage.deadline(dossier, client, outcome, decision.evaluation)
    return dossier


async def offers(work: Dossier, now: datetime) -> list[Offer]:
    """The earliest free times, one per start (the tenant picks a time, not a technician)."""
    found: list[Offer] = []
    seen: set[datetime] = set()
    for slot in await appointment_slots.free_slots(work, now=now, limit=OFFERED * 3):
        if slot.start in seen:
            continue
        seen.add(slot.start)
        found.append(Offer(slot.technician_id, slot.start, slot.end))
    return sorted(found, key=lambda o: o.start)[:OFFERED]


async def still_free(work: Dossier, offer: Offer, now: datetime) -> bool:
    slots: list[Slot] = await appointment_slots.free_slots(
        work, technician_id=offer.technician_id, now=now, limit=50
    )
    return any(s.start == offer.start and s.end == offer.end for s in slots)


async def book(dossier: Dossier, offer: Offer) -> Dossier:
    return await assignments.book(
        None, dossier, offer.technician_id, offer.start, offer.end, check_role=False
    )
