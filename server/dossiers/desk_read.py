"""The one read of a desk intake: the client by its code, the address in its housing stock and
which of its protocol versions is the newest, in a single statement.

Every intake the desk sends needs all three before anything is decided. Read one by one they
were three round trips through the pool, each costing the app more CPU than PostgreSQL spends
answering it (docs/performance.md, seventh pass). Nothing is kept between intakes: each reads
the database, so a client deactivated, an address added or a protocol published counts for
the next intake in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server import db
from server.models import Address, Client
from server.protocols.protocols import PUBLISHED


@dataclass(frozen=True)
class Found:
    client: Client
    address: Address | None  # None: not in the client's stock
    protocol: tuple[int, str] | None  # the newest published version's id and checksum


def _columns(model: type[Any]) -> list[str]:
    return list(model._meta.db_fields)


_CLIENT = _columns(Client)
_ADDRESS = _columns(Address)


def _sql(marks: list[str]) -> str:
    status, status_again, postcode, number, suffix, code = marks

    def newest(column: str, status: str) -> str:
        return (
            f'(SELECT p."{column}" FROM "protocol_version" p WHERE p."client_id" = c."id" '
            f'AND p."status" = {status} ORDER BY p."version" DESC LIMIT 1) AS "p.{column}"'
        )

    client = ", ".join(f'c."{name}" AS "{name}"' for name in _CLIENT)
    address = ", ".join(f'a."{name}" AS "a.{name}"' for name in _ADDRESS)
    return (
        f"SELECT {client}, {address}, {newest('id', status)}, "
        f"{newest('checksum', status_again)} "
        'FROM "client" c LEFT JOIN "address" a ON a."client_id" = c."id" '
        f'AND a."postcode" = {postcode} AND a."house_number" = {number} '
        f'AND a."suffix" = {suffix} WHERE c."code" = {code} LIMIT 1'
    )


async def find(code: str, postcode: str, number: int, suffix: str) -> Found | None:
    """The client with code `code` (already spelled as stored), its address at `postcode`
    `number` `suffix` if in its stock, and its newest protocol version; None: no such client."""
    rows = await db.fetch(_sql, [PUBLISHED, PUBLISHED, postcode, number, suffix, code])
    if not rows:
        return None
    row = rows[0]
    client = Client._init_from_db(**{name: row[name] for name in _CLIENT})
    address = None
    if row["a.id"] is not None:
        address = Address._init_from_db(**{name: row[f"a.{name}"] for name in _ADDRESS})
    protocol = None if row["p.id"] is None else (int(row["p.id"]), str(row["p.checksum"]))
    return Found(client, address, protocol)
