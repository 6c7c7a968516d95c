"""Closing a job from the field: a result the lifecycle allows on site, a werkbon of the visit
and, when she signs, the tenant's signature; refused with a Dutch reason otherwise, without
ever holding up the rest of the queue."""

from __future__ import annotations

import base64
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from server.domain import kpis
from server.domain.codes import RESULT_LABELS
from server.domain.lifecycle import FIELD_RESULTS, NO_WERKBON
from server.dossiers import dossiers, retention
from server.models import Dossier, DossierEvent, OutboundMessage, RepairLog
from tests.fieldwork.support import App, close, job_for, repair_log, signature_png, werkbon
from tests.support import world
from tests.support.pages import login
from tests.support.world import token_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _on_site(http: httpx.AsyncClient, w: world.World) -> tuple[App, str]:
    job = await job_for(w, w.technician, ago=timedelta(hours=3))
    app = App(http, await token_for(http, "piet.monteur"))
    await app.pull()  # the job is on his phone
    arrived = await app.push([app.op("arrive", job.order_number)])
    assert arrived["outcomes"][0]["status"] == "applied"
    return app, job.order_number


def _png(data_url: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))


async def test_a_job_closed_with_result_werkbon_and_signature_reaches_the_dossier(
    http: httpx.AsyncClient, w: world.World
) -> None:
    app, n = await _on_site(http, w)
    ops = [close(app, n, result_code="tijdelijk_verholpen", minutes=40)]

    first = await app.push(ops)

    assert [o["status"] for o in first["outcomes"]] == ["applied"], first
    assert (await app.push(ops))["outcomes"] == first["outcomes"]  # a replay adds nothing
    d = await Dossier.get(order_number=n)
    assert (d.phase, d.result_code) == ("afgerond", "tijdelijk_verholpen")
    (log,) = await RepairLog.filter(dossier_id=d.id)
    assert (log.cause, log.work_done, log.minutes, log.fixed) == (
        "Sifon lekte",
        "Sifon vervangen",
        40,
        False,  # a temporary repair is no fix
    )
    assert log.materials == [{"name": "Sifon 32 mm", "quantity": 1, "unit": "st"}]
    assert log.signed_by == "F. el Amrani"
    assert log.arrived_at is not None and log.finished_at is not None
    assert abs(log.finished_at - log.arrived_at - timedelta(minutes=35)) < timedelta(seconds=1)
    # Made small and plain: grayscale, cropped to the ink, within 600 x 200.
    assert log.signature is not None
    image = _png(log.signature)
    assert image.format == "PNG" and image.mode == "L"
    assert image.width <= 600 and image.height <= 200 and image.height < 160
    kinds = await DossierEvent.filter(dossier_id=d.id).values_list("kind", flat=True)
    assert kinds.count("werkbon") == 1
    event = await DossierEvent.get(dossier_id=d.id, kind="werkbon")
    assert event.data["signed"] is True and "signature" not in event.data

    await login(http, "anna.agent")
    page = (await http.get(f"/dossiers/{n}")).text
    assert f'<img src="{log.signature}" alt="Handtekening huurder: F. el Amrani">' in page
    assert "Voor akkoord getekend door F. el Amrani" in page
    assert "door de huurder voor akkoord getekend" in page  # the timeline says so too
    archive = (await http.get("/archief", params={"q": n})).text
    assert re.search(rf'<a href="/dossiers/{n}#veldwerk">getekend</a>', archive)


@pytest.mark.parametrize("code", sorted(FIELD_RESULTS))
async def test_every_on_site_result_closes_the_job(
    http: httpx.AsyncClient, w: world.World, code: str
) -> None:
    app, n = await _on_site(http, w)

    done = await app.push([close(app, n, result_code=code, signature=None, signed_by="")])

    assert done["outcomes"][0]["status"] == "applied", done
    d = await Dossier.get(order_number=n)
    assert (d.phase, d.result_code) == ("afgerond", code)
    log = await RepairLog.get(dossier_id=d.id)
    assert log.fixed is (code in ("verholpen", "rekening_huurder"))
    assert log.signature is None


