"""What a sync mutator works with: the user, his technician row, the open transaction, and
actions to run once the transaction has committed (live updates)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from server.models import Technician, User

AfterCommit = Callable[[], Awaitable[None]]


@dataclass
class FieldContext:
    user: User
    technician: Technician | None
    conn: BaseDBAsyncClient
    at: datetime
    after_commit: list[AfterCommit] = field(default_factory=list)
