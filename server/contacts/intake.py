"""A dossier made at the desk is made inside a contact: the call the agent is on, or a contact
started for it. Dossier and link commit together, so a desk-made dossier never lacks one.

Integrations' API intake and clients' own reports have no contact at the meldkamer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from server.contacts import contacts
from server.domain.calls import CONTACT_CHANNEL_OF_DOSSIER
from server.dossiers import intake
from server.dossiers.dossiers import DossierInput
from server.models import Contact, Dossier, User
from server.protocols.triage import TriageInput


async def create(
    user: User,
    data: DossierInput,
    answers: TriageInput | None,
    contact_id: object | None,
    started: datetime | None = None,
) -> tuple[Dossier, Contact]:
    """The dossier, made in contact `contact_id` (one the user may see), or in a contact
    started by hand at `started` (when the intake form was opened) when there is none."""
    contacts.require_desk(user)
    given = await contacts.get(user, contact_id) if contact_id not in (None, "") else None
    at = datetime.now(UTC)
    made: list[Contact] = []

    async def inside(dossier: Dossier, conn: BaseDBAsyncClient) -> None:
        contact = given or await contacts.start_by_hand(
            user,
            dossier,
            CONTACT_CHANNEL_OF_DOSSIER.get(dossier.channel, "telefoon_in"),
            started,
            at,
            conn,
        )
        await contacts.made_dossier(user, contact, dossier, at, conn)
        made.append(contact)

    dossier = await intake.create(user, data, answers, inside=inside)
    contact = await Contact.get(id=made[0].id)
    await contacts.committed(contact, "dossier")
    return dossier, contact
