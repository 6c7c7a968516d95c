"""Errors of triage. Messages are Dutch (they are shown to people) and name the bad value."""

from __future__ import annotations

# A place in a protocol document: keys and list indexes from the root.
Loc = tuple[str | int, ...]


def format_path(loc: Loc) -> str:
    """("subjects", "cv", "options", 1, "next") -> "subjects.cv.options[1].next"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class TriageError(ValueError):
    """Bad input to an evaluation or a calendar: `field` names the input that is wrong."""

    status = 422

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ProtocolFormatError(ValueError):
    """A protocol document that cannot be read: syntax, a wrong type, an unknown or missing key.

    `path` names the place (`subjects.cv_storing.questions.wat.options[1].next`); `line` is
    the 1-based line in the YAML/JSON text when the protocol was read from text.
    """

    status = 422

    def __init__(self, loc: Loc, problem: str, line: int | None = None) -> None:
        self.loc = loc
        self.problem = problem
        self.line = line
        super().__init__(self._render())

    @property
    def path(self) -> str:
        return format_path(self.loc)

    def _render(self) -> str:
        where = [f"regel {self.line}"] if self.line is not None else []
        where += [self.path] if self.loc else []
        return f"{', '.join(where)}: {self.problem}" if where else self.problem

    def at_line(self, line: int | None) -> ProtocolFormatError:
        return ProtocolFormatError(self.loc, self.problem, line)


class ProtocolError(RuntimeError):
    """A readable but incomplete protocol was evaluated; check_protocol reports such gaps."""

    status = 500
