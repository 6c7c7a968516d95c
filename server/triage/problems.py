"""A reason a protocol cannot be published."""

from __future__ import annotations

from dataclasses import dataclass

from server.triage.errors import Loc, format_path


@dataclass(frozen=True)
class Problem:
    """`code` is stable (for programs), `message` is Dutch (for people), `loc` is the place."""

    code: str
    loc: Loc
    message: str

    @property
    def path(self) -> str:
        return format_path(self.loc)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
