"""The change sequence technicians' devices pull from (sync_change), numbered in commit order.

Numbers come from the table's own sequence, but on PostgreSQL two transactions can take numbers
n and n+1 and commit the other way round; a device that read n+1 first would skip n for good.
So every insert first takes one transaction-scoped advisory lock, held until commit: writers of
changes commit one after another, in number order. SQLite serialises writers anyway.

Job changes are materialised when a device pulls (`refresh`): the current snapshot of each job
is compared with the last one recorded for that user, whatever path changed the dossier.

`prune` removes old changes nightly and records how far it went (sync_prune): a device whose
cursor lies below that horizon gets a full reset. The latest job/withdrawn change per user and
dossier is kept: it is what `refresh` compares with and how `delivered` knows a job was his.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from server import db
from server.fieldwork import technician_jobs
from server.models import ChangeLog, Dossier, SyncPrune, Technician, User

ADVISORY_KEY = 73_110_424  # any constant; names the change-sequence lock


async def append(
    conn: BaseDBAsyncClient,
    user_id: int,
    kind: str,
    dossier_id: int | None = None,
    at: datetime | None = None,
    **data: Any,
) -> ChangeLog:
    """Add a change inside the caller's transaction; call it last, just before commit."""
    if db.dialect(conn) == "postgres":
        await conn.execute_query(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})")
    return await ChangeLog.create(
        user_id=user_id,
        dossier_id=dossier_id,
        kind=kind,
        data=data,
        at=at or datetime.now(UTC),
        using_db=conn,
    )


async def head() -> int:
    """The highest change number given out, also when pruning removed every row."""
    row = await ChangeLog.all().annotate(top=Max("id")).first().values("top")
    return max(int(row["top"] or 0) if row else 0, await horizon())


async def horizon() -> int:
    """The highest change number pruning removed (0 when nothing was)."""
    row = await SyncPrune.all().annotate(top=Max("through_id")).first().values("top")
    return int(row["top"] or 0) if row else 0


STATE_KINDS = ("job", "withdrawn")


async def prune(days: int, now: datetime | None = None) -> int:
    """Remove changes older than `days` (0 keeps all); returns how many rows went."""
    if days <= 0:
        return 0
    now = now or datetime.now(UTC)
    row = (
        await ChangeLog.filter(at__lt=now - timedelta(days=days))
        .annotate(top=Max("id"))
        .first()
        .values("top")
    )
    through = int(row["top"] or 0) if row else 0
    if through <= await horizon():
        return 0
    latest = (
        ChangeLog.filter(kind__in=STATE_KINDS)
        .group_by("user_id", "dossier_id")
        .annotate(top=Max("id"))
        .values("top")
    )
    async with in_transaction() as conn:
        deleted = (
            await ChangeLog.filter(id__lte=through)
            .exclude(id__in=Subquery(latest))
            .using_db(conn)
            .delete()
        )
        await SyncPrune.create(through_id=through, deleted=deleted, at=now, using_db=conn)
    return deleted


async def since(user: User, after: int, limit: int) -> list[ChangeLog]:
    return await ChangeLog.filter(user_id=user.id, id__gt=after).order_by("id").limit(limit)


async def delivered(user: User, dossier_id: int) -> bool:
    """True when this dossier was ever sent to the user's devices as one of his jobs."""
    return await ChangeLog.filter(
        user_id=user.id, dossier_id=dossier_id, kind__in=STATE_KINDS
    ).exists()


async def refresh(user: User, technician: Technician, now: datetime) -> None:
    """Append a `job` change for every job whose snapshot changed, `withdrawn` for lost ones."""
    jobs = await technician_jobs.current(technician, now)
    snaps = {d.id: s for d, s in zip(jobs, await technician_jobs.snapshots(jobs), strict=True)}
    last = await _last_per_dossier(user)
    additions: list[tuple[str, int, dict[str, Any]]] = []
    for dossier_id, snap in snaps.items():
        seen = last.get(dossier_id)
        fingerprint = technician_jobs.digest(snap)
        if seen is None or seen[0] != "job" or seen[1] != fingerprint:
            additions.append(("job", dossier_id, {"digest": fingerprint, "job": snap}))
    gone = [d for d, (kind, _) in last.items() if kind == "job" and d not in snaps]
    for dossier in await Dossier.filter(id__in=gone):
        additions.append(("withdrawn", dossier.id, await _withdrawal(dossier, technician)))
    if not additions:
        return
    async with in_transaction() as conn:
        for kind, dossier_id, data in additions:
            await append(conn, user.id, kind, dossier_id, now, **data)


async def _last_per_dossier(user: User) -> dict[int, tuple[str, str]]:
    """The latest job/withdrawn change per dossier for this user: its kind and digest."""
    latest = (
        await ChangeLog.filter(user_id=user.id, kind__in=STATE_KINDS)
        .group_by("dossier_id")
        .annotate(top=Max("id"))
        .values_list("top", flat=True)
    )
    rows = await ChangeLog.filter(id__in=list(latest)).values_list("dossier_id", "kind", "data")
    return {d: (k, (data or {}).get("digest", "")) for d, k, data in rows if d is not None}


async def _withdrawal(dossier: Dossier, technician: Technician) -> dict[str, Any]:
    if dossier.phase == "geannuleerd":
        why = f"Opdracht {dossier.order_number} is geannuleerd."
    elif dossier.technician_id != technician.id:  # type: ignore[attr-defined]
        why = f"Opdracht {dossier.order_number} is aan een andere monteur gegeven."
    else:
        why = f"Opdracht {dossier.order_number} staat niet meer op uw lijst."
    return {"order_number": dossier.order_number, "message": why}
