"""What a sync mutator works with: the user, his technician row, the open transaction,
actions to run once the transaction has committed (live updates), and the device's clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
    # Server clock minus device clock, measured when the device sent this push.
    clock_offset: timedelta | None = None

    def reported(self, device_time: datetime | None, not_before: datetime) -> datetime:
        """When the device says something happened, on the server's clock: its time corrected
        by the measured offset, between `not_before` (it cannot precede what it builds on) and
        now. Unknown offset or time: now."""
        if device_time is None or self.clock_offset is None:
            return self.at
        return max(min(device_time + self.clock_offset, self.at), min(not_before, self.at))

    def stated(self, moment: datetime, not_before: datetime) -> datetime:
        """A moment the technician states (his arrival on the werkbon), on the server's clock:
        corrected by the offset when it is known, taken as it is when not, and like
        `reported` never later than now nor earlier than `not_before`."""
        corrected = moment + self.clock_offset if self.clock_offset is not None else moment
        return max(min(corrected, self.at), min(not_before, self.at))
