"""A contact (klantcontact) and its call: what the telephony platform reports, and the times,
seconds and state the meldkamer counts by.

Call events may arrive twice or in any order. The times are always recomputed from every
event of the call seen so far (`fold`), so a late 'answered' after an 'ended' still gives the
right wait and talk time, and a duplicate changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CallEventKind(StrEnum):
    OFFERED = "offered"
    ANSWERED = "answered"
    TRANSFERRED = "transferred"
    ENDED = "ended"


class ContactChannel(StrEnum):
    TELEFOON_IN = "telefoon_in"
    TELEFOON_UIT = "telefoon_uit"
    EMAIL = "email"
    WEB = "web"
    APP = "app"


CONTACT_CHANNEL_LABELS: dict[str, str] = {
    "telefoon_in": "Telefoon in",
    "telefoon_uit": "Telefoon uit",
    "email": "E-mail",
    "web": "Web",
    "app": "App",
}

# A dossier's channel (server.domain.codes.Channel) as the channel of the contact it came in by.
CONTACT_CHANNEL_OF_DOSSIER: dict[str, str] = {
    "telefoon": "telefoon_in",
    "email": "email",
    "web": "web",
    "app": "app",
}


class ContactState(StrEnum):
    AANGEBODEN = "aangeboden"  # ringing at an agent or waiting in the queue
    IN_GESPREK = "in_gesprek"  # answered, or started by hand at the desk
    NAWERK = "nawerk"  # the call ended, the result is not registered yet (wrap-up)
    AFGEROND = "afgerond"  # ended and registered with a result code
    GEMIST = "gemist"  # ended before anyone answered (abandoned)


CONTACT_STATE_LABELS: dict[str, str] = {
    "aangeboden": "Gaat over",
    "in_gesprek": "In gesprek",
    "nawerk": "Nawerk",
    "afgerond": "Afgerond",
    "gemist": "Niet aangenomen",
}


def state_label(channel: str, state: str) -> str:
    """How a contact's state reads: an e-mail is not 'in gesprek' but waiting for the desk."""
    if channel == ContactChannel.EMAIL and state == ContactState.IN_GESPREK:
        return "Te behandelen"
    return CONTACT_STATE_LABELS.get(state, state)


OPEN_STATES = frozenset({ContactState.AANGEBODEN, ContactState.IN_GESPREK, ContactState.NAWERK})

# The service level norm (seed 002): 80% of calls answered within this many seconds.
SERVICE_LEVEL_SECONDS = 30


@dataclass(frozen=True)
class CallEvent:
    kind: CallEventKind
    at: datetime
    # The agent as the platform names him (a username or e-mail address); "" for the queue.
    agent: str = ""
    # The number transferred to (transferred events only).
    transferred_to: str = ""


@dataclass(frozen=True)
class CallTimes:
    offered_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    # Whom the call is with: the agent who answered, else the one it was offered to last.
    agent: str
    transferred_to: str
    transferred_at: datetime | None


def fold(events: Iterable[CallEvent]) -> CallTimes:
    """The call's times from all its events, whatever order they came in.

    Offered is the first moment anything is known of the call; answered the first answer;
    ended the first end (when the call left the meldkamer's agent: a caller transferred on
    stays connected elsewhere, which is not the meldkamer's talk time).
    """
    seen = sorted(events, key=lambda e: (e.at, e.kind.value, e.agent, e.transferred_to))
    if not seen:
        raise ValueError("a call has at least one event")
    answers = [e for e in seen if e.kind == CallEventKind.ANSWERED]
    ends = [e for e in seen if e.kind == CallEventKind.ENDED]
    offers = [e for e in seen if e.kind == CallEventKind.OFFERED and e.agent]
    transfers = [e for e in seen if e.kind == CallEventKind.TRANSFERRED]
    answered = answers[0] if answers else None
    agent = answered.agent if answered and answered.agent else (offers[-1].agent if offers else "")
    return CallTimes(
        offered_at=seen[0].at,
        answered_at=answered.at if answered else None,
        ended_at=ends[0].at if ends else None,
        agent=agent,
        transferred_to=transfers[-1].transferred_to if transfers else "",
        transferred_at=transfers[-1].at if transfers else None,
    )


@dataclass(frozen=True)
class ContactFacts:
    """What is known of a contact: its times, and when (if) its result was registered.

    `by_hand` is a contact the desk started without telephony: it has no ringing and no end
    of its own; registering it ends it.
    """

    offered_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    registered_at: datetime | None
    by_hand: bool = False


@dataclass(frozen=True)
class Derived:
    state: ContactState
    closed_at: datetime | None
    wait_seconds: int | None
    talk_seconds: int | None
    wrap_seconds: int | None


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, round((end - start).total_seconds()))


def derive(facts: ContactFacts) -> Derived:
    """State and seconds of a contact, kept in columns so reports read them without replaying.

    A call is finished once it has ended and its result is registered, in either order: a
    result registered during the call (a dossier made while talking) closes it when it ends,
    with no wrap-up time. A call that ended unanswered is missed, with its wait until then.
    """
    if facts.by_hand:
        ended = facts.ended_at or facts.registered_at
        state = ContactState.AFGEROND if facts.registered_at else ContactState.IN_GESPREK
        closed = facts.registered_at if state == ContactState.AFGEROND else None
        return Derived(state, closed, None, _seconds(facts.answered_at, ended), None)
    if facts.ended_at is None:
        state = ContactState.IN_GESPREK if facts.answered_at else ContactState.AANGEBODEN
        return Derived(state, None, _seconds(facts.offered_at, facts.answered_at), None, None)
    if facts.answered_at is None:
        state = ContactState.AFGEROND if facts.registered_at else ContactState.GEMIST
        closed = max(facts.ended_at, facts.registered_at) if facts.registered_at else None
        return Derived(state, closed, _seconds(facts.offered_at, facts.ended_at), None, None)
    wait = _seconds(facts.offered_at, facts.answered_at)
    talk = _seconds(facts.answered_at, facts.ended_at)
    if facts.registered_at is None:
        return Derived(ContactState.NAWERK, None, wait, talk, None)
    closed = max(facts.ended_at, facts.registered_at)
    return Derived(ContactState.AFGEROND, closed, wait, talk, _seconds(facts.ended_at, closed))


def answered_in_time(wait_seconds: int | None, answered: bool) -> bool:
    """Whether a call counts towards the service level: answered within the norm."""
    return answered and wait_seconds is not None and wait_seconds <= SERVICE_LEVEL_SECONDS
