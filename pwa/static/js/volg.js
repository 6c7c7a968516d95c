// The tenant's tracking page: push opt-in (register the push service worker, subscribe with our
// VAPID key and hand the subscription to the server; shown only where the browser can), and a
// photo scaled down in the browser before it is sent. The texts come from the page, in the
// tenant's language (#volg-texts, data- attributes).

// A browser whose push service cannot be reached (offline, blocked, a browser without one)
// may never answer pushManager.subscribe(): give up after this long and say so.
const GIVE_UP_MS = 20000;
const TEXTS = JSON.parse(document.getElementById("volg-texts")?.textContent || "{}");
const FAILED = TEXTS.failed;

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

const ON = TEXTS.on;
const OFF = TEXTS.off;

function show(ui, following) {
  ui.on.hidden = following;
  ui.off.hidden = !following;
}

async function subscribe(box, ui) {
  ui.on.disabled = true;
  ui.status.textContent = TEXTS.busy;
  try {
    if ((await Notification.requestPermission()) !== "granted") {
      ui.status.textContent = TEXTS.denied;
      return;
    }
    const subscription = await withinTime(browserSubscription(box.dataset.key), GIVE_UP_MS);
    const response = await post(box.dataset.url, subscription.toJSON());
    ui.status.textContent = response.ok ? ON : TEXTS.retry;
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
    ui.status.textContent = TEXTS.stop_failed;
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

// A phone's photo is often 4000 px and several MB: send it at most MAX_SIDE px on its longest
// side as JPEG (the server's media/ checks and limits apply all the same). Without a canvas, or
// for a file the browser cannot read (HEIC), the original goes as the form would send it.
const MAX_SIDE = 2000;

async function scaled(file) {
  if (!("createImageBitmap" in window)) return file;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file;
  }
  const ratio = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * ratio);
  canvas.height = Math.round(bitmap.height * ratio);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  return blob && blob.size < file.size ? blob : file;
}

const photoForm = document.getElementById("photo-form");
if (photoForm) {
  photoForm.hidden = false;
  const status = document.getElementById("photo-status");
  photoForm.addEventListener("submit", async (event) => {
    const input = photoForm.querySelector("input[type=file]");
    if (!input.files.length) return;
    event.preventDefault();
    const button = photoForm.querySelector("button");
    button.disabled = true;
    status.textContent = photoForm.dataset.busy;
    try {
      const body = new FormData(photoForm);
      body.set("photo", await scaled(input.files[0]), "foto.jpg");
      const response = await fetch(photoForm.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "x-csrf-token": csrfToken() },
      });
      // Success and refusal both answer with the tracking page (a refusal with its reason).
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      if (response.ok && response.redirected) {
        location.assign(response.url);
        return;
      }
      status.textContent = page.querySelector("[role=alert]")?.textContent || photoForm.dataset.error;
    } catch (error) {
      console.warn("photo upload failed:", error);
      status.textContent = photoForm.dataset.error;
    } finally {
      button.disabled = false;
    }
  });
}
