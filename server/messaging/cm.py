"""CM.com's Business Messaging API as an `SmsProvider` (docs/messaging.md shows the format).

One JSON POST per text to the gateway; the product token goes in the body. CM answers per
message with Accepted or Rejected; delivery comes later as a status report on our webhook,
carrying the reference we sent. CM returns no message id of its own, so the reference is the
provider id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import httpx

from server.messaging import gsm
from server.messaging.errors import PermanentSendError, TransientSendError
from server.messaging.numbers import check_mobile
from server.messaging.sms import DeliveryReport, DeliveryStatus, InvalidDeliveryReport, SendResult

CM_GATEWAY_URL = "https://gw.messaging.cm.com/v1.0/message"
# CM's rules: an alphanumeric sender of at most 11 characters, or a number of at most 16 digits;
# a reference of 1-32 letters and digits.
SENDER = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}|\+?[0-9]{1,16}")
REFERENCE = re.compile(r"[A-Za-z0-9]{1,32}")
# CM's longest concatenated text is 8 parts; we stop at 3 by default (459 GSM characters)
# because every part is billed and a tenant reads a short text.
MAX_PARTS = 8
# Body errorCodes after which a later try can succeed: CM's internal and unknown errors.
_TRANSIENT_CODES = {500, 999}
# Status report codes (CM "Incoming status reports"): 4 = read and 5 = interpreted are for
# other channels and mean the message arrived.
_REPORT_STATUS = {
    "0": DeliveryStatus.ACCEPTED,
    "1": DeliveryStatus.REJECTED,
    "2": DeliveryStatus.DELIVERED,
    "3": DeliveryStatus.FAILED,
    "4": DeliveryStatus.DELIVERED,
    "5": DeliveryStatus.DELIVERED,
}


def check_sender(sender: str) -> str:
    if not SENDER.fullmatch(sender):
        raise ValueError(
            f"SMS sender {sender!r}: at most 11 letters, digits or spaces, or a number of at "
            "most 16 digits"
        )
    return sender


def cm_number(to_e164: str) -> str:
    """`+31612345678` -> `0031612345678`, the international form in CM's examples."""
    return "00" + to_e164[1:]


def e164_number(cm: str) -> str:
    return "+" + cm[2:] if cm.startswith("00") else cm


def cm_request(
    *, product_token: str, sender: str, to_e164: str, text: str, reference: str, max_parts: int
) -> dict[str, Any]:
    """The JSON body for one text to one number."""
    return {
        "messages": {
            "authentication": {"producttoken": product_token},
            "msg": [
                {
                    "allowedChannels": ["SMS"],
                    "from": sender,
                    "to": [{"number": cm_number(to_e164)}],
                    "body": {"type": "auto", "content": text},
                    "reference": reference,
                    "minimumNumberOfMessageParts": 1,
                    "maximumNumberOfMessageParts": max_parts,
                }
            ],
        }
    }


