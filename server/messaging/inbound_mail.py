"""Reading an inbound mail as it came from the mailbox: sender, subject, threading headers, the
text, and its attachments. Plain Python (the standard library's email package).

Tenants' mail is whatever their programs make: no subject, a charset Python does not know,
broken MIME, HTML only. Nothing here raises on a bad mail: what cannot be read is replaced
(and a part that cannot be decoded is skipped), so every mail still becomes a contact.
"""

from __future__ import annotations

import contextlib
import html
import re
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses

# What is kept of a mail's text; the rest stays in the mailbox.
MAX_TEXT = 100_000
PHOTO_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/webp", "image/heic"})
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes

    @property
    def claims_photo(self) -> bool:
        """Whether the mail says this is a photo (media/ decides whether it is one)."""
        return self.content_type in PHOTO_TYPES or self.name.lower().endswith(PHOTO_EXTENSIONS)


@dataclass
class InboundMail:
    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def header_text(message: Message, name: str) -> str:
    """A header decoded (RFC 2047), on one line; '' when absent or unreadable."""
    raw = message.get(name)
    if raw is None:
        return ""
    try:
        value = str(make_header(decode_header(str(raw))))
    except (LookupError, UnicodeError, ValueError, TypeError):
        value = str(raw).encode("ascii", "replace").decode("ascii")
    return " ".join(value.split())


def parse(raw: bytes) -> InboundMail:
    try:
        message = message_from_bytes(raw, policy=compat32)
    except Exception:  # the parser is lenient; this is a last resort
        return InboundMail(text=_decode(raw[:MAX_TEXT], "utf-8"), problems=["onleesbare mail"])
    mail = InboundMail(
        subject=header_text(message, "Subject")[:300],
        message_id=header_text(message, "Message-ID"),
        in_reply_to=header_text(message, "In-Reply-To"),
        references=header_text(message, "References"),
    )
    addresses = getaddresses([header_text(message, "Reply-To") or header_text(message, "From")])
    for name, address in addresses:
        if "@" in address:
            mail.sender, mail.sender_name = address.strip().lower()[:254], name.strip()[:200]
            break
    if message.defects:
        mail.problems.append("MIME-fouten: " + ", ".join(type(d).__name__ for d in message.defects))
    plain, html_text = _walk(message, mail)
    text = plain or _strip_html(html_text)
    mail.text = text.strip()[:MAX_TEXT]
    return mail


def _walk(message: Message, mail: InboundMail) -> tuple[str, str]:
    plain: list[str] = []
    html_parts: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            mail.problems.append("een deel kon niet worden gedecodeerd")
            continue
        if not isinstance(payload, bytes):
            continue
        name = _filename(part)
        kind = part.get_content_type().lower()
        disposition = str(part.get("Content-Disposition", "")).lower()
        if name or disposition.startswith("attachment") or not kind.startswith("text/"):
            mail.attachments.append(Attachment(name or "bijlage", kind, payload))
            continue
        charset = part.get_content_charset() or "utf-8"
        text = _decode(payload, charset)
        (html_parts if kind == "text/html" else plain).append(text)
    return "\n\n".join(plain), "\n\n".join(html_parts)


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        return ""
    with contextlib.suppress(LookupError, UnicodeError, ValueError, TypeError):
        name = str(make_header(decode_header(name)))
    return " ".join(name.split())[:200]


def _decode(payload: bytes, charset: str) -> str:
    """Bytes in the part's charset; an unknown charset is read as UTF-8, else Latin-1."""
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("latin-1")


def _strip_html(text: str) -> str:
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>", "\n", text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = html.unescape(text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
