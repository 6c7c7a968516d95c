"""Recording VERA messages for a dossier's integrations, when something happens to it.

A message is built once, when it is recorded, and kept as built: every try sends the same body
under the same message id (X-Stuurgegevens-Referentienummer). Its unique `key` makes recording
the same moment twice a no-op. Recorded inside the caller's work, sent after by the job
(server/chain/delivery.py); the dossier timeline shows it waiting, sent or refused.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server import settings
from server.chain import vera_messages as vm
from server.dossiers import events
from server.jobs import queue as jobs
from server.models import Address, ChainMessage, Client, Dossier, Integration, Photo

log = logging.getLogger("meldkamer.chain")
ORDER, REQUEST, APPOINTMENT = "onderhoudsorder", "onderhoudsverzoek", "afspraak"
MESSAGE_KINDS = {
    REQUEST: "Onderhoudsverzoek (aan opdrachtgever)",
    ORDER: "Onderhoudsorder (aan aannemer)",
    APPOINTMENT: "Afspraak",
}
# The phase a dossier has when the contractor's order is sent.
ASSIGNED = "doorgezet_naar_monteur"


def now() -> datetime:
    return datetime.now(UTC)


def photo_url(photo_id: int) -> str:
    """Where the receiver fetches a photo, with its own key (server/web/api/vera.py)."""
    return f"{settings.BASE_URL}/api/vera/v4/fotos/{photo_id}"


async def snapshot(dossier: Dossier) -> vm.Snapshot:
    bag_id = None
    if dossier.address_id is not None:  # type: ignore[attr-defined]
        address = await Address.get_or_none(id=dossier.address_id)  # type: ignore[attr-defined]
        bag_id = address.bag_id if address else None
    photos = await Photo.filter(dossier_id=dossier.id).order_by("id")
    return vm.Snapshot(
        order_number=dossier.order_number,
        description=dossier.description,
        created_at=dossier.created_at,
        urgency=dossier.urgency,
        trade=dossier.trade,
        labour_minutes=dossier.labour_minutes,
        deadline_at=dossier.deadline_at,
        outcome=dict((dossier.triage or {}).get("outcome") or {}),
        street=dossier.street,
        house_number=dossier.house_number,
        suffix=dossier.suffix,
        postcode=dossier.postcode,
        city=dossier.city,
        bag_id=bag_id,
        contact_name=dossier.contact_name,
        contact_phone=dossier.contact_phone,
        contact_email=dossier.contact_email,
        appointment_start=dossier.appointment_start,
        appointment_end=dossier.appointment_end,
        photos=tuple(vm.Photo(p.id, p.caption, photo_url(p.id)) for p in photos),
    )


async def _integrations(dossier: Dossier, kind: str) -> list[Integration]:
    """The switched-on integrations that take this kind of message for this dossier: the
    contractor's for its order, the client's for the request, either for appointments."""
    found: list[Integration] = []
    contractor_id = dossier.contractor_id  # type: ignore[attr-defined]
    client_id = dossier.client_id  # type: ignore[attr-defined]
    if kind in (ORDER, APPOINTMENT) and contractor_id is not None:
        found += await Integration.filter(contractor_id=contractor_id, active=True).order_by("id")
    if kind in (REQUEST, APPOINTMENT):
        found += await Integration.filter(client_id=client_id, active=True).order_by("id")
    return [i for i in found if kind in i.messages]


async def _has_base(integration: Integration, dossier: Dossier) -> bool:
    """An appointment follows only an order or request this integration already has."""
    return await ChainMessage.filter(
        integration_id=integration.id, dossier_id=dossier.id, kind__in=(ORDER, REQUEST)
    ).exists()


async def record(
    dossier: Dossier, kind: str, key: str, at: datetime | None = None, *, cancel: bool = False
) -> list[ChainMessage]:
    """Store the message for every integration that takes it, and start sending. `cancel`:
    the order, request or appointment no longer stands (only to those that have it)."""
    at = at or now()
    rows: list[ChainMessage] = []
    integrations = await _integrations(dossier, kind)
    if not integrations:
        return rows
    snap = await snapshot(dossier)
    for integration in integrations:
        if (kind == APPOINTMENT or cancel) and not await _has_base(integration, dossier):
            continue
        method, path, body = _cancelled(kind, snap) if cancel else _message(kind, snap, at)
        row_key = f"{integration.id}:{key}"[:120]
        if await ChainMessage.exists(key=row_key):
            continue
        try:
            async with in_transaction():
                row = await ChainMessage.create(
                    integration=integration,
                    dossier=dossier,
                    key=row_key,
                    message_id=str(uuid.uuid4()),
                    kind=kind,
                    method=method,
                    path=path,
                    body=body,
                    deliver_after=at,
                    created_at=at,
                )
        except IntegrityError:  # recorded at the same moment by another process
            continue
        await events.record(
            dossier, "keten", None, at, **event_data(row, integration.name, "wachtrij")
        )
        rows.append(row)
    for row in rows:
        await start(row)
    return rows


def _cancelled(kind: str, snap: vm.Snapshot) -> tuple[str, str, dict[str, object]]:
    number = snap.order_number
    if kind == ORDER:
        return "PATCH", f"/onderhoudsorders/{number}", vm.status_update(snap, "GEA")
    if kind == REQUEST:
        return "PATCH", f"/onderhoudsverzoeken/{number}", vm.request_status(snap, "GEA")
    return "PATCH", f"/afspraken/{number}-A", vm.afspraak_cancelled(snap)


def _message(kind: str, snap: vm.Snapshot, at: datetime) -> tuple[str, str, dict[str, object]]:
    if kind == ORDER:
        return "POST", "/onderhoudsorders", vm.onderhoudsorder(snap, at)
    if kind == REQUEST:
        return "POST", "/onderhoudsverzoeken", vm.onderhoudsverzoek(snap)
    return "POST", "/afspraken", vm.afspraak(snap)


def event_data(row: ChainMessage, integration: str, status: str, **more: Any) -> dict[str, Any]:
    """What the timeline shows of a chain message (server/dossiers/events.py 'keten')."""
    return {
        "message_id": row.message_id,
        "message": row.kind,
        "label": MESSAGE_KINDS.get(row.kind, row.kind),
        "integration": integration,
        "status": status,
        **{k: v for k, v in more.items() if v not in (None, "")},
    }


async def start(row: ChainMessage) -> None:
    try:
        await jobs.enqueue(
            "send_chain_message",
            row.id,
            job_id=f"chain:{row.id}:{row.attempts}",
            defer_until=row.deliver_after if row.deliver_after > now() else None,
        )
    except Exception:  # stored: the sweep sends it
        log.exception("chain message %s could not be started", row.id)


async def after_transition(dossier: Dossier, source: str) -> None:
    """The desk assigned, planned or cancelled: tell the systems concerned."""
    version = f"{dossier.order_number}:v{dossier.version}"
    contractor_id = dossier.contractor_id  # type: ignore[attr-defined]
    if source == "afspraak_ingepland" and dossier.phase in (ASSIGNED, "geannuleerd"):
        await record(dossier, APPOINTMENT, f"{version}:afspraak-vervalt", cancel=True)
    if dossier.phase == ASSIGNED and contractor_id is not None:
        await record(dossier, ORDER, f"{dossier.order_number}:order:{contractor_id}")
    elif dossier.phase == "afspraak_ingepland" and dossier.appointment_start is not None:
        await record(dossier, APPOINTMENT, f"{version}:afspraak")
    elif dossier.phase == "geannuleerd":
        await record(dossier, ORDER, f"{version}:order-vervalt", cancel=True)
        await record(dossier, REQUEST, f"{version}:verzoek-vervalt", cancel=True)


async def after_intake(dossier: Dossier) -> bool:
    """A new dossier: its client's system gets the repair request (never fails the intake).
    The client's flag (server/chain/integrations.py) spares the query for clients without one."""
    client = getattr(dossier, "client", None)
    if isinstance(client, Client) and not client.settings.get("vera_requests"):
        return False
    try:
        return bool(await record(dossier, REQUEST, f"{dossier.order_number}:verzoek"))
    except Exception:
        log.exception("chain request for %s not recorded", dossier.order_number)
        return False


async def after_appointment_moved(dossier: Dossier) -> None:
    if dossier.appointment_start is not None:
        await record(dossier, APPOINTMENT, f"{dossier.order_number}:v{dossier.version}:afspraak")
