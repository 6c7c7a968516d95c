"""The change record: every field an admin screen changes, with who, when, old and new value."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from server.models import ChangeRecord, User

# Never written into the record, only that it changed.
SECRET_FIELDS = frozenset({"wachtwoord"})


def shown(value: Any) -> str:
    """A value as the record keeps it: plain text a person reads."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """The fields whose shown value differs: {field: (old, new)}."""
    changed = {}
    for key in after:
        old, new = shown(before.get(key)), shown(after[key])
        if old != new:
            changed[key] = ("(verborgen)", "(gewijzigd)") if key in SECRET_FIELDS else (old, new)
    return changed


async def record(
    by: User | None,
    object_type: str,
    object_id: object,
    changed: Mapping[str, tuple[str, str]],
    at: datetime | None = None,
    using_db: BaseDBAsyncClient | None = None,
) -> None:
    moment = at or datetime.now(UTC)
    rows = [
        ChangeRecord(
            object_type=object_type,
            object_id=str(object_id),
            field=name,
            old=old,
            new=new,
            by_id=by.id if by else None,
            by_name=str(by) if by else "systeem",
            at=moment,
        )
        for name, (old, new) in changed.items()
    ]
    if rows:
        await ChangeRecord.bulk_create(rows, using_db=using_db)


async def of(object_type: str, object_id: object, limit: int = 200) -> list[ChangeRecord]:
    """The changes of one object, newest first."""
    return (
        await ChangeRecord.filter(object_type=object_type, object_id=str(object_id))
        .order_by("-at", "-id")
        .limit(limit)
    )
