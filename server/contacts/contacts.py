"""Contact use cases: finding, starting by hand, registering a result, linking dossiers.

Every write goes through `_locked`: the contact's row is locked, the change made, and state
and seconds derived again (server.domain.calls.derive), so the desk and the telephony
platform writing the same contact at once cannot lose each other's change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server import scoping
from server.communication import call_surveys
from server.communication.communication import safely
from server.contacts import contact_live, setup, transfers
from server.contacts.lines import party
from server.domain import normalise, result_codes
from server.domain.calls import (
    CONTACT_CHANNEL_LABELS,
    OPEN_STATES,
    ContactFacts,
    ContactState,
    derive,
)
from server.domain.codes import CATEGORY_LABELS
from server.domain.errors import Forbidden, NotFound, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import DESK_ROLES, Role
from server.knowledge import solutions
from server.models import Client, Contact, ContactDossier, Dossier, TransferTarget, User

# A contact left open longer than this is not offered as "the call you are on" any more.
OPEN_WITHIN = timedelta(hours=12)
MAX_NOTE = 5000
MAX_DOSSIERS = 10


def now() -> datetime:
    return datetime.now(UTC)


def require_desk(user: User) -> None:
    if user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer legt contacten vast.")


def require_viewer(user: User) -> None:
    """The desk sees contacts, a client's user those of its client; nobody else."""
    if user.role not in DESK_ROLES and user.role != Role.CLIENT:
        raise Forbidden("Uw rol heeft geen toegang tot contacten.")


def contact_id(raw: object) -> int:
    """A contact id from a path or a form; anything else is a contact that does not exist."""
    value = row_id(str(raw).strip())
    if value is None:  # not ASCII digits, or beyond the id column's range
        raise NotFound(f"Contact '{str(raw)[:40]}' niet gevonden.", "contact")
    return value


async def get(user: User, raw_id: object) -> Contact:
    require_viewer(user)
    found = await scoping.contacts(user).get_or_none(id=contact_id(raw_id))
    if found is None:
        raise NotFound(f"Contact '{raw_id}' niet gevonden.", "contact")
    await found.fetch_related("client", "address", "agent")
    return found


async def linked_dossiers(user: User, contact: Contact) -> list[tuple[Dossier, bool]]:
    """The dossiers a contact made or concerns that the user may see, with `created`."""
    links = await ContactDossier.filter(contact_id=contact.id).order_by("at", "id")
    visible = {
        d.id: d
        for d in await scoping.dossiers(user).filter(id__in=[link.dossier_id for link in links])
    }
    return [
        (visible[link.dossier_id], link.created) for link in links if link.dossier_id in visible
    ]


async def open_contact_of(user: User, at: datetime | None = None) -> Contact | None:
    """The contact the agent is on: his latest open one of the last hours."""
    if user.role not in DESK_ROLES:
        return None
    since = (at or now()) - OPEN_WITHIN
    return (
        await Contact.filter(
            agent_id=user.id, state__in=[s.value for s in OPEN_STATES], offered_at__gte=since
        )
        .order_by("-offered_at", "-id")
        .prefetch_related("client")
        .first()
    )


@dataclass(frozen=True)
class SearchResult:
    items: list[Contact]
    total: int


def search_query(
    user: User, q: str = "", client: str = "", state: str = "", channel: str = ""
) -> QuerySet[Contact]:
    """By number (06 12345678, +31612345678, 0031…), e-mail address, name or subject."""
    qs = scoping.contacts(user)
    if channel:
        if channel not in CONTACT_CHANNEL_LABELS:
            raise Unprocessable(f"Onbekend kanaal '{channel[:20]}'.", "channel")
        qs = qs.filter(channel=channel)
    if client:
        qs = qs.filter(client__code=client.strip().upper())
    if state == "open":
        qs = qs.filter(state__in=[s.value for s in OPEN_STATES])
    elif state:
        if state not in ContactState._value2member_map_:
            raise Unprocessable(f"Onbekende stand '{state}'.", "state")
        qs = qs.filter(state=state)
    q = " ".join(q.split())
    if q:
        key = party(q)
        qs = qs.filter(Q(caller=key) | Q(caller_name__icontains=q) | Q(subject__icontains=q))
    return qs


async def search(
    user: User,
    q: str = "",
    client: str = "",
    state: str = "",
    limit: int = 50,
    offset: int = 0,
    channel: str = "",
) -> SearchResult:
    require_viewer(user)
    qs = search_query(user, q, client, state, channel)
    total = await qs.count()
    items = (
        await qs.order_by("-offered_at", "-id")
        .offset(offset)
        .limit(limit)
        .prefetch_related("client", "agent")
    )
    return SearchResult(items, total)


def facts(contact: Contact) -> ContactFacts:
    return ContactFacts(
        offered_at=contact.offered_at,
        answered_at=contact.answered_at,
        ended_at=contact.ended_at,
        registered_at=contact.registered_at,
        by_hand=contact.call_id is None,
    )


