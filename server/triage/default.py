"""The default protocol: the seed's triage table. New clients start from a copy of it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from server.triage.loading import load_protocol
from server.triage.model import Protocol

DEFAULT_PROTOCOL_FILE = Path(__file__).with_name("default_protocol.yaml")


def default_protocol_text() -> str:
    return DEFAULT_PROTOCOL_FILE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    """Loaded once; the Protocol is immutable, so sharing it is safe."""
    return load_protocol(default_protocol_text())
