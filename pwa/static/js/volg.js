// Push opt-in on the tenant's tracking page: register the push service worker, subscribe with
// our VAPID key and hand the subscription to the server. Shown only where the browser can.

function csrfToken() {
  const entry = document.cookie.split("; ").find((c) => c.startsWith("meldkamer_csrf="));
  return entry ? decodeURIComponent(entry.slice("meldkamer_csrf=".length)) : "";
}

function keyBytes(base64url) {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function subscribe(box, status) {
  status.textContent = "Bezig…";
  try {
    if ((await Notification.requestPermission()) !== "granted") {
      status.textContent = "U hebt meldingen niet toegestaan; u krijgt ze dan niet op dit toestel.";
      return;
    }
    const registration = await navigator.serviceWorker.register("/static/js/push-sw.js");
    await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(box.dataset.key),
    });
    const response = await fetch(box.dataset.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrfToken() },
      body: JSON.stringify(subscription.toJSON()),
    });
    status.textContent = response.ok
      ? "Aan: u krijgt een melding op dit toestel als er iets verandert."
      : "Aanmelden lukte niet; probeer het later opnieuw.";
  } catch (error) {
    status.textContent = `Aanmelden lukte niet: ${error.message}`;
  }
}

const box = document.getElementById("push");
if (box && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window) {
  box.hidden = false;
  const status = document.getElementById("push-status");
  document.getElementById("push-aan").addEventListener("click", () => subscribe(box, status));
}
