"""Mutators per operation kind, registered by the server (sync/ never imports server/)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sync.ops import Decision, Op, rejected

# A mutator applies one operation inside the transaction the store opened; `context` is
# whatever the store hands it (the server passes its connection and the user).
Mutator = Callable[[Any, Op], Awaitable[Decision]]


class Registry:
    def __init__(self) -> None:
        self._mutators: dict[str, Mutator] = {}

    def register(self, kind: str, mutator: Mutator) -> None:
        assert kind not in self._mutators, f"mutator for {kind!r} registered twice"
        self._mutators[kind] = mutator

    @property
    def kinds(self) -> list[str]:
        return sorted(self._mutators)

    async def apply(self, context: Any, op: Op) -> Decision:
        mutator = self._mutators.get(op.kind)
        if mutator is None:
            known = ", ".join(self.kinds)
            return rejected(f"Onbekende soort wijziging '{op.kind}' (bekend: {known}).")
        return await mutator(context, op)
