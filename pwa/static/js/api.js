// Calls to our own JSON API from the desk pages, with the session cookie and the CSRF header.

function csrfToken() {
  const entry = document.cookie.split("; ").find((c) => c.startsWith("meldkamer_csrf="));
  return entry ? decodeURIComponent(entry.slice("meldkamer_csrf=".length)) : "";
}

// The response body as JSON, or an Error carrying the API's Dutch message and field.
async function handle(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: a proxy or a crash page */ }
  if (response.ok) return body;
  const error = new Error(body?.error?.message || `De server antwoordde met ${response.status}.`);
  error.field = body?.error?.field || null;
  error.status = response.status;
  error.body = body;
  throw error;
}

export async function getJSON(url, { signal } = {}) {
  return handle(await fetch(url, { signal, headers: { accept: "application/json" } }));
}

export async function postJSON(url, data, { signal } = {}) {
  const response = await fetch(url, {
    method: "POST",
    signal,
    headers: { accept: "application/json", "content-type": "application/json", "x-csrf-token": csrfToken() },
    body: JSON.stringify(data),
  });
  return handle(response);
}

// True while the user is typing in a field: single keys are text then, not shortcuts.
export const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
