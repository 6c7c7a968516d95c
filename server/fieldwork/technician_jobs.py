"""A technician's jobs as the app holds them: one self-contained snapshot per dossier.

A snapshot carries everything the job screen shows offline: address and coordinates, tenant
contact, what the report is about, description and triage outcome, appointment, urgency and
deadline, when he set off (with the arrival the tenant was given) and arrived, the chat, the
photos, the repair logs, the materials his werkbon offers, and earlier visits to the same
address. Its digest tells the change feed whether the device must be sent the job again.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from server.domain import worklist
from server.domain.codes import CATEGORY_LABELS, RESULT_LABELS, TRADE_LABELS, URGENCY_LABELS
from server.domain.lifecycle import PHASE_LABELS
from server.fieldwork import chat, materials
from server.models import (
    Client,
    Contractor,
    Dossier,
    DossierEvent,
    DossierMessage,
    Photo,
    RepairLog,
    Technician,
)

HISTORY_VISITS = 5
CHAT_MESSAGES = 100


async def current(technician: Technician, now: datetime) -> list[Dossier]:
    """The dossiers on his list now (server/domain/worklist.py): open ones assigned to him and
    those he finished lately. A cancelled, referred or remotely solved job is gone at once."""
    active = await Dossier.filter(technician_id=technician.id, phase__in=list(worklist.ON_LIST))
    recent = await Dossier.filter(
        technician_id=technician.id,
        phase__in=list(worklist.FINISHED),
        closed_at__gte=now - worklist.FINISHED_VISIBLE,
    )
    return active + recent


def digest(snapshot: dict[str, Any]) -> str:
    text = json.dumps(snapshot, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


async def snapshots(dossiers: list[Dossier]) -> list[dict[str, Any]]:
    """Snapshots of many jobs in a fixed number of queries, whatever their count."""
    if not dossiers:
        return []
    ids = [d.id for d in dossiers]
    messages = _group(await DossierMessage.filter(dossier_id__in=ids).order_by("id"))
    photos = _group(await Photo.filter(dossier_id__in=ids).order_by("id"))
    logs = _group(await RepairLog.filter(dossier_id__in=ids).order_by("id"))
    history = await _history(dossiers)
    visits = await _visits(ids)
    lists = await _materials(dossiers)
    return [
        {
            **_snapshot(
                d, messages[d.id][-CHAT_MESSAGES:], photos[d.id], logs[d.id], history[d.id]
            ),
            **visits.get(d.id, {}),
            "materials": lists[d.id],
        }
        for d in dossiers
    ]


async def _visits(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per job, since it last changed phase: when he set off and the arrival the tenant was
    given (`on_the_way`), and, on site, when he arrived (`arrived_at`, the werkbon's start)."""
    rows = (
        await DossierEvent.filter(dossier_id__in=ids, kind__in=["transition", "monteur_onderweg"])
        .order_by("id")
        .values("dossier_id", "kind", "at", "data")
    )
    result: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row["kind"] == "transition":
            arrived = row["at"] if row["data"].get("to") == "in_uitvoering" else None
            result[row["dossier_id"]] = {"arrived_at": _iso(arrived), "on_the_way": None}
        else:
            seen = result.setdefault(row["dossier_id"], {"arrived_at": None})
            seen["on_the_way"] = {"at": _iso(row["at"]), "eta": row["data"].get("eta")}
    return result


async def _materials(dossiers: list[Dossier]) -> dict[int, list[str]]:
    """The client's list, then the one of the technician's contractor."""
    clients = {
        c.id: materials.of(c.settings)
        for c in await Client.filter(id__in={d.client_id for d in dossiers})  # type: ignore[attr-defined]
    }
    technicians = await Technician.filter(
        id__in={d.technician_id for d in dossiers if d.technician_id}  # type: ignore[attr-defined]
    ).values("id", "contractor_id")
    of_technician = {t["id"]: t["contractor_id"] for t in technicians}
    contractors = {
        c.id: materials.of(c.settings)
        for c in await Contractor.filter(id__in={c for c in of_technician.values() if c})
    }
    return {
        d.id: materials.merged(
            clients.get(d.client_id, []),  # type: ignore[attr-defined]
            contractors.get(of_technician.get(d.technician_id), []),  # type: ignore[attr-defined,arg-type]
        )
        for d in dossiers
    }


