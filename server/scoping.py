"""The one place that decides which rows a user may see.

Every query for dossiers, clients or addresses on behalf of a user starts here; a row outside
the scope is reported as not found, so its existence is not revealed.
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from server import db
from server.domain.errors import NotFound
from server.domain.roles import DESK_ROLES, Role
from server.models import Address, Client, Contact, Dossier, User


def dossiers(user: User) -> QuerySet[Dossier]:
    qs = Dossier.all()
    if user.role in DESK_ROLES:
        return qs
    if user.role == Role.CLIENT:
        return qs.filter(client_id=user.client_id)  # type: ignore[attr-defined]
    if user.role == Role.TECHNICIAN:
        return qs.filter(technician__user_id=user.id)
    if user.role == Role.CONTRACTOR and user.contractor_id is not None:  # type: ignore[attr-defined]
        # The orders sent to its contractor; one given back or sent elsewhere is gone.
        return qs.filter(contractor_id=user.contractor_id)  # type: ignore[attr-defined]
    return qs.filter(id__in=[])  # no rows: an unknown role sees nothing


def contacts(user: User) -> QuerySet[Contact]:
    """The desk sees every contact; a client's user only those taken in its name."""
    if user.role in DESK_ROLES:
        return Contact.all()
    if user.role == Role.CLIENT:
        return Contact.filter(client_id=user.client_id)  # type: ignore[attr-defined]
    return Contact.filter(id__in=[])


def clients(user: User) -> QuerySet[Client]:
    if user.role in DESK_ROLES:
        return Client.all()
    if user.role == Role.CLIENT:
        return Client.filter(id=user.client_id)  # type: ignore[attr-defined]
    return Client.filter(id__in=[])


def addresses(user: User) -> QuerySet[Address]:
    if user.role in DESK_ROLES:
        return Address.all()
    if user.role == Role.CLIENT:
        return Address.filter(client_id=user.client_id)  # type: ignore[attr-defined]
    return Address.filter(id__in=[])


async def sees_dossier(user: User, dossier_id: int) -> bool:
    return await dossiers(user).filter(id=dossier_id).exists()


async def sees_client(user: User, client_id: int) -> bool:
    return await clients(user).filter(id=client_id).exists()


def key(raw: str, max_length: int) -> str | None:
    """`raw` as a stored code or number is spelled (upper case), or None when it is too long
    to be one: upper-casing can lengthen text ('ß' becomes 'SS'), and the ORM refuses a value
    longer than its column even in a lookup."""
    value = raw.strip().upper()
    return value if len(value) <= max_length else None


# The longest order number and client code the columns hold.
ORDER_NUMBER_MAX = 20
CLIENT_CODE_MAX = 20


async def dossier(user: User, order_number: str) -> Dossier:
    number = key(order_number, ORDER_NUMBER_MAX)
    found = None if number is None else await dossiers(user).get_or_none(order_number=number)
    if found is None:
        raise NotFound(f"Dossier '{order_number}' niet gevonden.", "order_number")
    return found


def _by_code(code: str) -> QuerySet[Client]:
    return Client.filter(code=code).limit(1)


async def client(user: User, code: str) -> Client:
    value = key(code, CLIENT_CODE_MAX)
    if value is None:
        found = None
    elif user.role in DESK_ROLES:  # every intake: the SQL built once (server.db.prepared)
        found = next(iter(await db.prepared("client-by-code", _by_code, value)), None)
    else:
        found = await clients(user).get_or_none(code=value)
    if found is None:
        raise NotFound(f"Opdrachtgever '{code}' niet gevonden.", "client")
    return found
