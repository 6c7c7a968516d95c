"""Who may report call events: a request signed with a shared secret.

Our call-event API (docs/contacts.md): header `X-Meldkamer-Signature: t=<unix seconds>,
v1=<hex>`, where v1 is HMAC-SHA256 of "<t>.<body>" under TELEPHONY_SECRET. The timestamp is
signed too, so an old request cannot be sent again with a new one; requests older than
TELEPHONY_MAX_AGE_SECONDS are refused, and an event repeated within that time is applied once
(server.contacts.call_events).

Twilio (server.contacts.twilio): `X-Twilio-Signature`, base64 HMAC-SHA1 of the full URL
followed by every POST parameter's name and value, sorted by name, under the account's auth
token (twilio.com/docs/usage/webhooks/webhooks-security).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from server.domain.errors import Forbidden

HEADER = "x-meldkamer-signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value a sender puts on `body` (what the PBX or its bridge computes)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(header: str, body: bytes, secrets: Iterable[str], now: float, max_age: int) -> None:
    """Refuse (403) a missing, malformed, stale or wrong signature; any of `secrets` may have
    signed it (two during a change of secret). Compared in constant time."""
    if not header:
        raise Forbidden("Handtekening ontbreekt (X-Meldkamer-Signature).", "signature")
    parts = dict(p.strip().partition("=")[::2] for p in header.split(","))
    stamp, given = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or len(stamp) > 12 or not given:
        raise Forbidden("Handtekening onleesbaar: verwacht 't=<seconden>,v1=<hex>'.", "signature")
    if abs(now - int(stamp)) > max_age:
        raise Forbidden(
            f"Handtekening verlopen: ouder dan {max_age} seconden (of de klok loopt verkeerd).",
            "signature",
        )
    valid = False
    for secret in secrets:
        expected = sign(secret, int(stamp), body).partition("v1=")[2]
        valid |= hmac.compare_digest(expected.encode(), given.encode())
    if not valid:
        raise Forbidden("Handtekening klopt niet.", "signature")


def twilio_signature(token: str, url: str, params: Mapping[str, str]) -> str:
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _with_and_without_port(url: str) -> list[str]:
    """Twilio may sign the URL with or without its port (as its own validators accept)."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    bare = urlunsplit(parts._replace(netloc=host))
    ported = urlunsplit(parts._replace(netloc=f"{host}:{parts.port or default}"))
    return list(dict.fromkeys([url, bare, ported]))


def verify_twilio(token: str, url: str, params: Mapping[str, str], given: str) -> None:
    if not given:
        raise Forbidden("Handtekening ontbreekt (X-Twilio-Signature).", "signature")
    valid = False
    for candidate in _with_and_without_port(url):
        expected = twilio_signature(token, candidate, params)
        valid |= hmac.compare_digest(expected.encode(), given.encode())
    if not valid:
        raise Forbidden("Handtekening klopt niet.", "signature")
