"""The triage and protocol API as the intake screen and integrators use it."""

from __future__ import annotations

import httpx
import pytest

from server.models import ClientNotification
from server.triage import default_protocol_text
from tests.support import world
from tests.support.world import dossier_body, token_for

SATURDAY = "2026-07-04T14:00:00+02:00"
TUESDAY = "2026-01-13T10:00:00+01:00"
LEAK_LIMITED = {"bewoonbaarheid": "nee", "gevolgschade": "beperkt", "afdekken": "nee"}
GAS_MINUTES = (
    "labour_minutes: 60\n        inform_client: true\n        notices:\n          - Geen vuur"
)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _evaluate(
    http: httpx.AsyncClient, headers: dict[str, str], **body: object
) -> httpx.Response:
    return await http.post(
        "/api/v1/triage/evaluate", json={"client": "WST", **body}, headers=headers
    )


async def test_evaluate_gives_the_next_question_then_the_outcome_with_its_path(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    first = await _evaluate(http, headers, subject="lekkage_woning", answers={}, at=SATURDAY)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["complete"] is False
    assert body["next_question"]["id"] == "bewoonbaarheid"
    assert [o["value"] for o in body["next_question"]["options"]] == ["ja", "nee"]
    assert body["outcome"] is None and body["read_back"] is None
    assert body["protocol"]["version"] == 1
    done = await _evaluate(
        http, headers, subject="lekkage_woning", answers=LEAK_LIMITED, at=SATURDAY
    )
    body = done.json()
    assert body["complete"] is True
    assert body["outcome"]["id"] == "lekkage_woning_urgent"
    assert body["outcome"]["urgency"] == "urgent"
    assert body["deadline"] == "2026-07-05T14:00:00+02:00"
    assert [s.get("question_id", s.get("condition")) for s in body["path"]] == [
        "bewoonbaarheid",
        "gevolgschade",
        "afdekken",
        "kantoor_niet_binnen_24u_bereikbaar",
    ]
    assert "uiterlijk zondag 5 juli 14:00" in body["read_back"]
    weekday = await _evaluate(
        http, headers, subject="lekkage_woning", answers=LEAK_LIMITED, at=TUESDAY
    )
    assert weekday.json()["outcome"]["urgency"] == "niet_urgent"


async def test_a_gas_leak_through_the_api_is_acuut(http: httpx.AsyncClient, w: world.World) -> None:
    headers = await token_for(http, "anna.agent")
    for at in (SATURDAY, TUESDAY):
        response = await _evaluate(
            http, headers, subject="gaslek", answers={"waar": "woning"}, at=at
        )
        outcome = response.json()["outcome"]
        assert (outcome["urgency"], outcome["action"], outcome["inform_client"]) == (
            "acuut",
            "spoedopdracht",
            True,
        )


async def test_bad_subject_answer_or_time_is_422_naming_the_field(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    response = await _evaluate(http, headers, subject="aardbeving")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "subject"
    assert response.json()["error"]["message"].startswith("Onbekend onderwerp 'aardbeving'")
    response = await _evaluate(http, headers, subject="gaslek", answers={"waar": "zolder"})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "message": "Antwoord 'zolder' past niet bij vraag 'waar' (kies uit: woning, meterkast, "
        "buiten).",
        "field": "answers.waar",
    }
    response = await _evaluate(http, headers, subject="gaslek", answers={"wie": "ik"})
    assert response.json()["error"]["field"] == "answers.wie"
    response = await _evaluate(http, headers, subject="gaslek", at="gisteren")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "at"
    response = await _evaluate(http, headers, subject="gaslek", at="2026-01-13T10:00:00")
    assert response.json()["error"]["field"] == "at"


async def test_triage_on_a_dossier_stores_everything_and_the_version(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    created = await http.post("/api/v1/dossiers", json=dossier_body(), headers=headers)
    number = created.json()["order_number"]
    assert created.json()["triage"] is None
    response = await http.post(
        f"/api/v1/dossiers/{number}/triage",
        json={"subject": "lekkage_woning", "answers": LEAK_LIMITED, "at": SATURDAY},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    d = response.json()
    assert (d["urgency"], d["order_type"], d["trade"], d["labour_minutes"]) == (
        "urgent",
        "reparatieonderhoud",
        "DAK",
        90,
    )
    assert d["deadline_at"] == "2026-07-05T12:00:00+00:00"
    assert d["triage"]["answers"] == LEAK_LIMITED
    assert d["triage"]["outcome"]["id"] == "lekkage_woning_urgent"
    assert d["triage"]["protocol"]["version"] == 1
    assert len(d["triage"]["path"]) == 4
    assert [e["kind"] for e in d["events"] if e["kind"] != "bericht"] == ["created", "triage"]
    unfinished = await http.post(
        f"/api/v1/dossiers/{number}/triage",
        json={"subject": "lekkage_woning", "answers": {"bewoonbaarheid": "nee"}},
        headers=headers,
    )
    assert unfinished.status_code == 422
    assert unfinished.json()["error"]["field"] == "answers.gevolgschade"
    client_headers = await token_for(http, "wim.woonstad")
    refused = await http.post(
        f"/api/v1/dossiers/{number}/triage",
        json={"subject": "gaslek", "answers": {"waar": "woning"}},
        headers=client_headers,
    )
    assert refused.status_code == 403


async def test_intake_and_triage_in_one_call(http: httpx.AsyncClient, w: world.World) -> None:
    w.woonstad.oncall_name = "Piket Woonstad"
    w.woonstad.oncall_phone = "+31301234567"
    await w.woonstad.save()
    headers = await token_for(http, "anna.agent")
    body = dossier_body(
        category="", triage={"subject": "lekkage_woning", "answers": {"bewoonbaarheid": "ja"}}
    )
    response = await http.post("/api/v1/dossiers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    d = response.json()
    assert (d["category"], d["urgency"]) == ("lekkage_woning", "acuut")
    assert d["triage"]["habitability_in_danger"] is True
    note = await ClientNotification.get(dossier__order_number=d["order_number"])
    assert (note.kind, note.status, note.to_name) == ("piket", "wachtrij", "Piket Woonstad")
    bad = dossier_body(triage={"subject": "gaslek", "answers": {"waar": "zolder"}})
    response = await http.post("/api/v1/dossiers", json=bad, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "answers.waar"
    listing = await http.get("/api/v1/dossiers?phase=", headers=headers)
    assert listing.json()["total"] == 1


async def test_protocol_versions_publish_and_dossiers_keep_their_version(
    http: httpx.AsyncClient, w: world.World
) -> None:
    agent = await token_for(http, "anna.agent")
    supervisor = await token_for(http, "sanne.supervisie")
    created = await http.post(
        "/api/v1/dossiers",
        json=dossier_body(triage={"subject": "gaslek", "answers": {"waar": "woning"}}),
        headers=agent,
    )
    number = created.json()["order_number"]
    current = (await http.get("/api/v1/protocols/WST", headers=agent)).json()
    assert (current["version"], current["reason"], current["by"]) == (
        1,
        "Standaardprotocol",
        "systeem",
    )
    assert "gaslek" in current["protocol"]["subjects"]
    text = current["text"].replace(GAS_MINUTES, GAS_MINUTES.replace("60", "75"))
    refused = await http.post(
        "/api/v1/protocols/WST", json={"text": text, "reason": "sneller"}, headers=agent
    )
    assert refused.status_code == 403
    published = await http.post(
        "/api/v1/protocols/WST",
        json={"text": text, "reason": "Gaslek duurt langer", "based_on": 1},
        headers=supervisor,
    )
    assert published.status_code == 201, published.text
    assert (published.json()["version"], published.json()["by"]) == (2, "Sanne Supervisie")
    history = (await http.get("/api/v1/protocols/WST/versions", headers=agent)).json()
    assert [(v["version"], v["reason"]) for v in history["items"]] == [
        (2, "Gaslek duurt langer"),
        (1, "Standaardprotocol"),
    ]
    v2 = (await http.get("/api/v1/protocols/WST/versions/2", headers=agent)).json()
    assert "+        labour_minutes: 75" in v2["diff"]
    dossier = (await http.get(f"/api/v1/dossiers/{number}", headers=agent)).json()
    assert dossier["triage"]["protocol"]["version"] == 1
    evaluated = await _evaluate(http, agent, subject="gaslek", answers={"waar": "woning"})
    assert evaluated.json()["protocol"]["version"] == 2
    assert evaluated.json()["outcome"]["labour_minutes"] == 75
    stale = await http.post(
        "/api/v1/protocols/WST",
        json={"text": current["text"], "reason": "terug", "based_on": 1},
        headers=supervisor,
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["field"] == "based_on"
    mails = await ClientNotification.filter(kind="protocol_bevestiging").count()
    assert mails == 1


async def test_broken_or_dead_end_protocol_is_refused_with_line_numbers(
    http: httpx.AsyncClient, w: world.World
) -> None:
    supervisor = await token_for(http, "sanne.supervisie")
    broken = default_protocol_text().replace("  gaslek:\n    label:", "  gaslek:\n   label: [", 1)
    response = await http.post(
        "/api/v1/protocols/WST", json={"text": broken, "reason": "kapot"}, headers=supervisor
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "text"
    assert error["message"].startswith(
        "Het protocol kan niet gepubliceerd worden (1 probleem): regel "
    )
    assert error["problems"][0]["line"] > 290
    dead_end = default_protocol_text().replace(
        "            next: gaslek\n", "            next: nergens\n", 1
    )
    response = await http.post(
        "/api/v1/protocols/WST", json={"text": dead_end, "reason": "fout"}, headers=supervisor
    )
    assert response.status_code == 422
    problem = response.json()["error"]["problems"][0]
    assert problem["code"] == "unknown_target"
    assert problem["path"] == "subjects.gaslek.questions.waar.options[0].next"
    assert dead_end.splitlines()[problem["line"] - 1].strip() == "next: nergens"
    assert f"regel {problem['line']}, {problem['path']}" in response.json()["error"]["message"]
    checked = await http.post(
        "/api/v1/protocols/WST/check", json={"text": dead_end}, headers=supervisor
    )
    assert checked.status_code == 200
    assert checked.json()["ok"] is False
    assert checked.json()["problems"] == response.json()["error"]["problems"]
    assert "-            next: gaslek\n+            next: nergens\n" in checked.json()["diff"]
    versions = (await http.get("/api/v1/protocols/WST/versions", headers=supervisor)).json()
    assert [v["version"] for v in versions["items"]] == [1]


async def test_client_user_sees_own_protocol_and_404_on_another(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "wim.woonstad")
    assert (await http.get("/api/v1/protocols/WST", headers=headers)).status_code == 200
    for path in (
        "/api/v1/protocols/LVD",
        "/api/v1/protocols/LVD/versions",
        "/api/v1/protocols/LVD/versions/1",
        "/api/v1/protocols/LVD/export",
    ):
        response = await http.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.json()["error"]["message"] == "Opdrachtgever 'LVD' niet gevonden."
    response = await _evaluate(http, headers, subject="gaslek")
    assert response.status_code == 200
    other = await http.post(
        "/api/v1/triage/evaluate", json={"client": "LVD", "subject": "gaslek"}, headers=headers
    )
    assert other.status_code == 404
    check = await http.post("/api/v1/protocols/WST/check", json={"text": "x"}, headers=headers)
    assert check.status_code == 403
    tech = await token_for(http, "piet.monteur")
    assert (await http.get("/api/v1/protocols/WST", headers=tech)).status_code == 404


async def test_export_as_yaml_and_json(http: httpx.AsyncClient, w: world.World) -> None:
    headers = await token_for(http, "anna.agent")
    yaml_file = await http.get("/api/v1/protocols/WST/export", headers=headers)
    assert yaml_file.status_code == 200
    assert yaml_file.headers["content-disposition"] == 'attachment; filename="protocol-WST-v1.yaml"'
    assert yaml_file.text.startswith("# Default triage protocol")
    json_file = await http.get(
        "/api/v1/protocols/WST/export?format=json&version=1", headers=headers
    )
    assert json_file.headers["content-type"].startswith("application/json")
    assert json_file.json()["client"] == "WST"
    assert json_file.json()["subjects"]["gaslek"]["outcomes"]["gaslek"]["urgency"] == "acuut"
    missing = await http.get("/api/v1/protocols/WST/versions/7", headers=headers)
    assert missing.status_code == 404


async def test_openapi_describes_the_triage_endpoints(
    http: httpx.AsyncClient, w: world.World
) -> None:
    spec = (await http.get("/api/v1/openapi.json")).json()
    assert "/api/v1/triage/evaluate" in spec["paths"]
    assert "/api/v1/protocols/{client}" in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/dossiers/{order_number}/triage"]
    schemas = spec["components"]["schemas"]
    assert {"EvaluateBody", "DossierTriage", "ProtocolPublish", "TriageBody"} <= set(schemas)
