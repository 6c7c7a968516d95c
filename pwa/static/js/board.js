// The dispatch board: open dossiers by urgency, a map, technicians on duty, and assigning in
// two actions (dossier -> suggested technician or slot -> confirm). Live via server-sent events.
import { getJSON, postJSON } from "/static/js/api.js";
import { roving } from "/static/js/roving.js";
import * as L from "/static/vendor/leaflet/leaflet-src.esm.js";

const root = document.querySelector("[data-board]");
const $ = (sel) => root.querySelector(sel);
const list = $("[data-dossiers]");
const filters = $("[data-filters]");
const state = { dossiers: [], technicians: [], holes: [], selected: null, choice: null };
const time = (iso) => new Date(iso).toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam" });
const km = (value) => Number(value).toLocaleString("nl-NL", { maximumFractionDigits: 1 });
const day = (iso) => new Date(iso).toLocaleString("nl-NL", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam" });

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// --- the map: markers on a plain background unless a tile server is configured ------------
const map = L.map($("[data-map]"), { zoomControl: true }).setView([52.1, 5.2], 8);
if (root.dataset.tileUrl) L.tileLayer(root.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
const layer = L.layerGroup().addTo(map);
// Dossiers without a house-level location sit on a GeoNames postcode centroid (CC BY 4.0).
const pc4Credit = root.dataset.pc4Credit;
let pc4Shown = false;
function creditPostcodes(used) {
  if (used === pc4Shown) return;
  if (used) map.attributionControl.addAttribution(pc4Credit);
  else map.attributionControl.removeAttribution(pc4Credit);
  pc4Shown = used;
}

function drawMap() {
  layer.clearLayers();
  const points = [];
  for (const d of state.dossiers) {
    if (d.latitude === null) continue;
    const colour = d.overdue || d.urgency === "acuut" ? "#b00020" : d.urgency === "urgent" ? "#d97706" : "#4b5563";
    const marker = L.circleMarker([d.latitude, d.longitude], { radius: d.order_number === state.selected ? 10 : 7, color: colour, weight: 2, fillOpacity: .7 });
    marker.bindTooltip(`${d.order_number} · ${d.urgency_label} · ${d.address}`);
    marker.on("click", () => select(d.order_number, true));
    marker.addTo(layer);
    points.push([d.latitude, d.longitude]);
  }
  for (const t of state.technicians) {
    if (t.latitude === null) continue;
    L.circleMarker([t.latitude, t.longitude], { radius: 6, color: "#1a56db", weight: 2, fillOpacity: .3 })
      .bindTooltip(`${t.name} (${t.open_jobs} open, ${t.where})`).addTo(layer);
    points.push([t.latitude, t.longitude]);
  }
  if (points.length) map.fitBounds(points, { padding: [20, 20], maxZoom: 13 });
  creditPostcodes(state.dossiers.some((d) => d.latitude !== null && d.geo_precision !== "adres"));
}

function drawHoles() {
  const holes = state.holes;
  $("[data-holes]").hidden = !holes.length;
  $("[data-hole-list]").replaceChildren(...holes.map((h) => el("li", { textContent: h.text })));
}

// --- the list -----------------------------------------------------------------------------
function drawList() {
  list.replaceChildren(...state.dossiers.map((d) => {
    const row = el("li", { id: `d-${d.order_number}`, role: "option", tabIndex: -1 },
      // The server words it: a countdown, or "ter plaatse" once an acuut deadline is settled.
      el("span", { className: `left${d.overdue ? " overdue" : ""}${d.on_site ? " on-site" : ""}`, textContent: d.deadline_text }),
      el("span", {}, el("strong", { textContent: d.order_number }), ` ${d.address}`, el("br"),
        el("span", { className: "muted", textContent: `${d.client} · ${d.trade_label || "geen vakdiscipline"} · ${d.phase_label}${d.technician ? ` · ${d.technician}` : ""}` }),
        d.absence_clash ? el("span", { className: "clash", role: "note", textContent: d.absence_clash.text }) : null,
        d.call_back ? el("span", { className: "call-back", role: "note", textContent: `Terugbellen${d.contact_phone ? ` ${d.contact_phone}` : ""} (online gemeld)` }) : null),
      el("span", { className: `urgency urgency-${d.urgency || "geen"}`, textContent: d.urgency_label }));
    row.dataset.order = d.order_number;
    row.setAttribute("aria-selected", String(d.order_number === state.selected));
    row.addEventListener("click", () => select(d.order_number, true));
    return row;
  }));
  $("[data-count]").textContent = `(${state.dossiers.length})`;
  if (state.selected) list.setAttribute("aria-activedescendant", `d-${state.selected}`);
}

function drawTechnicians() {
  $("[data-technicians]").replaceChildren(...state.technicians.map((t) =>
    el("li", { textContent: `${t.name} — ${t.trade_labels.join(", ")} — ${t.open_jobs} open — ${t.on_call ? "piket" : "in dienst"} tot ${time(t.on_duty_until)}` })));
  if (!state.technicians.length) $("[data-technicians]").append(el("li", { className: "muted", textContent: "Niemand in dienst." }));
}

async function load() {
  const query = new URLSearchParams(new FormData(filters));
  const data = await getJSON(`/api/v1/board?${query}`);
  state.dossiers = data.dossiers;
  state.technicians = data.technicians;
  state.holes = data.rota_holes;
  drawList(); drawTechnicians(); drawMap(); drawHoles();
}

// --- assigning ----------------------------------------------------------------------------
const error = $("[data-assign-error]");
function showError(message) { error.textContent = message; error.hidden = !message; }

async function select(orderNumber, open) {
  state.selected = orderNumber;
  state.choice = null;
  drawList(); drawMap();
  document.getElementById(`d-${orderNumber}`)?.scrollIntoView({ block: "nearest" });
  if (open) await suggest(orderNumber);
}

// A list of choices (suggestions, slots) is one tab stop (roving.js); Enter or Space
// chooses, and the chosen one stays marked.
function mark(list, chosen) {
  for (const b of list.querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b === chosen));
    b.tabIndex = b === chosen ? 0 : -1;
  }
}

