"""The one read of a desk intake: the client by its code, the address in its housing stock and
which of its protocol versions is the newest, in a single statement; for an intake a program
posts with a bearer token, the token with its user too.

Every intake the desk sends needs all of these before anything is decided. Read one by one
they were four round trips through the pool, each costing the app more CPU than PostgreSQL
spends answering it (docs/performance.md, seventh pass). Nothing is kept between intakes: each
reads the database, so a token revoked, a client renamed, an address added or a protocol
published counts for the next intake in every process. On PostgreSQL the reads of concurrent
intakes of a process go together, one statement for all of them (`_read_many`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from server import db
from server.batches import Batches
from server.models import Address, ApiToken, Client, User
from server.protocols.protocols import PUBLISHED


@dataclass(frozen=True)
class Found:
    client: Client
    address: Address | None  # None: not in the client's stock
    protocol: tuple[int, str] | None  # the newest published version's id and checksum


# (alias, model) of each row the read joins, in the order they are selected.
_TOKEN = ("t", ApiToken)
_USER = ("u", User)
_USERS_CLIENT = ("uc", Client)
_CLIENT = ("c", Client)
_ADDRESS = ("a", Address)


def _columns(model: type[Any]) -> list[str]:
    # Known once the ORM is set up (it adds the foreign keys' columns then), not at import.
    return list(model._meta.db_fields)


def _select(alias: str, columns: list[str]) -> str:
    return ", ".join(f'{alias}."{name}" AS "{alias}.{name}"' for name in columns)


def _newest(column: str, status: str) -> str:
    return (
        f'(SELECT p."{column}" FROM "protocol_version" p WHERE p."client_id" = c."id" '
        f'AND p."status" = {status} ORDER BY p."version" DESC LIMIT 1) AS "p.{column}"'
    )


def _selected(parts: list[tuple[str, type[Any]]], status: str, status_again: str) -> str:
    columns = ", ".join(_select(alias, _columns(model)) for alias, model in parts)
    return f"{columns}, {_newest('id', status)}, {_newest('checksum', status_again)}"


def _joins(token: str | None, code: str, postcode: str, number: str, suffix: str) -> str:
    """What the read joins to its FROM, each argument the SQL of a value: with a token, the
    token, its user and his client; the client by its code and the address in its stock.
    Token and client are found independently: either may be missing."""
    token_join = (
        f'LEFT JOIN "api_token" t ON t."token_hash" = {token} '
        'LEFT JOIN "user" u ON u."id" = t."user_id" '
        'LEFT JOIN "client" uc ON uc."id" = u."client_id" '
        if token is not None
        else ""
    )
    return (
        f'{token_join}LEFT JOIN "client" c ON c."code" = {code} '
        'LEFT JOIN "address" a ON a."client_id" = c."id" '
        f'AND a."postcode" = {postcode} AND a."house_number" = {number} '
        f'AND a."suffix" = {suffix}'
    )


@cache  # one text per dialect's markers; built after the ORM is set up (`_columns`)
def _sql(with_token: bool, markers: tuple[str, ...]) -> str:
    """Parameters in the order they appear (SQLite's markers are positional): the status
    twice, the token's hash (with a token), the client's code, postcode, number, suffix."""
    marks = list(markers)
    status, status_again = marks.pop(0), marks.pop(0)
    token = marks.pop(0) if with_token else None
    code, postcode, number, suffix = marks
    rows = [_TOKEN, _USER, _USERS_CLIENT] if with_token else []
    return (
        f"SELECT {_selected([*rows, _CLIENT, _ADDRESS], status, status_again)} "
        f'FROM (SELECT 1 AS "one") one {_joins(token, code, postcode, number, suffix)} LIMIT 1'
    )


def _sql_without_token(marks: list[str]) -> str:
    return _sql(False, tuple(marks))


def _sql_with_token(marks: list[str]) -> str:
    return _sql(True, tuple(marks))


def _row(part: tuple[str, type[Any]], row: Mapping[str, Any]) -> Any:
    alias, model = part
    if row[f"{alias}.id"] is None:
        return None
    return model._init_from_db(**{name: row[f"{alias}.{name}"] for name in _columns(model)})


def _found(row: Mapping[str, Any]) -> Found | None:
    client = _row(_CLIENT, row)
    if client is None:
        return None
    protocol = None if row["p.id"] is None else (int(row["p.id"]), str(row["p.checksum"]))
    return Found(client, _row(_ADDRESS, row), protocol)


# The same read for many intakes at once (PostgreSQL, outside a transaction): concurrent
# requests of a process queue their keys and one statement answers them all, a row per key,
# so the five-table plan is set up once per batch instead of once per intake.
BATCH = 50


@cache
def _sql_many(markers: tuple[str, ...]) -> str:
    """Parameters: the status twice, then one array each of token hashes (NULL: none), client
    codes, postcodes, numbers and suffixes; a row per position, numbered from 1 as "k.n"."""
    status, status_again, tokens, codes, postcodes, numbers, suffixes = markers
    parts = [_TOKEN, _USER, _USERS_CLIENT, _CLIENT, _ADDRESS]
    keys = ('k."token"', 'k."code"', 'k."postcode"', 'k."number"', 'k."suffix"')
    return (
        f'SELECT k."n" AS "k.n", {_selected(parts, status, status_again)} '
        f"FROM unnest({tokens}::text[], {codes}::text[], {postcodes}::text[], "
        f"{numbers}::bigint[], {suffixes}::text[]) "
        'WITH ORDINALITY AS k("token", "code", "postcode", "number", "suffix", "n") '
        f"{_joins(*keys)}"
    )


def _sql_many_from(marks: list[str]) -> str:
    return _sql_many(tuple(marks))


Key = tuple[str | None, str, str, int, str]  # token hash, code, postcode, number, suffix


async def _read_many(keys: list[Key]) -> list[Mapping[str, Any] | Exception]:
    arrays = [list(column) for column in zip(*keys, strict=True)]
    try:
        rows = await db.fetch(_sql_many_from, [PUBLISHED, PUBLISHED, *arrays])
    except Exception as error:
        if len(keys) == 1:
            return [error]
        # One by one, so a key the database refuses fails only its own intake.
        return [(await _read_many([key]))[0] for key in keys]
    found: dict[int, Mapping[str, Any]] = {}
    for row in rows:
        found.setdefault(int(row["k.n"]), row)  # unique keys: one row each
    return [found[n] for n in range(1, len(keys) + 1)]


_reads: Batches[Key, Mapping[str, Any]] = Batches(_read_many, BATCH)


async def _read(key: Key) -> Mapping[str, Any]:
    conn = db.connection()
    if db.dialect(conn) == "postgres" and getattr(conn, "_pool", None) is not None:
        return await _reads.submit(key)
    # SQLite, or inside a transaction, which must see its own writes: a read of its own.
    token, *rest = key
    if token is None:
        rows = await db.fetch(_sql_without_token, [PUBLISHED, PUBLISHED, *rest])
    else:
        rows = await db.fetch(_sql_with_token, [PUBLISHED, PUBLISHED, token, *rest])
    row: Mapping[str, Any] = rows[0]
    return row


async def find(code: str, postcode: str, number: int, suffix: str) -> Found | None:
    """The client with code `code` (already spelled as stored), its address at `postcode`
    `number` `suffix` if in its stock, and its newest protocol version; None: no such client."""
    return _found(await _read((None, code, postcode, number, suffix)))


async def find_with_token(
    token_hash: str, code: str, postcode: str, number: int, suffix: str
) -> tuple[ApiToken | None, Found | None]:
    """`find`, and the token stored as `token_hash` with its user and his client joined in
    (as `server.auth.tokens.user_for` reads it); None for what is not there."""
    row = await _read((token_hash, code, postcode, number, suffix))
    token = _row(_TOKEN, row)
    if token is not None:
        user = _row(_USER, row)
        object.__setattr__(user, "_client", _row(_USERS_CLIENT, row))  # as select_related does
        object.__setattr__(token, "_user", user)
    return token, _found(row)
