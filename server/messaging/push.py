"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291).

Built on py-vapid (signing) and http-ece (encryption), the two packages pywebpush itself uses,
with the request sent by httpx like every other call of ours: pywebpush would add both requests
and aiohttp to the worker for the one POST it makes.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import http_ece
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from server.messaging.errors import PermanentSendError, SubscriptionGone, TransientSendError

# A push message body is at most 4096 bytes; the aes128gcm header (86) and the one record's
# padding delimiter and tag (17) leave this much for the JSON payload.
MAX_PAYLOAD = 4096 - 86 - 17
RECORD_SIZE = 4096
# VAPID tokens may live 24 hours; a shorter life keeps a leaked header of little use.
TOKEN_SECONDS = 12 * 3600

Urgency = Literal["very-low", "low", "normal", "high"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class PushSubscription:
    """What the browser's `PushSubscription.toJSON()` gives: an endpoint and two keys."""

    endpoint: str
    p256dh: str
    auth: str

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any], services: Collection[str] | None = None
    ) -> PushSubscription:
        """`services`: the push services' hosts (or parent domains) an endpoint may name."""
        keys = data.get("keys")
        if not isinstance(keys, Mapping):
            raise ValueError("push subscription without keys")
        endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
        if not (isinstance(endpoint, str) and endpoint.startswith("https://")):
            raise ValueError(f"push endpoint {endpoint!r} is not an https:// address")
        host = (urlsplit(endpoint).hostname or "").lower()
        if services is not None and not any(
            host == known or host.endswith(f".{known}") for known in services
        ):
            raise ValueError(f"push endpoint {endpoint!r} is not at a known push service")
        if not (isinstance(p256dh, str) and len(b64url_decode(p256dh)) == 65):
            raise ValueError("push subscription key p256dh is not a P-256 public key")
        if not (isinstance(auth, str) and len(b64url_decode(auth)) == 16):
            raise ValueError("push subscription key auth is not 16 bytes")
        return cls(endpoint=endpoint, p256dh=p256dh, auth=auth)


@dataclass(frozen=True)
class VapidKeys:
    """`private_key` (base64url of the 32-byte secret) is the VAPID_PRIVATE_KEY setting;
    `private_pem` is the same key as PEM; `public_key` is VAPID_PUBLIC_KEY, the browser's
    `applicationServerKey` (base64url of the 65-byte uncompressed point).
    """

    private_key: str
    private_pem: str
    public_key: str


def generate_vapid_keys() -> VapidKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    secret = key.private_numbers().private_value.to_bytes(32, "big")
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return VapidKeys(
        private_key=b64url(secret),
        private_pem=pem.decode(),
        public_key=_public_key(key),
    )


def load_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key from base64url (32 bytes) or PEM."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID private key is not an elliptic-curve key")
        return key
    secret = b64url_decode(text)
    if len(secret) != 32:
        raise ValueError("VAPID private key: base64url of 32 bytes, or PEM")
    return ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())


def encrypt(payload: bytes, subscription: PushSubscription) -> bytes:
    """The aes128gcm body for this subscription, under a fresh key pair and salt."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"push payload of {len(payload)} bytes; at most {MAX_PAYLOAD}")
    body = http_ece.encrypt(
        payload,
        salt=os.urandom(16),
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64url_decode(subscription.p256dh),
        auth_secret=b64url_decode(subscription.auth),
        rs=RECORD_SIZE,
        version="aes128gcm",
    )
    return bytes(body)


class WebPushSender:
    """Send push messages signed with our VAPID key. One per worker; `aclose` at shutdown.

    `private_key` is base64url (as `generate_vapid_keys` makes) or PEM; `subject` is a
    `mailto:` or `https:` address the push service can contact about our messages.
    """

    def __init__(
        self,
        *,
        private_key: str,
        subject: str,
        ttl: int = 24 * 3600,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not subject.startswith(("mailto:", "https://")):
            raise ValueError(f"VAPID subject {subject!r}: a mailto: or https:// address")
        self._key = load_private_key(private_key)
        self._vapid = Vapid02(private_key=self._key)
        self.subject = subject
        self.ttl = ttl
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)

    @property
    def public_key(self) -> str:
        return _public_key(self._key)

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    def headers(self, endpoint: str, *, ttl: int, urgency: Urgency, topic: str) -> dict[str, str]:
        parts = urlsplit(endpoint)
        claims = {
            "aud": f"{parts.scheme}://{parts.netloc}",
            "sub": self.subject,
            "exp": int(time.time()) + TOKEN_SECONDS,
        }
        signed: Mapping[str, str] = self._vapid.sign(claims)
        headers = {
            "Authorization": str(signed["Authorization"]),
            "TTL": str(ttl),
            "Urgency": urgency,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
        }
        if topic:
            headers["Topic"] = topic
        return headers

    async def send(
        self,
        subscription: PushSubscription,
        payload: Mapping[str, Any],
        *,
        ttl: int | None = None,
        urgency: Urgency = "normal",
        topic: str = "",
    ) -> int:
        """Deliver `payload` (as JSON) to the push service; returns its HTTP status.

        `topic` (at most 32 base64url characters) lets a newer message replace an undelivered
        older one, for instance one per dossier. Raises `SubscriptionGone` on 404/410,
        `TransientSendError` on 429/5xx and network failures, `PermanentSendError` otherwise.
        """
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        body = encrypt(data, subscription)
        headers = self.headers(
            subscription.endpoint,
            ttl=self.ttl if ttl is None else ttl,
            urgency=urgency,
            topic=topic,
        )
        try:
            response = await self._client.post(subscription.endpoint, content=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientSendError(f"Pushdienst niet bereikbaar: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise TransientSendError(
                f"Geen antwoord van de pushdienst: {exc!r}", maybe_sent=True
            ) from exc
        return _check(response)


def _check(response: httpx.Response) -> int:
    status = response.status_code
    reason = response.text[:500]
    if status in (200, 201, 202):
        return status
    if status in (404, 410):
        raise SubscriptionGone(
            f"Pushabonnement bestaat niet meer (HTTP {status}).", reason=reason, code=str(status)
        )
    if status == 429 or status >= 500:
        raise TransientSendError(
            f"Pushdienst gaf HTTP {status}, later opnieuw.", reason=reason, code=str(status)
        )
    raise PermanentSendError(
        f"Pushdienst weigerde het bericht (HTTP {status}): {reason[:200]}",
        reason=reason,
        code=str(status),
    )


def _public_key(key: ec.EllipticCurvePrivateKey) -> str:
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)