def rederive(contact: Contact) -> None:
    derived = derive(facts(contact))
    contact.state = derived.state.value
    contact.closed_at = derived.closed_at
    contact.wait_seconds = derived.wait_seconds
    contact.talk_seconds = derived.talk_seconds
    contact.wrap_seconds = derived.wrap_seconds


async def committed(contact: Contact, event: str = "changed", gone_from: int | None = None) -> None:
    """After a change to a contact is committed: tell the agent's desk (and `gone_from`, the
    agent it left), and once it is finished invite the caller to the survey
    (server/communication/call_surveys.py decides whether; a messaging fault never fails
    the change)."""
    await contact_live.changed(contact, event, gone_from)
    if contact.state == ContactState.AFGEROND:
        await safely(call_surveys.invite_caller(contact))


async def locked(
    contact: Contact, change: Callable[[Contact, BaseDBAsyncClient], Awaitable[None]]
) -> Contact:
    """Apply `change` to the contact's current row under a lock, derive, save; then tell the
    agent's desk (after the commit)."""
    async with in_transaction() as conn:
        row = await Contact.select_for_update().using_db(conn).get(id=contact.id)
        await change(row, conn)
        rederive(row)
        await row.save(using_db=conn)
    await committed(row)
    return row


@dataclass
class Registration:
    """What the desk registers of a contact. For a contact started by hand also the caller
    and the channel; `dossiers` are order numbers it concerns."""

    client: str = ""
    subject: str = ""
    result_code: str = ""
    note: str = ""
    referred_to: str = ""
    caller: str = ""
    caller_name: str = ""
    channel: str = "telefoon_in"
    dossiers: list[str] = field(default_factory=list)
    started_at: datetime | None = None
    # The knowledge-base article it was solved with (result op_afstand_opgelost); with
    # `article_given` False the contact keeps the article it has.
    article: int | None = None
    article_given: bool = True


def _text(value: str, limit: int, what: str, name: str) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise Unprocessable(f"{what} is langer dan {limit} tekens.", name)
    return value


def _caller(raw: str) -> str:
    raw = raw.strip()
    if "@" in raw:
        return normalise.normalise_email(raw, "caller")
    return normalise.normalise_phone(raw, "caller")


def _started(at: datetime, started: datetime | None) -> datetime:
    """When a contact by hand began: as the form said, if that is plausible."""
    if started is None or started.tzinfo is None or not at - OPEN_WITHIN <= started <= at:
        return at
    return started


async def _dossiers(user: User, numbers: list[str], client: Client) -> list[Dossier]:
    if len(numbers) > MAX_DOSSIERS:
        raise Unprocessable(f"Ten hoogste {MAX_DOSSIERS} dossiers per contact.", "dossiers")
    found = []
    for number in numbers:
        number = number.strip().upper()
        if not number:
            continue
        dossier = await scoping.dossiers(user).get_or_none(order_number=number)
        if dossier is None:
            raise Unprocessable(f"Dossier '{number}' niet gevonden.", "dossiers")
        if dossier.client_id != client.id:  # type: ignore[attr-defined]
            raise Unprocessable(
                f"Dossier {number} is niet van {client.name}; een contact gaat over dossiers "
                "van zijn eigen opdrachtgever.",
                "dossiers",
            )
        found.append(dossier)
    return found


async def _checked(
    user: User, data: Registration, contact: Contact | None
) -> tuple[Client, dict[str, Any], list[Dossier]]:
    """The registration's values for the contact, or an error naming the field."""
    code = data.client.strip() or (contact.client.code if contact and contact.client else "")
    if not code:
        raise Unprocessable("Kies de opdrachtgever.", "client")
    client = await scoping.client(user, code)
    subject = _text(data.subject, 200, "Het onderwerp", "subject")
    if not subject:
        raise Unprocessable("Vul het onderwerp in.", "subject")
    codes = setup.codes_of(client)
    chosen = result_codes.find(codes, data.result_code.strip())
    if chosen is None:
        raise Unprocessable(
            f"Resultaatcode '{data.result_code.strip()}' hoort niet bij {client.name}; kies uit "
            + ", ".join(c.code for c in codes)
            + ".",
            "result_code",
        )
    note = data.note.strip()
    if len(note) > MAX_NOTE:
        raise Unprocessable(f"De notitie is langer dan {MAX_NOTE} tekens.", "note")
    values: dict[str, Any] = {
        "client": client,
        "subject": subject,
        "result_code": chosen.code,
        "result_label": chosen.label,
        "note": note,
        "referred_to": _text(data.referred_to, 200, "Doorverwezen naar", "referred_to"),
    }
    name = _text(data.caller_name, 200, "De naam van de beller", "caller_name")
    if name:
        values["caller_name"] = name
    if contact is None:
        if data.channel not in CONTACT_CHANNEL_LABELS:
            raise Unprocessable(f"Onbekend kanaal '{data.channel}'.", "channel")
        values.update(channel=data.channel, caller=_caller(data.caller))
    dossiers = await _dossiers(user, data.dossiers, client)
    already = contact is not None and await ContactDossier.filter(contact_id=contact.id).exists()
    if chosen.dossier and not dossiers and not already:
        raise Unprocessable(
            f"'{chosen.label}' hoort bij een dossier: noem het dossier waar dit contact over gaat "
            "of maak een melding.",
            "dossiers",
        )
    values["article"] = await solutions.checked(client, chosen.code, data.article)
    return client, values, dossiers


