// Caching strategies of the technician app's service worker (a classic script: importScripts).
// Only our own origin's GET requests for the app shell are answered from the cache; data
// (/api/) always goes to the network and is kept by the app in IndexedDB, never in a cache.

const CACHE_PREFIX = "mk-monteur-";
const OUTBOX_TAG = "mk-outbox";

function cacheName(version) {
  return CACHE_PREFIX + version;
}

async function precache(version, urls) {
  const cache = await caches.open(cacheName(version));
  await cache.addAll(urls.map((url) => new Request(url, { cache: "reload" })));
}

// Delete our own caches of earlier versions; caches of anything else are not ours to touch.
async function dropStaleCaches(version) {
  const keep = cacheName(version);
  const names = await caches.keys();
  await Promise.all(
    names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== keep).map((n) => caches.delete(n)),
  );
}

function respond(request, version, shell) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith("/api/")) return null;
  if (request.mode === "navigate" && url.pathname.startsWith("/monteur/")) {
    return shellFirst(version);
  }
  if (shell.includes(url.pathname)) return cacheFirst(request, version);
  return null;
}

// The app shell from the cache, so the app starts with no network at all; the network only
// when the cache lost it.
async function shellFirst(version) {
  const cached = await caches.match("/monteur/", { cacheName: cacheName(version) });
  return cached || fetch("/monteur/");
}

async function cacheFirst(request, version) {
  const cached = await caches.match(request, { cacheName: cacheName(version) });
  return cached || fetch(request);
}

async function askClientsToSync() {
  const clients = await self.clients.matchAll({ type: "window" });
  for (const client of clients) client.postMessage({ type: "sync" });
}

// A push from the server: {title, body, url, tag}. The job's number is the tag, so a newer
// message about the same job replaces an older one still on the screen.
async function showJobNotification(data) {
  let message = {};
  try {
    message = data ? data.json() : {};
  } catch {
    message = { body: data ? data.text() : "" };
  }
  await self.registration.showNotification(message.title || "Meldkamer", {
    body: message.body || "",
    tag: message.tag || undefined,
    renotify: Boolean(message.tag),
    lang: "nl",
    icon: "/static/monteur/icon-192.png",
    data: { url: message.url || "/monteur/" },
  });
}

// Tapped: show the job in an open window of the app, or open one. Only our own app's pages.
async function openJob(url) {
  let target = new URL(url || "/monteur/", self.location.origin);
  if (target.origin !== self.location.origin || !target.pathname.startsWith("/monteur/")) {
    target = new URL("/monteur/", self.location.origin);
  }
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname.startsWith("/monteur/"));
  if (!open) return self.clients.openWindow(target.href);
  open.postMessage({ type: "open", hash: target.hash });
  try {
    await open.focus();
  } catch {
    // Focusing needs the tap itself; the job is shown in the window either way.
  }
  return open;
}
