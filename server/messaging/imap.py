"""A client's mailbox over IMAP, with IMAPClient (blocking; the poller runs it in a thread).

IMAPClient was chosen over aioimaplib because it parses IMAP's answers (FETCH items by UID,
flags, dates) into Python values and has years of use against every common server; with
aioimaplib the caller parses raw response lines. One poll is a handful of sequential
commands, so a thread costs nothing that matters.

A mail is marked handled with our own keyword (`$Meldkamer`), so a person reading the same
mailbox in a mail program (which sets \\Seen) never hides a mail from us. A server that does
not allow new keywords (no `\\*` in PERMANENTFLAGS) gets \\Seen instead, and then only unseen
mails are read.
"""

from __future__ import annotations

import contextlib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

KEYWORD = b"$Meldkamer"
SEEN = b"\\Seen"
TLS_MODES = ("ssl", "starttls", "geen")


class MailboxError(Exception):
    """The mailbox could not be read (connection, login, folder): tried again next poll."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    tls: str  # ssl, starttls or geen
    username: str
    password: str
    folder: str = "INBOX"
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None


@dataclass(frozen=True)
class Waiting:
    """A mail not handled yet: its UID, size and when the mailbox received it."""

    uid: int
    size: int
    received_at: datetime


class Mailbox:
    """One connection, used by one poller at a time (blocking calls)."""

    def __init__(self, settings: MailboxSettings) -> None:
        self.settings = settings
        self.client: IMAPClient | None = None
        self.flag = KEYWORD

    def open(self, readonly: bool = False) -> None:
        s = self.settings
        context = s.tls_context or ssl.create_default_context()
        client: IMAPClient | None = None
        try:
            client = IMAPClient(
                s.host,
                port=s.port,
                ssl=s.tls == "ssl",
                ssl_context=context if s.tls == "ssl" else None,
                timeout=s.timeout,
            )
            client.normalise_times = False  # keep the server's offset: aware datetimes
            if s.tls == "starttls":
                client.starttls(context)
            client.login(s.username, s.password)
            selected = client.select_folder(s.folder, readonly=readonly)
        except (IMAPClientError, OSError, ssl.SSLError) as exc:
            if client is not None:
                _shut(client)
            raise MailboxError(_reason(exc)) from exc
        self.client = client
        permanent = [bytes(f) for f in selected.get(b"PERMANENTFLAGS", ())]
        self.flag = KEYWORD if b"\\*" in permanent else SEEN

    def waiting(self, limit: int) -> list[Waiting]:
        """The oldest mails not handled yet, at most `limit`."""
        client = self._client()
        try:
            criteria = ["UNKEYWORD", KEYWORD] if self.flag == KEYWORD else ["UNSEEN"]
            uids = sorted(client.search(criteria))[:limit]
            if not uids:
                return []
            items = client.fetch(uids, ["RFC822.SIZE", "INTERNALDATE"])
        except (IMAPClientError, OSError) as exc:
            raise MailboxError(_reason(exc)) from exc
        return [
            Waiting(uid, int(items[uid].get(b"RFC822.SIZE", 0)), _aware(items[uid]))
            for uid in uids
            if uid in items
        ]

    def fetch(self, uid: int, headers_only: bool = False) -> bytes:
        """The mail as sent (PEEK: reading does not set \\Seen); b'' when it is gone."""
        part = b"BODY[HEADER]" if headers_only else b"BODY[]"
        try:
            items = self._client().fetch([uid], [b"BODY.PEEK" + part[4:]])
        except (IMAPClientError, OSError) as exc:
            raise MailboxError(_reason(exc)) from exc
        data = items.get(uid, {}).get(part)
        return bytes(data) if data else b""

    def mark_handled(self, uid: int) -> None:
        try:
            self._client().add_flags([uid], [self.flag], silent=True)
        except (IMAPClientError, OSError) as exc:
            raise MailboxError(_reason(exc)) from exc

    def can_idle(self) -> bool:
        """Whether the server offers IDLE (RFC 2177), as it said after the login."""
        try:
            return bool(self._client().has_capability("IDLE"))
        except (IMAPClientError, OSError) as exc:
            raise MailboxError(_reason(exc)) from exc

    def idle(self, seconds: float, stopping: Callable[[], bool], step: float = 1.0) -> bool:
        """Wait in IDLE, up to `seconds` or until `stopping()` (asked every `step` seconds),
        for the server to say a mail arrived (EXISTS); True when one did. The IDLE is ended
        before returning, so the connection can IDLE again."""
        client = self._client()
        deadline = time.monotonic() + seconds
        arrived = False
        try:
            client.idle()
            while not arrived and not stopping() and time.monotonic() < deadline:
                began = time.monotonic()
                responses = client.idle_check(timeout=step)
                if any(r and r[0] == b"BYE" for r in responses) or (
                    # IMAPClient answers a closed connection with nothing, at once.
                    not responses and time.monotonic() - began < step / 2
                ):
                    raise MailboxError("the server closed the connection")
                arrived = any(len(r) > 1 and r[1] == b"EXISTS" for r in responses)
            client.idle_done()
        except (IMAPClientError, OSError) as exc:
            raise MailboxError(_reason(exc)) from exc
        return arrived

    def close(self) -> None:
        if self.client is None:
            return
        try:
            self.client.logout()
        except Exception:  # the connection is gone anyway
            with contextlib.suppress(Exception):
                self.client.shutdown()
        self.client = None

    def _client(self) -> IMAPClient:
        if self.client is None:
            raise MailboxError("mailbox is not open")
        return self.client


def _shut(client: IMAPClient) -> None:
    # Closing what may be half open: nothing more to do if that fails too.
    with contextlib.suppress(Exception):
        client.shutdown()


def _aware(item: dict[bytes, Any]) -> datetime:
    value = item.get(b"INTERNALDATE")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:500]