class CmSmsProvider:
    """Send texts through CM.com. Create one per worker and `aclose` it at shutdown.

    `url` is the gateway address (tests point it at a local server); `max_parts` limits how
    long a text may be: a longer one is refused before anything is sent.
    """

    def __init__(
        self,
        *,
        product_token: str,
        sender: str,
        url: str = CM_GATEWAY_URL,
        max_parts: int = 3,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not product_token:
            raise ValueError("CM.com needs a product token")
        if not 1 <= max_parts <= MAX_PARTS:
            raise ValueError(f"max_parts {max_parts}: CM.com sends 1 to {MAX_PARTS} parts")
        self.product_token = product_token
        self.sender = check_sender(sender)
        self.url = url
        self.max_parts = max_parts
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    async def send(
        self, to_e164: str, text: str, reference: str, *, sender: str | None = None
    ) -> SendResult:
        """Send `text` to `to_e164`; `sender` overrides the default (a client's own name)."""
        if not REFERENCE.fullmatch(reference):
            raise ValueError(f"SMS reference {reference!r}: 1 to 32 letters and digits")
        check_mobile(to_e164)
        text = gsm.fold(text.strip())
        parts = gsm.parts(text)
        if parts == 0:
            raise PermanentSendError("Lege sms: er is geen tekst om te versturen.")
        if parts > self.max_parts:
            raise PermanentSendError(
                f"Sms te lang: {gsm.length(text)} tekens, {parts} delen (maximaal "
                f"{self.max_parts})."
            )
        body = cm_request(
            product_token=self.product_token,
            sender=check_sender(sender) if sender else self.sender,
            to_e164=to_e164,
            text=text,
            reference=reference,
            max_parts=self.max_parts,
        )
        try:
            response = await self._client.post(self.url, json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientSendError(f"CM.com niet bereikbaar: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise TransientSendError(f"Geen antwoord van CM.com: {exc!r}", maybe_sent=True) from exc
        return _result(response, reference)

    def parse_delivery_report(self, data: Mapping[str, Any]) -> DeliveryReport:
        return parse_delivery_report(data)


def _result(response: httpx.Response, reference: str) -> SendResult:
    status = response.status_code
    if status >= 500 or status in (408, 429):
        raise TransientSendError(
            f"CM.com gaf HTTP {status}, later opnieuw.",
            reason=response.text[:500],
            code=str(status),
        )
    try:
        answer = response.json()
    except json.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict):
        if status >= 400:
            raise PermanentSendError(
                f"CM.com weigerde de sms (HTTP {status}): {response.text[:200]}",
                reason=response.text[:500],
                code=str(status),
            )
        raise TransientSendError(
            f"Onverwacht antwoord van CM.com (HTTP {status}).", maybe_sent=True
        )
    messages = answer.get("messages") or []
    message = messages[0] if messages and isinstance(messages[0], dict) else {}
    reason = str(message.get("messageDetails") or answer.get("details") or "")
    code = message.get("messageErrorCode") or answer.get("errorCode") or 0
    if status >= 400 or message.get("status") != "Accepted":
        error = TransientSendError if code in _TRANSIENT_CODES else PermanentSendError
        raise error(
            f"CM.com weigerde de sms (HTTP {status}, code {code}): {reason}",
            reason=reason,
            code=str(code),
        )
    return SendResult(
        provider_id=str(message.get("reference") or reference),
        status=DeliveryStatus.ACCEPTED,
        parts=int(message.get("parts") or 1),
    )


def parse_delivery_report(data: Mapping[str, Any]) -> DeliveryReport:
    """A CM status report: the JSON body, or the flat parameters of a GET report."""
    messages = data.get("messages")
    if isinstance(messages, Mapping):
        msg = messages.get("msg")
        if isinstance(msg, list) and len(msg) == 1:
            msg = msg[0]
        if not isinstance(msg, Mapping):
            raise InvalidDeliveryReport("Statusrapport zonder messages.msg.")
        status = msg.get("status")
        status = status if isinstance(status, Mapping) else {}
        reference, to = msg.get("reference"), msg.get("to")
        code = status.get("code")
        error_code, description = status.get("errorCode"), status.get("errorDescription")
    else:
        flat = {key.lower(): value for key, value in data.items()}
        reference, to = flat.get("reference"), flat.get("to")
        code = flat.get("statuscode")
        error_code, description = flat.get("errorcode"), flat.get("errordescription")
    if not reference:
        raise InvalidDeliveryReport("Statusrapport zonder reference.")
    if code is None or str(code) == "":
        raise InvalidDeliveryReport(f"Statusrapport voor {reference} zonder statuscode.")
    reason = " ".join(
        part for part in (str(description or ""), f"({error_code})" if error_code else "") if part
    )
    return DeliveryReport(
        reference=str(reference),
        status=_REPORT_STATUS.get(str(code), DeliveryStatus.UNKNOWN),
        reason=reason,
        to_e164=e164_number(str(to or "")),
    )
