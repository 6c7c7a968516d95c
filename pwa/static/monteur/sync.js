// Sending the queue and pulling changes (docs/sync.md). One sender at a time (Web Locks where
// the browser has them). An operation leaves the queue only once its outcome is known; a lost
// answer means the same operations are sent again and the server answers them from its record.
import { LoginNeeded, call } from "/static/monteur/api.js";
import { addNotice, db, deviceId, getMeta, keepNotices, noteOnce, setMeta } from "/static/monteur/db.js";
import { pending, pendingCount, renumber } from "/static/monteur/outbox.js";

const BATCH = 100;
let running = null;

export const state = { text: "", problem: null, offline: false, login: false };
export const OFFLINE = "Geen verbinding";

function announce() {
  window.dispatchEvent(new CustomEvent("sync-state", { detail: state }));
}

export async function describe() {
  const count = await pendingCount();
  // Before logging in nothing was sent, so nothing can be "all sent".
  if (count === 0 && !(await getMeta("token"))) return "Niet ingelogd";
  if (count === 0) return "Alles is verzonden";
  const what = count === 1 ? "1 wijziging wacht" : `${count} wijzigingen wachten`;
  if (state.login) return `${what}; log opnieuw in om te versturen`;
  return `${what} op verbinding`;
}

export async function syncNow() {
  if (running) return running;
  if (!(await getMeta("token"))) {
    state.text = await describe();
    announce();
    return null;
  }
  const work = async () => {
    try {
      await round();
      state.problem = null;
      state.offline = false;
    } catch (error) {
      if (error instanceof LoginNeeded) {
        state.login = true;
        state.problem = error.message;
      } else {
        state.offline = true;
        // A fetch that never got an answer throws a TypeError in the browser's own words.
        state.problem = !navigator.onLine || error instanceof TypeError ? OFFLINE : error.message;
      }
    } finally {
      state.text = await describe();
      running = null;
      announce();
    }
  };
  running = navigator.locks ? navigator.locks.request("mk-sync", work) : work();
  return running;
}

async function round() {
  await uploadPhotos();
  await pushQueue();
  await pullChanges();
}

async function uploadPhotos() {
  const database = await db;
  const waiting = (await database.getAll("blobs")).filter((b) => !b.uploaded && !b.refused);
  for (const photo of waiting) {
    const query = new URLSearchParams({ job: photo.job, taken_at: photo.taken_at });
    const response = await call(`/api/v1/photos/${photo.client_id}?${query}`, {
      method: "PUT",
      body: photo.blob,
      headers: { "content-type": "image/jpeg" },
    });
    if (response.ok) {
      photo.uploaded = true;
      photo.key = (await response.json()).key;
    } else if (response.status >= 400 && response.status < 500) {
      // Refused for good: the attach operation carries the reason, so it is rejected and the
      // queue moves on instead of waiting for a photo that will never arrive.
      photo.refused = (await response.json().catch(() => null))?.error?.message || `Foto geweigerd (${response.status})`;
      await refuseAttach(photo);
    } else {
      throw new Error(`Foto's versturen lukte niet (${response.status}).`);
    }
    await database.put("blobs", photo);
  }
}

async function refuseAttach(photo) {
  const database = await db;
  for (const op of await database.getAll("outbox")) {
    if (op.kind === "attach_photo" && op.payload.client_id === photo.client_id) {
      op.payload.upload_refused = photo.refused;
      await database.put("outbox", op);
    }
  }
}

// Numbers the server cannot take: renumber the queue from its last_seq + 1 and send again.
const RENUMBER = new Set(["gap", "mismatch"]);
const MAX_IDLE_RENUMBERS = 2;

async function pushQueue() {
  const device = await deviceId();
  let idle = 0;
  for (;;) {
    const ops = (await pending()).slice(0, BATCH);
    if (ops.length === 0) return;
    const response = await call("/api/v1/sync/push", { method: "POST", json: { device_id: device, ops } });
    if (!response.ok) throw new Error(`Versturen lukte niet (${response.status}).`);
    const result = await response.json();
    await settle(ops, result.outcomes);
    // Drawn again: what went is no longer marked "niet verzonden", also if the pull fails.
    window.dispatchEvent(new CustomEvent("jobs-changed"));
    const stop = result.stop;
    if (stop && RENUMBER.has(stop.reason)) {
      // Each round answers at least one operation; if none twice in a row, say so and wait.
      idle = result.outcomes.length ? 0 : idle + 1;
      if (idle > MAX_IDLE_RENUMBERS) throw new Error(stop.message);
      await renumber(result.last_seq + 1);
      continue;
    }
    if (stop) throw new Error(stop.message); // temporary: a photo still on its way
    if (result.outcomes.length === 0) return;
  }
}

// An operation leaves the queue only with its outcome; found by op id, since an answer from
// the record after renumbering may carry another number than the one it was first sent under.
// An applied one stays on screen, settled, until the pull brings the job with it (outbox.js).
async function settle(ops, outcomes) {
  const database = await db;
  const sent = new Map(ops.map((op) => [op.op_id, op]));
  for (const outcome of outcomes) {
    const op = sent.get(outcome.op_id);
    if (op && outcome.status === "applied") await database.put("outbox", { ...op, settled: true });
    else if (op) await database.delete("outbox", op.seq);
    // A refused status change also comes back as a notice in the next pull: one notice.
    if (outcome.status !== "applied") await addNotice(outcome.result?.notice || outcome.reason, outcome.op_id);
  }
}

async function pullChanges() {
  const device = await deviceId();
  for (;;) {
    const cursor = await getMeta("cursor");
    const query = new URLSearchParams({ device_id: device, ...(cursor ? { cursor } : {}) });
    const response = await call(`/api/v1/sync/pull?${query}`);
    if (!response.ok) throw new Error(`Ophalen lukte niet (${response.status}).`);
    const result = await response.json();
    const database = await db;
    // The jobs and the cursor that covers them are written together, never one without the other;
    // with the last page, the settled operations those jobs now show go in the same transaction.
    const tx = database.transaction(["jobs", "meta", "outbox"], "readwrite");
    const meta = tx.objectStore("meta");
    const notices = (await meta.get("notices")) || [];
    const seen = (await meta.get("notice_keys")) || [];
    if (result.reset) {
      await tx.objectStore("jobs").clear();
      for (const job of result.snapshot.jobs) await tx.objectStore("jobs").put(job);
    }
    for (const change of result.changes) {
      if (change.kind === "job") await tx.objectStore("jobs").put(change.data.job);
      else if (change.kind === "withdrawn") {
        await tx.objectStore("jobs").delete(change.job);
        noteOnce(notices, seen, change.data.message);
      } else if (change.kind === "notice") {
        noteOnce(notices, seen, change.data.message, change.data.op_id);
      }
    }
    await keepNotices(meta, notices, seen);
    await meta.put(result.cursor, "cursor");
    if (!result.more) {
      const outbox = tx.objectStore("outbox");
      for (const op of await outbox.getAll()) if (op.settled) await outbox.delete(op.seq);
    }
    await tx.done;
    window.dispatchEvent(new CustomEvent("jobs-changed"));
    if (!result.more) return;
  }
}

export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register("mk-outbox");
  } catch {
    // No Background Sync here (Safari, Firefox): the timer and the online event do the work.
  }
}

export async function setLoggedIn(token, username) {
  await setMeta("token", token);
  await setMeta("username", username);
  state.login = false;
}
