"""A local stand-in for Twilio: it posts Voice status callbacks the way Twilio does,
form-encoded with the parameters Twilio documents, signed with X-Twilio-Signature (HMAC-SHA1
over the URL and the sorted parameters, base64) under the account's auth token.

Sources: twilio.com/docs/usage/webhooks/voice-webhooks (status callback parameters),
twilio.com/docs/voice/api/call-resource (StatusCallbackEvent, CallStatus values),
twilio.com/docs/usage/webhooks/webhooks-security (the signature). The signing here is written
from that description, independently of the server's check, and tested against the example in
Twilio's own Python library (tests/contacts/test_twilio.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlencode

import httpx

ACCOUNT = "AC" + "0" * 32
PATH = "/api/v1/telephony/twilio"


def sign(token: str, url: str, params: dict[str, str]) -> str:
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


class TwilioStandIn:
    """Plays one inbound call: the tenant's leg to the client's number, and the legs Twilio
    dials for `<Dial><Client>` (an agent) or `<Dial><Number>` (a transfer)."""

    def __init__(self, http: httpx.AsyncClient, token: str, base_url: str, start: datetime):
        self.http, self.token, self.base_url, self.start = http, token, base_url, start
        self.sequence: dict[str, int] = {}

    async def callback(
        self,
        sid: str,
        status: str,
        seconds: int,
        *,
        caller: str,
        called: str,
        parent: str = "",
        duration: int | None = None,
    ) -> httpx.Response:
        number = self.sequence.get(sid, 0)
        self.sequence[sid] = number + 1
        params = {
            "AccountSid": ACCOUNT,
            "ApiVersion": "2010-04-01",
            "CallSid": sid,
            "CallStatus": status,
            "Called": called,
            "Caller": caller,
            "Direction": "outbound-dial" if parent else "inbound",
            "From": caller,
            "To": called,
            "CallbackSource": "call-progress-events",
            "SequenceNumber": str(number),
            "Timestamp": format_datetime(self.start + timedelta(seconds=seconds), usegmt=True),
        }
        if parent:
            params["ParentCallSid"] = parent
        if duration is not None:
            params["CallDuration"] = str(duration)
            params["Duration"] = str((duration + 59) // 60)
        return await self.post(params)

    async def post(self, params: dict[str, str], signature: str | None = None) -> httpx.Response:
        url = self.base_url + PATH
        return await self.http.post(
            PATH,
            content=urlencode(params),
            headers={
                "content-type": "application/x-www-form-urlencoded",
                "x-twilio-signature": signature or sign(self.token, url, params),
                "user-agent": "TwilioProxy/1.1",
            },
        )
