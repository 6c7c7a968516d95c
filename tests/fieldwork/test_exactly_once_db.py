"""The property of tests/sync/test_property.py against the real database and the real
mutators: pushes with lost answers, retries, racing pushes and dispatcher reassignments in any
order end with every operation answered once and every accepted one applied exactly once."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.dossiers import dossiers
from server.fieldwork import sync_mutators
from server.fieldwork.sync_store import DeviceStore, device_for
from server.models import (
    Address,
    Client,
    Contractor,
    DossierEvent,
    DossierMessage,
    RepairLog,
    SyncOutcome,
    Technician,
    User,
)
from sync import Op, Outcome, pull, push
from tests.fieldwork.support import job_for, repair_log, werkbon
from tests.support import world

kinds = st.sampled_from(["chat", "add_repair_log", "arrive", "complete", "chat"])
actions = st.one_of(
    st.tuples(st.just("push"), st.integers(1, 5), st.booleans(), st.integers(0, 2)),
    st.tuples(st.just("race"), st.integers(1, 4)),
    st.tuples(st.just("dispatch")),
)
_devices = itertools.count(1)


def payload(kind: str, i: int) -> dict[str, Any]:
    if kind == "chat":
        return {"text": f"bericht {i}"}
    if kind == "add_repair_log":
        return repair_log()
    if kind == "complete":
        return {"result_code": "verholpen", "werkbon": werkbon(signature=None)}
    return {}


async def dispatch(w: world.World, order_number: str) -> None:
    d = await dossiers.get(w.agent, order_number)
    if d.phase == "afspraak_ingepland":
        await dossiers.transition(
            w.agent,
            d,
            "doorgezet_naar_monteur",
            {"technician_id": w.other_technician.id, "reason": "Andere monteur"},
        )
    elif d.phase == "doorgezet_naar_monteur":
        start = datetime.now(UTC) + timedelta(hours=2)
        await dossiers.transition(
            w.agent,
            d,
            "afspraak_ingepland",
            {"appointment_start": start, "technician_id": w.technician.id},
        )


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(kinds, min_size=1, max_size=8), st.lists(actions, max_size=8))
async def test_exactly_once_against_the_database(
    db_clean: None, kind_list: list[str], steps: list[tuple[Any, ...]]
) -> None:
    w = await load_world() if await world_exists() else await world.build()
    job = await job_for(w, w.technician)
    device = await device_for(w.tech_user, f"prop-{next(_devices):06d}")
    store = DeviceStore(w.tech_user, w.technician, device)
    await pull(store, None)  # the job is on the phone before he works on it
    ops = [
        Op(i, f"{device.device_id}-{i}", k, job.order_number, None, payload(k, i))
        for i, k in enumerate(kind_list, start=1)
    ]
    reg = sync_mutators.REGISTRY
    acked = 0
    answers: dict[int, list[Outcome]] = {}
    for step in steps:
        if step[0] == "push":
            start = max(0, acked - step[3])
            result = await push(store, reg, ops[start : start + step[1]])
            batches = [result]
            if not step[2]:
                acked = max(acked, result.last_seq)
        elif step[0] == "race":
            batch = ops[acked : acked + step[1]]
            batches = list(await asyncio.gather(push(store, reg, batch), push(store, reg, batch)))
            acked = max(acked, *(b.last_seq for b in batches))
        else:
            await dispatch(w, job.order_number)
            batches = []
        for b in batches:
            for o in b.outcomes:
                answers.setdefault(o.seq, []).append(o)
    while acked < len(ops):
        result = await push(store, reg, ops[acked:])
        assert result.stop is None
        acked = result.last_seq
        for o in result.outcomes:
            answers.setdefault(o.seq, []).append(o)

    rows = {r.seq: r for r in await SyncOutcome.filter(device_id=device.id)}
    assert sorted(rows) == [o.seq for o in ops]
    for seq, seen in answers.items():
        assert {(o.status.value, o.reason) for o in seen} == {(rows[seq].status, rows[seq].reason)}
    logs = await RepairLog.filter(dossier_id=job.id).values_list("op_id", flat=True)
    chats = await DossierMessage.filter(dossier_id=job.id).values_list("op_id", flat=True)
    refused = await DossierEvent.filter(dossier_id=job.id, kind="veldmelding_geweigerd").count()
    for o in ops:
        status = rows[o.seq].status
        if o.kind == "add_repair_log":
            assert logs.count(o.op_id) == 1 and status == "applied"
        elif o.kind == "chat":
            assert chats.count(o.op_id) == 1 and status == "applied"
        elif o.kind == "complete":
            # The close carries its werkbon: stored once, also when the move was refused (a
            # conflict); only a job that was never his stores nothing.
            assert logs.count(o.op_id) == (0 if status == "rejected" else 1)
    conflicts = sum(1 for r in rows.values() if r.status == "conflict")
    assert refused == conflicts
    closes = sum(1 for o in ops if o.kind == "complete" and rows[o.seq].status != "rejected")
    assert len(logs) == kind_list.count("add_repair_log") + closes
    assert len(chats) == kind_list.count("chat")


async def world_exists() -> bool:
    return await User.filter(username="piet.monteur").exists()


async def load_world() -> world.World:
    """The world built by an earlier example of this test (db_clean runs once per test)."""
    users = {u.username: u for u in await User.all()}
    techs = {t.name: t for t in await Technician.all()}
    clients = {c.code: c for c in await Client.all()}
    contractors = {c.code: c for c in await Contractor.all()}
    return world.World(
        woonstad=clients["WST"],
        lichtveld=clients["LVD"],
        addresses=list(await Address.all().order_by("id")),
        admin=users["admin"],
        supervisor=users["sanne.supervisie"],
        agent=users["anna.agent"],
        client_user=users["wim.woonstad"],
        other_client_user=users["lisa.lichtveld"],
        tech_user=users["piet.monteur"],
        other_tech_user=users["kees.monteur"],
        technician=techs["Piet Monteur"],
        other_technician=techs["Kees Monteur"],
        contractor=contractors["INST"],
        other_contractor=contractors["DAKZ"],
        contractor_user=users["bas.aannemer"],
        other_contractor_user=users["dirk.aannemer"],
    )
