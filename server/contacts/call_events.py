"""Applying what the telephony platform reports: one contact per call, its times recomputed
from every event seen (server.domain.calls.fold).

Replay safe: an event already seen (same call, kind, moment and agent) is acknowledged and
changes nothing. Out-of-order safe: the times never depend on the order of arrival. Writers
of one call are serialised by a lock on its contact's row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Lower
from tortoise.transactions import in_transaction

from server.contacts import contact_live, contacts, lines, transfers
from server.domain.calls import CallEvent as Event
from server.domain.calls import CallEventKind, ContactChannel, ContactState, fold
from server.domain.errors import Unprocessable
from server.domain.roles import DESK_ROLES
from server.models import CallEvent, Contact, User

# How far from the server's clock an event's moment may lie: a platform catching up after an
# outage sends old events; a moment far outside is a wrong clock or a wrong field.
PAST = timedelta(days=30)
FUTURE = timedelta(minutes=10)
SOURCES = ("api", "twilio")


@dataclass(frozen=True)
class CallEventInput:
    source: str
    call_id: str
    kind: CallEventKind
    at: datetime
    caller: str = ""  # the other party (the tenant), as sent
    line: str = ""  # our number: dialled by the tenant, or calling out
    agent: str = ""
    transferred_to: str = ""
    outbound: bool = False
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Applied:
    contact: Contact
    applied: bool
    warnings: list[str]


def check_moment(at: datetime, now: datetime) -> None:
    if at.tzinfo is None:
        raise Unprocessable("at: geef het tijdstip met tijdzone (ISO 8601).", "at")
    if at > now + FUTURE:
        raise Unprocessable(f"at: {at.isoformat()} ligt in de toekomst.", "at")
    if at < now - PAST:
        raise Unprocessable(f"at: {at.isoformat()} ligt meer dan 30 dagen terug.", "at")


async def apply(event: CallEventInput, now: datetime | None = None) -> Applied:
    now = now or datetime.now(UTC)
    check_moment(event.at, now)
    contact, warnings = await _contact_for(event, now)
    before = contact.agent_id
    async with in_transaction() as conn:
        row = await Contact.select_for_update().using_db(conn).get(id=contact.id)
        seen = (
            await CallEvent.filter(
                contact_id=row.id, kind=event.kind.value, at=event.at, agent=event.agent
            )
            .using_db(conn)
            .exists()
        )
        if seen:
            return Applied(row, False, [])
        await CallEvent.create(
            contact=row,
            kind=event.kind.value,
            at=event.at,
            agent=event.agent,
            transferred_to=lines.party(event.transferred_to),
            received_at=now,
            data=event.data,
            using_db=conn,
        )
        history = await CallEvent.filter(contact_id=row.id).using_db(conn)
        times = fold(Event(CallEventKind(e.kind), e.at, e.agent, e.transferred_to) for e in history)
        row.offered_at = times.offered_at
        row.answered_at = times.answered_at
        row.ended_at = times.ended_at
        if times.agent and times.agent != row.agent_ref:
            agent = await _agent(times.agent)
            row.agent_ref = times.agent
            row.agent_id = agent.id if agent else None
            row.agent_name = str(agent) if agent else ""
            if agent is None:
                warnings.append(
                    f"Medewerker '{times.agent}' is onbekend; het contact staat zonder medewerker."
                )
        if times.transferred_to and times.transferred_to != row.transferred_to:
            row.transferred_to = times.transferred_to[:20]
            row.transferred_name = await transfers.name_of(row.client_id, times.transferred_to)
            row.transferred_at = times.transferred_at
        await _fill_in(row, event)
        contacts.rederive(row)
        await row.save(using_db=conn)
    if before is not None and before != row.agent_id:
        await contact_live.gone(row, before)
    await contacts.committed(row, event.kind.value)
    return Applied(row, True, warnings)


async def _fill_in(row: Contact, event: CallEventInput) -> None:
    """What the call's first event lacked (a transfer reported before the offer): the caller,
    our line, and the client that line decides."""
    if not row.caller and event.caller:
        row.caller = lines.party(event.caller)
    if not row.line and event.line:
        row.line = lines.party(event.line)
        if row.client_id is None:
            client = await lines.client_for("telefoon", row.line)
            row.client_id = client.id if client else None


async def _agent(ref: str) -> User | None:
    """The desk user the platform means: by username or e-mail address, any case."""
    ref = ref.strip().lower()
    if not ref:
        return None
    return (
        await User.annotate(lower_name=Lower("username"), lower_email=Lower("email"))
        .filter(Q(lower_name=ref) | Q(lower_email=ref), active=True)
        .filter(role__in=[r.value for r in DESK_ROLES])
        .first()
    )


async def _contact_for(event: CallEventInput, now: datetime) -> tuple[Contact, list[str]]:
    """The call's contact, made on its first event (whichever kind arrives first)."""
    key = f"{event.source}:{event.call_id}"
    found = await Contact.get_or_none(call_id=key)
    if found is not None:
        return found, []
    caller, line = lines.party(event.caller), lines.party(event.line)
    client = await lines.client_for("telefoon", line) if line else None
    warnings = []
    if client is None:
        warnings.append(
            f"Nummer '{line or '(geen)'}' is van geen opdrachtgever; de medewerker kiest die "
            "bij het registreren."
        )
    try:
        created = await Contact.create(
            call_id=key,
            source=event.source,
            client=client,
            channel=(ContactChannel.TELEFOON_UIT if event.outbound else ContactChannel.TELEFOON_IN),
            caller=caller,
            line=line,
            state=ContactState.AANGEBODEN.value,
            offered_at=event.at,
            created_at=now,
        )
    except IntegrityError:  # the same call's other event made it a moment ago
        return await Contact.get(call_id=key), []
    return created, warnings
