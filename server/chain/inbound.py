"""Status back from a contractor's system (the VERA-shaped API, server/web/api/vera.py).

Each report lands on the dossier as the technician app's would: through the lifecycle, under
the field's rules (server/domain/lifecycle.py, the contractor acting as its technician), with
the same tenant messages (on the way, appointment, finished). A report the lifecycle refuses is
answered with the reason and kept on the timeline. The key names the integration; only the
dossiers sent to it exist for it (any other order number is 404).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from server.chain import outbound, secrets
from server.communication import communication
from server.dispatch.assignments import publish
from server.domain import vera
from server.domain.errors import AppError
from server.domain.lifecycle import Actor, Phase
from server.domain.roles import Role
from server.dossiers import dossiers, events
from server.fieldwork import werkbons
from server.fieldwork.field_input import repair_log_fields
from server.models import ChainMessage, Dossier, Integration, Photo, RepairLog

MAX_BODY = 256 * 1024
# How far ahead an appointment may be planned, and how far back it may be reported.
MAX_AHEAD = timedelta(days=366)
MAX_BEHIND = timedelta(days=1)


class VeraError(Exception):
    """Answered as a VERA Foutbericht: {"code", "omschrijving"}."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_found(what: str) -> VeraError:
    return VeraError(404, "NIET_GEVONDEN", f"{what} niet gevonden.")


def bad(message: str) -> VeraError:
    return VeraError(400, "ONGELDIG", message)


async def integration_for(key: str | None) -> Integration:
    if not key:
        raise VeraError(
            401, "NIET_GEAUTORISEERD", "Stuur de sleutel van de koppeling in X-API-KEY."
        )
    found = await Integration.get_or_none(inbound_key_hash=secrets.key_hash(key), active=True)
    if found is None:
        raise VeraError(401, "NIET_GEAUTORISEERD", "Sleutel onbekend of koppeling uitgeschakeld.")
    return found


async def dossier_for(integration: Integration, order_id: str) -> Dossier:
    """A dossier sent to this integration, by its order number; anything else does not exist."""
    order_id = order_id.strip()
    if len(order_id) > 20:
        raise not_found(f"Onderhoudsorder '{order_id[:20]}…'")
    dossier = await Dossier.get_or_none(order_number=order_id)
    if (
        dossier is None
        or not await ChainMessage.filter(
            integration_id=integration.id,
            dossier_id=dossier.id,
            kind__in=(outbound.ORDER, outbound.REQUEST),
        ).exists()
    ):
        raise not_found(f"Onderhoudsorder '{order_id}'")
    return dossier


def actor(integration: Integration) -> Actor:
    return Actor(
        None, Role.TECHNICIAN, None, f"Koppeling {integration.name}", integration.contractor_id
    )


PHASE_STATUS = {
    "doorgezet_naar_monteur": "GUN",
    "afspraak_ingepland": "PLN",
    "in_uitvoering": "INB",
    "afgerond": "TEC",
    "gearchiveerd": "AFG",
    "geannuleerd": "GEA",
}


async def order_as_sent(integration: Integration, dossier: Dossier) -> dict[str, Any]:
    """The order as we sent it, with its status now."""
    sent = (
        await ChainMessage.filter(
            integration_id=integration.id,
            dossier_id=dossier.id,
            kind__in=(outbound.ORDER, outbound.REQUEST),
        )
        .order_by("-id")
        .first()
    )
    assert sent is not None
    body = dict(sent.body)
    code = PHASE_STATUS.get(dossier.phase, "INB")
    if sent.kind == outbound.ORDER:
        body["status"] = {"code": code, "naam": vera.ORDER_STATUSES[code]}
    return body


@dataclass(frozen=True)
class Report:
    """One task report: ONDERHOUDSTAAKSTATUS, detail status, and the werkbon if any."""

    status: str
    detail: str | None
    werkbon: dict[str, Any] | None
    eta: datetime | None


