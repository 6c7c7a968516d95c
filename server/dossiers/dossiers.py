"""Dossier use cases: intake, moving through phases, notes, contact, search."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.expressions import F, Q
from tortoise.query_utils import Prefetch
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server import db, live, scoping
from server.domain import kpis, normalise, worklist
from server.domain.codes import CATEGORY_LABELS, CHANNEL_LABELS
from server.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from server.domain.lifecycle import FINAL_PHASES, Actor, DossierState, Phase, plan_transition
from server.domain.roles import DESK_ROLES, Role
from server.dossiers import desk_read, dossier_live, events, move_update, steps, work_queue
from server.dossiers.ordernumbers import next_order_number
from server.fieldwork import technician_push
from server.housing import housing
from server.insight import changes as changes_live
from server.models import (
    Address,
    ApiToken,
    Client,
    Contractor,
    Dossier,
    DossierEvent,
    Technician,
    User,
)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AddressInput:
    id: int | None = None
    postcode: str = ""
    house_number: int | None = None
    suffix: str = ""
    street: str = ""
    city: str = ""


@dataclass
class DossierInput:
    client: str
    address: AddressInput
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    channel: str = "telefoon"
    category: str = "overig"
    description: str = ""
    parent: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# The tenant, without a login: on the tracking page (server/communication/tenant_appointments.py
# checks the client's rules for what a tenant may change) or booking a slot online
# (server/selfservice); the lifecycle then lets them do there what the desk may.
TENANT = Actor(None, Role.AGENT, None, "huurder")


async def actor_for(user: User | None) -> Actor:
    if user is None:
        return TENANT
    technician_id = None
    if user.role == Role.TECHNICIAN:
        tech = await Technician.get_or_none(user_id=user.id)
        technician_id = tech.id if tech else None
    contractor_id = user.contractor_id if user.role == Role.CONTRACTOR else None  # type: ignore[attr-defined]
    return Actor(user.id, Role(user.role), technician_id, str(user), contractor_id)


@dataclass(frozen=True)
class Prepared:
    """An intake checked and looked up, ready to be numbered and stored."""

    data: DossierInput
    client: Client
    fields: dict[str, Any]
    parent: Dossier | None
    # The client's newest protocol version (id, checksum) when it was read with the client.
    protocol: tuple[int, str] | None = None

    @property
    def address(self) -> Address | None:
        found = self.fields.get("address")
        return found if isinstance(found, Address) else None


async def prepare(user: User, data: DossierInput, found: desk_read.Found | None = None) -> Prepared:
    """Validate everything an intake needs, before any transaction is opened; `found`: the
    desk read of `data`, made already (`desk_read_with_token`)."""
    if user.role not in DESK_ROLES and user.role != Role.CLIENT:
        raise Forbidden("Uw rol mag geen dossiers aanmaken.")
    if found is None or user.role not in DESK_ROLES:
        found = await _desk_read(user, data)
    client = found.client if found else await scoping.client(user, data.client)
    fields = await _validated_fields(client, data, found)
    parent = await _parent(user, data.parent) if data.parent else None
    if parent is not None and parent.client_id != client.id:  # type: ignore[attr-defined]
        raise Unprocessable("Een herhaalmelding hoort bij dezelfde opdrachtgever.", "parent")
    return Prepared(data, client, fields, parent, found.protocol if found else None)


async def _desk_read(user: User, data: DossierInput) -> desk_read.Found | None:
    """The desk's intake reads client, stocked address and protocol in one statement; None
    when that does not apply (another role, an address by id, input that the reads one by
    one refuse, in their order) or finds no client (the client's read says why)."""
    key = _desk_key(data) if user.role in DESK_ROLES else None
    return None if key is None else await desk_read.find(*key)


async def desk_read_with_token(
    token_hash: str, data: DossierInput
) -> tuple[ApiToken | None, desk_read.Found | None] | None:
    """A bearer token (stored as `token_hash`) and, in the same statement, what a desk intake
    of `data` reads; None when that read does not apply to `data`."""
    key = _desk_key(data)
    return None if key is None else await desk_read.find_with_token(token_hash, *key)


def _desk_key(data: DossierInput) -> tuple[str, str, int, str] | None:
    """Client code, postcode, house number and suffix as stored; None for an address by id
    or input the reads one by one refuse (they say why, in their order)."""
    if data.address.id is not None:
        return None
    code = scoping.key(data.client, scoping.CLIENT_CODE_MAX)
    try:
        postcode, number, suffix = _address_key(data.address)
    except Unprocessable:
        return None
    return None if code is None else (code, postcode, number, suffix)


async def prepare_for(client: Client, data: DossierInput) -> Prepared:
    """`prepare` for a report made without a login (a tenant online, server/selfservice): the
    client is known from the page, there is no repeat of an earlier dossier."""
    return Prepared(data, client, await _validated_fields(client, data), None)


async def create(user: User, data: DossierInput, at: datetime | None = None) -> Dossier:
    """Intake: validate everything first, then number and store the dossier in one go."""
    prepared = await prepare(user, data)
    at = at or now()
    async with changes_live.batch(), in_transaction() as conn:
        dossier = await insert(user, prepared, at, conn)
        await events.record(dossier, "created", user, at, conn, **created_event(dossier, prepared))
        await record_repeat(user, dossier, prepared, at, conn)
    return dossier


async def insert(
    user: User | None, prepared: Prepared, at: datetime, conn: BaseDBAsyncClient, **extra: Any
) -> Dossier:
    """Number and store the dossier (inside the caller's transaction); `extra` columns are
    stored with it (the triage an intake decided before)."""
    number = await next_order_number(conn, at)
    return await Dossier.create(
        order_number=number,
        client=prepared.client,
        parent=prepared.parent,
        created_by=user,
        created_at=at,
        using_db=conn,
        **{**prepared.fields, **extra},
    )


def created_event(dossier: Dossier, prepared: Prepared) -> dict[str, Any]:
    return {
        "channel": dossier.channel,
        "category": dossier.category,
        "parent": prepared.data.parent,
    }


async def record_repeat(
    user: User, dossier: Dossier, prepared: Prepared, at: datetime, conn: BaseDBAsyncClient
) -> None:
    """A repeat report is on the original's timeline too."""
    if prepared.parent is not None:
        await events.record(prepared.parent, "repeat", user, at, conn, repeat=dossier.order_number)


async def _validated_fields(
    client: Client, data: DossierInput, found: desk_read.Found | None = None
) -> dict[str, Any]:
    if data.channel not in CHANNEL_LABELS:
        raise Unprocessable(f"Onbekend kanaal '{data.channel}'.", "channel")
    if data.category not in CATEGORY_LABELS:
        raise Unprocessable(f"Onbekende categorie '{data.category}'.", "category")
    name = " ".join(data.contact_name.split())
    if not name:
        raise Unprocessable("Vul de naam van de melder in.", "contact.name")
    phone = normalise.normalise_phone(data.contact_phone, "contact.phone")
    email = normalise.normalise_email(data.contact_email, "contact.email")
    if not phone and not email:
        raise Unprocessable("Vul een telefoonnummer of e-mailadres in.", "contact.phone")
    return {
        **await _address_fields(client, data.address, found),
        "contact_name": name,
        "contact_name_search": name.lower(),
        "contact_phone": phone,
        "contact_email": email,
        "channel": data.channel,
        "category": data.category,
        "description": data.description.strip(),
    }


async def _parent(user: User, order_number: str) -> Dossier:
    try:
        return await scoping.dossier(user, order_number)
    except NotFound as exc:
        raise NotFound(exc.message, "parent") from None


def _in_stock(client_id: int, postcode: str, number: int, suffix: str) -> QuerySet[Address]:
    return Address.filter(
        client_id=client_id, postcode=postcode, house_number=number, suffix=suffix
    ).limit(1)


def _address_key(data: AddressInput) -> tuple[str, int, str]:
    """Postcode, house number and suffix as the stock spells them, or why they cannot be."""
    postcode = normalise.normalise_postcode(data.postcode, "address.postcode")
    if data.house_number is None or data.house_number <= 0:
        raise Unprocessable("Vul een huisnummer in.", "address.house_number")
    suffix = scoping.key(data.suffix, housing.SUFFIX_MAX)
    if suffix is None:
        raise Unprocessable(
            f"Toevoeging '{data.suffix[:20]}' is te lang (hoogstens 10 tekens).", "address.suffix"
        )
    return postcode, data.house_number, suffix


async def _address_fields(
    client: Client, data: AddressInput, found: desk_read.Found | None = None
) -> dict[str, Any]:
    """The address from the client's stock, or as typed in when it is not (yet) in the stock;
    `found`: already looked up with the client."""
    if data.id is not None:
        address = await Address.get_or_none(id=data.id, client_id=client.id)
        if address is None:
            raise Unprocessable(
                f"Adres {data.id} hoort niet bij opdrachtgever {client.code}.", "address.id"
            )
        return _from_stock(address)
    postcode, number, suffix = _address_key(data)
    if found is not None:
        address = found.address
    else:  # every other intake: the SQL built once (server.db.prepared)
        rows = await db.prepared("address-in-stock", _in_stock, client.id, postcode, number, suffix)
        address = rows[0] if rows else None
    if address is not None:
        return _from_stock(address)
    if not data.street.strip() or not data.city.strip():
        raise Unprocessable(
            f"{postcode} {data.house_number}{suffix} staat niet in het woningbestand van "
            f"{client.name}; vul straat en plaats in.",
            "address.street",
        )
    return {
        "address": None,
        "street": data.street.strip(),
        "house_number": data.house_number,
        "suffix": suffix,
        "postcode": postcode,
        "city": data.city.strip(),
    }


def _from_stock(address: Address) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "address": address,
        "street": address.street,
        "house_number": address.house_number,
        "suffix": address.suffix,
        "postcode": address.postcode,
        "city": address.city,
    }
    if address.latitude is not None and address.longitude is not None:
        # Coordinates imported with the housing stock: known at once, no geocoding needed.
        fields.update(
            latitude=address.latitude,
            longitude=address.longitude,
            geo_precision="adres",
            geo_source="woningbestand",
        )
    return fields


