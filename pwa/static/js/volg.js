// Push opt-in on the tenant's tracking page: register the push service worker, subscribe with
// our VAPID key and hand the subscription to the server. Shown only where the browser can.

// A browser whose push service cannot be reached (offline, blocked, a browser without one)
// may never answer pushManager.subscribe(): give up after this long and say so.
const GIVE_UP_MS = 20000;
const FAILED =
  "Aanmelden voor meldingen lukte niet in deze browser. Bekijk deze pagina later opnieuw voor de laatste stand.";

function csrfToken() {
  const entry = document.cookie.split("; ").find((c) => c.startsWith("meldkamer_csrf="));
  return entry ? decodeURIComponent(entry.slice("meldkamer_csrf=".length)) : "";
}

function keyBytes(base64url) {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function withinTime(promise, ms) {
  const late = new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`geen antwoord van de pushdienst binnen ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]);
}

// The worker's scope (/static/js/) does not cover this page, so navigator.serviceWorker.ready
// would never resolve here: wait for this registration's own worker to be active instead.
function activated(registration) {
  const worker = registration.installing || registration.waiting || registration.active;
  return new Promise((resolve) => {
    const check = () => worker.state === "activated" && resolve(registration);
    worker.addEventListener("statechange", check);
    check();
  });
}

async function browserSubscription(key) {
  const registration = await activated(await navigator.serviceWorker.register("/static/js/push-sw.js"));
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
}

async function subscribe(box, status, button) {
  button.disabled = true;
  status.textContent = "Bezig…";
  try {
    if ((await Notification.requestPermission()) !== "granted") {
      status.textContent = "U hebt meldingen niet toegestaan; u krijgt ze dan niet op dit toestel.";
      return;
    }
    const subscription = await withinTime(browserSubscription(box.dataset.key), GIVE_UP_MS);
    const response = await fetch(box.dataset.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrfToken() },
      body: JSON.stringify(subscription.toJSON()),
    });
    status.textContent = response.ok
      ? "Aan: u krijgt een melding op dit toestel als er iets verandert."
      : "Aanmelden lukte niet; probeer het later opnieuw.";
  } catch (error) {
    // The browser's own reason is English and technical: for whoever looks at the console.
    console.warn("push opt-in failed:", error);
    status.textContent = FAILED;
  } finally {
    button.disabled = false;
  }
}

const box = document.getElementById("push");
if (box && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window) {
  box.hidden = false;
  const status = document.getElementById("push-status");
  const button = document.getElementById("push-aan");
  button.addEventListener("click", () => subscribe(box, status, button));
}
