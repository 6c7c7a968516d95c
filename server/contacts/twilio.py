"""Twilio Voice status callbacks as call events (docs/contacts.md, "Twilio").

Twilio posts form fields for every status change it was asked to report (statusCallbackEvent
initiated, ringing, answered, completed; twilio.com/docs/voice/api/call-resource and
twilio.com/docs/usage/webhooks/voice-webhooks). A meldkamer on Twilio has two legs per call:

- the tenant's call to the client's number (Direction "inbound", no ParentCallSid): queued or
  ringing is the call offered to the meldkamer, completed/busy/no-answer/canceled/failed its
  end; in-progress only means Twilio's own TwiML answered (the queue), not an agent;
- the leg TwiML `<Dial><Client>anna.agent</Client></Dial>` rings at an agent (ParentCallSid
  is the tenant's call, To is "client:<identity>", the identity being the desk username):
  initiated/ringing is the call offered to that agent, in-progress answered, completed ended;
  a leg `<Dial><Number>` to a phone number is the caller being transferred there.

A call we place ourselves (Direction "outbound-api") is a contact "telefoon uit".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from server.contacts.call_events import CallEventInput
from server.domain.calls import CallEventKind
from server.domain.errors import BadRequest

CLIENT_PREFIX = "client:"
ENDED = frozenset({"completed", "busy", "no-answer", "canceled", "failed"})
OFFERED = frozenset({"queued", "initiated", "ringing"})
# Form fields kept with the event (what Twilio sent, minus the account's identifiers).
KEPT = (
    "CallSid",
    "ParentCallSid",
    "CallStatus",
    "Direction",
    "From",
    "To",
    "Timestamp",
    "SequenceNumber",
    "CallDuration",
)


def moment(params: Mapping[str, str], now: datetime) -> datetime:
    """Twilio's Timestamp (RFC 2822) on status callbacks; the first webhook of an incoming
    call has none, and is sent as it happens."""
    raw = params.get("Timestamp", "").strip()
    if not raw:
        return now
    try:
        at = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        raise BadRequest(f"Timestamp '{raw}' is geen tijdstip (RFC 2822).", "Timestamp") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def events(params: Mapping[str, str], now: datetime) -> list[CallEventInput]:
    """The call events one callback means: none (a status we do not count), or one."""
    sid = params.get("CallSid", "").strip()
    status = params.get("CallStatus", "").strip()
    if not sid or not status:
        raise BadRequest("Geen Twilio-statusbericht: CallSid en CallStatus ontbreken.", "CallSid")
    parent = params.get("ParentCallSid", "").strip()
    direction = params.get("Direction", "").strip()
    to, frm = params.get("To", "").strip(), params.get("From", "").strip()
    at = moment(params, now)
    data = {k: params[k] for k in KEPT if k in params}

    def event(call: str, kind: CallEventKind, **more: object) -> list[CallEventInput]:
        return [CallEventInput("twilio", call[:100], kind, at, data=data, **more)]  # type: ignore[arg-type]

    if parent:
        if to.startswith(CLIENT_PREFIX):
            agent = to[len(CLIENT_PREFIX) :]
            if status in OFFERED:
                return event(parent, CallEventKind.OFFERED, agent=agent)
            if status == "in-progress":
                return event(parent, CallEventKind.ANSWERED, agent=agent)
            if status == "completed":
                return event(parent, CallEventKind.ENDED, agent=agent)
            return []  # not answered there: the call rings on elsewhere, or ends on its own
        if status in OFFERED or status == "in-progress":
            return event(parent, CallEventKind.TRANSFERRED, transferred_to=to)
        return []
    if direction.startswith("outbound"):
        kind = {"in-progress": CallEventKind.ANSWERED}.get(status)
        kind = kind or (CallEventKind.OFFERED if status in OFFERED else None)
        kind = kind or (CallEventKind.ENDED if status in ENDED else None)
        if kind is None:
            return []
        return event(sid, kind, caller=to, line=frm, outbound=True)
    if status in OFFERED:
        return event(sid, CallEventKind.OFFERED, caller=frm, line=to)
    if status in ENDED:
        return event(sid, CallEventKind.ENDED, caller=frm, line=to)
    return []