def state_of(dossier: Dossier) -> DossierState:
    return DossierState(
        phase=Phase(dossier.phase),
        technician_id=dossier.technician_id,  # type: ignore[attr-defined]
        contractor_id=dossier.contractor_id,  # type: ignore[attr-defined]
        appointment_start=dossier.appointment_start,
        first_contact_at=dossier.first_contact_at,
        urgency=dossier.urgency,
    )


async def visit_werkbon(dossier: Dossier) -> bool:
    """Whether a werkbon was recorded since the dossier last changed phase: in in_uitvoering,
    since he arrived (event ids follow the order of writing, also within one transaction)."""
    return (await steps.read(dossier)).werkbon_since_move()


async def transition(
    user: User | None,
    dossier: Dossier,
    target: str,
    data: dict[str, Any],
    at: datetime | None = None,
    *,
    reported_at: datetime | None = None,
    actor: Actor | None = None,
    timeline: steps.Steps | None = None,
    after_commit: list[Callable[[], Awaitable[None]]] | None = None,
) -> Dossier:
    """Move a dossier to another phase, or raise and change nothing. `user` None is the tenant
    (TENANT: the tracking page, or online reporting).

    A move made now tells the tenant (appointment, cancellation, finished) and the technicians
    it puts the job on or takes it off the list of (push); a move with an explicit past `at`
    is history and sends nothing. `reported_at` is when the technician's
    app says it happened (device clock, corrected): the timeline shows that moment and keeps
    the server's own time beside it. `actor` without a `user` is a system acting under its own
    rules (a contractor's ERP, server/chain), named on the timeline by `actor.name`.
    `timeline`: the dossier's steps, when the caller has just read them (sync).
    `after_commit`: the caller's transaction is open and runs these once it has committed;
    the tenant's message is then stored in it at once (communication.after_transition).
    """
    live_move = at is None
    at = at or now()
    when = reported_at or at
    timeline = timeline or await steps.read(dossier)
    state = state_of(dossier)
    if target == Phase.AFGEROND:
        state = replace(state, visit_werkbon=timeline.werkbon_since_move())
    if actor is None:  # no user either: the tenant (TENANT)
        actor = await actor_for(user)
    plan = plan_transition(state, target, actor, data, when)
    names = await _check_references(plan.changes)
    source = dossier.phase
    before = worklist.Holding(dossier.phase, dossier.technician_id)  # type: ignore[attr-defined]
    old_start, old_end = dossier.appointment_start, dossier.appointment_end
    changes = {k: v for k, v in plan.changes.items() if v != getattr(dossier, k, None)}
    if "contractor_id" in changes:  # another contractor (or none) has not accepted it
        changes["contractor_accepted_at"] = None
    details = {
        k: _show(v) for k, v in changes.items() if k not in ("phase", "contractor_accepted_at")
    }
    await _save_move(
        dossier,
        changes,
        user,
        at,
        timeline,
        {
            "from": source,
            "to": target,
            "reason": plan.reason,
            **details,
            **names,
            **plan.facts,
            **({"via": actor.name} if user is None and actor.name else {}),
        },
        when,
    )
    await _publish_move(dossier, source)
    if live_move:
        from server.communication import communication

        # Every path that puts a job on or takes it off a technician's list, in one place.
        await technician_push.after_move(dossier, before)
        await communication.safely(
            communication.after_transition(
                dossier, source, old_start, old_end, plan.reason, after_commit=after_commit
            )
        )
        from server.chain import outbound

        # The chain hears of what it did not do itself (a contractor's own report is not echoed).
        if user is not None:
            await communication.safely(outbound.after_transition(dossier, source))
    return dossier


