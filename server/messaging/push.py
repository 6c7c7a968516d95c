"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291).

The `webpush` package encrypts the payload and signs the VAPID header; the request is sent by
httpx like every other call of ours, with the headers the package leaves out (Urgency, Topic).
Its VAPID claims always name a `mailto:` contact, so VAPID_SUBJECT must be one.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from webpush import WebPush
from webpush.types import WebPushKeys, WebPushSubscription

from server.messaging.errors import PermanentSendError, SubscriptionGone, TransientSendError

# A push message body is at most 4096 bytes; the aes128gcm header (86) and the one record's
# padding delimiter and tag (17) leave this much for the JSON payload.
MAX_PAYLOAD = 4096 - 86 - 17
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


class WebPushSender:
    """Send push messages signed with our VAPID key. One per worker; `aclose` at shutdown.

    `private_key` is base64url (as `generate_vapid_keys` makes) or PEM; `subject` is the
    `mailto:` address the push service can contact about our messages.
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
        if not (subject.startswith("mailto:") and "@" in subject):
            raise ValueError(f"VAPID subject {subject!r}: a mailto: address")
        self._key = load_private_key(private_key)
        self._webpush = WebPush(
            private_key=self._key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            public_key=self._key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
            subscriber=subject.removeprefix("mailto:"),
            expiration=TOKEN_SECONDS,
        )
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

    def _authorization(self, endpoint: str, made: Mapping[str, str]) -> str:
        """The package's VAPID header, except for an endpoint on a port of its own: webpush
        1.0.6 leaves the port out of the token's audience, where RFC 8292 wants the origin
        (a push service on :443 does not notice; one on another port refuses it)."""
        parts = urlsplit(endpoint)
        if parts.port is None:
            return str(made["authorization"])
        return str(
            self._webpush.vapid.get_authorization_header(
                endpoint=_Origin(parts.scheme, parts.netloc),
                subscriber=self.subject.removeprefix("mailto:"),
                expiration=TOKEN_SECONDS,
            )
        )

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
        if len(data) > MAX_PAYLOAD:
            raise ValueError(f"push payload of {len(data)} bytes; at most {MAX_PAYLOAD}")
        message = self._webpush.get(
            data,
            WebPushSubscription(
                endpoint=subscription.endpoint,
                keys=WebPushKeys(auth=subscription.auth, p256dh=subscription.p256dh),
            ),
        )
        headers = {
            "Authorization": self._authorization(subscription.endpoint, message.headers),
            "TTL": str(self.ttl if ttl is None else ttl),
            "Urgency": urgency,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
        }
        if topic:
            headers["Topic"] = topic
        try:
            response = await self._client.post(
                subscription.endpoint, content=message.encrypted, headers=headers
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientSendError(f"Pushdienst niet bereikbaar: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise TransientSendError(
                f"Geen antwoord van de pushdienst: {exc!r}", maybe_sent=True
            ) from exc
        return _check(response)


@dataclass(frozen=True)
class _Origin:
    """What webpush's VAPID reads of an endpoint to make the audience: `scheme://host`."""

    scheme: str
    host: str


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