def _code(value: object, codes: dict[str, str], what: str) -> str | None:
    if value is None:
        return None
    code = value.get("code") if isinstance(value, dict) else None
    if not isinstance(code, str) or code not in codes:
        shown = code if isinstance(code, str) else value
        raise bad(f"Onbekende {what} {str(shown)[:20]!r}; bekend: {', '.join(sorted(codes))}.")
    return code


def moment(value: object, what: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad(f"{what} moet een tijdstip zijn (ISO 8601).")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad(f"{what} '{value[:40]}' is geen tijdstip (ISO 8601).") from None
    if parsed.tzinfo is None:
        raise bad(f"{what} mist een tijdzone (zoals 2026-11-17T14:00:00+01:00).")
    return parsed.astimezone(UTC)


def _extra(body: dict[str, Any], name: str) -> str | None:
    for item in body.get("extra-attributen") or []:
        if (
            isinstance(item, dict)
            and item.get("naam") == name
            and isinstance(item.get("waarde"), str)
        ):
            return str(item["waarde"])
    return None


def _minutes(item: dict[str, Any]) -> float:
    amount = item.get("aantal")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not 0 <= amount <= 10_000:
        raise bad(
            f"Aantal van besteding '{str(item.get('omschrijving') or '')[:40]}' moet een getal "
            "van 0 tot 10000 zijn."
        )
    unit = _code(item.get("meeteenheid"), vera.UNITS, "MEETEENHEID") or "MIN"
    return float(amount) * (60 if unit == "UUR" else 1) if unit in ("UUR", "MIN") else 0.0


def _werkbon(task: dict[str, Any], fixed: bool) -> dict[str, Any]:
    """Onderhoudsbestedingen as the werkbon: WER/UIT time, MAT materials, the task's text."""
    spent = task.get("onderhoudsbestedingen") or []
    if not isinstance(spent, list) or len(spent) > 100:
        raise bad("onderhoudsbestedingen: een lijst van hoogstens 100.")
    minutes, materials, begins, ends = 0.0, [], [], []
    for item in spent:
        if not isinstance(item, dict):
            raise bad("Elke onderhoudsbesteding is een object.")
        kind = _code(item.get("soort"), vera.SPENDING_KINDS, "ONDERHOUDSBESTEDINGSOORT")
        if kind == "MAT":
            unit = _code(item.get("meeteenheid"), vera.UNITS, "MEETEENHEID") or "STU"
            materials.append(
                {
                    "name": item.get("omschrijving"),
                    "quantity": item.get("aantal"),
                    "unit": "st" if unit == "STU" else unit.lower(),
                }
            )
        elif kind in ("WER", "UIT", "REI", None):
            minutes += _minutes(item)
        begins.append(moment(item.get("uitvoerBegintijd"), "uitvoerBegintijd"))
        ends.append(moment(item.get("uitvoerEindtijd"), "uitvoerEindtijd"))
    work = task.get("omschrijving") or ""
    try:
        values = repair_log_fields(
            {
                "cause": "",
                "work_done": work,
                "materials": materials,
                "minutes": round(minutes),
                "fixed": fixed,
            }
        )
    except AppError as exc:
        raise bad(exc.message) from None
    started = [b for b in begins if b]
    stopped = [e for e in ends if e]
    values.update(
        arrived_at=min(started) if started else None, finished_at=max(stopped) if stopped else None
    )
    return values


def read_report(body: object) -> Report:
    """The first task of a (partial) Onderhoudsorder: what the ERP reports."""
    if not isinstance(body, dict):
        raise bad("Stuur een Onderhoudsorder als JSON-object.")
    tasks = body.get("onderhoudstaken")
    if not isinstance(tasks, list) or not tasks or not isinstance(tasks[0], dict):
        raise bad("Een statusmelding noemt de taak in onderhoudstaken[0] met haar status.")
    task = tasks[0]
    status = _code(task.get("status"), vera.TASK_STATUSES, "ONDERHOUDSTAAKSTATUS")
    if status is None:
        raise bad("onderhoudstaken[0].status ontbreekt (ONDERHOUDSTAAKSTATUS, zoals REI of UIT).")
    detail = _code(
        task.get("detailStatus"), vera.TASK_DETAIL_STATUSES, "ONDERHOUDSTAAKDETAILSTATUS"
    )
    werkbon = None
    if status in ("GER", "GES") or (status in ("OND", "PAU") and task.get("onderhoudsbestedingen")):
        werkbon = _werkbon(task, fixed=status in ("GER", "GES"))
        if status in ("GER", "GES") and not werkbon["work_done"]:
            raise bad("Gereed vraagt om het uitgevoerde werk in onderhoudstaken[0].omschrijving.")
    eta = moment(
        _extra(task, "verwachteAankomsttijd") or _extra(body, "verwachteAankomsttijd"),
        "verwachteAankomsttijd",
    )
    return Report(status, detail, werkbon, eta)


def reference(header: str | None, body: object) -> str:
    """The report's id: the sender's X-Stuurgegevens-Referentienummer, else its content."""
    if header and header.strip():
        return header.strip()[:80]
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:40]


