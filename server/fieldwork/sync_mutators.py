"""The mutators of the technician app's operations, registered with sync/.

Each runs inside the transaction sync/ opened for one operation (FieldContext.conn is that
transaction; nested service calls join it through a savepoint). Conflict rules (docs/sync.md):
repair logs, photos and chat are additive and keyed by op_id; status changes are intents checked
by the dossier lifecycle, and one that is no longer allowed is a conflict whose report still
lands on the timeline and whose reason reaches the technician as a notice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from server.communication import communication
from server.domain.errors import AppError, NotFound
from server.dossiers import dossier_live, dossiers, events
from server.fieldwork import changefeed, chat, field_jobs, photos
from server.fieldwork.field_context import FieldContext
from server.fieldwork.field_input import repair_log_fields
from server.models import Dossier, DossierEvent, Photo, RepairLog
from sync import Decision, Op, Registry, TemporaryError, applied, conflict, rejected

NOT_FIXED_REASONS: dict[str, str] = {
    "materiaal_nodig": "Materiaal nodig",
    "tweede_monteur_nodig": "Tweede monteur nodig",
    "huurder_niet_thuis": "Huurder niet thuis",
    "geen_toegang": "Geen toegang tot de ruimte",
    "andere_vakdiscipline": "Andere vakdiscipline nodig",
    "overig": "Overig",
}

INTENT_LABELS = {
    "start_travel": "Onderweg",
    "arrive": "Op locatie",
    "complete": "Afgerond",
    "not_fixed": "Niet opgelost",
}


async def _job(ctx: FieldContext, op: Op) -> Dossier | Decision:
    try:
        return await field_jobs.writable(ctx.user, op.job)
    except NotFound as exc:
        return rejected(exc.message)


async def add_repair_log(ctx: FieldContext, op: Op) -> Decision:
    job = await _job(ctx, op)
    if isinstance(job, Decision):
        return job
    if await RepairLog.filter(op_id=op.op_id).exists():
        return applied(already=True)
    try:
        values = repair_log_fields(op.payload)
    except AppError as exc:
        return rejected(exc.message, field=exc.field)
    reported = ctx.reported(op.device_time, job.created_at)
    await RepairLog.create(
        dossier=job,
        technician=ctx.technician,
        author=ctx.user,
        op_id=op.op_id,
        device_time=op.device_time,
        reported_at=reported,
        created_at=ctx.at,
        **values,
    )
    await events.record(
        job, "werkbon", ctx.user, reported, **_summary(values), **_received(ctx, reported)
    )
    ctx.after_commit.append(lambda: dossier_live.changed(job, "werkbon"))
    return applied()


def _received(ctx: FieldContext, reported: datetime) -> dict[str, Any]:
    """The server's own time beside a device-stated one, when they differ."""
    return {"received_at": ctx.at} if reported != ctx.at else {}


def _summary(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "cause": values["cause"],
        "work_done": values["work_done"],
        "materials": values["materials"],
        "minutes": values["minutes"],
        "fixed": values["fixed"],
    }


async def attach_photo(ctx: FieldContext, op: Op) -> Decision:
    job = await _job(ctx, op)
    if isinstance(job, Decision):
        return job
    client_id = op.payload.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        return rejected("Foto zonder foto-id.", field="client_id")
    try:
        photos.check_client_id(client_id)  # an id no upload can have is never waited for
    except AppError as exc:
        return rejected(exc.message, field=exc.field)
    photo = await Photo.get_or_none(client_id=client_id)
    refused = op.payload.get("upload_refused")
    if photo is None and isinstance(refused, str):
        return rejected(f"Foto niet opgeslagen: {refused}")
    if photo is None:
        # The app uploads before it pushes; until the bytes arrive the queue waits here.
        raise TemporaryError(f"Foto {client_id} is nog niet ontvangen.")
    if photo.dossier_id != job.id or photo.uploaded_by_id != ctx.user.id:  # type: ignore[attr-defined]
        return rejected(f"Foto {client_id} hoort niet bij opdracht {job.order_number}.")
    if photo.attached_at is not None:
        return applied(key=photo.key, already=True)
    caption = op.payload.get("caption")
    photo.caption = caption.strip()[:500] if isinstance(caption, str) else ""
    photo.attached_at = ctx.at
    await photo.save(update_fields=["caption", "attached_at"])
    await events.record(job, "foto", ctx.user, ctx.at, key=photo.key, caption=photo.caption)
    ctx.after_commit.append(lambda: dossier_live.changed(job, "foto"))
    return applied(key=photo.key)


async def write_chat(ctx: FieldContext, op: Op) -> Decision:
    job = await _job(ctx, op)
    if isinstance(job, Decision):
        return job
    try:
        message = await chat.write(
            ctx.user,
            job,
            op.payload.get("text"),  # type: ignore[arg-type]
            op.op_id,
            op.device_time,
            ctx.reported(op.device_time, job.created_at),
        )
    except AppError as exc:
        return rejected(exc.message, field=exc.field)
    ctx.after_commit.append(lambda: chat.announce(job, message))
    return applied(id=message.id)


