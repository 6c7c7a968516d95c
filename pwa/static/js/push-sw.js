// Service worker for Web Push on the tracking page: shows the notice, opens its link on click.
// The payload is {title, body, url, tag}; a newer notice with the same tag (order number)
// replaces the older one.

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch { data = { body: event.data.text() }; }
  event.waitUntil(
    self.registration.showNotification(data.title || "Uw melding", {
      body: data.body || "",
      tag: data.tag || undefined,
      data: { url: data.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