async def report(
    integration: Integration, dossier: Dossier, body: object, ref: str, at: datetime
) -> dict[str, Any]:
    """Apply a task report; the dossier's phase after it, or raise VeraError with the reason."""
    parsed = read_report(body)
    label = vera.TASK_STATUSES[parsed.status] + (
        f" ({vera.TASK_DETAIL_STATUSES[parsed.detail]})" if parsed.detail else ""
    )
    try:
        await _apply(integration, dossier, parsed, ref, at)
    except AppError as exc:
        await events.record(
            dossier,
            "keten_in",
            None,
            at,
            integration=integration.name,
            report=label,
            refused=exc.message,
        )
        raise VeraError(
            409 if exc.status in (409, 422) else exc.status, "GEWEIGERD", exc.message
        ) from None
    return {"id": dossier.order_number, "fase": dossier.phase, "status": parsed.status}


async def _apply(
    integration: Integration, dossier: Dossier, r: Report, ref: str, at: datetime
) -> None:
    who = actor(integration)
    if r.status == "REI":
        if dossier.phase not in (Phase.DOORGEZET, Phase.AFSPRAAK):
            raise AppError(f"Opdracht {dossier.order_number} is al verder dan 'onderweg'.")
        start = dossier.appointment_start
        eta = r.eta or (start if start and start > at else at)
        await communication.technician_on_the_way(
            dossier, eta, at, None, basis=f"gemeld door {integration.name}"
        )
        return
    if r.status in ("CON", "GEP", "UWT"):
        await events.record(
            dossier,
            "keten_in",
            None,
            at,
            integration=integration.name,
            report=vera.TASK_STATUSES[r.status],
        )
        return
    if (
        r.status == "UIT"
        or (r.werkbon is not None or r.status in ("OND", "PAU"))
        and dossier.phase == Phase.AFSPRAAK
    ):
        await _move(who, dossier, Phase.IN_UITVOERING, {})
    if r.status == "UIT":
        return
    if (
        r.werkbon is not None
        and not await RepairLog.filter(op_id=f"vera:{integration.id}:{ref}").exists()
    ):
        await werkbons.store(
            dossier,
            None,
            None,
            f"vera:{integration.id}:{ref}",
            r.werkbon,
            reported_at=at,
            created_at=at,
        )
    if r.status in ("GER", "GES"):
        await _move(who, dossier, Phase.AFGEROND, {"result_code": "verholpen"})
    else:  # OND / PAU: not finished, another visit is needed
        why = vera.TASK_DETAIL_STATUSES.get(r.detail or "", "Onderbroken")
        await _move(who, dossier, Phase.DOORGEZET, {"reason": f"{why} (vervolgafspraak nodig)"})


