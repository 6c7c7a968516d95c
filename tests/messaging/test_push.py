"""Web Push to a local push service: the test decrypts the payload as a browser would."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.messaging.errors import PermanentSendError, SubscriptionGone, TransientSendError
from server.messaging.push import (
    MAX_PAYLOAD,
    PushSubscription,
    WebPushSender,
    b64url,
    b64url_decode,
    generate_vapid_keys,
)
from server.messaging.samples import SAMPLES
from server.messaging.templates import render_push

SUBJECT = "mailto:beheer@meldkamer.example.nl"
# What the local push service answers per subscription path.
ANSWERS = {"ok": 201, "weg": 410, "onbekend": 404, "druk": 503, "te-veel": 429, "fout": 400}


@dataclass
class PushService:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@dataclass
class Browser:
    """A subscribed browser: its private key decrypts what the push service hands it."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, endpoint: str) -> PushSubscription:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return PushSubscription(endpoint=endpoint, p256dh=b64url(point), auth=b64url(self.auth))

    def decrypt(self, body: bytes) -> Any:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
async def service() -> AsyncIterator[PushService]:
    from tests.messaging.servers import serve

    received: list[tuple[dict[str, str], bytes]] = []

    async def push(request: Request) -> Response:
        received.append((dict(request.headers), await request.body()))
        return Response(status_code=ANSWERS[request.path_params["name"]])

    app = Starlette(routes=[Route("/push/{name}", push, methods=["POST"])])
    async with serve(app) as url:
        yield PushService(url, received)


@pytest.fixture
async def sender() -> AsyncIterator[WebPushSender]:
    keys = generate_vapid_keys()
    push = WebPushSender(private_key=keys.private_key, subject=SUBJECT)
    yield push
    await push.aclose()


def verify_vapid(authorization: str, audience: str, public_key: str) -> dict[str, Any]:
    """Check the RFC 8292 header the way a push service does; returns the JWT claims."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    # RFC 8292: auth-params separated by a comma and optional white space.
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header_b64, claims_b64, signature_b64 = fields["t"].split(".")
    assert json.loads(b64url_decode(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = b64url_decode(signature_b64)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims: dict[str, Any] = json.loads(b64url_decode(claims_b64))
    assert claims["aud"] == audience
    assert claims["sub"] == SUBJECT
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    return claims


async def test_payload_arrives_encrypted_and_signed(
    service: PushService, sender: WebPushSender
) -> None:
    browser = Browser()
    content = render_push(SAMPLES["monteur_onderweg"])

    status = await sender.send(
        browser.subscription(f"{service.url}/push/ok"),
        content.payload(),
        urgency="high",
        topic="DL2025000123",
    )

    assert status == 201
    ((headers, body),) = service.received
    assert browser.decrypt(body) == {
        "title": "De monteur is onderweg",
        "body": "Ahmed komt rond 09:40 aan (melding DL-2025-000123).",
        "url": "https://meldkamer.example.nl/volg/voorbeeld",
        "tag": "DL-2025-000123",
    }
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(24 * 3600)
    assert headers["urgency"] == "high"
    assert headers["topic"] == "DL2025000123"
    verify_vapid(headers["authorization"], service.url, sender.public_key)
    # Only the subscription's own key opens it.
    with pytest.raises(http_ece.ECEException):
        Browser().decrypt(body)


async def test_each_message_is_encrypted_afresh(
    service: PushService, sender: WebPushSender
) -> None:
    browser = Browser()
    subscription = browser.subscription(f"{service.url}/push/ok")
    await sender.send(subscription, {"title": "x"}, ttl=60)
    await sender.send(subscription, {"title": "x"}, ttl=60)

    (h1, first), (h2, second) = service.received
    assert first != second
    assert browser.decrypt(first) == browser.decrypt(second) == {"title": "x"}
    assert h1["ttl"] == "60"


@pytest.mark.parametrize("name", ["weg", "onbekend"])
async def test_gone_subscription(service: PushService, sender: WebPushSender, name: str) -> None:
    with pytest.raises(SubscriptionGone, match=f"HTTP {ANSWERS[name]}"):
        await sender.send(Browser().subscription(f"{service.url}/push/{name}"), {"title": "x"})


@pytest.mark.parametrize(
    ("name", "error"),
    [("druk", TransientSendError), ("te-veel", TransientSendError), ("fout", PermanentSendError)],
)
async def test_other_answers(
    service: PushService, sender: WebPushSender, name: str, error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        await sender.send(Browser().subscription(f"{service.url}/push/{name}"), {"title": "x"})
    assert not isinstance(caught.value, SubscriptionGone)


async def test_payload_too_large(service: PushService, sender: WebPushSender) -> None:
    subscription = Browser().subscription(f"{service.url}/push/ok")
    await sender.send(subscription, {"t": "x" * (MAX_PAYLOAD - 8)})  # {"t":""} is 8 bytes
    with pytest.raises(ValueError, match="push payload"):
        await sender.send(subscription, {"t": "x" * (MAX_PAYLOAD - 7)})
    assert len(service.received) == 1
    assert len(service.received[0][1]) == 4096


def test_vapid_keys_for_settings_and_browser() -> None:
    keys = generate_vapid_keys()

    secret = b64url_decode(keys.private_key)
    public = b64url_decode(keys.public_key)
    assert len(secret) == 32
    assert len(public) == 65 and public[0] == 4
    pem_key = serialization.load_pem_private_key(keys.private_pem.encode(), password=None)
    assert isinstance(pem_key, ec.EllipticCurvePrivateKey)
    assert pem_key.private_numbers().private_value == int.from_bytes(secret, "big")
    # Either form configures the same sender, with the key the browser subscribes with.
    for private in (keys.private_key, keys.private_pem):
        assert WebPushSender(private_key=private, subject=SUBJECT).public_key == keys.public_key
    assert generate_vapid_keys().private_key != keys.private_key


@pytest.mark.parametrize(
    ("private_key", "subject", "message"),
    [
        (b64url(b"kort"), SUBJECT, "base64url of 32 bytes"),
        (None, "beheer@meldkamer.example.nl", "a mailto: address"),
        # The webpush package's VAPID claims name a mailto: contact only.
        (None, "https://meldkamer.example.nl/beheer", "a mailto: address"),
    ],
)
def test_bad_configuration(private_key: str | None, subject: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebPushSender(private_key=private_key or generate_vapid_keys().private_key, subject=subject)


def test_subscription_from_browser_json() -> None:
    browser = Browser()
    made = browser.subscription("https://fcm.googleapis.com/fcm/send/abc")
    data = {
        "endpoint": made.endpoint,
        "expirationTime": None,
        "keys": {"p256dh": made.p256dh, "auth": made.auth},
    }
    assert PushSubscription.from_json(data) == made
    with pytest.raises(ValueError, match="https://"):
        PushSubscription.from_json({**data, "endpoint": "http://evil.example/"})
    with pytest.raises(ValueError, match="auth"):
        PushSubscription.from_json({**data, "keys": {"p256dh": made.p256dh, "auth": "AAAA"}})
    with pytest.raises(ValueError, match="without keys"):
        PushSubscription.from_json({"endpoint": made.endpoint})
    assert base64.urlsafe_b64decode(made.auth + "==") == browser.auth
