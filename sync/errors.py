"""Errors of the sync protocol."""

from __future__ import annotations


class ProtocolError(Exception):
    """A request that breaks the protocol itself (no usable seq or op id): refused as a whole."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TemporaryError(Exception):
    """The operation may succeed later (a photo not uploaded yet, a database hiccup).

    Push stops at this operation without advancing; the device sends it again later.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