async def test_a_close_without_werkbon_is_refused_and_the_queue_moves_on(
    http: httpx.AsyncClient, w: world.World
) -> None:
    app, n = await _on_site(http, w)

    result = await app.push(
        [
            app.op("complete", n, result_code="verholpen"),
            app.op("chat", n, text="Werkbon volgt."),
        ]
    )

    bare, chat = result["outcomes"]
    assert (bare["status"], bare["reason"]) == ("rejected", NO_WERKBON)
    assert bare["result"]["notice"] == f"Afgerond niet verwerkt: {NO_WERKBON}"
    assert chat["status"] == "applied" and result["stop"] is None and result["last_seq"] == 3
    d = await Dossier.get(order_number=n)
    assert d.phase == "in_uitvoering"
    refused = await DossierEvent.get(dossier_id=d.id, kind="veldmelding_geweigerd")
    assert (refused.data["intent"], refused.data["reason"]) == ("Afgerond", NO_WERKBON)
    # The next pull tells him too, under the same op id (the app shows it once).
    told = [c["data"] for c in (await app.pull())["changes"] if c["kind"] == "notice"]
    assert told == [{"message": bare["result"]["notice"], "op_id": bare["op_id"]}]
    # With the werkbon he can close it after all.
    again = await app.push([close(app, n)])
    assert again["outcomes"][0]["status"] == "applied"


async def test_a_werkbon_written_earlier_in_the_visit_will_do_but_not_one_of_a_visit_before(
    http: httpx.AsyncClient, w: world.World
) -> None:
    app, n = await _on_site(http, w)
    first = await app.push(
        [
            app.op("add_repair_log", n, **repair_log()),
            app.op("not_fixed", n, reason="materiaal_nodig", note="Pomp besteld"),
        ]
    )
    assert [o["status"] for o in first["outcomes"]] == ["applied", "applied"]
    d = await dossiers.get(w.agent, n)
    start = datetime.now(UTC) + timedelta(hours=2)
    await dossiers.transition(w.agent, d, "afspraak_ingepland", {"appointment_start": start})

    second = await app.push([app.op("arrive", n), app.op("complete", n, result_code="verholpen")])
    assert [o["status"] for o in second["outcomes"]] == ["applied", "rejected"]

    third = await app.push(
        [
            app.op("add_repair_log", n, **repair_log()),
            app.op("complete", n, result_code="verholpen"),
        ]
    )
    assert [o["status"] for o in third["outcomes"]] == ["applied", "applied"]
    assert (await Dossier.get(order_number=n)).phase == "afgerond"


