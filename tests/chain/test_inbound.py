"""The contractor's ERP reports back over the VERA-shaped API: the appointment it made, on its
way, in progress, done with the work, materials and time. Each lands on the dossier through the
lifecycle with the tenant's messages, as the technician app's reports do; a move the dossier does
not allow is answered with the reason. Its key sees only the dossiers sent to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from server.chain import integrations
from server.chain.integrations import IntegrationInput
from server.models import Dossier, DossierEvent, Integration, OutboundMessage, RepairLog
from tests.chain import erp_standin, vera_spec
from tests.chain.erp_standin import Erp
from tests.chain.support import assign, contractor_integration, triaged
from tests.support import world

BASE = "/api/vera/v4"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.fixture
async def erp() -> AsyncIterator[Erp]:
    async with erp_standin.running() as server:
        yield server


def ref(code: str, name: str = "") -> dict[str, str]:
    return {"code": code, "naam": name or code}


def task_report(d: Dossier, status: str, **task: Any) -> dict[str, Any]:
    body = {
        "id": d.order_number,
        "onderhoudstaken": [{"id": f"{d.order_number}-T1", "status": ref(status), **task}],
    }
    # What the ERP sends is VERA too: the test checks its own reports against the OpenAPI.
    assert vera_spec.errors("PATCH", "/onderhoudsorders", body) == []
    return body


def appointment(d: Dossier, start: datetime, hours: int = 2) -> dict[str, Any]:
    body = {
        "onderhoudsorder": {"id": d.order_number},
        "begindatum": start.isoformat(),
        "einddatum": (start + timedelta(hours=hours)).isoformat(),
        "status": ref("GEP", "Gepland"),
    }
    assert vera_spec.errors("POST", "/afspraken", body) == []
    return body


async def given(w: world.World, erp: Erp) -> tuple[Dossier, dict[str, str]]:
    """A dossier sent to the contractor's ERP, and the key that ERP answers with."""
    _, key = await contractor_integration(w, erp)
    d = await assign(w, await triaged(w))
    return d, {"X-API-KEY": key}


async def tenant_kinds(d: Dossier) -> list[str]:
    rows = await OutboundMessage.filter(dossier_id=d.id, channel="sms").order_by("id")
    return [r.kind for r in rows]


