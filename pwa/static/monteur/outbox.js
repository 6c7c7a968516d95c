// The queue of operations. An operation, its number and its photo are written in one
// IndexedDB transaction, so a closed tab or a crash never leaves half of it behind.
import { db, deviceId } from "/static/monteur/db.js";

export async function enqueue(kind, job, payload, blob = null) {
  const device = await deviceId();
  const tx = (await db).transaction(["outbox", "meta", "blobs"], "readwrite");
  const meta = tx.objectStore("meta");
  const seq = ((await meta.get("seq")) || 0) + 1;
  // Op ids are random, not made from the number: renumbering the queue after a gap or mismatch
  // changes numbers, never an op id, and a phone restored from a backup cannot make an op id
  // it used before (docs/sync.md).
  const op = {
    seq,
    op_id: `${device}-${crypto.randomUUID().replaceAll("-", "")}`,
    kind,
    job,
    base_version: null,
    payload,
    device_time: new Date().toISOString(),
  };
  await meta.put(seq, "seq");
  await tx.objectStore("outbox").put(op);
  if (blob) await tx.objectStore("blobs").put(blob);
  await tx.done;
  window.dispatchEvent(new CustomEvent("outbox-changed"));
  return op;
}

// Recovery from a `gap` or `mismatch` stop: the queue, in its order, numbered from `first`
// (the server's last_seq + 1), in one transaction with the counter new operations continue from.
// Settled operations are done with; they go rather than take a number.
export async function renumber(first) {
  const tx = (await db).transaction(["outbox", "meta"], "readwrite");
  const outbox = tx.objectStore("outbox");
  const ops = (await outbox.getAll()).filter((op) => !op.settled);
  await outbox.clear();
  for (const [i, op] of ops.entries()) await outbox.put({ ...op, seq: first + i });
  await tx.objectStore("meta").put(first + ops.length - 1, "seq");
  await tx.done;
}

// An operation the server applied stays in the outbox, `settled`, until the pull that brings
// the job as the server has it since (sync.js): between the push's answer and that pull the
// screen would otherwise show the job as it was before his taps (a slow line makes that
// seconds: "Op locatie" undone on screen, the closing screens thrown away).
export async function pending() {
  return (await everything()).filter((op) => !op.settled);
}

export async function pendingCount() {
  return (await pending()).length;
}

// What the screen lays over the server's jobs: waiting and settled operations.
export async function everything() {
  return (await db).getAll("outbox");
}

export async function nextPhotoId() {
  const device = await deviceId();
  const tx = (await db).transaction("meta", "readwrite");
  const n = ((await tx.store.get("photo_counter")) || 0) + 1;
  await tx.store.put(n, "photo_counter");
  await tx.done;
  return `${device}-p${n}`;
}

// What the technician sees: the server's snapshot with his queued operations laid over it.
export function withPending(job, ops) {
  const view = structuredClone(job);
  view.pending = 0;
  for (const op of ops.filter((o) => o.job === job.order_number)) {
    const pending = !op.settled;
    if (pending) view.pending += 1;
    const at = op.device_time;
    if (op.kind === "chat") view.messages.push({ text: op.payload.text, author: "Ik", at, pending });
    else if (op.kind === "add_repair_log") view.repair_logs.push({ ...op.payload, at, pending });
    else if (op.kind === "attach_photo") view.photos.push({ client_id: op.payload.client_id, at, pending });
    else if (op.kind === "start_travel") view.travelling = true;
    else if (op.kind === "arrive") {
      view.phase = "in_uitvoering";
      view.arrived_at = at;
    } else if (op.kind === "complete") {
      view.phase = "afgerond";
      const werkbon = op.payload.werkbon;
      if (werkbon) view.repair_logs.push({ ...werkbon, signature: undefined, signed: Boolean(werkbon.signature), at, pending });
    }
    else if (op.kind === "not_fixed") view.phase = "doorgezet_naar_monteur";
  }
  return view;
}
