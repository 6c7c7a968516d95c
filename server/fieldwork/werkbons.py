"""Recording a werkbon: a repair_log row and its `werkbon` event on the timeline.

The app's operations (server/fieldwork/sync_mutators.py) and the demo's history write it the
same way. The event carries what the desk reads on the timeline; the tenant's signature stays in
the row only (one copy of her personal data, which retention removes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise import Model

from server import db
from server.dossiers import events
from server.models import Dossier, RepairLog, Technician, User


async def store(
    job: Dossier,
    author: User | None,
    technician: Technician | None,
    op_id: str,
    values: dict[str, Any],
    *,
    reported_at: datetime,
    created_at: datetime,
    device_time: datetime | None = None,
    pending: list[Model] | None = None,
) -> RepairLog:
    """`values` as field_input checked them; `reported_at` is when it stands on the timeline,
    `created_at` when the server got it (shown beside it when they differ). With `pending`
    the row and its event are added to it, for the caller to insert (sync's runs)."""
    log = db.new(
        RepairLog,
        dossier=job,
        technician=technician,
        author=author,
        op_id=op_id,
        device_time=device_time,
        reported_at=reported_at,
        created_at=created_at,
        **values,
    )
    received: dict[str, Any] = {"received_at": created_at} if reported_at != created_at else {}
    if pending is None:
        await log.save()
        await events.record(job, "werkbon", author, reported_at, **summary(values), **received)
    else:
        event = await events.build(
            job, "werkbon", author, reported_at, **summary(values), **received
        )
        pending.extend((log, event))
    return log


def summary(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "cause": values.get("cause", ""),
        "work_done": values.get("work_done", ""),
        "materials": values.get("materials", []),
        "minutes": values.get("minutes", 0),
        "fixed": values.get("fixed", False),
        "arrived_at": values.get("arrived_at"),
        "finished_at": values.get("finished_at"),
        "signed": bool(values.get("signature")) or None,
    }
