"""CM.com SMS against a local stand-in for the gateway that checks the request format."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from server.messaging.cm import CmSmsProvider
from server.messaging.errors import PermanentSendError, TransientSendError
from server.messaging.sms import DeliveryStatus, SmsProvider
from tests.messaging import fake_cm
from tests.messaging.servers import free_port, serve

REFERENCE = "DL2025000123S1"


class Gateway:
    def __init__(self, url: str, received: list[dict[str, Any]]) -> None:
        self.url = url
        self.received = received

    def provider(self, **options: Any) -> CmSmsProvider:
        settings: dict[str, Any] = {
            "product_token": fake_cm.TOKEN,
            "sender": "De Linde",
            "url": f"{self.url}/v1.0/message",
        }
        return CmSmsProvider(**{**settings, **options})


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    app = fake_cm.app()
    async with serve(app) as url:
        yield Gateway(url, app.state.received)


async def test_send_posts_cm_json_and_returns_accepted(gateway: Gateway) -> None:
    cm = gateway.provider()
    provider: SmsProvider = cm  # the job sees only the interface
    text = "De Linde: uw melding DL-2025-000123 is ontvangen. Volg: https://x.nl/v/abc"

    result = await provider.send("+31612345678", text, REFERENCE)

    assert result.status is DeliveryStatus.ACCEPTED
    assert result.provider_id == REFERENCE
    assert result.parts == 1
    (body,) = gateway.received
    msg = body["messages"]["msg"][0]
    assert body["messages"]["authentication"] == {"producttoken": fake_cm.TOKEN}
    assert msg["from"] == "De Linde"
    assert msg["to"] == [{"number": "0031612345678"}]
    assert msg["body"] == {"type": "auto", "content": text}
    assert msg["reference"] == REFERENCE
    assert msg["allowedChannels"] == ["SMS"]
    assert (msg["minimumNumberOfMessageParts"], msg["maximumNumberOfMessageParts"]) == (1, 3)
    await cm.aclose()


async def test_sender_override_and_long_text_in_parts(gateway: Gateway) -> None:
    provider = gateway.provider()
    text = "Lange tekst. " * 20  # 260 characters: two parts of 153

    result = await provider.send("+31612345678", text, REFERENCE, sender="Woonstad")

    assert result.parts == 2
    assert gateway.received[0]["messages"]["msg"][0]["from"] == "Woonstad"
    assert gateway.received[0]["messages"]["msg"][0]["body"]["content"] == text.strip()
    await provider.aclose()


async def test_letters_outside_gsm_are_folded(gateway: Gateway) -> None:
    provider = gateway.provider()
    await provider.send("+31612345678", "Daniëlle, uw ‘afspraak’ is geïnformeerd…", REFERENCE)

    content = gateway.received[0]["messages"]["msg"][0]["body"]["content"]
    assert content == "Danielle, uw 'afspraak' is geinformeerd..."
    await provider.aclose()


async def test_server_error_is_transient(gateway: Gateway) -> None:
    provider = gateway.provider()
    with pytest.raises(TransientSendError, match="HTTP 503") as caught:
        await provider.send("+31611111111", "Test", REFERENCE)
    assert caught.value.code == "503"
    assert not caught.value.maybe_sent
    await provider.aclose()


async def test_rate_limit_is_transient(gateway: Gateway) -> None:
    provider = gateway.provider()
    with pytest.raises(TransientSendError, match="HTTP 429"):
        await provider.send("+31644444444", "Test", REFERENCE)
    await provider.aclose()


async def test_rejected_number_is_permanent_with_cm_reason(gateway: Gateway) -> None:
    provider = gateway.provider()
    with pytest.raises(PermanentSendError, match="Recipient is blacklisted") as caught:
        await provider.send("+31622222222", "Test", REFERENCE)
    assert caught.value.reason == "Recipient is blacklisted"
    assert caught.value.code == "402"
    await provider.aclose()


async def test_wrong_product_token_is_permanent(gateway: Gateway) -> None:
    provider = gateway.provider(product_token="not-the-token")
    with pytest.raises(PermanentSendError, match="HTTP 400, code 101") as caught:
        await provider.send("+31612345678", "Test", REFERENCE)
    assert caught.value.reason == "No account found for the given authentication"
    await provider.aclose()


async def test_timeout_is_transient_and_may_have_been_sent(gateway: Gateway) -> None:
    provider = gateway.provider(timeout=0.2)
    with pytest.raises(TransientSendError, match="Geen antwoord") as caught:
        await provider.send("+31633333333", "Test", REFERENCE)
    assert caught.value.maybe_sent
    await provider.aclose()


async def test_unreachable_gateway_is_transient_and_not_sent() -> None:
    provider = CmSmsProvider(
        product_token=fake_cm.TOKEN, sender="De Linde", url=f"http://127.0.0.1:{free_port()}/"
    )
    with pytest.raises(TransientSendError, match="niet bereikbaar") as caught:
        await provider.send("+31612345678", "Test", REFERENCE)
    assert not caught.value.maybe_sent
    await provider.aclose()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0612345678", "niet in E.164"),
        ("+31 6 12345678", "niet in E.164"),
        ("+3161234567", "bestaat niet"),
        ("+31201234567", "kan geen sms ontvangen"),  # a fixed line in Amsterdam
    ],
)
async def test_bad_numbers_are_permanent_and_never_sent(
    gateway: Gateway, number: str, message: str
) -> None:
    provider = gateway.provider()
    with pytest.raises(PermanentSendError, match=message):
        await provider.send(number, "Test", REFERENCE)
    assert gateway.received == []
    await provider.aclose()


async def test_too_long_text_is_refused_before_sending(gateway: Gateway) -> None:
    provider = gateway.provider(max_parts=2)
    with pytest.raises(PermanentSendError, match="Sms te lang: 307 tekens, 3 delen"):
        await provider.send("+31612345678", "x" * 307, REFERENCE)
    with pytest.raises(PermanentSendError, match="Lege sms"):
        await provider.send("+31612345678", "  ", REFERENCE)
    assert gateway.received == []
    await provider.aclose()


@pytest.mark.parametrize("sender", ["Woonstichting", "De-Linde", ""])
def test_sender_must_follow_cm_rules(sender: str) -> None:
    with pytest.raises(ValueError, match="SMS sender"):
        CmSmsProvider(product_token=fake_cm.TOKEN, sender=sender)


async def test_reference_must_follow_cm_rules(gateway: Gateway) -> None:
    provider = gateway.provider()
    with pytest.raises(ValueError, match="1 to 32 letters and digits"):
        await provider.send("+31612345678", "Test", "DL-2025-000123")
    await provider.aclose()
