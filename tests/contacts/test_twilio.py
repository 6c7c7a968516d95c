"""Twilio Voice status callbacks, posted by a local stand-in exactly as Twilio sends them."""

from __future__ import annotations

import httpx
import pytest

from server import settings
from server.contacts import signatures
from server.models import CallEvent, Contact
from tests.contacts.support import NOW, TENANT, WST_LINE
from tests.contacts.twilio_standin import TwilioStandIn, sign
from tests.support import world

pytestmark = pytest.mark.usefixtures("clock")

TOKEN = "test-twilio-auth-token"  # as tests/conftest.py sets TWILIO_AUTH_TOKEN
PARENT = "CA" + "1" * 32
AGENT_LEG = "CA" + "2" * 32
TRANSFER_LEG = "CA" + "3" * 32


def test_signature_matches_twilios_own_example() -> None:
    """The example in twilio-python's tests (tests/unit/test_request_validator.py)."""
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
        "Caller": "+14158675309",
    }
    assert sign("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    signatures.verify_twilio("12345", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    # Twilio may sign with the port; its validators accept both forms.
    signatures.verify_twilio("12345", url, params, "kvajT1Ptam85bY51eRf/AJRuM3w=")


async def test_an_inbound_call_answered_by_an_agent(
    http: httpx.AsyncClient, w: world.World
) -> None:
    twilio = TwilioStandIn(http, TOKEN, settings.BASE_URL, NOW)
    tenant = {"caller": "+31612345678", "called": WST_LINE}
    agent = {"caller": "+31612345678", "called": "client:anna.agent", "parent": PARENT}
    steps = [
        await twilio.callback(PARENT, "ringing", 0, **tenant),
        await twilio.callback(PARENT, "in-progress", 1, **tenant),  # TwiML answered: the queue
        await twilio.callback(AGENT_LEG, "initiated", 9, **agent),
        await twilio.callback(AGENT_LEG, "ringing", 9, **agent),
        await twilio.callback(AGENT_LEG, "in-progress", 21, **agent),
        await twilio.callback(AGENT_LEG, "completed", 201, duration=180, **agent),
        await twilio.callback(PARENT, "completed", 202, duration=202, **tenant),
    ]
    assert [r.status_code for r in steps] == [200] * 7, [r.text for r in steps]
    assert [r.json()["applied"] for r in steps] == [True, False, True, False, True, True, True]
    contact = await Contact.get(call_id=f"twilio:{PARENT}").prefetch_related("client", "agent")
    assert (contact.client.code, contact.caller, contact.line, contact.source) == (
        "WST",
        TENANT,
        WST_LINE,
        "twilio",
    )
    assert (contact.agent.username, contact.state) == ("anna.agent", "nawerk")
    assert (contact.wait_seconds, contact.talk_seconds) == (21, 180)
    kept = await CallEvent.filter(contact_id=contact.id).order_by("at", "id").first()
    assert kept.data["CallSid"] == PARENT and "AccountSid" not in kept.data


async def test_a_repeated_callback_is_applied_once_and_order_does_not_matter(
    http: httpx.AsyncClient, w: world.World
) -> None:
    twilio = TwilioStandIn(http, TOKEN, settings.BASE_URL, NOW)
    tenant = {"caller": "+31612345678", "called": WST_LINE}
    agent = {"caller": "+31612345678", "called": "client:anna.agent", "parent": PARENT}
    await twilio.callback(AGENT_LEG, "completed", 100, duration=70, **agent)
    await twilio.callback(AGENT_LEG, "in-progress", 30, **agent)
    await twilio.callback(AGENT_LEG, "in-progress", 30, **agent)  # Twilio retried
    await twilio.callback(PARENT, "ringing", 0, **tenant)
    contact = await Contact.get(call_id=f"twilio:{PARENT}")
    assert (contact.wait_seconds, contact.talk_seconds) == (30, 70)
    assert await CallEvent.filter(contact_id=contact.id).count() == 3


async def test_a_transfer_leg_and_a_missed_call(http: httpx.AsyncClient, w: world.World) -> None:
    twilio = TwilioStandIn(http, TOKEN, settings.BASE_URL, NOW)
    tenant = {"caller": "+31612345678", "called": WST_LINE}
    await twilio.callback(PARENT, "ringing", 0, **tenant)
    await twilio.callback(
        TRANSFER_LEG, "initiated", 40, caller=WST_LINE, called="+31302636363", parent=PARENT
    )
    contact = await Contact.get(call_id=f"twilio:{PARENT}")
    assert (contact.transferred_to, contact.transferred_name) == (
        "+31302636363",
        "Klantenservice Woonstad",
    )
    other = "CA" + "9" * 32
    await twilio.callback(other, "ringing", 50, **tenant)
    await twilio.callback(other, "no-answer", 95, **tenant)
    missed = await Contact.get(call_id=f"twilio:{other}")
    assert (missed.state, missed.wait_seconds) == ("gemist", 45)


async def test_unsigned_wrong_or_stale_callbacks_are_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    twilio = TwilioStandIn(http, TOKEN, settings.BASE_URL, NOW)
    params = {"CallSid": PARENT, "CallStatus": "ringing", "From": TENANT, "To": WST_LINE}
    wrong = await twilio.post(params, signature="bm90IHRoZSBzaWduYXR1cmU=")
    assert wrong.status_code == 403
    assert wrong.json()["error"]["message"] == "Handtekening klopt niet."
    unsigned = await http.post("/api/v1/telephony/twilio", data=params)
    assert unsigned.json()["error"]["message"] == "Handtekening ontbreekt (X-Twilio-Signature)."
    old = TwilioStandIn(http, TOKEN, settings.BASE_URL, NOW.replace(hour=11))
    stale = await old.callback(PARENT, "ringing", 0, caller=TENANT, called=WST_LINE)
    assert stale.status_code == 403
    assert stale.json()["error"] == {
        "message": "Timestamp is ouder dan 300 seconden: niet verwerkt.",
        "field": "Timestamp",
    }
    assert await Contact.all().count() == 0
