"""The offline sync protocol of the technician app: push of ordered operations, pull by cursor.

Plain Python: persistence comes in through the PushStore and PullStore protocols, the effect of
each operation kind through mutators registered in a Registry. Never imports server/. See
docs/sync.md.
"""

from __future__ import annotations

from sync.errors import ProtocolError, TemporaryError
from sync.ops import Decision, Op, Outcome, Status, applied, conflict, parse_ops, rejected
from sync.pull import Change, Cursor, PullResult, PullStore, pull
from sync.push import Attempt, DeviceState, PushResult, PushStore, Stop, push
from sync.registry import Mutator, Registry

__all__ = [
    "Attempt",
    "Change",
    "Cursor",
    "Decision",
    "DeviceState",
    "Mutator",
    "Op",
    "Outcome",
    "ProtocolError",
    "PullResult",
    "PullStore",
    "PushResult",
    "PushStore",
    "Registry",
    "Status",
    "Stop",
    "TemporaryError",
    "applied",
    "conflict",
    "parse_ops",
    "pull",
    "push",
    "rejected",
]
