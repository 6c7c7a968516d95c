"""A technician's jobs as the app holds them: one self-contained snapshot per dossier.

A snapshot carries everything the job screen shows offline: address and coordinates, tenant
contact, description and triage outcome, appointment, urgency and deadline, the chat, the
photos, the repair logs, and earlier visits to the same address. Its digest tells the change
feed whether the device must be sent the job again.
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
from server.fieldwork import chat
from server.models import Dossier, DossierMessage, Photo, RepairLog, Technician

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
    return [
        _snapshot(d, messages[d.id][-CHAT_MESSAGES:], photos[d.id], logs[d.id], history[d.id])
        for d in dossiers
    ]


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
        "trade": TRADE_LABELS.get(d.trade or "", d.trade or ""),
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
        "at": _iso(r.reported_at or r.device_time or r.created_at),
    }


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
