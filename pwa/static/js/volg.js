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

// This browser's subscription from an earlier visit (to this or another tracking page), if any.
async function existingSubscription() {
  const registration = await navigator.serviceWorker.getRegistration("/static/js/");
  return registration ? registration.pushManager.getSubscription() : null;
}

function post(url, body) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken() },
    body: JSON.stringify(body),
  });
}

const ON = "Aan: u krijgt een melding op dit toestel als er iets verandert.";
const OFF = "Uit: u krijgt op dit toestel geen meldingen meer over deze melding.";

function show(ui, following) {
  ui.on.hidden = following;
  ui.off.hidden = !following;
}

async function subscribe(box, ui) {
  ui.on.disabled = true;
  ui.status.textContent = "Bezig…";
  try {
    if ((await Notification.requestPermission()) !== "granted") {
      ui.status.textContent = "U hebt meldingen niet toegestaan; u krijgt ze dan niet op dit toestel.";
      return;
    }
    const subscription = await withinTime(browserSubscription(box.dataset.key), GIVE_UP_MS);
    const response = await post(box.dataset.url, subscription.toJSON());
    ui.status.textContent = response.ok ? ON : "Aanmelden lukte niet; probeer het later opnieuw.";
    if (response.ok) show(ui, true);
  } catch (error) {
    // The browser's own reason is English and technical: for whoever looks at the console.
    console.warn("push opt-in failed:", error);
    ui.status.textContent = FAILED;
  } finally {
    ui.on.disabled = false;
  }
}

// Stop for this report only; the browser's own subscription ends once it follows nothing.
async function unsubscribe(box, ui) {
  ui.off.disabled = true;
  try {
    const subscription = await existingSubscription();
    if (subscription) {
      const response = await post(`${box.dataset.url}/uit`, { endpoint: subscription.endpoint });
      if (!response.ok) throw new Error(`server answered ${response.status}`);
      if ((await response.json()).forgotten) await subscription.unsubscribe();
    }
    show(ui, false);
    ui.status.textContent = OFF;
  } catch (error) {
    console.warn("push opt-out failed:", error);
    ui.status.textContent = "Afmelden lukte niet; probeer het later opnieuw.";
  } finally {
    ui.off.disabled = false;
  }
}

// Whether this browser already follows this report, so the page offers the right button.
async function showState(box, ui) {
  const subscription = await existingSubscription();
  if (!subscription) return;
  const response = await post(`${box.dataset.url}/stand`, { endpoint: subscription.endpoint });
  if (response.ok && (await response.json()).following) {
    show(ui, true);
    ui.status.textContent = ON;
  }
}

const box = document.getElementById("push");
if (box && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window) {
  const ui = {
    on: document.getElementById("push-aan"),
    off: document.getElementById("push-uit"),
    status: document.getElementById("push-status"),
  };
  ui.on.addEventListener("click", () => subscribe(box, ui));
  ui.off.addEventListener("click", () => unsubscribe(box, ui));
  showState(box, ui)
    .catch((error) => console.warn("push state unknown:", error))
    .finally(() => (box.hidden = false));
}
