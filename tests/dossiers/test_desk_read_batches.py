"""The desk read of concurrent intakes in one statement (PostgreSQL, server/dossiers/
desk_read.py): each intake still gets its own token, client, stocked address and protocol,
as fresh as a read of its own; a key the database refuses fails alone; inside a transaction
the read sees that transaction's own writes."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from server import settings
from server.auth import tokens
from server.dossiers import desk_read
from server.models import Address
from server.protocols import protocols
from tests.dossiers.test_intake_statements import counting
from tests.support import world

pytestmark = pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"), reason="batched reads: PostgreSQL"
)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await protocols.current(built.woonstad)  # Woonstad has a published protocol, Lichtveld not
    return built


def _reads(statements: list[str]) -> list[str]:
    return [s for s in statements if 'AS "t.' in s or 'AS "c.' in s]


async def test_concurrent_reads_share_a_statement_each_with_its_own_answer(
    w: world.World,
) -> None:
    anna, _ = await tokens.issue(w.agent, "desk")
    wim, _ = await tokens.issue(w.client_user, "portaal")
    revoked, _ = await tokens.issue(w.agent, "oud")
    await tokens.revoke(revoked)
    protocol = await protocols.current(w.woonstad)
    asks = [
        (anna, "WST", "3572AB", 10, ""),
        (anna, "WST", "3572AB", 10, "A"),
        (wim, "WST", "3572AB", 12, ""),  # not in the stock
        (revoked, "LVD", "3451BC", 3, ""),
        (anna, "LVD", "3572AB", 10, ""),  # Woonstad's address, not Lichtveld's
        (anna, "XYZ", "3572AB", 10, ""),  # no such client
    ]
    with counting() as statements:
        got = await asyncio.gather(
            desk_read.find("WST", "3451BC", 3, ""),  # without a token: Lichtveld's address
            *(desk_read.find_with_token(tokens.digest(t), *rest) for t, *rest in asks),
        )
    assert 1 <= len(_reads(statements)) < len(got)  # shared, not one each

    alone, *with_tokens = got
    assert alone is not None and alone.client.code == "WST" and alone.address is None
    users = [None if t is None else t.user.username for t, _ in with_tokens]
    assert users == ["anna.agent", "anna.agent", "wim.woonstad", None, "anna.agent", "anna.agent"]
    wim_token = with_tokens[2][0]
    assert wim_token is not None and wim_token.user.client.code == "WST"  # his client, joined

    found = [f for _, f in with_tokens]
    assert [None if f is None else f.client.code for f in found] == [
        *["WST"] * 3,
        *["LVD"] * 2,
        None,
    ]
    assert [None if f is None or f.address is None else f.address.id for f in found[:5]] == [
        w.addresses[0].id,
        w.addresses[1].id,
        None,
        w.addresses[2].id,
        None,
    ]
    assert found[0] is not None and found[0].protocol == (protocol.id, protocol.checksum)
    assert found[3] is not None and found[3].protocol is None  # Lichtveld publishes none yet


async def test_a_key_the_database_refuses_fails_only_its_own_read(w: world.World) -> None:
    anna, _ = await tokens.issue(w.agent, "desk")
    digest = tokens.digest(anna)
    got = await asyncio.gather(
        desk_read.find_with_token(digest, "WST", "3572AB", 10, ""),
        desk_read.find_with_token(digest, "WST", "3572AB", 10, "\x00"),  # text cannot hold NUL
        desk_read.find_with_token(digest, "WST", "3572AB", 2**70, ""),  # beyond any integer
        desk_read.find_with_token(digest, "LVD", "3451BC", 3, ""),
        return_exceptions=True,
    )
    assert isinstance(got[1], Exception) and isinstance(got[2], Exception)
    first, last = got[0], got[3]
    assert not isinstance(first, BaseException) and not isinstance(last, BaseException)
    assert first[1] is not None and first[1].address is not None
    assert first[1].address.id == w.addresses[0].id
    assert last[1] is not None and last[1].client.code == "LVD"
    # Nothing is left stuck: the next read goes as usual.
    again = await asyncio.wait_for(desk_read.find("WST", "3572AB", 10, "A"), 5)
    assert again is not None and again.address is not None
    assert again.address.id == w.addresses[1].id


async def test_inside_a_transaction_the_read_sees_what_it_wrote(w: world.World) -> None:
    async with in_transaction():
        added = await Address.create(
            client=w.woonstad, street="Nieuw", house_number=99, postcode="3572AB", city="Utrecht"
        )
        found = await desk_read.find("WST", "3572AB", 99, "")
        assert found is not None and found.address is not None
        assert found.address.id == added.id
