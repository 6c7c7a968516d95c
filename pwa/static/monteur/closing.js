// Closing a job, in four screens: the result, the werkbon, the tenant's signature, and a
// summary to confirm. Only "Bevestigen" queues the operation (result, werkbon and signature
// in one), so two stray taps never close a job. The state lives in an object the app keeps per
// job, so a sync that builds the screen again loses nothing that was typed or drawn.
import { dayKey, fromLocal, laterDay, time } from "/static/monteur/format.js";
import { signaturePad, signaturePng } from "/static/monteur/signature.js";
import { h } from "/static/monteur/views.js";

// What he may close with on site (server/domain/lifecycle.py FIELD_RESULTS), as the desk
// reads them (RESULT_LABELS).
export const RESULTS = {
  verholpen: "Storing verholpen",
  tijdelijk_verholpen: "Tijdelijk verholpen, vervolg nodig",
  niet_verholpen: "Niet verholpen",
  geen_storing: "Geen storing gevonden",
  rekening_huurder: "Uitgevoerd op rekening huurder",
};

const STEPS = ["resultaat", "werkbon", "handtekening", "controle"];
const TITLES = {
  resultaat: "Resultaat",
  werkbon: "Werkbon",
  handtekening: "Handtekening huurder",
  controle: "Controleren en bevestigen",
};

function minutesBetween(state) {
  const from = fromLocal(state.day, state.arrived);
  let to = fromLocal(state.day, state.finished);
  if (to < from) to = new Date(to.getTime() + 86400000); // worked past midnight
  return Math.round((to - from) / 60000);
}

// A new closing of `job`: arrival from the job (or now), finished now, time in between, and
// what a werkbon written earlier in this visit already says.
export function startClosing(job) {
  const now = new Date().toISOString();
  const arrived = job.arrived_at || now;
  const since = job.arrived_at ? new Date(job.arrived_at) : null;
  const earlier = job.repair_logs.filter((r) => !since || new Date(r.at) >= since).at(-1);
  const state = {
    job: job.order_number,
    step: "resultaat",
    result: null,
    cause: earlier?.cause || "",
    work_done: earlier?.work_done || "",
    materials: (earlier?.materials || []).map((m) => ({ name: m.name, quantity: String(m.quantity) })),
    day: dayKey(arrived),
    arrived: time(arrived),
    finished: time(now),
    minutes: "",
    minutesEdited: false,
    strokes: [],
    signed_by: job.contact?.name || "",
    error: "",
  };
  if (state.materials.length === 0) state.materials.push({ name: "", quantity: "1" });
  state.minutes = String(minutesBetween(state));
  return state;
}

// The werkbon as the server takes it (server/fieldwork/field_input.py close_fields).
export function payload(state) {
  const arrived = fromLocal(state.day, state.arrived);
  let finished = fromLocal(state.day, state.finished);
  if (finished < arrived) finished = new Date(finished.getTime() + 86400000);
  return {
    result_code: state.result,
    werkbon: {
      cause: state.cause.trim(),
      work_done: state.work_done.trim(),
      materials: state.materials
        .filter((m) => m.name.trim())
        .map((m) => ({ name: m.name.trim(), quantity: Number(m.quantity) })),
      minutes: Number(state.minutes),
      arrived_at: arrived.toISOString(),
      finished_at: finished.toISOString(),
      signature: state.strokes.length ? signaturePng(state.strokes) : null,
      signed_by: state.strokes.length ? state.signed_by.trim() : "",
    },
  };
}

function problem(state) {
  if (state.step === "resultaat" && !state.result) return "Kies het resultaat van het bezoek.";
  if (state.step === "werkbon") {
    if (!state.cause.trim() && !state.work_done.trim()) return "Vul de oorzaak of de uitgevoerde werkzaamheden in.";
    const minutes = Number(state.minutes);
    if (state.minutes === "" || !Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
      return "Bestede tijd moet 0 tot 1440 minuten zijn.";
    }
    const bad = state.materials.find((m) => m.name.trim() && !(Number(m.quantity) > 0));
    if (bad) return `Aantal van '${bad.name.trim()}' moet groter dan 0 zijn.`;
  }
  return "";
}

function field(label, input) {
  return h("label", {}, `${label} `, input);
}

// Inputs write into the state as he types; the screen is only built again on a step change.
function bound(state, key, attrs, tag = "input") {
  const input = h(tag, { ...attrs, name: key }, tag === "textarea" ? state[key] : null);
  if (tag !== "textarea") input.value = state[key];
  input.addEventListener("input", () => {
    state[key] = input.value;
  });
  return input;
}

function resultStep(state) {
  return h("fieldset", { class: "results" }, h("legend", {}, "Wat is het resultaat van het bezoek?"),
    Object.entries(RESULTS).map(([code, label]) => {
      const radio = h("input", { type: "radio", name: "result", value: code, checked: state.result === code });
      radio.addEventListener("change", () => {
        state.result = code;
      });
      return h("label", { class: "choice" }, radio, ` ${label}`);
    }));
}

function materialRow(item, options) {
  const name = h("input", { name: "material_name", placeholder: "Materiaal", "aria-label": "Materiaal", list: options });
  name.value = item.name;
  name.addEventListener("input", () => {
    item.name = name.value;
  });
  const quantity = h("input", { name: "material_quantity", type: "number", min: "0", step: "any", "aria-label": "Aantal" });
  quantity.value = item.quantity;
  quantity.addEventListener("input", () => {
    item.quantity = quantity.value;
  });
  return h("div", { class: "material" }, name, quantity);
}

