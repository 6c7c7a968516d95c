"""Which dossiers a technician may write to from the field.

His current jobs, and jobs that were delivered to his devices and taken away since: what he
did on those while offline must still land in the dossier (never lost). Anything else is not
his, and is answered as if it did not exist.
"""

from __future__ import annotations

from typing import Literal

from tortoise.queryset import QuerySet

from server import db, scoping
from server.domain.errors import NotFound
from server.fieldwork import changefeed
from server.models import Dossier, Technician, User
from sync.text import storable

ORDER_NUMBER_LENGTH = Dossier._meta.fields_map["order_number"].max_length  # type: ignore[attr-defined]


def _technician(user_id: int) -> QuerySet[Technician]:
    return Technician.filter(user_id=user_id).limit(1)


def _job(order_number: str) -> QuerySet[Dossier]:
    # With its client: the messages a move sends and the dashboards' notice need it.
    return Dossier.filter(order_number=order_number).select_related("client").limit(1)


async def technician_of(user: User) -> Technician | None:
    if user.role != "technician":
        return None
    # Every sync request and every job he writes to (the SQL built once: server.db.prepared).
    found = await db.prepared("technician-of-user", _technician, user.id)
    return found[0] if found else None


async def writable(
    user: User, order_number: str, technician: Technician | None | Literal[False] = False
) -> Dossier:
    """The dossier if the user's field work may be stored on it, else NotFound.

    `technician`: the user's technician row when the caller has read it already."""
    number = scoping.key(order_number, scoping.ORDER_NUMBER_MAX)
    if technician is False:
        technician = await technician_of(user)
    could_be = number is not None and _could_be(number)
    found = await db.prepared("writable-job", _job, number) if could_be else []
    dossier = found[0] if found else None
    if technician is None or dossier is None:
        raise NotFound(f"Opdracht '{order_number}' niet gevonden.", "job")
    if dossier.technician_id == technician.id:  # type: ignore[attr-defined]
        return dossier
    if await changefeed.delivered(user, dossier.id):
        return dossier
    raise NotFound(f"Opdracht '{order_number}' niet gevonden.", "job")


def _could_be(number: str) -> bool:
    """Whether `number` could name a dossier: a longer one fails the column's length check, a
    NUL (from a URL) fails PostgreSQL's text; neither is an error, only not found."""
    return 0 < len(number) <= ORDER_NUMBER_LENGTH and storable(number) == number


def is_current(dossier: Dossier, technician: Technician) -> bool:
    assigned: int | None = dossier.technician_id  # type: ignore[attr-defined]
    return assigned == technician.id
