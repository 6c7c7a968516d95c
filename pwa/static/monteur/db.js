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

export async function addNotice(text) {
  const notices = await getMeta("notices", []);
  notices.push({ text, at: new Date().toISOString() });
  await setMeta("notices", notices.slice(-20));
}

// Logging out: nothing of this user stays on the phone (jobs, queue, photos, token, ids).
export async function clearAll() {
  const tx = (await db).transaction(["jobs", "outbox", "blobs", "meta"], "readwrite");
  await Promise.all(["jobs", "outbox", "blobs", "meta"].map((name) => tx.objectStore(name).clear()));
  await tx.done;
}
