"""E-mail over SMTP: plain text and HTML in one message, sent in the client's name.

From carries the client's name with the platform's own address (so SPF and DKIM hold), and
Reply-To the client's address, so a tenant's answer reaches the corporation, not the meldkamer.
The Message-ID is built from our reference and domain: a retried send carries the same id, so
a receiving server or mailbox can recognise a duplicate.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from server.messaging.errors import PermanentSendError, TransientSendError

REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server. `starttls` upgrades a plain connection (port 587);
    `use_tls` connects with TLS from the start (port 465). `tls_context` is for a private CA.
    """

    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    starttls: bool = True
    use_tls: bool = False
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    content: bytes


def message_id(reference: str, from_address: str) -> str:
    """`<reference@domain-of-our-address>`: the same for every try of the same message."""
    if not REFERENCE.fullmatch(reference):
        raise ValueError(f"e-mail reference {reference!r}: letters, digits, '.', '_' or '-'")
    return f"<{reference}@{_address(from_address).domain}>"


def build_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    from_address: str,
    from_name: str,
    reference: str,
    reply_to: str = "",
    to_name: str = "",
    now: datetime | None = None,
    in_reply_to: str = "",
    references: str = "",
    automatic: bool = True,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML as the preferred part (plain
    text alone when `html` is empty).

    A reply carries `in_reply_to` (the Message-ID answered) and `references` (its thread), and
    is written by a person (`automatic` False): no Auto-Submitted, so the tenant's mail
    program treats it as any mail.

    A recipient address that cannot be an address is a `PermanentSendError` (it stays wrong);
    a bad address of our own or the client's is a `ValueError` (configuration).
    """
    try:
        recipient = _address(to.strip(), " ".join(to_name.split()))
    except ValueError as exc:
        raise PermanentSendError(f"E-mailadres {to!r} is ongeldig.") from exc
    sender_name = " ".join(from_name.split())
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    message["From"] = _address(from_address, sender_name)
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = _address(reply_to, sender_name)
    message["Message-ID"] = message_id(reference, from_address)
    message["Date"] = format_datetime(now or datetime.now(UTC))
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    if automatic:
        # RFC 3834: automatic messages; out-of-office replies should not answer them.
        message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = "nl"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for item in attachments:  # the alternative parts become one part of multipart/mixed
        main, _, sub = item.content_type.partition("/")
        message.add_attachment(item.content, maintype=main, subtype=sub, filename=item.filename)
    return message


async def send_email(message: EmailMessage, smtp: SmtpSettings) -> str:
    """Hand the message to the SMTP server; returns its Message-ID.

    SMTP's own split decides: a 5xx answer is a `PermanentSendError`, a 4xx answer, a timeout
    or a lost connection a `TransientSendError`.
    """
    try:
        await aiosmtplib.send(
            message,
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username or None,
            password=smtp.password or None,
            start_tls=smtp.starttls and not smtp.use_tls,
            use_tls=smtp.use_tls,
            timeout=smtp.timeout,
            tls_context=smtp.tls_context,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        refusals = exc.recipients
        detail = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in refusals)
        if all(r.code >= 500 for r in refusals):
            raise PermanentSendError(f"Ontvanger geweigerd: {detail}", reason=detail) from exc
        raise TransientSendError(f"Ontvanger tijdelijk geweigerd: {detail}", reason=detail) from exc
    except aiosmtplib.SMTPResponseException as exc:
        error = PermanentSendError if exc.code >= 500 else TransientSendError
        raise error(
            f"Mailserver antwoordde {exc.code}: {exc.message}",
            reason=exc.message,
            code=str(exc.code),
        ) from exc
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise TransientSendError(f"Mailserver niet bereikbaar: {exc!r}") from exc
    return str(message["Message-ID"])


def _address(value: str, name: str = "") -> Address:
    """An address with a domain, or ValueError (the email package's own errors vary)."""
    try:
        address = Address(display_name=name, addr_spec=value)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise ValueError(f"e-mail address {value!r} is not valid") from exc
    if not address.username or "." not in address.domain:
        raise ValueError(f"e-mail address {value!r} is not valid")
    return address
