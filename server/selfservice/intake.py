"""The dossier a tenant's online report becomes: the desk's intake with triage, without a
login. Channel `web`, a contact of channel web with result 'opdracht', the same protocol
version and outcome the desk would have recorded, the tenant's photos, and (when asked for, and
always when acuut) the call-back flag the board shows. Stored in one transaction; sending and
the board's news follow the commit (server/dossiers/intake.py does the same for the desk)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from server import db, live
from server.communication import communication, message_log, notifications, outbox
from server.contacts import contact_live, contacts
from server.dispatch import suggestions
from server.domain.calls import ContactChannel, ContactState
from server.dossiers import dossiers, events
from server.dossiers.dossiers import DossierInput
from server.housing import geocoding
from server.insight import changes as changes_live
from server.models import Address, Client, Contact, Dossier, Photo
from server.protocols import triage
from server.protocols.triage import Decision

CALL_BACK = "terugbellen"
SOURCE = "web"


@dataclass(frozen=True)
class Report:
    """What the tenant gave online, checked."""

    client: Client
    address: Address
    name: str
    phone: str
    email: str
    description: str
    language: str
    photos: tuple[dict[str, object], ...] = ()
    call_back: bool = False
    # When the tenant began (the contact's start).
    started_at: datetime | None = None


async def create(report: Report, decision: Decision, at: datetime | None = None) -> Dossier:
    """Store the report as a triaged dossier, or raise and store nothing."""
    at = at or datetime.now(UTC)
    client = report.client
    data = DossierInput(
        client=client.code,
        address=dossiers.AddressInput(id=report.address.id),
        contact_name=report.name,
        contact_phone=report.phone,
        contact_email=report.email,
        channel="web",
        category=decision.evaluation.subject_id,
        description=report.description,
    )
    prepared = await dossiers.prepare_for(client, data)
    draft = Dossier(description=prepared.fields["description"], created_at=at, triage={})
    found = triage.recorded(None, decision, draft, at)
    deadline = found.changes["deadline_at"]
    columns = {
        **found.changes,
        "deadline_at": deadline.astimezone(UTC) if deadline else None,
        "language": report.language,
        "call_back_at": at if report.call_back else None,
    }
    async with changes_live.batch(), in_transaction() as conn:
        dossier = await dossiers.insert(None, prepared, at, conn, **columns)
        messages = communication.received_rows(dossier, client, at)
        await db.insert_all(conn, messages)
        for index, photo in enumerate(report.photos):
            await Photo.create(
                dossier=dossier,
                key=photo["key"],
                client_id=f"melden-{dossier.id}-{index}",
                width=photo.get("width") or 0,
                height=photo.get("height") or 0,
                caption="Van de huurder (online melding)",
                attached_at=at,
                created_at=at,
                using_db=conn,
            )
        await events.record_new(
            dossier,
            [
                (
                    "created",
                    None,
                    at,
                    {
                        **dossiers.created_event(dossier, prepared),
                        "photos": len(report.photos) or None,
                    },
                ),
                ("triage", None, at, found.event),
                *(
                    [(CALL_BACK, None, at, {"phone": report.phone or None})]
                    if report.call_back
                    else []
                ),
                *(
                    ("bericht", None, at, message_log.event_data(m, m.last_error))
                    for m in messages
                    if m.status != "wachtrij"
                ),
            ],
            conn,
        )
        if found.alert is not None:
            await notifications.on_call(dossier, client, found.alert, at, conn)
        contact = await Contact.create(
            client_id=client.id,
            channel=ContactChannel.WEB.value,
            source=SOURCE,
            caller=report.phone or report.email,
            caller_name=report.name,
            state=ContactState.IN_GESPREK.value,
            offered_at=report.started_at or at,
            answered_at=report.started_at or at,
            created_at=at,
            using_db=conn,
        )
        await contacts.made_dossier(None, contact, dossier, at, conn)
    await geocoding.schedule(dossier)
    await live.publish("board", "created", {"order_number": dossier.order_number})
    await suggestions.auto_assign(None, dossier)
    await communication.safely(outbox.start_new(messages, dossier, client, at))
    if found.alert is not None:
        await communication.safely(communication.send_client_notifications(dossier=dossier))
    await contact_live.changed(contact, "dossier")
    return dossier