function werkbonStep(state, job) {
  const options = `materialen-${job.order_number}`;
  const rows = h("div", { class: "materials" }, state.materials.map((m) => materialRow(m, options)));
  const minutes = bound(state, "minutes", { type: "number", min: "0", max: "1440", inputmode: "numeric" });
  minutes.addEventListener("input", () => {
    state.minutesEdited = true;
  });
  // The time follows arrival and finish until he types one himself.
  const recount = () => {
    if (!state.minutesEdited && state.arrived && state.finished) {
      state.minutes = String(minutesBetween(state));
      minutes.value = state.minutes;
    }
  };
  const arrived = bound(state, "arrived", { type: "time", required: true });
  const finished = bound(state, "finished", { type: "time", required: true });
  arrived.addEventListener("input", recount);
  finished.addEventListener("input", recount);
  return h("div", {},
    field("Oorzaak", bound(state, "cause", { rows: "2" }, "textarea")),
    field("Uitgevoerde werkzaamheden", bound(state, "work_done", { rows: "3" }, "textarea")),
    h("fieldset", {}, h("legend", {}, "Materialen"), rows,
      h("datalist", { id: options }, (job.materials || []).map((name) => h("option", { value: name }))),
      h("button", {
        type: "button",
        class: "secondary",
        onclick: () => {
          const item = { name: "", quantity: "1" };
          state.materials.push(item);
          rows.append(materialRow(item, options));
        },
      }, "Materiaal toevoegen")),
    h("div", { class: "times" }, field("Aankomst", arrived), field("Gereed", finished)),
    field("Bestede tijd (minuten)", minutes));
}

function signatureStep(state, redraw) {
  const pad = signaturePad(state.strokes, redraw);
  return h("div", {},
    h("p", {}, "Laat de huurder hieronder tekenen voor akkoord. Tekent de huurder niet, of is niemand thuis, ga dan verder zonder handtekening."),
    pad,
    h("button", {
      type: "button",
      class: "secondary",
      onclick: () => {
        state.strokes.splice(0);
        redraw();
      },
    }, "Opnieuw tekenen"),
    field("Naam huurder", bound(state, "signed_by", { autocomplete: "off" })));
}

function summary(state) {
  const werkbon = payload(state).werkbon;
  const row = (label, value) => [h("dt", {}, label), h("dd", {}, value || "—")];
  return h("div", {},
    h("dl", { class: "summary" },
      row("Resultaat", RESULTS[state.result]),
      row("Oorzaak", werkbon.cause),
      row("Uitgevoerd", werkbon.work_done),
      row("Materialen", werkbon.materials.map((m) => `${m.quantity} × ${m.name}`).join(", ")),
      row("Tijd", `${state.arrived}–${state.finished}, ${werkbon.minutes} min`),
      row("Handtekening", werkbon.signature
        ? h("span", {}, h("img", { src: werkbon.signature, alt: "Handtekening huurder", class: "signature-preview" }),
          werkbon.signed_by ? h("br") : null, werkbon.signed_by)
        : "Niet getekend")),
    h("p", { class: "muted" }, "Na bevestigen is de opdracht afgerond; zonder verbinding wordt alles verstuurd zodra er weer verbinding is."));
}

// The screen of the current step. `go(step)` moves, `confirm()` queues the close, `cancel()`
// goes back to the job; `redraw()` builds this screen again (after a stroke, for the button).
export function closingView(job, state, { go, confirm, cancel, redraw }) {
  const index = STEPS.indexOf(state.step);
  const error = h("p", { class: "error", role: "alert", hidden: !state.error }, state.error);
  const next = () => {
    state.error = problem(state);
    if (state.error) {
      error.textContent = state.error;
      error.hidden = false;
      return;
    }
    go(STEPS[index + 1]);
  };
  const body = {
    resultaat: () => resultStep(state),
    werkbon: () => werkbonStep(state, job),
    handtekening: () => signatureStep(state, redraw),
    controle: () => summary(state),
  }[state.step]();
  const forward = state.step === "controle"
    ? h("button", { type: "button", class: "done", onclick: confirm }, "Bevestigen")
    : h("button", { type: "button", onclick: next },
      state.step === "handtekening" && state.strokes.length === 0 ? "Verder zonder handtekening" : "Volgende");
  return h("section", { class: "closing", dataset: { job: job.order_number, step: state.step } },
    h("p", {}, h("a", { href: `#/opdracht/${job.order_number}` }, "← Terug naar de opdracht")),
    h("h1", {}, "Afsluiten", h("small", {}, ` ${job.address.line}`)),
    h("p", { class: "muted" }, `Stap ${index + 1} van ${STEPS.length}: ${TITLES[state.step]}`),
    h("h2", {}, TITLES[state.step]),
    error,
    body,
    h("div", { class: "actions" },
      index > 0 ? h("button", { type: "button", class: "secondary", onclick: () => go(STEPS[index - 1]) }, "Vorige") : null,
      forward,
      h("button", { type: "button", class: "secondary", onclick: cancel }, "Annuleren")));
}

// "De afspraak is pas morgen om 08:00 — toch afsluiten?": closing before the appointment's
// day is most likely a mistake (the job of tomorrow opened tonight).
export function tooEarly(job) {
  if (!job.appointment_start) return null;
  if (dayKey(job.appointment_start) <= dayKey(new Date().toISOString())) return null;
  return `De afspraak is pas ${laterDay(job.appointment_start)} — toch afsluiten?`;
}
