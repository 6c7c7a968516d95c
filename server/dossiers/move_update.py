"""The UPDATE of a phase move, its SQL text kept per shape instead of built by the ORM.

Every move (a sync push makes two per visit) wrote `Dossier.filter(id, version).update(…)`
with a CASE for the first visit; building that query through the ORM cost more Python than
running it. Here the statement is written once per set of columns and dialect, its values
converted as the queryset converts them (each field's `to_db_value`), so the row ends as the
ORM's UPDATE would leave it: the compare-and-set on `version`, visits counted in the row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from server import db
from server.domain import kpis
from server.models import Dossier

_sql: dict[tuple[str, tuple[str, ...], str], str] = {}


def plain(changes: dict[str, Any]) -> bool:
    """Whether every change is a column written as a value (no relation object, no
    expression), as a move's plan gives them: all `update` writes."""
    meta = Dossier._meta
    return all(
        key in meta.fields_db_projection
        and not meta.fields_map[key].pk
        and not meta.fields_map[key].generated
        and not hasattr(value, "resolve")
        for key, value in changes.items()
    )


def _statement(conn: BaseDBAsyncClient, columns: tuple[str, ...], derive: str) -> str:
    meta = Dossier._meta
    count = len(columns) + (2 if derive == kpis.VISIT else 0) + 3
    marks = iter(db.placeholders(conn, count))
    sets = [f'"{meta.fields_db_projection[c]}" = {next(marks)}' for c in columns]
    if derive == kpis.VISIT:
        sets.append('"visits" = "visits" + 1')
        first, then = next(marks), next(marks)
        sets.append(
            f'"first_visit_at" = CASE WHEN "first_visit_at" IS NULL OR "first_visit_at" > '
            f'{first} THEN {then} ELSE "first_visit_at" END'
        )
    elif derive == kpis.REMOTE:
        sets.append('"remote_solved" = TRUE')
    sets.append('"version" = "version" + 1')
    sets.append(f'"updated_at" = {next(marks)}')
    where = f'WHERE "id" = {next(marks)} AND "version" = {next(marks)}'
    return f'UPDATE "{meta.db_table}" SET {", ".join(sets)} {where}'


async def update(
    conn: BaseDBAsyncClient,
    dossier: Dossier,
    changes: dict[str, Any],
    target: str,
    when: datetime,
    at: datetime,
) -> bool:
    """Write the move if the dossier is still at the version in hand (`plain` changes only):
    its columns, visits and first visit for an arrival, remote_solved for a remote solve, the
    version counted up, `updated_at`. False when someone else changed it first."""
    if not plain(changes):  # a move's plan names columns and values (domain.lifecycle)
        raise TypeError(f"not a plain column change: {sorted(changes)}")
    fields = Dossier._meta.fields_map
    columns = tuple(changes)
    derive = target if target in (kpis.VISIT, kpis.REMOTE) else ""
    key = (db.dialect(conn), columns, derive)
    sql = _sql.get(key)
    if sql is None:
        sql = _sql[key] = _statement(conn, columns, derive)
    values = [fields[c].to_db_value(changes[c], Dossier) for c in columns]
    if derive == kpis.VISIT:
        moment = fields["first_visit_at"].to_db_value(when, Dossier)
        values += [moment, moment]
    values += [fields["updated_at"].to_db_value(at, Dossier), dossier.id, dossier.version]
    updated, _ = await conn.execute_query(sql, values)
    return bool(updated)