async def _publish_move(dossier: Dossier, source: str) -> None:
    """Tell the dispatch board, the dossier page and the technician (after the commit)."""
    data = {
        "order_number": dossier.order_number,
        "from": source,
        "phase": dossier.phase,
        "technician_id": dossier.technician_id,  # type: ignore[attr-defined]
    }
    await live.publish("board", "transition", data)
    await live.publish(f"dossier:{dossier.order_number}", "transition", data)
    if dossier.technician_id is not None:  # type: ignore[attr-defined]
        await live.publish(f"technician:{dossier.technician_id}", "transition", data)  # type: ignore[attr-defined]


async def _check_references(changes: dict[str, Any]) -> dict[str, str]:
    """Refuse unknown assignees; return their names, so the timeline reads without lookups."""
    names: dict[str, str] = {}
    contractor_id = changes.get("contractor_id")
    if contractor_id is not None:
        contractor = await Contractor.get_or_none(id=contractor_id)
        if contractor is None:
            raise Unprocessable(f"Aannemer {contractor_id} bestaat niet.", "contractor_id")
        names["contractor"] = contractor.name
    tech_id = changes.get("technician_id")
    if tech_id is None:
        return names
    tech = await Technician.get_or_none(id=tech_id, active=True)
    if tech is None:
        raise Unprocessable(f"Monteur {tech_id} bestaat niet of is niet actief.", "technician_id")
    return {**names, "technician": tech.name}