async def test_status_messages_move_the_dossier_to_done_with_its_werkbon(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    d, key = await given(w, erp)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
    planned = await http.post(f"{BASE}/afspraken", json=appointment(d, start), headers=key)
    assert planned.status_code == 201, planned.text
    await d.refresh_from_db()
    assert d.phase == "afspraak_ingepland" and d.appointment_start == start
    on_way = await http.patch(
        f"{BASE}/onderhoudsorders/{d.order_number}", json=task_report(d, "REI"), headers=key
    )
    assert on_way.status_code == 200, on_way.text
    started = await http.patch(
        f"{BASE}/onderhoudsorders/{d.order_number}", json=task_report(d, "UIT"), headers=key
    )
    assert started.json()["fase"] == "in_uitvoering"
    done = task_report(
        d,
        "GER",
        omschrijving="Dakgoot vrijgemaakt en naad gekit.",
        onderhoudsbestedingen=[
            {
                "soort": ref("WER"),
                "aantal": 1.5,
                "meeteenheid": ref("UUR"),
                "uitvoerBegintijd": start.isoformat(),
                "uitvoerEindtijd": (start + timedelta(minutes=90)).isoformat(),
            },
            {
                "soort": ref("MAT"),
                "omschrijving": "Kit transparant",
                "aantal": 2,
                "meeteenheid": ref("STU"),
            },
        ],
    )
    closed = await http.patch(
        f"{BASE}/onderhoudsorders/{d.order_number}",
        json=done,
        headers=key,
    )
    assert closed.status_code == 200, closed.text
    await d.refresh_from_db()
    assert d.phase == "afgerond" and d.result_code == "verholpen"
    (log,) = await RepairLog.filter(dossier_id=d.id)
    assert log.work_done == "Dakgoot vrijgemaakt en naad gekit." and log.minutes == 90
    assert log.materials == [{"name": "Kit transparant", "quantity": 2, "unit": "st"}]
    assert log.fixed and log.arrived_at == start
    # The tenant heard what a technician's app would have told her.
    assert (await tenant_kinds(d))[1:] == ["afspraak_ingepland", "monteur_onderweg", "afgerond"]
    # The same report again (the ERP's retry) changes nothing.
    again = await http.patch(
        f"{BASE}/onderhoudsorders/{d.order_number}",
        json=done,
        headers=key,
    )
    assert again.status_code == 200 and await RepairLog.filter(dossier_id=d.id).count() == 1
    order = (await http.get(f"{BASE}/onderhoudsorders/{d.order_number}", headers=key)).json()
    assert order["status"]["code"] == "TEC"
    assert vera_spec.errors("POST", "/onderhoudsorders", order) == []


async def test_a_move_the_dossier_does_not_allow_is_answered_with_the_reason(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    d, key = await given(w, erp)
    # Not urgent enough to start without an appointment? This one is acuut: first plan.
    done = task_report(d, "GER", omschrijving="Klaar.")
    answer = await http.patch(f"{BASE}/onderhoudsorders/{d.order_number}", json=done, headers=key)
    assert answer.status_code == 409
    refusal = answer.json()
    assert refusal["code"] == "GEWEIGERD"
    assert (
        "Van 'Doorgezet naar monteur' kan een dossier niet naar 'Afgerond'"
        in refusal["omschrijving"]
    )
    await d.refresh_from_db()
    assert d.phase == "doorgezet_naar_monteur"
    (kept,) = await DossierEvent.filter(dossier_id=d.id, kind="keten_in")
    assert kept.data["refused"] == refusal["omschrijving"]
    cancelled = await http.post(
        f"{BASE}/afspraken",
        json={**appointment(d, datetime.now(UTC) + timedelta(days=1)), "status": ref("ANN")},
        headers=key,
    )
    assert cancelled.status_code == 409
    assert "via de meldkamer" in cancelled.json()["omschrijving"]


async def test_a_tenant_not_at_home_sends_the_job_back_for_a_new_appointment(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    d, key = await given(w, erp)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    await http.post(f"{BASE}/afspraken", json=appointment(d, start), headers=key)
    moved = start + timedelta(days=1)
    second = await http.put(
        f"{BASE}/afspraken/{d.order_number}-A", json=appointment(d, moved), headers=key
    )
    assert second.status_code == 200
    await d.refresh_from_db()
    assert d.appointment_start == moved
    assert "afspraak_gewijzigd" in await tenant_kinds(d)
    report = task_report(d, "OND", detailStatus=ref("AFW", "Klant niet aanwezig"))
    answer = await http.patch(f"{BASE}/onderhoudsorders/{d.order_number}", json=report, headers=key)
    assert answer.status_code == 200, answer.text
    await d.refresh_from_db()
    assert d.phase == "doorgezet_naar_monteur"
    last = await DossierEvent.filter(dossier_id=d.id, kind="transition").order_by("-id").first()
    assert last is not None and last.data["reason"] == "Klant niet aanwezig (vervolgafspraak nodig)"
    assert last.data["via"] == "Koppeling ERP Installatiebedrijf Noord"


async def test_a_key_sees_only_the_dossiers_sent_to_its_integration(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    d, key = await given(w, erp)
    other, other_key = await integrations.create(
        w.admin,
        IntegrationInput(
            name="ERP Anders",
            owner=f"contractor:{(await other_contractor()).id}",
            endpoint_url=f"{erp.url}/vera/v4",
            secret="x",
            messages=["onderhoudsorder"],
            active=True,
        ),
    )
    theirs = {"X-API-KEY": other_key}
    path = f"{BASE}/onderhoudsorders/{d.order_number}"
    assert (await http.get(path, headers=key)).status_code == 200
    for method in ("GET", "PATCH", "PUT"):
        answer = await http.request(method, path, headers=theirs, json=task_report(d, "UIT"))
        assert answer.status_code == 404, (method, answer.text)
        assert answer.json() == {
            "code": "NIET_GEVONDEN",
            "omschrijving": f"Onderhoudsorder '{d.order_number}' niet gevonden.",
        }
    planned = await http.post(
        f"{BASE}/afspraken",
        json=appointment(d, datetime.now(UTC) + timedelta(days=1)),
        headers=theirs,
    )
    assert planned.status_code == 404
    assert (
        await http.get(f"{BASE}/onderhoudsorders/MK-0000-000000", headers=key)
    ).status_code == 404
    for headers in ({}, {"X-API-KEY": "mkv_fout"}, await world.token_for(http, "admin")):
        refused = await http.get(path, headers=headers)
        assert refused.status_code == 401 and refused.json()["code"] == "NIET_GEAUTORISEERD"
    await Integration.filter(id=other.id).update(active=False)
    assert (await http.get(f"{BASE}/ping", headers=theirs)).status_code == 401
    assert (await http.get(f"{BASE}/ping", headers=key)).status_code == 200
    await d.refresh_from_db()
    assert d.phase == "doorgezet_naar_monteur"


async def other_contractor() -> Any:
    from server.models import Contractor

    return await Contractor.create(code="ANDER", name="Aannemer Anders")


async def test_bad_reports_get_a_dutch_vera_error_and_change_nothing(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    d, key = await given(w, erp)
    path = f"{BASE}/onderhoudsorders/{d.order_number}"
    cases = [
        (b"{", "De body is geen geldige JSON."),
        (b"[]", "Stuur een Onderhoudsorder als JSON-object."),
        (
            b'{"onderhoudstaken": []}',
            "Een statusmelding noemt de taak in onderhoudstaken[0] met haar status.",
        ),
        (
            b'{"onderhoudstaken": [{"status": {"code": "XYZ"}}]}',
            "Onbekende ONDERHOUDSTAAKSTATUS 'XYZ'",
        ),
    ]
    for raw, message in cases:
        answer = await http.patch(
            path, content=raw, headers={**key, "content-type": "application/json"}
        )
        assert answer.status_code == 400, raw
        assert answer.json()["omschrijving"].startswith(message), answer.text
    naive = appointment(d, datetime.now(UTC) + timedelta(days=1))
    naive["begindatum"] = "2030-01-01T10:00:00"
    naive.pop("einddatum")
    answer = await http.post(f"{BASE}/afspraken", json=naive, headers=key)
    assert answer.status_code == 400 and "tijdzone" in answer.json()["omschrijving"]
    await d.refresh_from_db()
    assert d.phase == "doorgezet_naar_monteur"