def _group(rows: list[Any]) -> defaultdict[int, list[Any]]:
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.dossier_id].append(row)
    return grouped


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _snapshot(
    d: Dossier,
    messages: list[DossierMessage],
    photos: list[Photo],
    logs: list[RepairLog],
    history: list[dict[str, Any]],
) -> dict[str, Any]:
    triage = d.triage or {}
    outcome = triage.get("outcome") or {}
    return {
        "order_number": d.order_number,
        "version": d.version,
        "phase": d.phase,
        "phase_label": PHASE_LABELS.get(d.phase, d.phase),
        "urgency": d.urgency,
        "urgency_label": URGENCY_LABELS.get(d.urgency or "", ""),
        "deadline_at": _iso(d.deadline_at),
        "appointment_start": _iso(d.appointment_start),
        "appointment_end": _iso(d.appointment_end),
        "address": {
            "line": d.address_line,
            "postcode": d.display_postcode,
            "city": d.city,
            "latitude": d.latitude,
            "longitude": d.longitude,
        },
        "contact": {"name": d.contact_name, "phone": d.contact_phone},
        "category": CATEGORY_LABELS.get(d.category, d.category),
        "subject": subject(d),
        "trade": _trade(d),
        "description": triage.get("description") or d.description,
        "triage": {"outcome": outcome.get("label", ""), "notes": triage.get("notes") or []},
        "result_code": d.result_code,
        "messages": [{**chat.as_json(m), "op_id": m.op_id} for m in messages],
        "photos": [
            {"client_id": p.client_id, "key": p.key, "caption": p.caption, "at": _iso(p.taken_at)}
            for p in photos
        ],
        "repair_logs": [_log(r) for r in logs],
        "history": history,
    }


def _log(r: RepairLog) -> dict[str, Any]:
    return {
        "op_id": r.op_id,
        "cause": r.cause,
        "work_done": r.work_done,
        "materials": r.materials,
        "minutes": r.minutes,
        "fixed": r.fixed,
        "arrived_at": _iso(r.arrived_at),
        "finished_at": _iso(r.finished_at),
        # Whether the tenant signed; the drawing stays on the server (personal data).
        "signed": bool(r.signature),
        "at": _iso(r.reported_at or r.device_time or r.created_at),
    }


# Categories that say nothing about the fault: the job is named by the report's own words.
GENERIC_CATEGORIES = frozenset({"overig"})
SUBJECT_LENGTH = 60


def subject(d: Dossier) -> str:
    """What the job is about, in a few words: the category ("Lekkage aan woning"), or for a
    generic one the start of the caller's description ("Deurbel doet het niet")."""
    label = CATEGORY_LABELS.get(d.category, d.category)
    words = " ".join((d.description or "").split())
    if d.category not in GENERIC_CATEGORIES or not words:
        return label
    first = words.split(". ")[0].rstrip(".")
    if len(first) <= SUBJECT_LENGTH:
        return first
    return first[: SUBJECT_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"  # whole words


def _trade(d: Dossier) -> str:
    """The trade, when it adds something to the subject ("Overig · Overig" does not)."""
    label = TRADE_LABELS.get(d.trade or "", d.trade or "")
    category = CATEGORY_LABELS.get(d.category, d.category)
    return "" if d.trade == "OVE" or label.casefold() == category.casefold() else label


async def _history(dossiers: list[Dossier]) -> defaultdict[int, list[dict[str, Any]]]:
    """Earlier dossiers at the same address (same client, postcode and number), newest first."""
    result: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    keys = {(d.client_id, d.postcode, d.house_number, d.suffix) for d in dossiers if d.postcode}  # type: ignore[attr-defined]
    if not keys:
        return result
    earlier: list[Dossier] = []
    for client_id, postcode, number, suffix in keys:
        # Bounded per address: a home with a long history costs the same as any other.
        earlier += (
            await Dossier.filter(
                client_id=client_id, postcode=postcode, house_number=number, suffix=suffix
            )
            .order_by("-created_at")
            .limit(HISTORY_VISITS + len(dossiers))
        )
    ids = [e.id for e in earlier]
    logs = _group(await RepairLog.filter(dossier_id__in=ids).order_by("id"))
    photos = _group(await Photo.filter(dossier_id__in=ids).order_by("id"))
    for d in dossiers:
        key = (d.client_id, d.postcode, d.house_number, d.suffix)  # type: ignore[attr-defined]
        same = [
            e
            for e in earlier
            if (e.client_id, e.postcode, e.house_number, e.suffix) == key  # type: ignore[attr-defined]
            and e.id != d.id
            and e.created_at < d.created_at
        ]
        result[d.id] = [
            {
                "order_number": e.order_number,
                "at": _iso(e.created_at),
                "category": CATEGORY_LABELS.get(e.category, e.category),
                "description": e.description,
                "result": RESULT_LABELS.get(e.result_code or "", e.result_code or ""),
                "repair_logs": [_log(r) for r in logs[e.id]],
                "photos": [p.key for p in photos[e.id]],
            }
            for e in same[:HISTORY_VISITS]
        ]
    return result