def _show(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def _save(
    dossier: Dossier,
    changes: dict[str, Any],
    user: User | None,
    at: datetime,
    kind: str,
    event_data: dict[str, Any],
    event_at: datetime | None = None,
) -> None:
    """Write changes only if nobody else changed the dossier since it was read; dashboards
    and portals are told once it is committed (server.insight.changes)."""
    async with changes_live.batch():
        async with in_transaction() as conn:
            updated = (
                await Dossier.filter(id=dossier.id, version=dossier.version)
                .using_db(conn)
                .update(**changes, version=F("version") + 1, updated_at=at)
            )
            if not updated:
                raise Conflict(
                    f"Dossier {dossier.order_number} is intussen door iemand anders gewijzigd; "
                    "laad het opnieuw.",
                )
            if event_at is not None and event_at != at:
                event_data = {**event_data, "received_at": at}
            await events.record(dossier, kind, user, event_at or at, conn, **event_data)
        for key, value in changes.items():
            setattr(dossier, key, value)
        dossier.version += 1
    await dossier_live.changed(dossier, kind)


async def _save_move(
    dossier: Dossier,
    changes: dict[str, Any],
    user: User | None,
    at: datetime,
    timeline: steps.Steps,
    event_data: dict[str, Any],
    when: datetime,
) -> None:
    """`_save` for a phase move, with what the save hooks of server/models/derived.py would
    derive worked out from `timeline` and written with the move: the dossier's visits in its
    own UPDATE, the event's phase hours in its INSERT. Inside a caller's transaction (a sync
    push) it adds no savepoint: nothing is written before the version check can refuse."""
    source, target = event_data["from"], event_data["to"]
    async with changes_live.batch(), _joined() as conn:
        updated = await move_update.update(conn, dossier, changes, target, when, at)
        if not updated:
            raise Conflict(
                f"Dossier {dossier.order_number} is intussen door iemand anders gewijzigd; "
                "laad het opnieuw.",
            )
        if when != at:
            event_data = {**event_data, "received_at": at}
        hours = kpis.phase_hours(timeline.entered(when), when)
        await events.record_step(dossier, user, when, conn, source, hours, **event_data)
        later = timeline.later(when)
        if later is not None and later[1] == "transition":  # a move dated back
            await (
                DossierEvent.filter(id=later[0])
                .using_db(conn)
                .update(phase_hours=kpis.phase_hours(when, later[2]))
            )
        for key, value in changes.items():
            setattr(dossier, key, value)
        dossier.version += 1
        dossier.updated_at = at
        _derived_in_hand(dossier, target, when)
    await dossier_live.changed(dossier, "transition")


def _derived_in_hand(dossier: Dossier, target: str, when: datetime) -> None:
    """The copy in hand as the UPDATE left the row: a sync push moves it again without
    reading it (sync_mutators._job)."""
    if target == kpis.VISIT:
        dossier.visits = (dossier.visits or 0) + 1
        if dossier.first_visit_at is None or dossier.first_visit_at > when:
            dossier.first_visit_at = when
    elif target == kpis.REMOTE:
        dossier.remote_solved = True


def _joined() -> AbstractAsyncContextManager[BaseDBAsyncClient]:
    """The caller's open transaction, or a new one."""
    conn = db.connection()
    if isinstance(conn, TransactionalDBClient):
        return nullcontext(conn)
    return in_transaction()


async def add_note(user: User, dossier: Dossier, text: str, at: datetime | None = None) -> None:
    text = text.strip()
    if not text:
        raise Unprocessable("Een notitie mag niet leeg zijn.", "text")
    if user.role not in DESK_ROLES and user.role != Role.TECHNICIAN:
        raise Forbidden("Uw rol mag geen notities toevoegen.")
    await events.record(dossier, "note", user, at or now(), text=text)
    await dossier_live.changed(dossier, "note")


async def record_contact(
    user: User, dossier: Dossier, how: str, summary: str, at: datetime | None = None
) -> None:
    """The tenant was reached; the first time counts for 'contacted within 24 hours'."""
    if user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer legt contact met de huurder vast.")
    if how not in CHANNEL_LABELS:
        raise Unprocessable(f"Onbekend kanaal '{how}'.", "how")
    at = at or now()
    changes = {} if dossier.first_contact_at else {"first_contact_at": at}
    await _save(dossier, changes, user, at, "contact", {"how": how, "summary": summary.strip()})


@dataclass(frozen=True)
class SearchResult:
    items: list[Dossier]
    total: int


def search_query(user: User, q: str = "", phase: str = "", client: str = "") -> QuerySet[Dossier]:
    """Order number, tenant name or postcode; partial, case- and space-insensitive."""
    qs = scoping.dossiers(user)
    if phase == "open":
        qs = qs.exclude(phase__in=[p.value for p in FINAL_PHASES])
    elif phase:
        if phase not in Phase._value2member_map_:
            raise Unprocessable(f"Onbekende fase '{phase}'.", "phase")
        qs = qs.filter(phase=phase)
    if client:
        code = scoping.key(client, scoping.CLIENT_CODE_MAX)
        if code is None:
            raise Unprocessable(f"Onbekende opdrachtgever '{client[:40]}'.", "client")
        qs = qs.filter(client__code=code)
    q = q.strip()
    if q:
        key = normalise.search_key(q)
        name = " ".join(q.split()).lower()
        found = (
            Q(order_number__contains=key)
            | Q(postcode__contains=key)
            | Q(contact_name_search__contains=name)
        )
        phone = _phone(q)
        if phone:  # 06 12345678, +31612345678, 0031612345678: the same number
            found |= Q(contact_phone=phone)
        if "@" in q:
            found |= Q(contact_email=q.lower())
        qs = qs.filter(found)
    return qs


def _phone(q: str) -> str:
    """The search as a phone number, when it is one (a postcode or order number is not)."""
    if sum(c.isdigit() for c in q) < 8:
        return ""
    try:
        return normalise.normalise_phone(q)
    except Unprocessable:
        return ""


async def search(
    user: User,
    q: str = "",
    phase: str = "",
    client: str = "",
    limit: int = 50,
    offset: int = 0,
    *,
    order: str = "nieuw",
    mine: bool = False,
) -> SearchResult:
    """`order`: a key of work_queue.ORDERS; `mine`: only the user's own (work_queue.mine)."""
    if order not in work_queue.ORDERS:
        raise Unprocessable(f"Onbekende volgorde '{order}'.", "volgorde")
    qs = search_query(user, q, phase, client)
    if mine:
        qs = work_queue.mine(qs, user)
    total = await qs.count()
    items = (
        await work_queue.ordered(qs, order)
        .offset(offset)
        .limit(limit)
        .prefetch_related(
            "client",
            "technician",
            # A repeat report shows its original's number: one query for the page, only that.
            Prefetch("parent", queryset=Dossier.all().only("id", "order_number")),
        )
    )
    return SearchResult(items, total)


async def get(user: User, order_number: str) -> Dossier:
    dossier = await scoping.dossier(user, order_number)
    await dossier.fetch_related("client", "technician", "contractor", "address", "parent")
    return dossier


async def timeline(dossier: Dossier) -> list[DossierEvent]:
    return await DossierEvent.filter(dossier_id=dossier.id).order_by("at", "id")


EDITABLE = ("contact_name", "contact_phone", "contact_email", "category", "description")


async def update_details(
    user: User,
    dossier: Dossier,
    values: dict[str, str],
    base_version: int | None = None,
    at: datetime | None = None,
) -> dict[str, list[Any]]:
    """Correct the contact or the report; the timeline keeps old and new value of each field."""
    if user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer wijzigt dossiergegevens.")
    if base_version is not None and base_version != dossier.version:
        raise Conflict(
            f"Dossier {dossier.order_number} is intussen gewijzigd (versie {dossier.version}, "
            f"u werkte op versie {base_version}); laad het opnieuw.",
            "version",
        )
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise Unprocessable(
            f"Veld '{sorted(unknown)[0]}' kan niet gewijzigd worden.", sorted(unknown)[0]
        )
    clean = _clean_details(values)
    changes = {k: v for k, v in clean.items() if v != getattr(dossier, k)}
    if not changes:
        return {}
    if "contact_name" in changes:
        changes["contact_name_search"] = changes["contact_name"].lower()
    diff = {k: [getattr(dossier, k), v] for k, v in changes.items() if k in EDITABLE}
    await _save(dossier, changes, user, at or now(), "updated", {"changes": diff})
    return diff


def _clean_details(values: dict[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, raw in values.items():
        value = raw.strip()
        if key == "contact_name":
            value = " ".join(value.split())
            if not value:
                raise Unprocessable("Vul de naam van de melder in.", "contact_name")
        elif key == "contact_phone":
            value = normalise.normalise_phone(value, "contact_phone")
        elif key == "contact_email":
            value = normalise.normalise_email(value, "contact_email")
        elif key == "category" and value not in CATEGORY_LABELS:
            raise Unprocessable(f"Onbekende categorie '{value}'.", "category")
        clean[key] = value
    return clean
