// The dossier page stays current: one server-sent event stream per page (the dossier's
// channel). Chat messages are appended (chat.js); any other change (phase, appointment,
// details, timeline, field work, location) re-reads the page and swaps the regions marked
// data-region, except one the user is typing in.
import { startChat } from "/static/js/chat.js";

const root = document.querySelector("[data-dossier]");
const status = root.querySelector("[data-live-state]");
const CHANGES = ["changed", "transition", "assigned", "appointment", "appointment_cancelled", "geocoded", "bericht"];
let timer = null;

function typingIn(region) {
  const active = document.activeElement;
  return region.contains(active) && active.matches("input:not([type=hidden]), textarea, select");
}

async function refresh() {
  const response = await fetch(location.pathname, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  let kept = false;
  for (const region of root.querySelectorAll("[data-region]")) {
    const next = fresh.querySelector(`[data-region="${region.dataset.region}"]`);
    if (!next) continue;
    if (typingIn(region)) { kept = true; continue; }
    region.replaceWith(document.importNode(next, true));
  }
  const at = new Date().toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit" });
  status.textContent = kept
    ? `Dossier gewijzigd om ${at}; het deel waarin u typt is niet ververst.`
    : `Bijgewerkt om ${at}.`;
}

function schedule() {
  // Several events arrive for one change (a transition is also "changed"): read once.
  clearTimeout(timer);
  timer = setTimeout(() => refresh().catch(() => {}), 150);
}

const source = new EventSource(root.dataset.liveUrl);
source.addEventListener("open", () => { root.dataset.live = "open"; });
source.addEventListener("error", () => { root.dataset.live = "closed"; });
for (const name of CHANGES) source.addEventListener(name, schedule);
startChat(source);
