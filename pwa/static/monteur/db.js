// The app's IndexedDB: jobs (server snapshots), outbox (operations in order), blobs (photos),
// meta (token, device id, counters, cursor, notices).
import { openDB } from "/static/vendor/idb/index.js";

export const db = openDB("meldkamer-monteur", 1, {
  upgrade(database) {
    database.createObjectStore("jobs", { keyPath: "order_number" });
    database.createObjectStore("outbox", { keyPath: "seq" });
    database.createObjectStore("blobs", { keyPath: "client_id" });
    database.createObjectStore("meta");
  },
});

export async function getMeta(key, fallback = null) {
  const value = await (await db).get("meta", key);
  return value === undefined ? fallback : value;
}

export async function setMeta(key, value) {
  await (await db).put("meta", value, key);
}

export async function deviceId() {
  let id = await getMeta("device_id");
  if (!id) {
    id = "d" + crypto.randomUUID().replaceAll("-", "");
    await setMeta("device_id", id);
  }
  return id;
}

// A notice with a key (the op id of a refused operation) is shown once: the push answer and
// the next pull both bring it, and whichever comes second is known by the key, even when the
// first was already marked read. `notices` and `seen` are the lists kept in meta.
export function noteOnce(notices, seen, text, key = null) {
  if (key && seen.includes(key)) return;
  if (key) seen.push(key);
  notices.push({ text, at: new Date().toISOString() });
}

export async function keepNotices(store, notices, seen) {
  await store.put(notices.slice(-20), "notices");
  await store.put(seen.slice(-200), "notice_keys");
}

export async function addNotice(text, key = null) {
  const tx = (await db).transaction("meta", "readwrite");
  const notices = (await tx.store.get("notices")) || [];
  const seen = (await tx.store.get("notice_keys")) || [];
  noteOnce(notices, seen, text, key);
  await keepNotices(tx.store, notices, seen);
  await tx.done;
}

// Logging out: nothing of this user stays on the phone (jobs, queue, photos, token, ids).
export async function clearAll() {
  const tx = (await db).transaction(["jobs", "outbox", "blobs", "meta"], "readwrite");
  await Promise.all(["jobs", "outbox", "blobs", "meta"].map((name) => tx.objectStore(name).clear()));
  await tx.done;
}
