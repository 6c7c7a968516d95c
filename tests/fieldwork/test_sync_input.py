"""No input can stop a device's sync queue.

Whatever text an operation carries (a NUL, which PostgreSQL text cannot hold; a lone
surrogate, which a browser makes by cutting an emoji in half and which neither database can
store; control characters; text far over any length limit), the server answers it without a
5xx, as applied or as refused with a Dutch reason, answers a retry the same without applying
anything again, and the device's next ordinary operation applies.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.auth import tokens
from server.fieldwork.photos import CLIENT_ID
from server.fieldwork.sync_mutators import NOT_FIXED_REASONS, REGISTRY
from server.fieldwork.sync_store import DeviceStore, device_for
from server.models import Device, DossierEvent, DossierMessage, RepairLog, SyncOutcome
from sync import Decision, Op, Registry, Status, push, rejected
from sync.push import INTERNAL_ERROR
from tests.fieldwork.support import App, job_for, jpeg, repair_log
from tests.support import world
from tests.support.world import token_for

# Stand-ins filled in per example: the job made for it and a photo uploaded to it.
JOB, PHOTO = "<job>", "<foto>"

NASTY = ["\x00", "\ud83d", "\ude00", "\U0001f600", "\x1b", "\u2028", "\ufffd", "'", "\\"]
chars = st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY))
short = st.one_of(
    st.text(chars, max_size=30),
    st.sampled_from(["", " ", "Kapot \ud83d", "\udfff\ud800", "a\x00b", "\x1b[2J"]),
)
# Over every length limit: 4000 characters for texts, 500 for a caption, 80 for an op id.
long = short.map(lambda s: (s or "\x00") * 4001)
text = st.one_of(short, short, short, long)
# Text mostly, but a field may hold any JSON value.
value = st.one_of(
    text,
    text,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(short, max_size=2),
    st.dictionaries(short, short, max_size=2),
)
not_a_photo_id = text.filter(lambda s: not CLIENT_ID.match(s))  # a photo id waits for its upload

PAYLOADS: dict[str, st.SearchStrategy[Any]] = {
    "chat": st.fixed_dictionaries({"text": value}),
    "add_repair_log": st.fixed_dictionaries(
        {
            "cause": value,
            "work_done": value,
            "materials": st.one_of(
                value,
                st.lists(
                    st.fixed_dictionaries(
                        {"name": value, "quantity": st.one_of(st.just(1), value), "unit": value}
                    ),
                    max_size=2,
                ),
            ),
            "minutes": st.one_of(st.just(30), value),
            "fixed": st.one_of(st.booleans(), value),
        }
    ),
    "attach_photo": st.fixed_dictionaries(
        {"client_id": st.one_of(st.just(PHOTO), not_a_photo_id), "caption": value},
        optional={"upload_refused": value},
    ),
    "start_travel": st.fixed_dictionaries({}, optional={"eta_minutes": value}),
    "arrive": st.dictionaries(short, value, max_size=2),
    "complete": st.fixed_dictionaries({}, optional={"result_code": value}),
    "not_fixed": st.fixed_dictionaries(
        {"reason": st.one_of(st.sampled_from(list(NOT_FIXED_REASONS)), value), "note": value}
    ),
}
assert sorted(PAYLOADS) == REGISTRY.kinds  # every kind the sync accepts is exercised

times = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
).map(lambda t: t.replace(tzinfo=timezone(timedelta(hours=14))).isoformat())
device_time = st.one_of(st.none(), times, text)


@st.composite
def operation(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(PAYLOADS)))
    op = {
        "op_id": draw(st.one_of(st.none(), short.map(lambda s: s[:70]))),
        "kind": draw(st.one_of(st.just(kind), st.just(kind), st.just(kind), text)),
        "job": draw(st.one_of(st.just(JOB), st.just(JOB), st.just(JOB), text)),
        "payload": draw(PAYLOADS[kind]),
    }
    when = draw(device_time)
    if when is not None:
        op["device_time"] = when
    return op


_devices = itertools.count(1)


def fill(value: Any, job: str, photo: str) -> Any:
    if value == JOB:
        return job
    if value == PHOTO:
        return photo
    if isinstance(value, dict):
        return {k: fill(v, job, photo) for k, v in value.items()}
    return value


class Phone:
    """A device of Piet's that sends raw JSON, as a browser's JSON.stringify makes it."""

    def __init__(self, http: httpx.AsyncClient, auth: dict[str, str]) -> None:
        self.http = http
        self.auth = auth
        self.device = f"prop-{next(_devices):06d}"

    async def push(self, ops: list[dict[str, Any]], clock: str | None) -> httpx.Response:
        # json.dumps escapes a lone surrogate as \ud83d, as JSON.stringify does; the server's
        # parser turns that back into a str holding the lone surrogate.
        body = json.dumps({"device_id": self.device, "ops": ops}).encode()
        headers = {**self.auth, "content-type": "application/json"}
        if clock is not None:
            headers["x-device-time"] = clock
        return await self.http.post("/api/v1/sync/push", content=body, headers=headers)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def stored_rows(job_id: int) -> tuple[int, int, int]:
    return (
        await RepairLog.filter(dossier_id=job_id).count(),
        await DossierMessage.filter(dossier_id=job_id).count(),
        await DossierEvent.filter(dossier_id=job_id).count(),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    ops=st.lists(operation(), min_size=1, max_size=3),
    clock=st.one_of(st.none(), times, st.text("0123456789-:T+Z. abc", max_size=30)),
)
async def test_no_text_in_any_operation_stops_the_queue(
    http: httpx.AsyncClient, w: world.World, ops: list[dict[str, Any]], clock: str | None
) -> None:
    token, _ = await tokens.issue(w.tech_user, "monteur-app")  # no password hashing per example
    auth = {"Authorization": f"Bearer {token}"}
    phone = Phone(http, auth)
    job = await job_for(w, w.technician)
    photo = f"foto-{phone.device}"
    if PHOTO in json.dumps(ops):
        uploaded = await http.put(
            f"/api/v1/photos/{photo}",
            params={"job": job.order_number},
            content=jpeg(),
            headers=auth,
        )
        assert uploaded.status_code == 201, uploaded.text
    batch = [
        {**fill(op, job.order_number, photo), "seq": seq}
        | {"op_id": f"{phone.device}-{seq}" if op["op_id"] is None else f"{op['op_id']}#{seq}"}
        for seq, op in enumerate(ops, start=1)
    ]

    first = await phone.push(batch, clock)

    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["stop"] is None and answer["last_seq"] == len(batch)
    outcomes = answer["outcomes"]
    # The device finds each answer by the op id it sent, exactly as it sent it.
    assert [(o["seq"], o["op_id"]) for o in outcomes] == [(o["seq"], o["op_id"]) for o in batch]
    for outcome in outcomes:
        assert outcome["status"] in ("applied", "rejected", "conflict"), outcome
        assert outcome["status"] == "applied" or outcome["reason"].strip(), outcome
        # Refused for what it holds, never for a failure on the server's side.
        assert outcome["reason"] != INTERNAL_ERROR, outcome
    rows = await stored_rows(job.id)

    # The answer was lost: the retry gets the same answers and applies nothing again.
    retry = await phone.push(batch, clock)
    assert retry.status_code == 200, retry.text
    assert retry.json()["outcomes"] == outcomes
    assert await stored_rows(job.id) == rows

    # And the device's next ordinary operation applies.
    app = App(http, auth, phone.device)
    app.seq = len(batch)
    after = await app.push([app.op("add_repair_log", job.order_number, **repair_log())])
    assert [o["status"] for o in after["outcomes"]] == ["applied"], after
    device = await Device.get(device_id=phone.device)
    assert device.last_seq == len(batch) + 1
    assert await SyncOutcome.filter(device_id=device.id).count() == len(batch) + 1


async def push_raw(http: httpx.AsyncClient, auth: dict[str, str], body: bytes) -> httpx.Response:
    headers = {**auth, "content-type": "application/json"}
    return await http.post("/api/v1/sync/push", content=body, headers=headers)


async def test_half_an_emoji_or_a_nul_in_a_chat_message_is_kept_as_a_replacement_character(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    ops = [
        app.op("chat", job.order_number, text="Lekkage verholpen \ud83d"),
        app.op("chat", job.order_number, text="Meterkast\x00 open"),
        app.op("add_repair_log", job.order_number, **{**repair_log(), "cause": "Sifon \udc00"}),
    ]
    body = json.dumps({"device_id": app.device, "ops": ops}).encode()

    first = await push_raw(http, app.headers, body)
    again = await push_raw(http, app.headers, body)

    assert first.status_code == 200, first.text
    assert [o["status"] for o in first.json()["outcomes"]] == ["applied"] * 3
    assert again.json()["outcomes"] == first.json()["outcomes"]
    texts = await DossierMessage.filter(dossier_id=job.id).values_list("text", flat=True)
    assert texts == ["Lekkage verholpen \ufffd", "Meterkast\ufffd open"]
    log = await RepairLog.get(dossier_id=job.id)
    assert log.cause == "Sifon \ufffd"


async def test_an_operation_rejected_for_what_it_holds_is_rejected_again_on_retry(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    bad = app.op("explode\x00", job.order_number)
    body = json.dumps({"device_id": app.device, "ops": [bad]}).encode()

    first = await push_raw(http, app.headers, body)
    again = await push_raw(http, app.headers, body)
    after = await app.push([app.op("chat", job.order_number, text="Klaar")])

    assert first.status_code == 200, first.text
    (outcome,) = first.json()["outcomes"]
    assert outcome["status"] == "rejected"
    assert outcome["reason"].startswith("Onbekende soort wijziging 'explode\ufffd' (bekend: ")
    assert again.json()["outcomes"] == [outcome]
    assert [o["status"] for o in after["outcomes"]] == ["applied"] and after["last_seq"] == 2


async def test_an_op_id_no_database_can_store_is_answered_under_the_id_the_device_sent(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    op = {**app.op("chat", job.order_number, text="Hallo"), "op_id": "telefoon-\ud83d\x00"}
    body = json.dumps({"device_id": app.device, "ops": [op]}).encode()

    first = await push_raw(http, app.headers, body)
    again = await push_raw(http, app.headers, body)

    assert first.status_code == 200, first.text
    # The app finds its operation by this id: it comes back exactly as sent (JSON escapes).
    assert b'"op_id":"telefoon-\\ud83d\\u0000"' in first.content
    assert [(o["op_id"], o["status"]) for o in first.json()["outcomes"]] == [
        ("telefoon-\ud83d\x00", "applied")
    ]
    assert again.json() == first.json()
    assert await DossierMessage.filter(dossier_id=job.id).count() == 1


async def broken(ctx: object, op: Op) -> Decision:
    raise RuntimeError("a bug in a mutator")


async def quoting(ctx: object, op: Op) -> Decision:
    return rejected(f"Onleesbaar: {op.payload['text']}", echo=op.payload)


async def test_the_record_of_a_failed_or_refused_operation_can_always_be_stored(
    w: world.World,
) -> None:
    # Operations made here, not parsed from a request: the push itself must make what it
    # records storable, whatever a mutator quotes or a failure keeps.
    device = await device_for(w.tech_user, "bare-device-01")
    store = DeviceStore(w.tech_user, w.technician, device)
    reg = Registry()
    reg.register("broken", broken)
    reg.register("quoting", quoting)
    payload = {"text": "half \ud83d, nul \x00"}
    ops = [Op(1, "bare-1", "broken", payload=payload), Op(2, "bare-2", "quoting", payload=payload)]

    first = await push(store, reg, ops)
    again = await push(store, reg, ops)

    clean = {"text": "half \ufffd, nul \ufffd"}
    assert [(o.status, o.reason, o.result) for o in first.outcomes] == [
        (Status.REJECTED, INTERNAL_ERROR, {"payload": clean}),
        (Status.REJECTED, f"Onleesbaar: {clean['text']}", {"echo": clean}),
    ]
    assert again.outcomes == first.outcomes and again.last_seq == 2
    rows = await SyncOutcome.filter(device_id=device.id).order_by("seq")
    assert [(r.reason, r.result) for r in rows] == [(o.reason, o.result) for o in first.outcomes]


async def test_a_clock_no_phone_has_leaves_the_offset_alone(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    # 126 years slow: more than the offset column holds.
    far = datetime(1900, 1, 1, tzinfo=UTC)

    result = await app.push([app.op("chat", job.order_number, text="Hallo")], device_now=far)

    assert [o["status"] for o in result["outcomes"]] == ["applied"]
    assert (await Device.get(device_id=app.device)).clock_offset is None


async def test_a_photo_upload_naming_a_job_with_a_nul_or_too_long_is_refused_not_a_500(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    auth = await token_for(http, "piet.monteur")
    url = "/api/v1/photos/foto-0001-nul0"
    # A NUL in any query parameter is refused before the route, naming the parameter.
    r = await http.put(url, params={"job": f"{job.order_number}\x00"}, content=jpeg(), headers=auth)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == {"message": "Veld 'job' bevat een ongeldig teken.", "field": "job"}
    # A number longer than any order number is a job that does not exist.
    name = job.order_number * 2
    r = await http.put(url, params={"job": name}, content=jpeg(), headers=auth)
    assert r.status_code == 404, r.text
    assert r.json()["error"]["message"] == f"Opdracht '{name}' niet gevonden."


@pytest.mark.parametrize(
    "body",
    [
        b'{"device_id": "device-0001", "ops": [{"seq": 1, "op_id": "a", "payload": NaN}]}',
        b'{"device_id": "device-0001", "ops": [{"seq": 1, "op_id": "a", "x": -Infinity}]}',
        b'{"device_id": "device-0001", "ops": [{"seq": 1' + b"0" * 5000 + b', "op_id": "a"}]}',
        b'{"device_id": "device-0001", "ops": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["nan", "infinity", "5000-digit-number", "nested-100000-deep"],
)
async def test_a_body_that_is_not_standard_json_is_a_400_never_a_500(
    http: httpx.AsyncClient, w: world.World, body: bytes
) -> None:
    r = await push_raw(http, await token_for(http, "piet.monteur"), body)

    assert r.status_code == 400, r.text
    deep = body.count(b"[") > 1000
    assert r.json()["error"]["message"] == (
        "De JSON is te diep genest (hoogstens 32 niveaus)."
        if deep
        else "De body is geen geldige JSON."
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"device_id": "telefoon-\ud83d", "ops": []},
            "device_id: Bevat een ongeldig teken.",
        ),
        (
            {"device_id": "device-0001", "ops": [], "x\ud83d": 1},
            "Bevat een ongeldig teken.",
        ),
    ],
    ids=["device-id", "field-name"],
)
async def test_an_error_naming_half_an_emoji_is_answered_not_a_500(
    http: httpx.AsyncClient, w: world.World, body: dict[str, Any], message: str
) -> None:
    r = await push_raw(http, await token_for(http, "piet.monteur"), json.dumps(body).encode())

    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"] == message  # JSON escapes carry it as it came
