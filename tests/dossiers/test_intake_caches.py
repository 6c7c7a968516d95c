"""What an intake keeps between requests is keyed by content, so a change is seen at once.

The compiled message templates are kept per set of a client's own texts, the protocol version
per id and checksum and its parse per stored text (docs/performance.md). The changes here are
made as another process would make them, straight in the database, and the very next intake
must follow them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import httpx
import pytest

from server.domain.errors import Unprocessable
from server.models import Address, ApiToken, Client, Dossier, OutboundMessage, ProtocolVersion
from server.protocols import protocol_files, protocols, triage
from tests.dossiers.test_intake_statements import LEAK
from tests.support import world

GAS = {**LEAK, "triage": {"subject": "gaslek", "answers": {"waar": "woning"}}}
GAS_MINUTES = (
    "labour_minutes: 60\n        inform_client: true\n        notices:\n          - Geen vuur"
)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await protocols.current(built.woonstad)
    return built


async def _own_texts(texts: dict[str, str]) -> None:
    """Woonstad's own message texts, written as another process (the editor page) would."""
    client = await Client.get(code="WST")
    await Client.filter(id=client.id).update(
        settings={**client.settings, "message_templates": texts}
    )


async def _intake(
    http: httpx.AsyncClient, headers: dict[str, str], body: dict[str, object]
) -> Dossier:
    made = await http.post("/api/v1/dossiers", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return await Dossier.get(order_number=made.json()["order_number"])


async def _sent(dossier: Dossier) -> dict[str, tuple[str, str]]:
    rows = await OutboundMessage.filter(dossier_id=dossier.id)
    return {row.channel: (row.subject, row.body) for row in rows}


async def test_an_edited_client_text_is_in_the_next_intakes_message(
    w: world.World, http: httpx.AsyncClient
) -> None:
    headers = await world.token_for(http, "anna.agent")
    plain = await _intake(http, headers, LEAK)
    builtin, builtin_order = await _sent(plain), plain.order_number
    assert not builtin["sms"][1].startswith("Versie")

    await _own_texts(
        {
            "melding_ontvangen/sms.txt": "Versie A: {{ ordernummer }} ontvangen.",
            "melding_ontvangen/onderwerp.txt": "Onderwerp A {{ ordernummer }}",
        }
    )
    first = await _intake(http, headers, LEAK)
    sent = await _sent(first)
    assert sent["sms"][1] == f"Versie A: {first.order_number} ontvangen."
    assert sent["email"][0] == f"Onderwerp A {first.order_number}"

    await _own_texts(
        {
            "melding_ontvangen/sms.txt": "Versie B: {{ ordernummer }} ontvangen.",
            "melding_ontvangen/onderwerp.txt": "Onderwerp A {{ ordernummer }}",
        }
    )
    second = await _intake(http, headers, LEAK)
    sent = await _sent(second)
    assert sent["sms"][1] == f"Versie B: {second.order_number} ontvangen."
    assert sent["email"][0] == f"Onderwerp A {second.order_number}"

    # Removing the client's texts brings the built-in ones back at once.
    await _own_texts({})
    third = await _intake(http, headers, LEAK)
    sent = await _sent(third)
    assert not sent["sms"][1].startswith("Versie") and third.order_number in sent["sms"][1]
    assert sent["email"][0] == builtin["email"][0].replace(builtin_order, third.order_number)

    # And the same text as before gives the same message again (kept, not stale).
    await _own_texts({"melding_ontvangen/sms.txt": "Versie A: {{ ordernummer }} ontvangen."})
    fourth = await _intake(http, headers, LEAK)
    sent = await _sent(fourth)
    assert sent["sms"][1] == f"Versie A: {fourth.order_number} ontvangen."
    assert not sent["email"][0].startswith("Onderwerp A")  # the built-in subject again


async def test_a_published_protocol_applies_to_the_next_intake(
    w: world.World, http: httpx.AsyncClient
) -> None:
    headers = await world.token_for(http, "anna.agent")
    before = await _intake(http, headers, GAS)
    assert before.triage["protocol"]["version"] == 1
    assert before.triage["outcome"]["labour_minutes"] == 60

    v1 = await protocols.current(w.woonstad)
    assert GAS_MINUTES in v1.text
    changed = v1.text.replace(GAS_MINUTES, GAS_MINUTES.replace("60", "75"), 1)
    await protocols.publish(w.supervisor, "WST", changed, "Gaslek duurt langer", based_on=1)

    after = await _intake(http, headers, GAS)
    assert after.triage["protocol"]["version"] == 2
    assert after.triage["outcome"]["labour_minutes"] == 75


async def test_a_kept_protocol_version_is_read_again_when_its_row_holds_another_text(
    w: world.World, http: httpx.AsyncClient
) -> None:
    """Only which version is newest is read per intake; the text is kept per id and checksum.
    The same id with another text (tables emptied and filled again) is read afresh."""
    headers = await world.token_for(http, "anna.agent")
    assert (await _intake(http, headers, GAS)).triage["outcome"]["labour_minutes"] == 60

    v1 = await protocols.current(w.woonstad)
    changed = v1.text.replace(GAS_MINUTES, GAS_MINUTES.replace("60", "90"), 1)
    await ProtocolVersion.filter(id=v1.id).update(
        text=changed, checksum=protocol_files.checksum(changed)
    )
    after = await _intake(http, headers, GAS)
    assert after.triage["protocol"]["version"] == 1
    assert after.triage["outcome"]["labour_minutes"] == 90


async def test_the_reads_with_prepared_sql_keep_no_results(
    w: world.World, http: httpx.AsyncClient
) -> None:
    """The token, client, address and protocol reads reuse their SQL, never their rows: a
    token revoked, a client renamed, an address moved into the stock elsewhere is seen by
    the next request."""
    headers = await world.token_for(http, "anna.agent")
    moved = {**LEAK, "address": {"postcode": "1011AB", "house_number": 5}}
    typed = await http.post("/api/v1/dossiers", json=moved, headers=headers)
    assert typed.status_code == 422 and "niet in het woningbestand" in typed.text

    await Client.filter(code="WST").update(name="Woonstad Utrecht en Omstreken")
    await Address.create(
        client=w.woonstad, street="Damrak", house_number=5, postcode="1011AB", city="Amsterdam"
    )
    stocked = await _intake(http, headers, moved)
    assert (stocked.street, stocked.city) == ("Damrak", "Amsterdam")
    sms = (await _sent(stocked))["sms"][1]
    assert sms.startswith("Woonstad Utrecht en Omstreken:")

    await ApiToken.all().update(expires_at=datetime(2000, 1, 1, tzinfo=UTC))
    refused = await http.post("/api/v1/dossiers", json=LEAK, headers=headers)
    assert refused.status_code == 401


async def test_the_desk_read_keeps_to_the_client_of_the_intake(
    w: world.World, http: httpx.AsyncClient
) -> None:
    """Client, stocked address and newest protocol come in one read (server/dossiers/
    desk_read.py): another client's address at the same postcode and number, and another
    client's newer protocol, are not this client's; a client without a published protocol
    gets the default one on its first intake."""
    headers = await world.token_for(http, "anna.agent")
    v1 = await protocols.current(w.woonstad)
    changed = v1.text.replace(GAS_MINUTES, GAS_MINUTES.replace("60", "75"), 1)
    await protocols.publish(w.supervisor, "WST", changed, "Gaslek duurt langer", based_on=1)

    elsewhere = {**GAS, "client": "LVD"}  # 3572AB 10 is in Woonstad's stock only
    refused = await http.post("/api/v1/dossiers", json=elsewhere, headers=headers)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "address.street"
    assert "niet in het woningbestand van Lichtveld Wonen" in refused.text

    typed = {**elsewhere, "address": {**LEAK["address"], "street": "Laan", "city": "Vleuten"}}
    lichtveld = await _intake(http, headers, typed)
    assert (lichtveld.street, lichtveld.address_id) == ("Laan", None)  # type: ignore[attr-defined]
    assert lichtveld.triage["protocol"] == {
        "client": "LVD",
        "version": 1,
        "id": (await protocols.current(w.lichtveld)).id,
    }
    assert lichtveld.triage["outcome"]["labour_minutes"] == 60

    woonstad = await _intake(http, headers, GAS)
    assert woonstad.address_id == w.addresses[0].id  # type: ignore[attr-defined]
    assert woonstad.triage["protocol"]["version"] == 2
    assert woonstad.triage["outcome"]["labour_minutes"] == 75

    unknown = await http.post("/api/v1/dossiers", json={**GAS, "client": "XYZ"}, headers=headers)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "client"


async def test_a_changed_calendar_counts_for_the_next_intake(w: world.World) -> None:
    """A client's calendar is kept per content of its settings: office hours, heating season
    and closure days changed in the database (as another process's admin page does) give the
    next read of the client its new calendar; broken settings are still refused."""
    first = triage.calendar_for(await Client.get(code="WST"))
    await Client.filter(code="WST").update(office_hours={"mon": [["07:00", "12:00"]]})
    client = await Client.get(code="WST")
    client.settings = {
        **client.settings,
        "heating_season": {"start": "11-01", "end": "03-01"},
        "closure_days": [{"date": "2026-12-24", "reason": "Kerstavond"}],
    }
    await client.save(update_fields=["settings"])
    changed = triage.calendar_for(await Client.get(code="WST"))
    assert changed.office_hours == {0: [(time(7), time(12))]} != first.office_hours
    assert (changed.heating_season_start, changed.heating_season_end) == ("11-01", "03-01")
    assert date(2026, 12, 24) in changed.closure_days
    assert triage.calendar_for(await Client.get(code="WST")) is changed  # kept, not re-read

    await Client.filter(code="WST").update(office_hours={"mon": [["17:00", "07:00"]]})
    with pytest.raises(Unprocessable):
        triage.calendar_for(await Client.get(code="WST"))
