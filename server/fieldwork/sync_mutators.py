"""The mutators of the technician app's operations, registered with sync/.

Each runs inside the transaction sync/ opened for one operation (FieldContext.conn is that
transaction; nested service calls join it through a savepoint). Conflict rules (docs/sync.md):
repair logs, photos and chat are additive and keyed by op_id; status changes are intents checked
by the dossier lifecycle, and one that is no longer allowed is a conflict whose report still
lands on the timeline and whose reason reaches the technician as a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from server.communication import communication
from server.domain.errors import AppError, NotFound
from server.dossiers import dossier_live, dossiers, events, steps
from server.fieldwork import changefeed, chat, eta, field_jobs, photos, werkbons
from server.fieldwork.field_context import FieldContext
from server.fieldwork.field_input import close_fields, repair_log_fields
from server.models import Dossier, Photo, RepairLog
from sync import Decision, Op, Registry, TemporaryError, applied, conflict, rejected
from sync.registry import Mutator

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


async def _job(ctx: FieldContext, op: Op, fresh: bool = False) -> Dossier | Decision:
    """The job if he may write to it. Additive operations take the one an earlier operation of
    the same transaction found; status intents (`fresh`) read it again, so a move is judged on
    the dossier as it is now, unless a move of this transaction wrote it: its row is locked
    until the commit, so the copy in hand is how it is now."""
    known = ctx.jobs.get(op.job)
    if known is not None and (not fresh or op.job in ctx.moved):
        return known
    try:
        job = await field_jobs.writable(ctx.user, op.job, ctx.technician)
    except NotFound as exc:
        return rejected(exc.message)
    ctx.jobs[op.job] = job
    return job


async def _has_repair_log(ctx: FieldContext, op: Op) -> bool:
    if op.op_id in ctx.new_op_ids:
        return False
    return await RepairLog.filter(op_id=op.op_id).exists()


async def add_repair_log(ctx: FieldContext, op: Op) -> Decision:
    job = await _job(ctx, op)
    if isinstance(job, Decision):
        return job
    if await _has_repair_log(ctx, op):
        return applied(already=True)
    try:
        values = repair_log_fields(op.payload)
    except AppError as exc:
        return rejected(exc.message, field=exc.field)
    await _store_werkbon(ctx, op, job, values, pending=op.op_id in ctx.new_op_ids)
    return applied()


async def _store_werkbon(
    ctx: FieldContext, op: Op, job: Dossier, values: dict[str, Any], pending: bool = False
) -> None:
    """The werkbon under the operation's id, its times on the server's clock; with `pending`
    among the run's rows written together (ctx.pending), when there are any."""
    for key in ("arrived_at", "finished_at"):
        if values.get(key) is not None:
            values[key] = ctx.stated(values[key], job.created_at)
    await werkbons.store(
        job,
        ctx.user,
        ctx.technician,
        op.op_id,
        values,
        reported_at=ctx.reported(op.device_time, job.created_at),
        created_at=ctx.at,
        device_time=op.device_time,
        pending=ctx.pending.rows if pending and ctx.pending is not None else None,
    )
    ctx.after_commit.append(lambda: dossier_live.changed(job, "werkbon"))


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
            new=op.op_id in ctx.new_op_ids,
            pending=ctx.pending,
        )
    except AppError as exc:
        return rejected(exc.message, field=exc.field)
    ctx.after_commit.append(lambda: chat.announce(job, message))
    return applied(id=message.id)


async def start_travel(ctx: FieldContext, op: Op) -> Decision:
    job = await _job(ctx, op, fresh=True)
    if isinstance(job, Decision):
        return job
    if ctx.technician is None or not field_jobs.is_current(job, ctx.technician):
        return await _refused(ctx, op, job, _taken_away(job))
    if job.phase not in ("doorgezet_naar_monteur", "afspraak_ingepland"):
        return await _refused(
            ctx, op, job, f"Opdracht {job.order_number} is al verder dan 'onderweg'."
        )
    reported = ctx.reported(op.device_time, (await steps.read(job)).phase_since(job))
    # Estimated here, from where he is to the job: the phone may have been offline and knows
    # neither the routing engine nor his last reported position.
    found = await eta.estimate(
        ctx.technician, job, eta.phone_position(op.payload.get("position")), reported
    )
    await communication.technician_on_the_way(job, found.eta, reported, ctx.user, basis=found.basis)
    ctx.after_commit.append(lambda: dossier_live.changed(job, "monteur_onderweg"))
    return applied(eta=found.eta.isoformat(), minutes=found.minutes, basis=found.basis)


async def arrive(ctx: FieldContext, op: Op) -> Decision:
    return await _move(ctx, op, "in_uitvoering", {})


