// Service worker of the technician app: events wired to named strategies (sw-strategies.js).
// The server fills in VERSION (a hash of the shell's files) and SHELL (what a cold start needs).
importScripts("/static/monteur/sw-strategies.js");

const VERSION = "__VERSION__";
const SHELL = [__SHELL__];

self.addEventListener("install", (event) => {
  event.waitUntil(precache(VERSION, SHELL).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropStaleCaches(VERSION).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const response = respond(event.request, VERSION, SHELL);
  if (response) event.respondWith(response);
});

// Background Sync (Chromium only): wake an open app to send its queue.
self.addEventListener("sync", (event) => {
  if (event.tag === OUTBOX_TAG) event.waitUntil(askClientsToSync());
});

// Web Push: a job assigned, moved or taken away (docs/sync.md). The work starts before
// waitUntil, so it also runs for an event the page dispatched itself.
self.addEventListener("push", (event) => {
  const shown = showJobNotification(event.data);
  event.waitUntil(shown);
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const opened = openJob(event.notification.data?.url);
  event.waitUntil(opened);
});
