"""Protocol files as text: validation with line numbers, the stored form, diffs and exports.

No database here: the storage use cases (server/protocols/protocols.py) call these.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import yaml

from server.domain import codes
from server.triage import (
    Protocol,
    ProtocolFormatError,
    check_protocol,
    dump_protocol,
    load_protocol,
    locate,
    protocol_to_dict,
)
from server.triage.errors import Loc
from server.triage.loading import line_of

# Top-level `client:` and `version:` lines of a YAML protocol (block style, no indentation).
_HEADER = re.compile(r"^(client|version)[ \t]*:.*$", re.MULTILINE)
# A diff in an e-mail or on a page stays readable; the full one is in the version history.
DIFF_CONTEXT = 3


@dataclass(frozen=True)
class Finding:
    """A reason a protocol text cannot be published, placed in the text for the editor."""

    code: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = [f"regel {self.line}"] if self.line is not None else []
        where += [self.path] if self.path else []
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "path": self.path, "line": self.line, "message": self.message}


def order_types_of(settings: dict[str, Any]) -> tuple[str, ...]:
    """The shared order types plus a client's own (settings["order_types"])."""
    own = settings.get("order_types") or []
    return tuple(codes.ORDER_TYPE_LABELS) + tuple(str(code) for code in own)


def validate(text: str, order_types: tuple[str, ...]) -> list[Finding]:
    """Every problem in the text; an empty list means it can be published."""
    if not text.strip():
        return [Finding("empty", "", None, "het protocol is leeg")]
    try:
        protocol = parse(text)
    except ProtocolFormatError as error:
        return [Finding("format", error.path, error.line, error.problem)]
    problems = check_protocol(protocol, order_types=order_types)
    line = _locator(text) if problems else None
    return [
        Finding(problem.code, problem.path, line(problem.loc) if line else None, problem.message)
        for problem in problems
    ]


def _locator(text: str) -> Callable[[Loc], int | None]:
    """Lines of places in the text, parsing it once (`locate` parses per call: 50 ms each)."""
    source = text.replace("\t", " ") if text.lstrip().startswith("{") else text
    try:
        root = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return lambda loc: locate(text, loc)
    return lambda loc: line_of(root, loc)


@lru_cache(maxsize=64)
def parse(text: str) -> Protocol:
    """Cached: parsing the default protocol takes about 0.1 s and stored versions never change."""
    return load_protocol(text)


def protocol_of(text: str, client_code: str, version: int) -> Protocol:
    """A stored version as a Protocol that names its client and number, whatever the text says."""
    return replace(parse(text), client=client_code, version=version)


def stored_text(text: str, client_code: str, version: int) -> str:
    """The text as it is kept: YAML whose header names the client and the version number.

    YAML keeps its comments and layout; only the two header lines are rewritten. JSON (an
    import) becomes YAML, so every stored version reads and diffs the same way.
    """
    if text.lstrip().startswith("{"):
        return dump_protocol(protocol_of(text, client_code, version))
    header = {"client": json.dumps(client_code), "version": str(version)}
    text = _HEADER.sub(lambda m: f"{m.group(1)}: {header[m.group(1)]}", text)
    if not re.search(r"^client[ \t]*:", text, re.MULTILINE):
        text = _HEADER.sub(lambda m: f"client: {header['client']}\n{m.group(0)}", text, count=1)
    return text if text.endswith("\n") else text + "\n"


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """Unified diff of two protocol texts; empty when they are the same."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=old_label,
        tofile=new_label,
        n=DIFF_CONTEXT,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def diff_lines(text: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, line) for showing it: kind is add, del, hunk, file or same."""
    kinds = []
    for line in text.splitlines():
        if line.startswith(("+++", "---")):
            kinds.append(("file", line))
        elif line.startswith("@@"):
            kinds.append(("hunk", line))
        elif line.startswith("+"):
            kinds.append(("add", line))
        elif line.startswith("-"):
            kinds.append(("del", line))
        else:
            kinds.append(("same", line))
    return kinds


@dataclass(frozen=True)
class Export:
    body: str
    media_type: str
    filename: str


def export(text: str, client_code: str, version: int, fmt: str = "yaml") -> Export:
    """A stored version as a file to download: YAML as stored, or JSON."""
    name = f"protocol-{client_code}-v{version}"
    if fmt == "json":
        return Export(as_json(text, client_code, version), "application/json", name + ".json")
    return Export(text, "application/yaml", name + ".yaml")


def as_json(text: str, client_code: str, version: int) -> str:
    """The export as JSON: the same protocol, without the YAML comments."""
    data = protocol_to_dict(protocol_of(text, client_code, version))
    return json.dumps(data, ensure_ascii=False, indent="\t") + "\n"