async def register(
    user: User, contact: Contact | None, data: Registration, at: datetime | None = None
) -> Contact:
    """Register what a contact led to: a contact started by hand is made and ended at once;
    a call is finished when it has ended (server.domain.calls.derive)."""
    require_desk(user)
    at = at or now()
    client, values, dossiers = await _checked(user, data, contact)
    article = values.pop("article")

    async def change(row: Contact, conn: BaseDBAsyncClient) -> None:
        for key, value in values.items():
            setattr(row, key, value)
        row.registered_at = at
        if row.call_id is None:
            row.ended_at = at
        for dossier in dossiers:
            await link(row, dossier, False, at, conn)
        await solutions.record(row, article, data.article_given, at, conn)

    if contact is not None:
        return await locked(contact, change)
    started = _started(at, data.started_at)
    async with in_transaction() as conn:
        row = await Contact.create(
            client=client,
            channel=values["channel"],
            caller=values["caller"],
            agent=user,
            agent_name=str(user),
            state=ContactState.IN_GESPREK.value,
            offered_at=started,
            answered_at=started,
            created_at=at,
            using_db=conn,
        )
        await change(row, conn)
        rederive(row)
        await row.save(using_db=conn)
    await committed(row)
    return row


async def start_by_hand(
    user: User,
    dossier: Dossier,
    channel: str,
    started: datetime | None,
    at: datetime,
    conn: BaseDBAsyncClient,
) -> Contact:
    """The contact for a dossier the desk makes outside any call it knows of."""
    begun = _started(at, started)
    return await Contact.create(
        client_id=dossier.client_id,  # type: ignore[attr-defined]
        channel=channel,
        caller=dossier.contact_phone or dossier.contact_email,
        caller_name=dossier.contact_name,
        agent=user,
        agent_name=str(user),
        state=ContactState.IN_GESPREK.value,
        offered_at=begun,
        answered_at=begun,
        created_at=at,
        using_db=conn,
    )


async def link(
    contact: Contact, dossier: Dossier, created: bool, at: datetime, conn: BaseDBAsyncClient
) -> None:
    """Record that the contact made or concerns the dossier; its address and caller's name
    fill in what the contact did not know yet."""
    if (
        not await ContactDossier.filter(contact_id=contact.id, dossier_id=dossier.id)
        .using_db(conn)
        .exists()
    ):
        await ContactDossier.create(
            contact=contact, dossier=dossier, created=created, at=at, using_db=conn
        )
    if contact.address_id is None and dossier.address_id is not None:  # type: ignore[attr-defined]
        contact.address_id = dossier.address_id  # type: ignore[attr-defined]
    if not contact.caller_name:
        contact.caller_name = dossier.contact_name
    if not contact.caller:
        contact.caller = dossier.contact_phone or dossier.contact_email


async def made_dossier(
    user: User | None, contact: Contact, dossier: Dossier, at: datetime, conn: BaseDBAsyncClient
) -> None:
    """A dossier made at the desk inside `contact` (same transaction as the dossier): linked,
    and the contact's result is 'opdracht' unless the desk registered another already."""
    row = await Contact.select_for_update().using_db(conn).get(id=contact.id)
    await link(row, dossier, True, at, conn)
    if row.client_id is None:
        row.client_id = dossier.client_id  # type: ignore[attr-defined]
    if not row.subject:
        row.subject = CATEGORY_LABELS.get(dossier.category, dossier.category)
    if row.result_code is None:
        client = await Client.get(id=row.client_id, using_db=conn)
        order = result_codes.find(setup.codes_of(client), result_codes.ORDER)
        row.result_code = result_codes.ORDER
        row.result_label = order.label if order else "Leidt tot opdracht"
        row.registered_at = at
    if row.call_id is None:
        row.ended_at = row.ended_at or at
        row.registered_at = row.registered_at or at
    rederive(row)
    await row.save(using_db=conn)
    contact.state = row.state


async def record_transfer(
    user: User,
    contact: Contact,
    target_id: int | None,
    number: str = "",
    at: datetime | None = None,
) -> Contact:
    """The desk put the caller through: to one of the client's transfer numbers, or to a
    number typed in; recorded with when."""
    require_desk(user)
    at = at or now()
    if target_id is not None:
        target = await TransferTarget.get_or_none(id=target_id, client_id=contact.client_id)
        if target is None:
            raise Unprocessable(
                f"Doorverbindnummer {target_id} hoort niet bij dit contact.", "target"
            )
        name, number = target.name, target.number
    else:
        number = normalise.normalise_phone(number, "number")
        if not number:
            raise Unprocessable("Kies een doorverbindnummer of vul een nummer in.", "number")
        name = await transfers.name_of(contact.client_id, number)

    async def change(row: Contact, conn: BaseDBAsyncClient) -> None:
        row.transferred_to = number
        row.transferred_name = name
        row.transferred_at = at

    return await locked(contact, change)
