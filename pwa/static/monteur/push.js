// Web Push on this phone ("Meldingen aan/uit"): a subscription made with the service worker's
// pushManager under the server's VAPID key, and registered with the server as this user's.
import { call } from "/static/monteur/api.js";
import { getMeta, setMeta } from "/static/monteur/db.js";

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

// "unsupported", "denied" (blocked in the browser), "on" or "off".
export async function pushState() {
  if (!supported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  const registration = await navigator.serviceWorker.getRegistration("/monteur/");
  const subscription = await registration?.pushManager.getSubscription();
  return subscription && (await getMeta("push_subscription")) ? "on" : "off";
}

function keyBytes(base64url) {
  const text = atob(base64url.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export async function enablePush() {
  if (!supported()) throw new Error("Deze browser kan geen meldingen ontvangen.");
  if ((await Notification.requestPermission()) !== "granted") {
    throw new Error("Meldingen zijn geweigerd; sta ze toe in de instellingen van de browser.");
  }
  const info = await call("/api/v1/me/push-subscriptions");
  if (!info.ok) throw new Error(`Meldingen aanzetten lukte niet (${info.status}).`);
  const { public_key: key } = await info.json();
  const registration = await navigator.serviceWorker.ready;
  let subscription;
  try {
    subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  } catch (error) {
    throw new Error(`Meldingen aanzetten lukte niet: de pushdienst van de browser is niet bereikbaar (${error.message}).`);
  }
  const response = await call("/api/v1/me/push-subscriptions", { method: "POST", json: subscription.toJSON() });
  if (!response.ok) {
    await subscription.unsubscribe();
    const data = await response.json().catch(() => null);
    throw new Error(data?.error?.message || `Meldingen aanzetten lukte niet (${response.status}).`);
  }
  await setMeta("push_subscription", (await response.json()).id);
}

// Off on the server first (so nothing is sent to a phone that asked to stop), then here.
export async function disablePush() {
  const id = await getMeta("push_subscription");
  if (id) {
    const response = await call(`/api/v1/me/push-subscriptions/${id}`, { method: "DELETE" });
    if (!response.ok && response.status !== 404) throw new Error(`Meldingen uitzetten lukte niet (${response.status}).`);
    await setMeta("push_subscription", null);
  }
  const registration = await navigator.serviceWorker?.getRegistration("/monteur/");
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
}