async def test_a_visit_pushed_at_once_closes_only_after_its_werkbon_with_the_hours_on_site(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """Arrival, a close without werkbon, the werkbon and the close again in one push (one
    transaction): the second move knows the first's step and the werkbon added after it."""
    job = await job_for(w, w.technician, ago=timedelta(hours=3))
    app = App(http, await token_for(http, "piet.monteur"))
    await app.pull()
    n = job.order_number
    result = await app.push(
        [
            app.op("arrive", n),
            app.op("complete", n, result_code="verholpen"),
            app.op("add_repair_log", n, **repair_log()),
            app.op("chat", n, text="Klaar."),
            app.op("complete", n, result_code="verholpen"),
        ]
    )

    statuses = [o["status"] for o in result["outcomes"]]
    assert statuses == ["applied", "rejected", "applied", "applied", "applied"], result
    assert result["outcomes"][1]["reason"] == NO_WERKBON
    d = await Dossier.get(order_number=n)
    assert (d.phase, d.visits, d.result_code) == ("afgerond", 1, "verholpen")
    moves = await DossierEvent.filter(dossier_id=d.id, kind="transition").order_by("id")
    arrival, closed = moves[-2:]
    assert (arrival.data["to"], closed.data["to"]) == ("in_uitvoering", "afgerond")
    assert closed.from_phase == "in_uitvoering"
    assert closed.phase_hours == kpis.phase_hours(arrival.at, closed.at)


async def test_closing_through_the_api_needs_the_werkbon_too(
    http: httpx.AsyncClient, w: world.World
) -> None:
    app, n = await _on_site(http, w)
    url = f"/api/v1/dossiers/{n}/transitions"
    body = {"to": "afgerond", "result_code": "verholpen"}

    refused = await http.post(url, json=body, headers=app.headers)

    assert refused.status_code == 422
    assert refused.json()["error"] == {"message": NO_WERKBON, "field": "werkbon"}
    assert (await Dossier.get(order_number=n)).phase == "in_uitvoering"
    await app.push([app.op("add_repair_log", n, **repair_log())])
    done = await http.post(url, json=body, headers=app.headers)
    assert done.status_code == 200, done.text
    # The desk is not bound: it records what it is told.
    other, m = await _on_site(http, w)
    desk = await token_for(http, "anna.agent")
    assert (
        await http.post(f"/api/v1/dossiers/{m}/transitions", json=body, headers=desk)
    ).is_success


BAD: list[tuple[dict[str, Any], str, str]] = [
    (
        {"result_code": None},
        "result_code",
        "Kies het resultaat van het bezoek (geen_storing, niet_verholpen, rekening_huurder, "
        "tijdelijk_verholpen, verholpen), niet None.",
    ),
    (
        {"result_code": "telefonisch_opgelost"},
        "result_code",
        "Resultaatcode 'Telefonisch opgelost' legt de meldkamer vast, niet de monteur.",
    ),
    ({"werkbon": "klaar"}, "werkbon", "De werkbon moet een object zijn, niet 'klaar'."),
    (
        {"werkbon": werkbon(cause="", work_done="")},
        "work_done",
        "Vul de oorzaak of de uitgevoerde werkzaamheden in.",
    ),
    (
        {"werkbon": werkbon(minutes=2000)},
        "minutes",
        "Bestede tijd moet 0 tot 1440 minuten zijn, niet 2000.",
    ),
    (
        {"werkbon": werkbon(finished_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat())},
        "finished_at",
        "Gereed ligt vóór de aankomst.",
    ),
    (
        {"werkbon": werkbon(arrived_at="gisteren")},
        "arrived_at",
        "Aankomst moet een tijdstip met tijdzone zijn, niet 'gisteren'.",
    ),
    (
        {"werkbon": werkbon(signature=signature_png(ink=False))},
        "signature",
        "De handtekening is leeg: er is niets getekend.",
    ),
    (
        {"werkbon": werkbon(signature="data:image/jpeg;base64,/9j/4AAQ")},
        "signature",
        "De handtekening is geen PNG-afbeelding (data:image/png).",
    ),
    (
        {"werkbon": werkbon(signature="data:image/png;base64,iVBORw0KGgo=")},
        "signature",
        "De handtekening is beschadigd.",
    ),
    (
        {"werkbon": werkbon(signature="data:image/png;base64,@@@")},
        "signature",
        "De handtekening is niet goed doorgekomen.",
    ),
    (
        {"werkbon": werkbon(signed_by="x" * 201)},
        "signed_by",
        "De naam bij de handtekening is tekst van hoogstens 200 tekens.",
    ),
]


async def test_a_bad_close_is_rejected_naming_what_is_wrong_and_stores_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    app, n = await _on_site(http, w)
    ops = [
        app.op("complete", n, **{"result_code": "verholpen", "werkbon": werkbon(), **change})
        for change, _, _ in BAD
    ]

    result = await app.push(ops)

    answers = [(o["status"], o["result"].get("field"), o["reason"]) for o in result["outcomes"]]
    assert answers == [("rejected", field, message) for _, field, message in BAD]
    assert result["last_seq"] == 1 + len(BAD) and result["stop"] is None
    d = await Dossier.get(order_number=n)
    assert d.phase == "in_uitvoering"
    assert await RepairLog.filter(dossier_id=d.id).count() == 0


async def test_retention_removes_the_signature_with_the_tenants_details(
    http: httpx.AsyncClient, w: world.World
) -> None:
    app, n = await _on_site(http, w)
    await app.push([close(app, n)])
    d = await Dossier.get(order_number=n)
    await dossiers.transition(w.supervisor, d, "gearchiveerd", {})
    later = datetime.now(UTC) + timedelta(days=400)

    assert await retention.anonymise_archived(365, later) == 1

    log = await RepairLog.get(dossier_id=d.id)
    assert (log.signature, log.signed_by) == (None, "")
    assert log.work_done == "Sifon vervangen"  # the werkbon itself stays


# JSON values an app (or anyone with a token) could put in a close operation.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
werkbon_fields = st.fixed_dictionaries(
    {},
    optional={
        "cause": json_values,
        "work_done": json_values,
        "materials": st.lists(
            st.fixed_dictionaries({}, optional={"name": json_values, "quantity": json_values}),
            max_size=3,
        )
        | json_values,
        "minutes": json_values,
        "arrived_at": json_values
        | st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
        "finished_at": json_values
        | st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
        "signature": json_values
        | st.just(signature_png())
        | st.binary(max_size=40).map(
            lambda b: "data:image/png;base64," + base64.b64encode(b).decode()
        ),
        "signed_by": json_values,
    },
)
close_payloads = st.fixed_dictionaries(
    {},
    optional={
        "result_code": st.sampled_from([*FIELD_RESULTS, "doorverwezen", "zomaar"]) | json_values,
        "werkbon": werkbon_fields | json_values,
    },
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(payloads=st.lists(close_payloads, min_size=1, max_size=4))
async def test_fuzzed_close_operations_never_fail_the_server_nor_stop_the_queue(
    http: httpx.AsyncClient, w: world.World, payloads: list[dict[str, Any]]
) -> None:
    """Whatever the fields of a close: an answer (never a 5xx), one outcome per operation,
    the queue advanced past all of them, and a closed job only with its werkbon."""
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    n = job.order_number
    ops = [app.op("arrive", n), *(app.op("complete", n, **p) for p in payloads)]
    ops.append(app.op("chat", n, text="Daarna gewoon door."))

    response = await http.post(
        "/api/v1/sync/push", json={"device_id": app.device, "ops": ops}, headers=app.headers
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stop"] is None and body["last_seq"] == len(ops)
    assert [o["seq"] for o in body["outcomes"]] == [op["seq"] for op in ops]
    assert body["outcomes"][-1]["status"] == "applied"
    for outcome in body["outcomes"][1:-1]:
        assert outcome["status"] in ("applied", "rejected", "conflict")
        assert outcome["status"] == "applied" or outcome["reason"]
    d = await Dossier.get(id=job.id)
    if d.phase == "afgerond":
        assert await RepairLog.filter(dossier_id=d.id).exists()


def test_the_app_offers_exactly_the_on_site_results_with_the_desks_labels() -> None:
    """The closing screen's list (pwa/static/monteur/closing.js) is the lifecycle's."""
    source = (ROOT / "pwa/static/monteur/closing.js").read_text(encoding="utf-8")
    block = source[source.index("export const RESULTS = {") : source.index("};")]
    offered = dict(re.findall(r'^\s+(\w+): "([^"]+)",$', block, re.MULTILINE))
    assert set(offered) == FIELD_RESULTS
    assert offered == {code: RESULT_LABELS[code] for code in offered}


async def test_a_close_from_the_app_tells_the_tenant_once_on_every_channel(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """The close's message is stored in the push's own transaction, once per channel, each
    on the timeline; the same close pushed again stores nothing more."""
    app, n = await _on_site(http, w)
    d = await Dossier.get(order_number=n)
    assert d.contact_phone.startswith("+316")  # a mobile number: SMS
    ops = [close(app, n)]

    done = await app.push(ops)
    again = await app.push(ops)

    assert [o["status"] for o in done["outcomes"]] == ["applied"], done
    assert again["outcomes"] == done["outcomes"]
    rows = await OutboundMessage.filter(dossier_id=d.id, kind="afgerond").order_by("id")
    assert [r.channel for r in rows] == ["sms"]
    # No SMS or e-mail provider in the tests: each ends at once, on the timeline, with why.
    assert {(r.status, r.last_error) for r in rows} == {("niet_verzonden", "kanaal niet ingesteld")}
    told = await DossierEvent.filter(dossier_id=d.id, kind="bericht").values_list("data", flat=True)
    closed = [t for t in told if t["about"] == "afgerond"]  # type: ignore[index]
    assert [(t["message"], t["status"]) for t in closed] == [(rows[0].id, "niet_verzonden")]
