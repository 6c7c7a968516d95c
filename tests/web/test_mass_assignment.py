"""Fields a caller must not set stay out of reach, whatever the request carries: the client,
technician, phase, urgency and result code of a dossier, the author of a chat message."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from server.dossiers import dossiers
from server.jobs import queue
from server.models import Dossier
from tests.fieldwork.support import App, close, job_for
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import dossier_body, token_for

EXTRAS = {
    "phase": "afgerond",
    "urgency": "acuut",
    "technician_id": 1,
    "result_code": "verholpen",
    "client_id": 2,
}


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.fixture(autouse=True)
async def _no_waiting_jobs(app: object) -> AsyncIterator[None]:
    yield
    await queue.stop_inline(0)


async def _on_site(w: world.World) -> Dossier:
    job = await job_for(w, w.technician)
    await dossiers.transition(w.tech_user, job, "in_uitvoering", {})
    return job


async def test_a_technician_closes_only_with_an_on_site_result(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await _on_site(w)
    piet = await token_for(http, "piet.monteur")
    api = await http.post(
        f"/api/v1/dossiers/{job.order_number}/transitions",
        json={"to": "afgerond", "result_code": "telefonisch_opgelost"},
        headers=piet,
    )
    assert api.status_code == 403
    assert api.json()["error"] == {
        "message": "Resultaatcode 'Telefonisch opgelost' legt de meldkamer vast, niet de monteur.",
        "field": "result_code",
    }
    app = App(http, piet)
    pushed = await app.push([app.op("complete", job.order_number, result_code="dubbele_melding")])
    assert pushed["outcomes"][0]["status"] != "applied"
    assert (await Dossier.get(id=job.id)).phase == "in_uitvoering"
    done = await app.push([close(app, job.order_number, result_code="geen_storing")])
    assert done["outcomes"][0]["status"] == "applied"
    closed = await Dossier.get(id=job.id)
    assert (closed.phase, closed.result_code) == ("afgerond", "geen_storing")


async def test_a_technician_cannot_pass_his_job_on(http: httpx.AsyncClient, w: world.World) -> None:
    job = await _on_site(w)
    await login(http, "piet.monteur")
    page = await http.get(f"/dossiers/{job.order_number}")
    moved = await http.post(
        f"/dossiers/{job.order_number}/fase",
        data={
            "csrf_token": csrf(page.text),
            "to": "doorgezet_naar_monteur",
            "reason": "Onderdeel besteld",
            "technician_id": str(w.other_technician.id),
        },
    )
    assert moved.status_code == 303
    after = await Dossier.get(id=job.id)
    assert (after.phase, after.technician_id) == ("doorgezet_naar_monteur", w.technician.id)  # type: ignore[attr-defined]


async def test_a_client_user_creates_a_plain_new_dossier_only(
    http: httpx.AsyncClient, w: world.World
) -> None:
    wim = await token_for(http, "wim.woonstad")
    api = await http.post("/api/v1/dossiers", json={**dossier_body(), **EXTRAS}, headers=wim)
    assert api.status_code == 422
    assert api.json()["error"]["message"].endswith("Onbekend veld.")
    assert await Dossier.all().count() == 0
    triaged = dossier_body(triage={"subject": "elektra", "answers": {}})
    refused = await http.post("/api/v1/dossiers", json=triaged, headers=wim)
    assert refused.status_code == 403
    await login(http, "wim.woonstad")
    form = await http.get("/dossiers/nieuw")
    data = {
        "csrf_token": csrf(form.text),
        "client": "WST",
        "postcode": "3572AB",
        "house_number": "10",
        "contact_name": "Fatima el Amrani",
        "contact_phone": "0612345678",
        "channel": "web",
        "category": "elektra",
        **{k: str(v) for k, v in EXTRAS.items()},
    }
    made = await http.post("/dossiers/nieuw", data=data)
    assert made.status_code == 303
    d = await Dossier.get()
    assert (d.phase, d.urgency, d.technician_id, d.result_code, d.client_id) == (  # type: ignore[attr-defined]
        "nieuw",
        None,
        None,
        None,
        w.woonstad.id,
    )
    with_triage = await http.post(
        "/dossiers/nieuw", data={**data, "triage_subject": "elektra", "triage_answers": "{}"}
    )
    assert with_triage.status_code == 403
    assert await Dossier.all().count() == 1


async def test_the_details_api_corrects_details_only(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await dossiers.create(w.agent, world.intake("WST"))
    anna = await token_for(http, "anna.agent")
    for key, value in [*EXTRAS.items(), ("client", "LVD")]:
        response = await http.patch(
            f"/api/v1/dossiers/{d.order_number}", json={key: value}, headers=anna
        )
        assert response.status_code == 422, key
        assert response.json()["error"] == {"message": f"{key}: Onbekend veld.", "field": key}
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    posted = await http.post(
        f"/dossiers/{d.order_number}/gegevens",
        data={"csrf_token": csrf(page.text), "description": "Lekt nog steeds", **EXTRAS},
    )
    assert posted.status_code == 303
    after = await Dossier.get(id=d.id)
    assert after.description == "Lekt nog steeds"
    assert (after.phase, after.urgency, after.technician_id, after.client_id) == (  # type: ignore[attr-defined]
        "nieuw",
        None,
        None,
        w.woonstad.id,
    )


async def test_a_chat_message_is_written_by_who_sends_it(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await dossiers.create(w.agent, world.intake("WST"))
    wim = await token_for(http, "wim.woonstad")
    url = f"/api/v1/dossiers/{d.order_number}/messages"
    spoofed = await http.post(
        url, json={"text": "Hoi", "author": "Anna Agent", "role": "agent"}, headers=wim
    )
    assert spoofed.status_code == 422
    made = await http.post(url, json={"text": "Hoi"}, headers=wim)
    assert (made.json()["author"], made.json()["role"]) == ("Wim Woonstad", "client")