async def complete(ctx: FieldContext, op: Op) -> Decision:
    """Closing with the result, and the werkbon (with the tenant's signature) in the same
    operation: stored together, so a close never reaches the desk without its werkbon. Without
    one in the payload a werkbon recorded earlier in this visit must do (the lifecycle says)."""
    job = await _job(ctx, op, fresh=True)
    if isinstance(job, Decision):
        return job
    try:
        code, werkbon = close_fields(op.payload)
    except AppError as exc:
        return rejected(exc.message, field=exc.field)
    if werkbon is not None and not await _has_repair_log(ctx, op):
        # Additive like any werkbon: kept even when the close itself is refused below.
        await _store_werkbon(ctx, op, job, werkbon)
    return await _move(ctx, op, "afgerond", {"result_code": code}, job)


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


async def _move(
    ctx: FieldContext, op: Op, target: str, data: dict[str, Any], read: Dossier | None = None
) -> Decision:
    job = read or await _job(ctx, op, fresh=True)
    if isinstance(job, Decision):
        return job
    if ctx.technician is None or not field_jobs.is_current(job, ctx.technician):
        return await _refused(ctx, op, job, _taken_away(job))
    timeline = _timeline(ctx, op, job) or await steps.read(job)  # for the time and the move
    ctx.timelines[op.job] = timeline
    since = timeline.phase_since(job)
    try:
        await dossiers.transition(
            ctx.user,
            job,
            target,
            data,
            reported_at=ctx.reported(op.device_time, since),
            actor=ctx.actor(),
            timeline=timeline,
            after_commit=ctx.after_commit,
        )
    except AppError as exc:
        if job.phase == target and target != "doorgezet_naar_monteur":
            return applied(phase=job.phase, already=True)
        # Without a werkbon a close can never succeed as sent: rejected, and the queue goes on.
        decide = rejected if exc.field == "werkbon" else conflict
        return await _refused(ctx, op, job, exc.message, decide)
    ctx.moved.add(op.job)
    return applied(phase=job.phase, version=job.version)


def _timeline(ctx: FieldContext, op: Op, job: Dossier) -> steps.Steps | None:
    """The job's timeline without reading it, when a move of this transaction read it: its
    row is locked since, so no other move or appointment change can add a step; what this
    transaction wrote is in its journal."""
    known = ctx.timelines.get(op.job) if op.job in ctx.moved else None
    return known.with_written(job, ctx.written) if known is not None else None


def _taken_away(job: Dossier) -> str:
    if job.phase == "geannuleerd":
        return f"Opdracht {job.order_number} is geannuleerd."
    return f"Opdracht {job.order_number} is intussen aan een andere monteur gegeven."


async def _refused(
    ctx: FieldContext,
    op: Op,
    job: Dossier,
    reason: str,
    decide: Callable[..., Decision] = conflict,
) -> Decision:
    """Keep what the technician reported on the timeline, tell him, answer conflict (or the
    given decision)."""
    label = INTENT_LABELS.get(op.kind, op.kind)
    await events.record(
        job,
        "veldmelding_geweigerd",
        ctx.user,
        ctx.at,
        intent=label,
        reason=reason,
        payload=_without_signature(op.payload),
        device_time=op.device_time,
        reported_at=ctx.reported(op.device_time, job.created_at),
    )
    # The answer and the next pull both carry the notice, under the op id: whichever reaches
    # the app first is shown, the other is known by its id (one notice, not two).
    notice = f"{label} niet verwerkt: {reason}"
    await changefeed.append(
        ctx.conn, ctx.user.id, "notice", job.id, ctx.at, message=notice, op_id=op.op_id
    )
    return decide(reason, notice=notice)


def _without_signature(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as the timeline keeps it: a tenant's signature is in the repair log, once."""
    werkbon = payload.get("werkbon")
    if isinstance(werkbon, dict) and werkbon.get("signature"):
        return {**payload, "werkbon": {**werkbon, "signature": "(bij de werkbon)"}}
    return payload


def _after_pending(mutator: Mutator) -> Mutator:
    """A mutator that reads or writes beyond additive rows runs after the pending ones are
    written: a close must see the werkbon an earlier operation of the run added, and the
    timeline keeps the order in which operations were made."""

    async def run(ctx: FieldContext, op: Op) -> Decision:
        await ctx.flush()
        return await mutator(ctx, op)

    return run


def build() -> Registry:
    registry = Registry()
    registry.register("add_repair_log", add_repair_log)
    registry.register("chat", write_chat)
    registry.register("attach_photo", _after_pending(attach_photo))
    registry.register("start_travel", _after_pending(start_travel))
    registry.register("arrive", _after_pending(arrive))
    registry.register("complete", _after_pending(complete))
    registry.register("not_fixed", _after_pending(not_fixed))
    return registry


REGISTRY = build()
