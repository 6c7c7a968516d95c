// The screen pop: the call offered to this agent, shown at the top of every desk tab before he
// speaks (client, greeting, the caller recognised, whom to transfer to).
//
// One tab per browser holds the agent's event stream (a Web Lock) and passes what it hears to
// the others (BroadcastChannel), so ten desk tabs cost one connection, not ten; when that tab
// closes or navigates, another takes the lock over and every tab re-reads the current call.
// Without those APIs each tab listens itself. The pop's content is rendered by the server
// (/contacten/<id>/pop); this file only fetches and places it.

const region = document.querySelector("[data-screen-pop]");
const FINISHED = new Set(["afgerond", "gemist"]);
const relay = "BroadcastChannel" in window ? new BroadcastChannel("meldkamer-gesprek") : null;
let pending = null;

function hide(id) {
  if (id && region.dataset.contact && region.dataset.contact !== String(id)) return;
  region.hidden = true;
  region.replaceChildren();
  delete region.dataset.contact;
  document.dispatchEvent(new CustomEvent("meldkamer:gesprek", { detail: null }));
}

async function place(url, id) {
  pending?.abort();
  pending = new AbortController();
  let response;
  let text;
  // A newer call to place() aborts this one, also while its body is still being read.
  try {
    response = await fetch(url, {
      signal: pending.signal,
      headers: { accept: "text/html", "x-pop-page": location.pathname + location.search },
    });
    if (response.status === 204 || response.status === 404) { hide(id); return; }
    if (!response.ok) return;
    text = await response.text();
  } catch {
    return;
  }
  const fragment = new DOMParser().parseFromString(text, "text/html");
  const pop = fragment.querySelector("[data-pop]");
  if (!pop) return;
  region.replaceChildren(document.importNode(pop, true));
  region.dataset.contact = pop.dataset.contact;
  region.hidden = false;
  document.dispatchEvent(new CustomEvent("meldkamer:gesprek", { detail: { ...pop.dataset } }));
}

const current = () => place("/contacten/actief", null);

function handle(message) {
  if (message.type === "refresh") { current(); return; }
  if (message.type === "contact_gone") { hide(message.contact_id); return; }
  if (message.type !== "contact") return;
  if (FINISHED.has(message.state)) hide(message.contact_id);
  else place(`/contacten/${message.contact_id}/pop`, message.contact_id);
}

function listen(onOpen) {
  const source = new EventSource(region.dataset.liveUrl);
  const pass = (type) => (event) => {
    const message = { type, ...JSON.parse(event.data) };
    relay?.postMessage(message);
    handle(message);
  };
  source.addEventListener("contact", pass("contact"));
  source.addEventListener("contact_gone", pass("contact_gone"));
  // On every (re)connection: what happened while nobody listened is in the current state.
  source.addEventListener("open", () => { region.dataset.live = "open"; onOpen(); });
  source.addEventListener("error", () => { region.dataset.live = "closed"; });
}

// A page's intake form that has no contact yet takes the call that pops up (intake.js-free:
// the hidden field and its note are in dossiers/new.html).
document.addEventListener("meldkamer:gesprek", (event) => {
  const form = document.querySelector("form[data-intake]");
  const field = form?.querySelector("[data-intake-contact]");
  if (!field || !event.detail || field.value) return;
  field.value = event.detail.contact;
  const note = form.querySelector("[data-intake-contact-note]");
  if (note) { note.textContent = "Het dossier komt bij het gesprek hierboven."; note.hidden = false; }
  const client = form.elements.namedItem("client");
  if (client && !client.value && event.detail.client) {
    client.value = event.detail.client;
    client.dispatchEvent(new Event("change", { bubbles: true }));
  }
  const phone = form.elements.namedItem("contact_phone");
  if (phone && !phone.value && event.detail.caller?.startsWith("+")) phone.value = event.detail.caller;
  const name = form.elements.namedItem("contact_name");
  if (name && !name.value && event.detail.callerName) name.value = event.detail.callerName;
});

if (region) {
  if (relay && navigator.locks) {
    relay.addEventListener("message", (event) => handle(event.data));
    region.dataset.live = "relay";
    // Held until this page goes away; then the next tab waiting for it listens instead.
    navigator.locks.request("meldkamer-gesprek", () => new Promise(() => {
      listen(() => { relay.postMessage({ type: "refresh" }); current(); });
    }));
  } else {
    listen(current);
  }
  current();
}
