"""Mutators for testing the protocol on the in-memory store: a note (additive), a status
intent that conflicts when the job is no longer the device's, a flaky one and a broken one."""

from __future__ import annotations

from typing import Any

from sync import Decision, Op, Registry, TemporaryError, applied, conflict, rejected


async def note(data: dict[str, Any], op: Op) -> Decision:
    text = op.payload.get("text")
    if not isinstance(text, str) or not text:
        return rejected("Een notitie mag niet leeg zijn.")
    data.setdefault("notes", []).append({"op_id": op.op_id, "text": text})
    return applied(count=len(data["notes"]))


async def finish(data: dict[str, Any], op: Op) -> Decision:
    # Additive part first: kept whatever the status decision is.
    data.setdefault("notes", []).append({"op_id": op.op_id, "text": "afgerond"})
    if not data.get("assigned", True):
        return conflict("De opdracht is intussen aan een andere monteur gegeven.")
    data["phase"] = "afgerond"
    return applied()


async def flaky(data: dict[str, Any], op: Op) -> Decision:
    if not data.get("photo_uploaded"):
        data["touched_by_flaky"] = True  # must be rolled back
        raise TemporaryError("Foto is nog niet geüpload.")
    data.setdefault("photos", []).append(op.op_id)
    return applied()


async def broken(data: dict[str, Any], op: Op) -> Decision:
    data["half_written"] = True  # must be rolled back
    raise RuntimeError("bug")


def registry() -> Registry:
    r = Registry()
    r.register("note", note)
    r.register("finish", finish)
    r.register("photo", flaky)
    r.register("broken", broken)
    return r


def op(seq: int, kind: str = "note", **payload: Any) -> Op:
    return Op(
        seq=seq, op_id=f"d1-{seq}", kind=kind, job="MK-1", payload=payload or {"text": f"n{seq}"}
    )
