"""The sync API as the app uses it: exactly once, clear rejections, nothing stored for strangers."""

from __future__ import annotations

import httpx
import pytest

from server.dossiers import dossiers
from server.models import DossierEvent, DossierMessage, RepairLog, SyncOutcome
from tests.fieldwork.support import App, job_for, repair_log
from tests.support import world
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_a_job_done_in_one_push_lands_once_and_a_replay_is_only_acknowledged(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    n = job.order_number
    ops = [
        app.op("start_travel", n, eta_minutes=20),
        app.op("arrive", n),
        app.op("add_repair_log", n, **repair_log()),
        app.op("chat", n, text="Sifon vervangen, lekt niet meer."),
        app.op("complete", n, result_code="verholpen"),
    ]
    first = await app.push(ops)
    assert [o["status"] for o in first["outcomes"]] == ["applied"] * 5, first
    assert first["last_seq"] == 5 and first["stop"] is None
    again = await app.push(ops)
    assert again["outcomes"] == first["outcomes"]
    d = await dossiers.get(w.agent, n)
    assert (d.phase, d.result_code) == ("afgerond", "verholpen")
    log = await RepairLog.get(dossier_id=d.id)
    assert log.materials == [
        {"name": "Sifon 32 mm", "quantity": 1, "unit": "st"},
        {"name": "Kit", "quantity": 0.5, "unit": "st"},
    ]
    assert (log.minutes, log.fixed) == (35, True)
    assert await RepairLog.filter(dossier_id=d.id).count() == 1
    assert await DossierMessage.filter(dossier_id=d.id).count() == 1
    assert await DossierEvent.filter(dossier_id=d.id, kind="werkbon").count() == 1
    moves = await DossierEvent.filter(dossier_id=d.id, kind="transition").values_list(
        "data", flat=True
    )
    assert [m["to"] for m in moves][-2:] == ["in_uitvoering", "afgerond"]  # type: ignore[index]


async def test_unknown_kinds_bad_logs_and_strangers_jobs_are_rejected_and_store_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    mine = await job_for(w, w.technician)
    other = await job_for(w, w.other_technician)
    events_before = await DossierEvent.filter(dossier_id=other.id).count()
    app = App(http, await token_for(http, "piet.monteur"))
    result = await app.push(
        [
            app.op("explode", mine.order_number),
            app.op("add_repair_log", other.order_number, **repair_log()),
            app.op("chat", other.order_number, text="hallo"),
            app.op("complete", other.order_number, result_code="verholpen"),
            app.op("add_repair_log", mine.order_number, **{**repair_log(), "minutes": -5}),
            app.op("add_repair_log", mine.order_number, **{**repair_log(), "fixed": "ja"}),
            app.op("not_fixed", mine.order_number, reason="geen_zin"),
            app.op("chat", "MK-1999-000001", text="hallo"),
        ]
    )
    reasons = [(o["status"], o["reason"]) for o in result["outcomes"]]
    assert reasons[0][0] == "rejected"
    assert reasons[0][1].startswith("Onbekende soort wijziging 'explode' (bekend: ")
    stranger = f"Opdracht '{other.order_number}' niet gevonden."
    assert reasons[1:4] == [("rejected", stranger)] * 3
    assert reasons[4] == ("rejected", "Bestede tijd moet 0 tot 1440 minuten zijn, niet -5.")
    assert reasons[5] == (
        "rejected",
        "Geef aan of de storing verholpen is (ja/nee), niet 'ja'.",
    )
    assert reasons[6][1].startswith("Onbekende reden 'geen_zin' (bekend: materiaal_nodig")
    assert reasons[7] == ("rejected", "Opdracht 'MK-1999-000001' niet gevonden.")
    assert result["last_seq"] == 8  # rejections advance: the queue never blocks
    assert await RepairLog.all().count() == 0
    assert await DossierMessage.all().count() == 0
    assert await DossierEvent.filter(dossier_id=other.id).count() == events_before
    assert (await dossiers.get(w.agent, other.order_number)).phase == "afspraak_ingepland"


async def test_gap_and_broken_batches(http: httpx.AsyncClient, w: world.World) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    app.seq = 4
    gap = await app.push([app.op("chat", job.order_number, text="te vroeg")])
    assert gap["outcomes"] == [] and gap["stop"]["reason"] == "gap" and gap["stop"]["seq"] == 1
    headers = app.headers
    bad = await http.post(
        "/api/v1/sync/push",
        json={"device_id": app.device, "ops": [{"seq": "een", "op_id": "x"}]},
        headers=headers,
    )
    assert bad.status_code == 400
    assert (
        bad.json()["error"]["message"]
        == "ops[0].seq moet een geheel getal vanaf 1 zijn, niet 'een'."
    )
    short = await http.post(
        "/api/v1/sync/push", json={"device_id": "kort", "ops": []}, headers=headers
    )
    assert short.status_code == 422
    assert short.json()["error"]["message"].startswith("Ongeldig apparaat-id 'kort'")
    desk = await token_for(http, "anna.agent")
    refused = await http.post(
        "/api/v1/sync/push", json={"device_id": "desk-device-1", "ops": []}, headers=desk
    )
    assert refused.status_code == 403
    assert await SyncOutcome.all().count() == 0


async def test_pull_delivers_jobs_chat_and_only_his_own(
    http: httpx.AsyncClient, w: world.World, client_factory: object
) -> None:
    mine = await job_for(w, w.technician)
    other = await job_for(w, w.other_technician)
    piet = App(http, await token_for(http, "piet.monteur"))
    first = await piet.pull()
    assert first["reset"] is True
    assert [j["order_number"] for j in first["snapshot"]["jobs"]] == [mine.order_number]
    job = first["snapshot"]["jobs"][0]
    assert job["contact"] == {"name": "Fatima el Amrani", "phone": "+31612345678"}
    assert job["address"]["line"] == "Biltstraat 10" and job["phase"] == "afspraak_ingepland"
    assert (await piet.pull())["changes"] == []
    desk = await token_for(http, "anna.agent")
    r = await http.post(
        f"/api/v1/dossiers/{mine.order_number}/messages",
        json={"text": "Huurder is na 14:00 thuis."},
        headers=desk,
    )
    assert r.status_code == 201
    await http.post(
        f"/api/v1/dossiers/{other.order_number}/messages", json={"text": "x"}, headers=desk
    )
    changes = (await piet.pull())["changes"]
    assert [(c["kind"], c["job"]) for c in changes] == [("job", mine.order_number)]
    assert changes[0]["data"]["job"]["messages"][-1]["text"] == "Huurder is na 14:00 thuis."
    assert (await piet.pull())["changes"] == []


async def test_reassigned_while_offline_nothing_is_lost_and_he_is_told(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    n = job.order_number
    piet = App(http, await token_for(http, "piet.monteur"))
    await piet.pull()  # the job is on his phone; then he goes into the cellar
    offline = [
        piet.op("arrive", n),
        piet.op("add_repair_log", n, **repair_log()),
        piet.op("chat", n, text="Lekkage gevonden achter de kitrand."),
        piet.op("complete", n, result_code="verholpen"),
    ]
    d = await dossiers.get(w.agent, n)
    await dossiers.transition(
        w.agent,
        d,
        "doorgezet_naar_monteur",
        {"technician_id": w.other_technician.id, "reason": "Andere monteur"},
    )
    result = await piet.push(offline)
    statuses = [o["status"] for o in result["outcomes"]]
    assert statuses == ["conflict", "applied", "applied", "conflict"]
    taken = f"Opdracht {n} is intussen aan een andere monteur gegeven."
    assert result["outcomes"][0]["reason"] == taken
    d = await dossiers.get(w.agent, n)
    assert d.phase == "doorgezet_naar_monteur" and d.technician_id == w.other_technician.id  # type: ignore[attr-defined]
    assert await RepairLog.filter(dossier_id=d.id).count() == 1
    assert await DossierMessage.filter(dossier_id=d.id).count() == 1
    refused = await DossierEvent.filter(dossier_id=d.id, kind="veldmelding_geweigerd")
    assert [(e.data["intent"], e.data["reason"]) for e in refused] == [
        ("Op locatie", taken),
        ("Afgerond", taken),
    ]
    assert refused[1].data["payload"] == {"result_code": "verholpen"}
    told = (await piet.pull())["changes"]
    kinds = [(c["kind"], c["data"].get("message")) for c in told]
    assert ("notice", f"Op locatie niet verwerkt: {taken}") in kinds
    assert ("notice", f"Afgerond niet verwerkt: {taken}") in kinds
    assert ("withdrawn", f"Opdracht {n} is aan een andere monteur gegeven.") in kinds
    # The answer carries the same notice under the same op id: the app shows it once.
    answered = {o["op_id"]: o["result"]["notice"] for o in result["outcomes"][::3]}
    assert {c["data"]["op_id"]: c["data"]["message"] for c in told if c["kind"] == "notice"} == (
        answered
    )
    # Kees, who has the job now, sees Piet's work in the dossier.
    kees = App(http, await token_for(http, "kees.monteur"))
    (kees_job,) = (await kees.pull())["snapshot"]["jobs"]
    assert kees_job["repair_logs"][0]["work_done"] == "Sifon vervangen"
