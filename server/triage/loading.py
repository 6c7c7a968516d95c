"""Load a protocol from YAML or JSON text (JSON is read as YAML) or from parsed data.

Errors name the place in the document and, for text, its line. PyYAML silently keeps the
last of two equal keys, which would hide a duplicate question id, so keys are checked on the
node tree before it is turned into data.
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from server.triage.errors import Loc, ProtocolFormatError
from server.triage.model import Protocol
from server.triage.reading import read_protocol


def load_protocol(source: str | Mapping[str, object]) -> Protocol:
    """A Protocol from YAML/JSON text or an already parsed mapping; raises ProtocolFormatError."""
    if not isinstance(source, str):
        return read_protocol(dict(source))
    source = _as_yaml(source)
    root = _compose(source)
    _reject_duplicate_keys(root, ())
    try:
        return read_protocol(_construct(source))
    except ProtocolFormatError as error:
        raise error.at_line(line_of(root, error.loc)) from None


def locate(source: str, loc: Loc) -> int | None:
    """The 1-based line of a place in protocol text, for showing check problems in an editor."""
    try:
        return line_of(_compose(_as_yaml(source)), loc)
    except ProtocolFormatError:
        return None


def _as_yaml(source: str) -> str:
    """JSON is YAML except that YAML refuses tabs as indentation; JSON only has tabs there."""
    return source.replace("\t", " ") if source.lstrip().startswith("{") else source


def line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    """Follow `loc` down the node tree as far as it goes; the line of the deepest node found."""
    if root is None:
        return None
    node = root
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((value for key, value in node.value if key.value == str(part)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


def _compose(source: str) -> yaml.Node | None:
    try:
        return yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error) from None
    except (yaml.reader.ReaderError, RecursionError) as error:
        raise _unreadable(source, error) from None


def _construct(source: str) -> object:
    try:
        return yaml.safe_load(source)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error) from None
    except (yaml.reader.ReaderError, RecursionError) as error:
        raise _unreadable(source, error) from None


def _unreadable(
    source: str, error: yaml.reader.ReaderError | RecursionError
) -> ProtocolFormatError:
    """Text PyYAML cannot read at all: a control character, or nesting so deep that its
    recursive parser gives up (a 500 before)."""
    if isinstance(error, RecursionError):
        return ProtocolFormatError((), "ongeldige YAML: te diep genest")
    line = source.count("\n", 0, error.position) + 1
    return ProtocolFormatError(
        (), f"ongeldige YAML: ongeldig teken U+{error.character:04X} in de tekst", line
    )


def _syntax_error(error: yaml.MarkedYAMLError) -> ProtocolFormatError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    return ProtocolFormatError((), f"ongeldige YAML: {error.problem or error.context}", line)


def _reject_duplicate_keys(node: yaml.Node | None, loc: Loc) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise ProtocolFormatError(
                    loc + (name,), f"dubbele sleutel {name!r}", key.start_mark.line + 1
                )
            seen.add(name)
            _reject_duplicate_keys(value, loc + (name,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _reject_duplicate_keys(item, loc + (index,))