async def _move(who: Actor, dossier: Dossier, target: str, data: dict[str, Any]) -> None:
    if dossier.phase == target and target != Phase.DOORGEZET:
        return  # the same report again: already done
    await dossiers.transition(None, dossier, target, data, actor=who)


async def appointment(integration: Integration, body: object, at: datetime) -> dict[str, Any]:
    """An Afspraak made or moved by the contractor: planned through the lifecycle, the tenant
    told; a move the dossier does not allow is answered with the reason."""
    if not isinstance(body, dict):
        raise bad("Stuur een Afspraak als JSON-object.")
    order = body.get("onderhoudsorder")
    if not isinstance(order, dict) or not isinstance(order.get("id"), str):
        raise bad("Een afspraak noemt haar order in onderhoudsorder.id.")
    dossier = await dossier_for(integration, order["id"])
    start = moment(body.get("bloktijdBegin") or body.get("begindatum"), "begindatum")
    end = moment(body.get("bloktijdEind") or body.get("einddatum"), "einddatum")
    if start is None:
        raise bad("Een afspraak vraagt om een begindatum (of bloktijdBegin).")
    if end is not None and end <= start:
        raise bad("De einddatum moet na de begindatum liggen.")
    if start < at - MAX_BEHIND or start > at + MAX_AHEAD:
        raise bad("De begindatum ligt te ver in het verleden of de toekomst.")
    status = _code(body.get("status"), vera.APPOINTMENT_STATUSES, "AFSPRAAKSTATUS")
    label = f"Afspraak {start.isoformat()}"
    try:
        if status == "ANN":
            raise AppError("Een afspraak annuleren gaat via de meldkamer; bel of mail ons.")
        await _plan(integration, dossier, start, end, at)
    except AppError as exc:
        await events.record(
            dossier,
            "keten_in",
            None,
            at,
            integration=integration.name,
            report=label,
            refused=exc.message,
        )
        raise VeraError(409, "GEWEIGERD", exc.message) from None
    return {
        "id": f"{dossier.order_number}-A",
        "onderhoudsorder": {"id": dossier.order_number},
        "begindatum": start.isoformat(),
        "fase": dossier.phase,
    }


async def _plan(
    integration: Integration, dossier: Dossier, start: datetime, end: datetime | None, at: datetime
) -> None:
    if dossier.phase == Phase.AFSPRAAK:
        if (dossier.appointment_start, dossier.appointment_end) == (start, end):
            return  # the same appointment again
        old_start, old_end = dossier.appointment_start, dossier.appointment_end
        await dossiers._save(
            dossier,
            {"appointment_start": start, "appointment_end": end},
            None,
            at,
            "appointment_moved",
            {
                "from": old_start.isoformat() if old_start else None,
                "to": start.isoformat(),
                "end": end.isoformat() if end else None,
                "via": f"Koppeling {integration.name}",
            },
        )
        await publish(dossier, "appointment")
        await communication.safely(communication.appointment_moved(dossier, old_start, old_end))
        return
    if dossier.phase != Phase.DOORGEZET:
        raise AppError(
            f"Dossier {dossier.order_number} staat op '{dossier.phase}': een afspraak kan alleen "
            "bij een opdracht die is doorgezet of al een afspraak heeft."
        )
    await dossiers.transition(
        None,
        dossier,
        Phase.AFSPRAAK,
        {"appointment_start": start, "appointment_end": end},
        actor=actor(integration),
    )
    await publish(dossier, "appointment")


async def photo(integration: Integration, photo_id: str) -> Photo:
    """A photo of a dossier sent to this integration."""
    if not photo_id.isdigit() or len(photo_id) > 18:
        raise not_found("Foto")
    found = await Photo.get_or_none(id=int(photo_id))
    if found is None:
        raise not_found("Foto")
    dossier_id = found.dossier_id  # type: ignore[attr-defined]
    if not await ChainMessage.filter(integration_id=integration.id, dossier_id=dossier_id).exists():
        raise not_found("Foto")
    return found
