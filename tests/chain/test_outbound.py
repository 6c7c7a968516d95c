"""A dossier given to a contractor reaches its ERP (a real local server) as a VERA
Onderhoudsorder that VERA's own OpenAPI accepts; it survives the ERP being down for an hour,
keeps its message id on every try, and arrives in order with the appointment after it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.chain import delivery, outbound
from server.dossiers import dossiers
from server.models import ChainMessage
from tests.chain import erp_standin, vera_spec
from tests.chain.erp_standin import CLIENT_ID, CLIENT_SECRET, Erp
from tests.chain.support import (
    BAG_ID,
    assign,
    contractor_integration,
    messages,
    settle,
    sweep_until,
    timeline,
    triaged,
)
from tests.support import world
from tests.support.pages import login


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.fixture
async def erp() -> AsyncIterator[Erp]:
    async with erp_standin.running() as server:
        yield server


def extra(body: dict[str, object], name: str) -> str | None:
    found = [a["waarde"] for a in body["extra-attributen"] if a["naam"] == name]  # type: ignore[attr-defined,index]
    return found[0] if found else None


async def test_an_assigned_dossier_arrives_as_a_valid_onderhoudsorder(
    w: world.World, erp: Erp
) -> None:
    await contractor_integration(w, erp)
    d = await assign(w, await triaged(w))
    (order,) = erp.bodies("/vera/v4/onderhoudsorders")
    assert vera_spec.errors("POST", "/onderhoudsorders", order) == []
    assert order["id"] == d.order_number and order["onderhoudSoort"]["code"] == "REP"
    (task,) = order["onderhoudstaken"]
    assert task["specialisme"] == {"code": "DAK", "naam": "Dakdekker"}
    assert task["voorcalculaties"][0]["aantal"] == 2.0  # 120 minutes from the protocol
    assert task["voorcalculaties"][0]["meeteenheid"]["code"] == "UUR"
    (defect,) = order["defecten"]
    assert (defect["soort"]["code"], defect["locatie"]["code"], defect["oorzaak"]["code"]) == (
        "LEK",
        "DAK",
        "WAT",
    )
    assert defect["eenheid"]["idGegevensbeheerder"] == BAG_ID
    # Acuut: the deadline is the latest start and finish.
    deadline = d.deadline_at
    assert deadline is not None
    assert datetime.fromisoformat(order["uitersteGereeddatum"]) == deadline
    assert datetime.fromisoformat(str(extra(order, "uitersteStartdatum"))) == deadline
    assert extra(order, "postcode") == "3572AB" and extra(order, "telefoonnummer") == "+31612345678"
    assert [e["status"] for e in await timeline(d)] == ["wachtrij", "verzonden"]


async def test_the_erp_down_for_an_hour_gets_the_order_once_with_the_same_message_id(
    w: world.World, erp: Erp
) -> None:
    await contractor_integration(w, erp)
    erp.down = True
    d = await assign(w, await triaged(w))
    (row,) = await messages(d)
    # The worker's sweep every minute, for an hour from the message's own moment.
    last = await sweep_until(row.created_at, 60)
    await row.refresh_from_db()
    assert row.status == "wachtrij" and row.attempts >= 5
    assert 1 < len(erp.offered) == row.attempts <= 10  # backoff: not every minute
    assert (await timeline(d))[-1]["status"] == "opnieuw"
    erp.down = False
    await sweep_until(last, 20)
    await row.refresh_from_db()
    assert row.status == "verzonden" and row.response_status == 201
    assert {m for _, m, _ in erp.offered} == {row.message_id}
    assert list(erp.taken) == [row.message_id]
    statuses = [e["status"] for e in await timeline(d)]
    assert statuses[0] == "wachtrij" and statuses[-1] == "verzonden"
    assert set(statuses[1:-1]) == {"opnieuw"}


async def test_a_receiver_down_all_day_is_given_up_and_shown_as_failed(
    w: world.World, erp: Erp, http: httpx.AsyncClient
) -> None:
    await contractor_integration(w, erp)
    erp.down = True
    d = await assign(w, await triaged(w))
    (row,) = await messages(d)
    await delivery.sweep(row.created_at + timedelta(hours=25))
    await row.refresh_from_db()
    assert row.status == "opgegeven"
    assert (await timeline(d))[-1]["status"] == "opgegeven"


async def test_a_refusal_is_kept_with_the_receivers_words_on_the_timeline_and_the_page(
    w: world.World, erp: Erp, http: httpx.AsyncClient
) -> None:
    await contractor_integration(w, erp)
    erp.refuse = "Complex 12 is niet bij ons in onderhoud"
    d = await assign(w, await triaged(w))
    (row,) = await messages(d)
    assert row.status == "geweigerd" and row.response_status == 422
    last = (await timeline(d))[-1]
    assert last["status"] == "geweigerd"
    assert last["reason"] == "422 AFGEWEZEN: Complex 12 is niet bij ons in onderhoud"
    await login(http, "sanne.supervisie")
    page = await http.get("/koppelingen")
    assert "Mislukt vandaag" in page.text and d.order_number in page.text
    assert "Complex 12 is niet bij ons in onderhoud" in page.text
    shown = await http.get(f"/dossiers/{d.order_number}")
    assert "geweigerd door de ontvanger (422 AFGEWEZEN: Complex 12" in shown.text


async def test_the_appointment_waits_for_the_order_and_follows_it(w: world.World, erp: Erp) -> None:
    await contractor_integration(w, erp)
    erp.down = True
    d = await assign(w, await triaged(w))
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    await dossiers.transition(
        w.agent,
        d,
        "afspraak_ingepland",
        {"appointment_start": start, "appointment_end": start + timedelta(hours=2)},
    )
    await settle()
    order, appointment = await messages(d)
    assert appointment.kind == "afspraak" and appointment.attempts == 0  # waited its turn
    erp.down = False
    await sweep_until(order.created_at, 5)
    assert [p for p, _, _ in erp.offered if p.endswith("afspraken")] == ["/vera/v4/afspraken"]
    assert [p for p, _ in erp.taken.values()] == ["/vera/v4/onderhoudsorders", "/vera/v4/afspraken"]
    (body,) = erp.bodies("/vera/v4/afspraken")
    assert vera_spec.errors("POST", "/afspraken", body) == []
    assert body["onderhoudsorder"] == {"id": d.order_number}
    assert datetime.fromisoformat(body["begindatum"]) == start
    assert extra(body, "dagdeel") in ("OCH", "MID", "AVO")


async def test_oauth2_fetches_one_token_and_reuses_it(w: world.World, erp: Erp) -> None:
    erp.use_oauth = True
    await contractor_integration(
        w,
        erp,
        auth="oauth2",
        token_url=f"{erp.url}/oauth/token",
        oauth_client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
    )
    first = await assign(w, await triaged(w))
    second = await dossiers.create(w.agent, world.intake())
    await assign(w, second)
    assert len(erp.taken) == 2 and erp.tokens_issued == 1
    assert [r.status for r in await ChainMessage.all()] == ["verzonden", "verzonden"]
    assert first.order_number != second.order_number


async def test_a_switched_off_integration_sends_nothing(w: world.World, erp: Erp) -> None:
    await contractor_integration(w, erp, active=False)
    d = await assign(w, await triaged(w))
    assert await messages(d) == [] and erp.offered == []
    assert outbound.ORDER == "onderhoudsorder"


async def test_a_cancelled_dossier_cancels_the_appointment_and_then_the_order(
    w: world.World, erp: Erp
) -> None:
    await contractor_integration(w, erp)
    d = await assign(w, await triaged(w))
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    await dossiers.transition(
        w.agent, d, "afspraak_ingepland", {"appointment_start": start, "appointment_end": None}
    )
    await dossiers.transition(
        w.agent, d, "geannuleerd", {"reason": "Huurder heeft het zelf opgelost"}
    )
    await settle()
    sent = [(p, b) for p, b in erp.taken.values()]
    assert [p for p, _ in sent] == [
        "/vera/v4/onderhoudsorders",
        "/vera/v4/afspraken",
        f"/vera/v4/afspraken/{d.order_number}-A",
        f"/vera/v4/onderhoudsorders/{d.order_number}",
    ]
    assert sent[2][1]["status"]["code"] == "ANN" and sent[3][1]["status"]["code"] == "GEA"
    assert vera_spec.errors("PATCH", "/afspraken/{id}", sent[2][1]) == []
    assert vera_spec.errors("PATCH", "/onderhoudsorders/{id}", sent[3][1]) == []
