"""Intake with triage: a new dossier and its triage stored together, or neither."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from server import live
from server.communication import communication
from server.dispatch import suggestions
from server.domain.codes import CATEGORY_LABELS
from server.domain.errors import Forbidden
from server.domain.roles import DESK_ROLES
from server.dossiers import dossiers
from server.dossiers.dossiers import DossierInput
from server.housing import geocoding
from server.models import Dossier, User
from server.protocols import triage
from server.protocols.triage import TriageInput

# Work that must commit with the new dossier or not at all (the desk's contact it is made in).
Inside = Callable[[Dossier, BaseDBAsyncClient], Awaitable[None]]


async def create(
    user: User,
    data: DossierInput,
    answers: TriageInput | None = None,
    at: datetime | None = None,
    *,
    inside: Inside | None = None,
) -> Dossier:
    """Create the dossier; with `answers`, triage it in the same transaction, and `inside`
    runs in that transaction too.

    A wrong or unfinished answer refuses the whole intake: the transaction is rolled back,
    order number included (the counter is part of it).
    """
    dossier = await _create(user, data, answers, at, inside)
    # After the commit, so the job finds the dossier; it never holds up or fails the intake.
    await geocoding.schedule(dossier)
    await live.publish("board", "created", {"order_number": dossier.order_number})
    await suggestions.auto_assign(user, dossier)
    if at is None:  # a backdated intake is history: nobody is told again
        await communication.safely(communication.dossier_received(dossier))
        await communication.safely(communication.send_client_notifications(dossier=dossier))
    return dossier


async def _create(
    user: User,
    data: DossierInput,
    answers: TriageInput | None,
    at: datetime | None,
    inside: Inside | None,
) -> Dossier:
    if answers is None and inside is None:
        return await dossiers.create(user, data, at)
    if answers is not None and user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer legt de triage van een dossier vast.")
    at = at or datetime.now(UTC)
    async with in_transaction() as conn:
        if answers is None:
            dossier = await dossiers.create(user, data, at)
        else:
            subject = answers.subject.strip()
            category = subject if subject in CATEGORY_LABELS else (data.category or "overig")
            dossier = await dossiers.create(user, replace(data, category=category), at)
            await dossier.fetch_related("client", "address")
            decision = await triage.decide(
                dossier.client, replace(answers, at=answers.at or at), dossier.address
            )
            await triage.record(user, dossier, decision, at)
        if inside is not None:
            await inside(dossier, conn)
    return dossier
