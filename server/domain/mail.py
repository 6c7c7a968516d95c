"""Rules of e-mail threads, as plain Python: which order numbers a subject names, the key a
mail is known by, the subject and References of a reply."""

from __future__ import annotations

import hashlib
import re

# MK-2026-000123 (server/dossiers/ordernumbers.py), in any case, with '-', ' ' or nothing.
ORDER_NUMBER = re.compile(r"(?<![A-Za-z0-9])MK[-\s]?(\d{4})[-\s]?(\d{6})(?!\d)", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")
REPLY_PREFIX = re.compile(r"^\s*((re|antw|aw|sv|fw|fwd|doorst)\s*(\[\d+\])?\s*:\s*)+", re.I)
# A References header longer than this keeps its first id and the latest ones (RFC 5322 3.6.4
# allows trimming; the first names the thread, the last the message answered).
MAX_REFERENCES = 20


def order_numbers(text: str) -> list[str]:
    """The order numbers a subject names, as stored (MK-2026-000123), first seen first."""
    found: list[str] = []
    for year, number in ORDER_NUMBER.findall(text or ""):
        value = f"MK-{year}-{number}"
        if value not in found:
            found.append(value)
    return found


def message_ids(header: str) -> list[str]:
    """The `<id>` tokens of a Message-ID, In-Reply-To or References header."""
    return MESSAGE_ID.findall(header or "")


def message_key(message_id: str, raw: bytes = b"") -> str:
    """What a mail is known by: the sha256 of its Message-ID (case kept, as RFC 5322 says it
    is compared), or of the whole mail when it has none, so the same mail read again gives
    the same key."""
    ids = message_ids(message_id)
    if ids:
        return hashlib.sha256(ids[0].encode("utf-8", "surrogateescape")).hexdigest()
    return hashlib.sha256(b"raw:" + raw).hexdigest()


def reply_subject(subject: str, order_number: str | None) -> str:
    """`Re: <subject>`, once, with the order number in brackets when the subject lacks it, so
    the tenant's next answer finds the dossier even from a mail program that drops headers."""
    base = REPLY_PREFIX.sub("", " ".join((subject or "").split())) or "Uw bericht"
    text = f"Re: {base}"
    if order_number and order_number not in order_numbers(base):
        text += f" [{order_number}]"
    return text[:300]


def reply_references(references: str, message_id: str) -> str:
    """The References of a reply: the original's References and its Message-ID, trimmed."""
    ids = message_ids(references)
    ids += [i for i in message_ids(message_id) if i not in ids]
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return " ".join(ids)
