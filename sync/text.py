"""Text a database can store, from whatever a device sends.

Two kinds of character reach the server in valid JSON and fit no text column: NUL, which
PostgreSQL text cannot hold, and a lone surrogate such as "\\ud83d" (half of an emoji a
browser cut in two), which is not encodable as UTF-8 at all. An operation holding one would
fail every time it is tried, and so would the record of its failure. Each is replaced by
U+FFFD, as a UTF-8 decoder replaces bytes it cannot read: the text is kept, the spot shows.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` with every NUL and lone surrogate replaced by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


def storable_data(value: Any) -> Any:
    """JSON-like data with every string in it, keys included, made storable."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): storable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_data(v) for v in value]
    return value


def storable_id(op_id: str) -> str:
    """The key an operation is recorded under: its op id, or, when that holds a character no
    database stores, a stand-in made from its hash (no two op ids share one, unlike two op ids
    with U+FFFD in different places of the same text)."""
    if not _UNSTORABLE.search(op_id):
        return op_id
    digest = hashlib.sha256(op_id.encode("utf-8", "surrogatepass")).hexdigest()
    return REPLACEMENT + digest
