"""The hourly counts the telephony figures read (contact_hour, kept by triggers) agree with
counting the calls themselves, whatever wrote the contacts: call events out of order and
twice, the desk registering a result, a client chosen afterwards, a bulk load, a deletion;
over calls crossing an hour, answered in the next hour, abandoned, transferred, and both
Amsterdam summer-time changes. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from server import db, settings
from server.contacts import call_events, contacts
from server.contacts.call_events import CallEventInput
from server.domain.calls import CallEventKind
from server.domain.kpis import Grain, Period
from server.domain.telephony import rollup
from server.insight import contact_hours, telephony
from server.insight.figures import Scope
from server.models import Client, Contact, ContactHour
from tests.contacts.support import WST_LINE
from tests.contacts.support import telephony as telephony_lines
from tests.support import world

SPRING = date(2026, 3, 29)  # 02:00 -> 03:00
AUTUMN = date(2026, 10, 25)  # 03:00 -> 02:00: the hour 02:xx twice
CODES = [None, "opdracht", "algemene_vraag", "doorverwezen"]
CHANNELS = ["telefoon_in", "telefoon_in", "telefoon_in", "telefoon_uit", "email"]


def utc(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)


async def agree(*scopes: Scope) -> None:
    """Every figure from the hourly table equals the same figure from the calls."""
    conn, dialect = db.connection(), db.dialect()
    periods = [
        Period(SPRING - timedelta(days=1), SPRING + timedelta(days=1)),
        Period(SPRING, SPRING),
        Period(AUTUMN, AUTUMN),
        Period(AUTUMN - timedelta(days=2), AUTUMN + timedelta(days=1)),
        Period(date(2026, 3, 1), date(2026, 10, 31)),
    ]
    everything = await Contact.all()
    for scope in scopes:
        for period in periods:
            fast = await telephony.hourly(conn, dialect, scope, period)
            slow = await telephony.hourly_from_contacts(conn, dialect, scope, period)
            assert sorted(fast, key=lambda x: x[0]) == sorted(slow, key=lambda x: x[0])
            for grain in (Grain.DAG, Grain.WEEK, Grain.MAAND):
                assert rollup(fast, grain) == rollup(slow, grain)
            channels, results = await telephony.by_channel_and_result(conn, dialect, scope, period)
            mine = [
                c
                for c in everything
                if period.start <= c.offered_at < period.end
                and (scope.client_ids is None or c.client_id in scope.client_ids)
            ]
            assert dict(channels) == dict(Counter(c.channel for c in mine))
            assert {code: n for code, _, n in results} == dict(
                Counter(c.result_code for c in mine if c.result_code)
            )


def event(call: str, kind: str, at: datetime, agent: str = "", to: str = "") -> CallEventInput:
    return CallEventInput(
        source="api",
        call_id=call,
        kind=CallEventKind(kind),
        at=at,
        caller="+31612345678",
        line="" if kind == "transferred" else WST_LINE,
        agent=agent,
        transferred_to=to,
    )


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await telephony_lines(built)
    return built


async def test_edge_cases_through_the_call_events_and_the_desk(w: world.World) -> None:
    wst = Scope((w.woonstad.id,))
    # Offered 09:59:50 UTC, answered in the next hour: counted in the hour it was offered.
    at = utc(AUTUMN, 9, 59, 50)
    # Out of order and twice: the end first, the offer last, the answer repeated.
    for kind, seconds in (("ended", 200), ("answered", 35), ("answered", 35), ("offered", 0)):
        posted = event("edge-1", kind, at + timedelta(seconds=seconds), "anna.agent")
        await call_events.apply(posted, now=at + timedelta(minutes=5))
    # Abandoned after 40 s, in the first of the two 02:xx hours of the autumn night (00:30 UTC).
    night = utc(AUTUMN, 0, 30)
    await call_events.apply(event("edge-2", "offered", night), now=night)
    await call_events.apply(event("edge-2", "ended", night + timedelta(seconds=40)), now=night)
    # The second 02:xx hour (01:30 UTC), answered within 30 s and transferred.
    late = utc(AUTUMN, 1, 30)
    for kind, seconds, to in (
        ("offered", 0, ""),
        ("answered", 30, ""),
        ("transferred", 90, "+31107654321"),
        ("ended", 95, ""),
    ):
        posted = event("edge-3", kind, late + timedelta(seconds=seconds), "anna.agent", to)
        await call_events.apply(posted, now=late + timedelta(minutes=5))
    # Spring: 01:59:59 UTC is 03:59:59 local.
    spring = utc(SPRING, 1, 59, 59)
    await call_events.apply(event("edge-4", "offered", spring), now=spring)
    await agree(wst, Scope(None))
    t = await telephony.figures(wst, Period(AUTUMN, AUTUMN), Grain.DAG, 80)
    c = t.calls.total
    assert (c.offered, c.answered, c.within, c.abandoned, c.transferred) == (3, 2, 1, 1, 1)
    night_hour = t.calls.grid.offered[6][2]  # Sunday 02:00, both of them
    assert night_hour == 2

    # The desk registers a result after the call: wrap-up time and the result code change.
    row = await contacts.get(w.agent, (await Contact.get(call_id="api:edge-1")).id)
    await contacts.register(
        w.agent,
        row,
        contacts.Registration(subject="Lekkage", result_code="algemene_vraag"),
        at=at + timedelta(seconds=260),
    )
    await agree(wst, Scope(None))
    t = await telephony.figures(wst, Period(AUTUMN, AUTUMN), Grain.DAG, 80)
    assert t.calls.total.handling_sum == 165 + 60 + 65 + 0  # edge-1's talk + wrap, edge-3's talk
    assert [code for code, _, _ in t.results] == ["algemene_vraag"]


async def test_random_contacts_and_changes_agree(w: world.World) -> None:
    lvd: Client = w.lichtveld
    wst: Client = w.woonstad
    clients = [wst.id, lvd.id, None]
    rng = random.Random(13)
    days = [SPRING - timedelta(days=1), SPRING, AUTUMN, AUTUMN + timedelta(days=1)]
    made = []
    for _ in range(120):
        offered = utc(rng.choice(days), rng.randrange(24), rng.randrange(60), rng.randrange(60))
        answered = rng.random() < 0.7
        wait = rng.choice([0, 5, 29, 30, 31, 59, 61, 300])
        talk = rng.randrange(1, 3600)  # some calls end hours later
        made.append(
            Contact(
                client_id=rng.choice(clients),
                channel=rng.choice(CHANNELS),
                state="afgerond",
                offered_at=offered,
                answered_at=offered + timedelta(seconds=wait) if answered else None,
                ended_at=offered + timedelta(seconds=wait + (talk if answered else 0)),
                wait_seconds=wait,
                talk_seconds=talk if answered else None,
                wrap_seconds=rng.choice([None, 0, 45]) if answered else None,
                result_code=rng.choice(CODES),
                transferred_at=offered + timedelta(seconds=wait + talk)
                if answered and rng.random() < 0.2
                else None,
                created_at=offered,
            )
        )
    await Contact.bulk_create(made)
    await agree(Scope((wst.id,)), Scope((lvd.id, wst.id)), Scope(None))
    rows = await Contact.all().order_by("id")
    for row in rng.sample(rows, 40):  # each writer's kind of change
        change = rng.randrange(4)
        if change == 0:
            row.client_id = rng.choice(clients)
        elif change == 1:
            row.result_code = rng.choice(CODES)
            row.wrap_seconds = rng.choice([None, 10, 500])
        elif change == 2:
            row.offered_at = row.offered_at + timedelta(minutes=rng.choice([-90, -1, 1, 61]))
        else:
            row.answered_at, row.talk_seconds = None, None
        await row.save()
    await Contact.filter(id__in=[r.id for r in rows[:10]]).delete()
    await Contact.filter(id__in=[r.id for r in rows[10:20]]).update(channel="email")
    await agree(Scope((wst.id,)), Scope((lvd.id,)), Scope(None))


async def test_backfill_counts_what_was_there_before_the_triggers(w: world.World) -> None:
    """The migration's backfill (and a rebuild) gives the same rows as the triggers."""
    for n in range(30):
        at = utc(AUTUMN, n % 24, n)
        await Contact.create(
            client_id=w.woonstad.id,
            channel="telefoon_in",
            state="gemist",
            offered_at=at,
            ended_at=at + timedelta(seconds=n),
            wait_seconds=n,
            created_at=at,
        )

    async def table() -> list[tuple[object, ...]]:
        # Per key, whatever shards the writers' sessions used (the rebuild writes shard 0).
        found = await ContactHour.filter(contacts__gt=0).order_by("hour", "channel")
        summed: dict[tuple[object, ...], list[int]] = {}
        for r in found:
            sums = summed.setdefault((r.client_id, r.hour, r.channel, r.result_code), [0, 0, 0])
            for n, value in enumerate((r.contacts, r.abandoned, r.wait_sum)):
                sums[n] += value
        return [(*key, *sums) for key, sums in summed.items()]

    kept = await table()
    assert sum(r[4] for r in kept) == 30
    await ContactHour.all().delete()
    from tortoise.transactions import in_transaction

    async with in_transaction() as conn:
        await contact_hours.install(conn)
    assert await table() == kept
    await agree(Scope(None))


