// Calls to our API with the device's bearer token. A 401 means: log in again; the queue stays.
import { getMeta } from "/static/monteur/db.js";

export class LoginNeeded extends Error {}

export async function call(path, { method = "GET", json, body, headers = {}, cache } = {}) {
  const token = await getMeta("token");
  if (!token) throw new LoginNeeded("Log in om te synchroniseren.");
  // The phone's clock at sending: the server measures how far it is off and corrects the times
  // the operations carry (docs/sync.md).
  const init = {
    method,
    headers: { accept: "application/json", authorization: `Bearer ${token}`, "x-device-time": new Date().toISOString(), ...headers },
  };
  if (cache) init.cache = cache;
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["content-type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(path, init);
  if (response.status === 401) throw new LoginNeeded("Uw sessie is verlopen; log opnieuw in. Uw wijzigingen blijven bewaard.");
  return response;
}

function hasCookie(name) {
  return document.cookie.split("; ").some((c) => c.startsWith(`${name}=`));
}

// The login call carries no bearer token yet; if the site set its CSRF cookie, echo it.
function csrfToken() {
  const entry = document.cookie.split("; ").find((c) => c.startsWith("meldkamer_csrf="));
  return entry ? decodeURIComponent(entry.slice("meldkamer_csrf=".length)) : "";
}

// Came from the website's login (/login sends a technician here): the browser's session becomes
// the app's device session, without asking for the password again. Null when there is none to
// take over (the installed app opened on its own, someone who is not a technician, offline).
// Asked only when the site's login left its handover cookie, so a start without a session
// logs no 401 (a failed request shows in the console whatever the script does with it).
export async function takeOverSession() {
  const csrf = csrfToken();
  if (!csrf || !hasCookie("meldkamer_app")) return null;
  // Tried once: whatever the answer, the next start does not ask again.
  document.cookie = "meldkamer_app=; max-age=0; path=/; samesite=lax";
  try {
    const response = await fetch("/api/v1/auth/device-token", {
      method: "POST",
      headers: { accept: "application/json", "x-csrf-token": csrf },
    });
    const data = response.ok ? await response.json() : null;
    return data?.role === "technician" ? data : null;
  } catch {
    return null;
  }
}

export async function login(username, password) {
  const response = await fetch("/api/v1/auth/token", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrfToken() },
    body: JSON.stringify({ username, password, label: "monteur-app" }),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data?.error?.message || `Inloggen mislukt (${response.status}).`);
  if (data.role !== "technician") throw new Error("Deze app is voor servicemonteurs.");
  return data;
}
