"""Abuse of online reporting: no oracle of which homes exist, codes that expire, run out of
tries and work once, limits per number, home and connection, and no dossier without a
confirmed number."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.models import Dossier, OutboundMessage, ReportDraft
from server.selfservice import codes, limits
from tests.selfservice.support import (
    HOME,
    PAGE,
    URGENT,
    answered,
    confirmed,
    last_code,
    open_online,
    post,
)
from tests.support import world


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await open_online(built)
    return built


def _shown(html: str) -> str:
    """The page without what differs per request (the form's token)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


async def test_the_first_step_answers_the_same_whether_the_home_exists_or_not(
    http: httpx.AsyncClient, client_factory: object, w: world.World
) -> None:
    known = await post(http, "adres", {**HOME, "contact": "06 12345678"})
    known_page = await http.get(PAGE)
    async with client_factory() as other:  # type: ignore[operator]
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await other.get(PAGE)).text)
        assert token
        unknown = await other.post(
            f"{PAGE}/adres",
            data={
                "csrf_token": token.group(1),
                "postcode": "9999 zz",
                "huisnummer": "1",
                "toevoeging": "",
                "contact": "06 12345678",
            },
        )
        unknown_page = await other.get(PAGE)
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"]
    assert _shown(known_page.text) == _shown(unknown_page.text)
    assert "Biltstraat" not in known_page.text
    # A code went out for both: the number's owner learns nothing from whether it came.
    assert await OutboundMessage.filter(kind="verificatiecode").count() == 2


async def test_an_unknown_home_is_told_only_after_the_code_and_may_be_corrected(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await confirmed(http, home={"postcode": "3572 ab", "huisnummer": "12", "toevoeging": ""})
    page = await http.get(PAGE)
    assert "We vinden 3572 AB 12 niet in de woningen van Woonstad Utrecht" in page.text
    fixed = await post(http, "woning", HOME)
    assert fixed.status_code == 303
    assert "Biltstraat 10, Utrecht" in (await http.get(PAGE)).text


async def test_a_wrong_code_is_refused_with_the_tries_left_and_then_not_at_all(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, "adres", {**HOME, "contact": "06 12345678"})
    right = await last_code()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    first = await post(http, "code", {"code": wrong})
    assert first.status_code == 422
    assert "Deze code klopt niet. U kunt het nog 4 keer proberen." in first.text
    for _ in range(codes.MAX_ATTEMPTS - 1):
        await post(http, "code", {"code": wrong})
    spent = await post(http, "code", {"code": right})  # even the right one: no tries left
    assert spent.status_code == 429
    assert "te vaak verkeerd" in spent.text
    assert (await ReportDraft.get()).verified_at is None


async def test_an_expired_code_is_refused(http: httpx.AsyncClient, w: world.World) -> None:
    await post(http, "adres", {**HOME, "contact": "06 12345678"})
    code = await last_code()
    await ReportDraft.all().update(code_expires_at=datetime.now(UTC) - timedelta(seconds=1))
    refused = await post(http, "code", {"code": code})
    assert refused.status_code == 422 and "Deze code is verlopen" in refused.text
    assert (await ReportDraft.get()).verified_at is None


async def test_the_code_is_stored_only_as_a_hash_and_forgotten_once_used(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, "adres", {**HOME, "contact": "06 12345678"})
    code = await last_code()
    draft = await ReportDraft.get()
    assert code not in draft.code_hash and draft.code_hash == codes.digest(draft.id, code)
    assert (await post(http, "code", {"code": code})).status_code == 303
    draft = await ReportDraft.get()
    assert draft.code_hash == "" and draft.verified_at is not None
    row = await OutboundMessage.get(kind="verificatiecode")
    assert code not in row.body and row.body == codes.SCRUBBED


async def test_codes_to_one_number_are_limited(http: httpx.AsyncClient, w: world.World) -> None:
    for _ in range(limits.PER_CONTACT):
        http.cookies.clear()
        assert (await post(http, "adres", {**HOME, "contact": "06 12345678"})).status_code == 303
    http.cookies.clear()
    refused = await post(http, "adres", {**HOME, "contact": "06 12345678"})
    assert refused.status_code == 429 and "Te veel pogingen" in refused.text
    assert refused.headers["retry-after"]
    assert await OutboundMessage.filter(kind="verificatiecode").count() == limits.PER_CONTACT
    # Another number for another home still gets its code.
    http.cookies.clear()
    other = {"postcode": "3572 ab", "huisnummer": "10", "toevoeging": "a", "contact": "06 23456789"}
    assert (await post(http, "adres", other)).status_code == 303


async def test_one_connection_cannot_try_many_numbers(
    http: httpx.AsyncClient, w: world.World
) -> None:
    statuses = []
    for n in range(limits.PER_CONNECTION + 1):
        http.cookies.clear()
        home = {"postcode": "3572 ab", "huisnummer": str(100 + n), "toevoeging": ""}
        reply = await post(http, "adres", {**home, "contact": f"06 1234{5600 + n}"})
        statuses.append(reply.status_code)
    assert statuses == [303] * limits.PER_CONNECTION + [429]


async def test_without_a_confirmed_code_no_step_goes_on_and_no_dossier_is_made(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, "adres", {**HOME, "contact": "06 12345678"})
    steps = [
        ("onderwerp", {"naam": "Bot", "onderwerp": "lekkage_waterleiding"}),
        ("antwoord", {"vraag": "bewoonbaarheid", "antwoord": "ja"}),
        ("details", {"omschrijving": "x"}),
        ("versturen", {"bellen": "ja"}),
        ("woning", HOME),
    ]
    for step, data in steps:
        reply = await post(http, step, data)
        assert reply.status_code == 422, (step, reply.status_code)
        assert "Bevestig eerst uw nummer of e-mailadres met de code." in reply.text
    http.cookies.clear()
    for step, data in steps:  # without any draft at all
        assert (await post(http, step, data)).status_code in (400, 422)
    assert await Dossier.all().count() == 0


async def test_a_reload_or_the_back_button_loses_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await confirmed(http)
    await answered(http, "lekkage_waterleiding", URGENT[:2])
    again = await http.get(PAGE)
    assert "Kunt u de leiding afsluiten" in again.text
    assert (await post(http, "terug", {})).status_code == 303
    previous = await http.get(PAGE)
    assert "Gesprongen of spuitende leiding" in previous.text  # the question before, again
    refused = await post(http, "details", {"omschrijving": "te vroeg"})
    assert refused.status_code == 422  # a step out of turn changes nothing
    draft = await ReportDraft.get()
    assert draft.data["answers"] == [["bewoonbaarheid", "nee"]] and draft.data["name"]