async def start_travel(ctx: FieldContext, op: Op) -> Decision:
    job = await _job(ctx, op)
    if isinstance(job, Decision):
        return job
    if ctx.technician is None or not field_jobs.is_current(job, ctx.technician):
        return await _refused(ctx, op, job, _taken_away(job))
    if job.phase not in ("doorgezet_naar_monteur", "afspraak_ingepland"):
        return await _refused(
            ctx, op, job, f"Opdracht {job.order_number} is al verder dan 'onderweg'."
        )
    minutes = op.payload.get("eta_minutes")
    reported = ctx.reported(op.device_time, await _phase_since(job))
    eta = reported + timedelta(
        minutes=minutes if isinstance(minutes, int) and 0 < minutes < 600 else 30
    )
    await communication.technician_on_the_way(job, eta, reported, ctx.user)
    ctx.after_commit.append(lambda: dossier_live.changed(job, "monteur_onderweg"))
    return applied(eta=eta.isoformat())


async def arrive(ctx: FieldContext, op: Op) -> Decision:
    return await _move(ctx, op, "in_uitvoering", {})


async def complete(ctx: FieldContext, op: Op) -> Decision:
    code = op.payload.get("result_code") or "verholpen"
    return await _move(ctx, op, "afgerond", {"result_code": code})


async def not_fixed(ctx: FieldContext, op: Op) -> Decision:
    code = op.payload.get("reason")
    if not isinstance(code, str) or code not in NOT_FIXED_REASONS:
        known = ", ".join(NOT_FIXED_REASONS)
        return rejected(f"Onbekende reden '{code}' (bekend: {known}).", field="reason")
    note = op.payload.get("note")
    text = NOT_FIXED_REASONS[str(code)]
    if isinstance(note, str) and note.strip():
        text = f"{text}: {note.strip()}"
    return await _move(
        ctx, op, "doorgezet_naar_monteur", {"reason": f"{text} (vervolgafspraak nodig)"}
    )


async def _move(ctx: FieldContext, op: Op, target: str, data: dict[str, Any]) -> Decision:
    job = await _job(ctx, op)
    if isinstance(job, Decision):
        return job
    if ctx.technician is None or not field_jobs.is_current(job, ctx.technician):
        return await _refused(ctx, op, job, _taken_away(job))
    since = await _phase_since(job)
    try:
        await dossiers.transition(
            ctx.user, job, target, data, reported_at=ctx.reported(op.device_time, since)
        )
    except AppError as exc:
        if job.phase == target and target != "doorgezet_naar_monteur":
            return applied(phase=job.phase, already=True)
        return await _refused(ctx, op, job, exc.message)
    return applied(phase=job.phase, version=job.version)


async def _phase_since(job: Dossier) -> datetime:
    """When the job entered its current phase: a move from it cannot have happened earlier."""
    last = (
        await DossierEvent.filter(dossier_id=job.id, kind__in=PHASE_EVENTS).order_by("-at").first()
    )
    return last.at if last is not None else job.created_at


PHASE_EVENTS = ("created", "transition", "appointment_moved", "appointment_cancelled")


def _taken_away(job: Dossier) -> str:
    if job.phase == "geannuleerd":
        return f"Opdracht {job.order_number} is geannuleerd."
    return f"Opdracht {job.order_number} is intussen aan een andere monteur gegeven."


async def _refused(ctx: FieldContext, op: Op, job: Dossier, reason: str) -> Decision:
    """Keep what the technician reported on the timeline, tell him, answer conflict."""
    label = INTENT_LABELS.get(op.kind, op.kind)
    await events.record(
        job,
        "veldmelding_geweigerd",
        ctx.user,
        ctx.at,
        intent=label,
        reason=reason,
        payload=op.payload,
        device_time=op.device_time,
        reported_at=ctx.reported(op.device_time, job.created_at),
    )
    # The answer and the next pull both carry the notice, under the op id: whichever reaches
    # the app first is shown, the other is known by its id (one notice, not two).
    notice = f"{label} niet verwerkt: {reason}"
    await changefeed.append(
        ctx.conn, ctx.user.id, "notice", job.id, ctx.at, message=notice, op_id=op.op_id
    )
    return conflict(reason, notice=notice)


def build() -> Registry:
    registry = Registry()
    registry.register("add_repair_log", add_repair_log)
    registry.register("attach_photo", attach_photo)
    registry.register("chat", write_chat)
    registry.register("start_travel", start_travel)
    registry.register("arrive", arrive)
    registry.register("complete", complete)
    registry.register("not_fixed", not_fixed)
    return registry


REGISTRY = build()
