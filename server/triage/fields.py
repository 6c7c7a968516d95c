"""Typed reads from a parsed protocol document; every failure names its place (`loc`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

from server.triage.errors import Loc, ProtocolFormatError

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def describe(value: object) -> str:
    """How a wrong value is named in an error: YAML turns `ja`-like words into booleans."""
    if isinstance(value, bool):
        return f"de ja/nee-waarde {str(value).lower()} (zet tekst tussen aanhalingstekens)"
    if isinstance(value, dict):
        return "een mapping"
    if isinstance(value, list):
        return "een lijst"
    if value is None:
        return "niets"
    return repr(value)


def entries(raw: object, loc: Loc) -> dict[str, Any]:
    """A mapping keyed by ids (subjects, questions, outcomes); the ids are checked by the caller."""
    if not isinstance(raw, dict):
        raise ProtocolFormatError(loc, f"verwacht een mapping (id: inhoud), niet {describe(raw)}")
    return raw


def mapping(
    raw: object, loc: Loc, required: Iterable[str] = (), optional: Iterable[str] = ()
) -> dict[str, Any]:
    """A mapping with exactly the allowed keys."""
    if not isinstance(raw, dict):
        raise ProtocolFormatError(
            loc, f"verwacht een mapping (sleutel: waarde), niet {describe(raw)}"
        )
    required, optional = tuple(required), tuple(optional)
    for key in raw:
        if key not in required + optional:
            allowed = ", ".join(required + optional)
            raise ProtocolFormatError(
                loc + (str(key),), f"onbekend veld {key!r} (toegestaan: {allowed})"
            )
    for key in required:
        if key not in raw:
            raise ProtocolFormatError(loc, f"verplicht veld {key!r} ontbreekt")
    return raw


def identifier(raw: object, loc: Loc) -> str:
    if not isinstance(raw, str):
        raise ProtocolFormatError(loc, f"verwacht een id, niet {describe(raw)}")
    if not IDENTIFIER.match(raw):
        raise ProtocolFormatError(
            loc,
            f"ongeldige id {raw!r}: alleen kleine letters, cijfers en _, beginnend met een letter",
        )
    return raw


def text(raw: object, loc: Loc) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ProtocolFormatError(loc, f"verwacht tekst, niet {describe(raw)}")
    return raw


def optional_text(raw: object, loc: Loc) -> str | None:
    return None if raw is None else text(raw, loc)


def texts(raw: object, loc: Loc) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ProtocolFormatError(loc, f"verwacht een lijst van teksten, niet {describe(raw)}")
    return tuple(text(item, loc + (i,)) for i, item in enumerate(raw))


def flag(raw: object, loc: Loc) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        raise ProtocolFormatError(loc, f"verwacht true of false, niet {describe(raw)}")
    return raw


def whole_number(raw: object, loc: Loc, minimum: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < minimum:
        raise ProtocolFormatError(
            loc, f"verwacht een geheel getal van minstens {minimum}, niet {describe(raw)}"
        )
    return raw


def optional_number(raw: object, loc: Loc, minimum: int) -> int | None:
    return None if raw is None else whole_number(raw, loc, minimum)


def choice(raw: object, loc: Loc, kind: type[E]) -> E | None:
    if raw is None:
        return None
    values = [member.value for member in kind]
    if raw not in values:
        raise ProtocolFormatError(
            loc, f"onbekende waarde {describe(raw)} (kies uit: {', '.join(values)})"
        )
    return kind(raw)


def code(raw: object, loc: Loc) -> str | None:
    """A code from a code list (trade, order type, ...); whether it is known is a check."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise ProtocolFormatError(loc, f"verwacht een code, niet {describe(raw)}")
    return raw


def must(value: T | None, loc: Loc) -> T:
    """A value that is required: an empty YAML value (`when:`) reads as None."""
    if value is None:
        raise ProtocolFormatError(loc, "mag niet leeg zijn")
    return value