async def test_events_of_one_call_at_once_each_applied_once(w: world.World) -> None:
    """Events of the same calls arriving together, each twice: every event is applied
    once, the contact ends up as if they came one by one, and the counts agree."""
    import asyncio

    at = utc(AUTUMN, 13, 59, 40)
    kinds = (("offered", 0), ("answered", 25), ("transferred", 70), ("ended", 80))
    posted = [
        event(f"busy-{n}", kind, at + timedelta(seconds=s), "anna.agent", "+31107654321")
        for n in range(3)
        for kind, s in kinds
    ]
    results = await asyncio.gather(
        *(call_events.apply(e, now=at + timedelta(minutes=5)) for e in posted + posted)
    )
    assert sum(r.applied for r in results) == len(posted)
    for n in range(3):
        row = await Contact.get(call_id=f"api:busy-{n}")
        assert (row.wait_seconds, row.talk_seconds, row.state) == (25, 55, "nawerk")
        assert row.transferred_at == at + timedelta(seconds=70)
        assert row.agent_id == w.agent.id and row.events_folded == 4
    await agree(Scope((w.woonstad.id,)), Scope(None))


async def test_an_event_stored_but_not_folded_is_folded_when_sent_again(w: world.World) -> None:
    """PostgreSQL stores an event and folds it in two statements: a process that stopped in
    between left the event without its fold; the platform's retry folds it."""
    if db.dialect() != "postgres":
        pytest.skip("SQLite stores and folds an event in one transaction")
    at = utc(AUTUMN, 15)
    await call_events.apply(event("half-1", "offered", at, "anna.agent"), now=at)
    row = await Contact.get(call_id="api:half-1")
    ended = at + timedelta(seconds=40)
    await db.connection().execute_query(
        "INSERT INTO call_event (contact_id, kind, at, agent, transferred_to, received_at, data)"
        " VALUES ($1, 'ended', $2, '', '', $2, '{}')",
        [row.id, ended],
    )
    again = await call_events.apply(event("half-1", "ended", ended), now=ended)
    assert not again.applied  # seen before, as the platform is told
    row = await Contact.get(call_id="api:half-1")
    assert (row.state, row.wait_seconds, row.events_folded) == ("gemist", 40, 2)
    await agree(Scope(None))


@pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"), reason="shards: PostgreSQL (SQLite has one)"
)
async def test_a_busy_hour_spreads_over_shards_and_the_fold_gathers_them(w: world.World) -> None:
    """Calls of one hour written at once from many database sessions land in several rows of
    that hour (so their commits do not queue on one row), the figures sum them, and the
    hourly fold leaves one row per hour with the same figures."""
    import asyncio

    at = utc(AUTUMN, 10, 5)
    posted = [
        event(f"shard-{n}", kind, at + timedelta(seconds=s), "anna.agent")
        for n in range(40)
        for kind, s in (("offered", n), ("answered", n + 20), ("ended", n + 90))
    ]
    await asyncio.gather(*(call_events.apply(e, now=at + timedelta(hours=1)) for e in posted))
    hour = at.replace(minute=0)
    rows = await ContactHour.filter(hour=hour, channel="telefoon_in")
    assert len({r.shard for r in rows}) > 1, "40 calls at once, from one session only?"
    assert sum(r.contacts for r in rows) == 40 and sum(r.answered for r in rows) == 40
    await agree(Scope((w.woonstad.id,)), Scope(None))
    wst = Scope((w.woonstad.id,))
    before = await telephony.figures(wst, Period(AUTUMN, AUTUMN), Grain.DAG, 80)

    # An hour not yet over stays as it is; the fold of the hours before it gathers them.
    assert await contact_hours.fold(db.connection(), before=hour) == 0
    assert await contact_hours.fold(db.connection(), before=hour + timedelta(hours=1)) > 0
    [row] = await ContactHour.filter(hour=hour, channel="telefoon_in")
    assert (row.shard, row.contacts, row.answered, row.within) == (0, 40, 40, 40)
    await agree(Scope((w.woonstad.id,)), Scope(None))
    after = await telephony.figures(wst, Period(AUTUMN, AUTUMN), Grain.DAG, 80)
    assert after.calls.total == before.calls.total

    # A call of that hour changed later writes a shard again; the next fold takes it in.
    await call_events.apply(
        event("shard-late", "offered", at + timedelta(minutes=30)), now=at + timedelta(days=1)
    )
    await contact_hours.fold(db.connection(), before=hour + timedelta(hours=1))
    [row] = await ContactHour.filter(hour=hour, channel="telefoon_in")
    assert row.contacts == 41
    await agree(Scope((w.woonstad.id,)), Scope(None))