async function suggest(orderNumber) {
  const d = state.dossiers.find((x) => x.order_number === orderNumber);
  $("[data-assign-hint]").hidden = true;
  $("[data-assign-body]").hidden = false;
  $("[data-confirm]").hidden = true;
  $("[data-slots]").hidden = true;
  $("[data-assign-title]").textContent = `${orderNumber} · ${d ? d.address : ""}`;
  showError("");
  const target = $("[data-suggestions]");
  target.replaceChildren(el("li", { className: "muted", textContent: "Suggesties laden…" }));
  try {
    const data = await getJSON(`/api/v1/dossiers/${orderNumber}/suggestions`);
    if (!data.suggestions.length) { target.replaceChildren(el("li", { className: "muted", textContent: "Geen geschikte monteur gevonden." })); return; }
    target.replaceChildren(...data.suggestions.map((s, i) => {
      const button = el("button", { type: "button", className: "choice", textContent: `${i + 1}. ${s.name} — aankomst ${time(s.arrival)}, ${km(s.distance_km)} km, ${s.open_jobs} open${s.makes_deadline ? "" : " (haalt de termijn niet)"}` });
      button.dataset.technician = s.technician_id;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => { mark(target, button); choose(orderNumber, s); });
      return el("li", {}, button,
        el("p", { className: "order-reason", textContent: s.order_reason }),
        el("ul", { className: "reasons" }, ...s.reasons.map((r) => el("li", { textContent: r }))));
    }));
    roving(target);
    target.querySelector("button")?.focus();
  } catch (e) { target.replaceChildren(); showError(e.message); }
}

async function choose(orderNumber, suggestion) {
  state.choice = { orderNumber, technician: suggestion, slot: null };
  confirmText();
  const slots = $("[data-slot-list]");
  slots.replaceChildren();
  try {
    const data = await getJSON(`/api/v1/dossiers/${orderNumber}/slots?technician=${suggestion.technician_id}`);
    slots.replaceChildren(...data.slots.map((slot) => {
      const button = el("button", { type: "button", className: "choice", textContent: `${day(slot.start)} – ${time(slot.end)}` });
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => { mark(slots, button); state.choice.slot = slot; confirmText(); });
      return el("li", {}, button);
    }));
    roving(slots);
    $("[data-slots]").hidden = !data.slots.length;
  } catch (e) { showError(e.message); }
}

function confirmText() {
  const c = state.choice;
  $("[data-confirm]").hidden = false;
  $("[data-confirm-text]").textContent = c.slot
    ? `${c.orderNumber} inplannen bij ${c.technician.name} op ${day(c.slot.start)} – ${time(c.slot.end)}?`
    : `${c.orderNumber} toewijzen aan ${c.technician.name}?`;
  $("[data-confirm-button]").focus();
}

$("[data-confirm-button]").addEventListener("click", async () => {
  const c = state.choice;
  if (!c) return;
  try {
    if (c.slot) await postJSON(`/api/v1/dossiers/${c.orderNumber}/appointment`, { technician_id: c.technician.technician_id, start: c.slot.start, end: c.slot.end });
    else await postJSON(`/api/v1/dossiers/${c.orderNumber}/assign`, { technician_id: c.technician.technician_id });
    $("[data-confirm]").hidden = true;
    $("[data-confirm-text]").textContent = "";
    state.choice = null;
    $("[data-live-state]").textContent = `${c.orderNumber} toegewezen aan ${c.technician.name}.`;
    await load();
    list.focus();
  } catch (e) { showError(e.message); }
});
$("[data-confirm-cancel]").addEventListener("click", () => {
  $("[data-confirm]").hidden = true;
  state.choice = null;
  const list = $("[data-suggestions]");
  const chosen = list.querySelector("button[aria-pressed='true']") || list.querySelector("button");
  mark(list, null);
  if (chosen) chosen.tabIndex = 0;
  chosen?.focus();
});

// Keyboard: arrows move through the list, Enter asks for suggestions.
list.addEventListener("keydown", (event) => {
  const at = state.dossiers.findIndex((d) => d.order_number === state.selected);
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = state.dossiers[Math.max(0, Math.min(state.dossiers.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))];
    if (next) select(next.order_number, false);
  } else if (event.key === "Enter" && state.selected) {
    event.preventDefault();
    suggest(state.selected);
  }
});
list.addEventListener("focus", () => { if (!state.selected && state.dossiers.length) select(state.dossiers[0].order_number, false); });
filters.addEventListener("change", load);
filters.addEventListener("submit", (event) => { event.preventDefault(); load(); });

// --- live ---------------------------------------------------------------------------------
function connect() {
  const source = new EventSource("/meldkamer/live");
  const status = $("[data-live-state]");
  source.addEventListener("open", () => { status.textContent = "Live"; root.dataset.live = "open"; });
  source.addEventListener("error", () => { status.textContent = "Verbinding weg; opnieuw verbinden…"; root.dataset.live = "closed"; });
  for (const name of ["assigned", "appointment", "appointment_cancelled", "transition", "dossier", "created", "duty"]) {
    source.addEventListener(name, () => load().catch(() => {}));
  }
}

load().catch((e) => showError(e.message));
connect();
