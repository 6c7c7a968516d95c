// Screens of the technician app, built as DOM nodes (never HTML strings with data in them).
import { dateTime, dayKey, dayLabel, time } from "/static/monteur/format.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

const PHASES = {
  doorgezet_naar_monteur: "Doorgezet",
  afspraak_ingepland: "Afspraak ingepland",
  in_uitvoering: "Op locatie",
  afgerond: "Afgerond",
};

export const NOT_FIXED = {
  materiaal_nodig: "Materiaal nodig",
  tweede_monteur_nodig: "Tweede monteur nodig",
  huurder_niet_thuis: "Huurder niet thuis",
  geen_toegang: "Geen toegang tot de ruimte",
  andere_vakdiscipline: "Andere vakdiscipline nodig",
  overig: "Overig",
};

export function loginView(onSubmit, message) {
  const error = h("p", { class: "error", role: "alert", hidden: !message }, message || "");
  const form = h(
    "form",
    { class: "login", onsubmit: (e) => { e.preventDefault(); onSubmit(new FormData(form), error); } },
    h("h1", {}, "Inloggen"),
    error,
    h("label", {}, "Gebruikersnaam ", h("input", { name: "username", autocomplete: "username", required: true })),
    h("label", {}, "Wachtwoord ", h("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
    h("button", { type: "submit" }, "Inloggen"),
  );
  return form;
}

// Afmelden with work still on the phone: send it first, or throw it away knowingly.
export function logoutView(waiting, { sendFirst, discard, back }) {
  const what = waiting === 1 ? "1 wijziging is" : `${waiting} wijzigingen zijn`;
  const line = h("p", { role: "status", "aria-live": "polite" });
  return h("section", { class: "logout" },
    h("h1", {}, "Afmelden"),
    h("p", { class: "error", role: "alert" }, `${what} nog niet verzonden. Als u nu afmeldt, gaan ze verloren.`),
    line,
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => sendFirst(line) }, "Eerst versturen"),
      h("button", { type: "button", class: "secondary", onclick: back }, "Terug"),
      h("button", { type: "button", class: "secondary", onclick: discard }, "Toch afmelden")));
}

// Acuut red, urgent amber, niet urgent neutral: colour says how fast, not that it is a job.
function urgencyBadge(job) {
  return job.urgency_label ? h("span", { class: `badge urgency-${job.urgency || "geen"}` }, job.urgency_label) : null;
}

// What the job is about, once: "Lekkage aan woning · Dakdekker", "Deurbel doet het niet".
function what(job) {
  const subject = job.subject || job.category;
  return job.trade && job.trade !== subject ? `${subject} · ${job.trade}` : subject;
}

// Above the description: what it is about, unless the description says it already (the
// subject of an "overig" report is the start of its description).
function about(job) {
  const subject = job.subject || job.category;
  if ((job.description || "").startsWith(subject)) return job.trade ? `Vakdiscipline: ${job.trade}` : "";
  return what(job);
}

function sortKey(job) {
  return job.appointment_start || job.deadline_at || "9999";
}

export function listView(jobs) {
  if (jobs.length === 0) return h("p", { class: "empty" }, "Geen opdrachten.");
  const sorted = [...jobs].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const groups = new Map();
  for (const job of sorted) {
    const key = dayKey(job.appointment_start) || "zonder";
    if (!groups.has(key)) groups.set(key, { label: dayLabel(job.appointment_start), jobs: [] });
    groups.get(key).jobs.push(job);
  }
  return h(
    "div",
    { class: "jobs" },
    [...groups.values()].map((group) =>
      h(
        "section",
        {},
        h("h2", {}, group.label),
        h("ul", {}, group.jobs.map((job) =>
          h(
            "li",
            { class: `job urgency-${job.urgency || "geen"}` },
            h(
              "a",
              { href: `#/opdracht/${job.order_number}` },
              h("span", { class: "when" }, job.appointment_start ? time(job.appointment_start) : "—"),
              h("span", { class: "what" }, h("strong", {}, job.address.line), " ", job.address.city, h("br"), job.subject || job.category),
              h("span", { class: "meta" },
                urgencyBadge(job),
                job.deadline_at ? h("span", { class: "deadline" }, `Uiterlijk ${dateTime(job.deadline_at)}`) : null,
                h("span", { class: "phase" }, PHASES[job.phase] || job.phase_label),
                job.pending ? h("span", { class: "pending" }, `${job.pending} niet verzonden`) : null,
              ),
            ),
          ),
        )),
      ),
    ),
  );
}

function navigation(job) {
  const a = job.address;
  const place = `${a.line}, ${a.postcode} ${a.city}`;
  if (a.latitude != null && a.longitude != null) {
    return [
      h("a", { class: "button", href: `geo:${a.latitude},${a.longitude}?q=${a.latitude},${a.longitude}(${encodeURIComponent(place)})` }, "Navigeren"),
      h("a", { class: "button secondary", href: `https://www.openstreetmap.org/?mlat=${a.latitude}&mlon=${a.longitude}#map=18/${a.latitude}/${a.longitude}`, rel: "noopener", target: "_blank" }, "Kaart"),
    ];
  }
  return [h("a", { class: "button", href: `geo:0,0?q=${encodeURIComponent(place)}` }, "Navigeren")];
}

// Without an appointment only acuut and urgent work may start (server/domain/lifecycle.py).
const WITHOUT_APPOINTMENT = new Set(["acuut", "urgent"]);

// On the way: the arrival the server worked out and gave the tenant, once it has it.
function travelling(job) {
  if (job.on_the_way?.eta) return h("p", {}, `U bent onderweg. Verwachte aankomst, aan de huurder doorgegeven: ${time(job.on_the_way.eta)}.`);
  return h("p", {}, "U bent onderweg. De aankomsttijd voor de huurder wordt berekend zodra dit verzonden is.");
}

// "Afsluiten" opens the closing screens; before the appointment's day it first asks whether
// he means it (`early`: the question, or null; `asking`: the question is on screen, kept by
// the app so a sync that builds the screen again keeps it there).
function closeButton({ early, asking, ask, unask, startClosing }) {
  if (early && asking) {
    return h("div", { class: "warning", role: "alertdialog", "aria-label": "Afspraak ligt later" },
      h("p", {}, early),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "done", onclick: startClosing }, "Toch afsluiten"),
        h("button", { type: "button", class: "secondary", onclick: unask }, "Terug")));
  }
  return h("button", { type: "button", class: "done", onclick: early ? ask : startClosing }, "Afsluiten");
}

function statusButtons(job, { act, setOff, locating, closing }) {
  if (job.phase === "afspraak_ingepland" || job.phase === "doorgezet_naar_monteur") {
    const mayArrive = job.phase === "afspraak_ingepland" || WITHOUT_APPOINTMENT.has(job.urgency);
    return h("div", { class: "actions" },
      job.travelling || job.on_the_way
        ? travelling(job)
        : h("button", { type: "button", onclick: setOff, disabled: locating }, locating ? "Positie bepalen…" : "Onderweg"),
      mayArrive
        ? h("button", { type: "button", onclick: () => act("arrive", {}) }, "Op locatie")
        : h("p", { class: "muted" }, "Nog geen afspraak: de meldkamer plant die in."));
  }
  if (job.phase === "in_uitvoering") {
    const reason = h("select", { name: "reason" }, Object.entries(NOT_FIXED).map(([v, l]) => h("option", { value: v }, l)));
    const note = h("input", { name: "note", placeholder: "Toelichting" });
    return h("div", { class: "actions" },
      closeButton(closing),
      h("details", {}, h("summary", {}, "Niet opgelost"),
        h("label", {}, "Reden ", reason), note,
        h("button", { type: "button", onclick: () => act("not_fixed", { reason: reason.value, note: note.value }) }, "Niet opgelost: vervolgafspraak vragen")));
  }
  return h("p", { class: "muted" }, PHASES[job.phase] || job.phase_label);
}

function materialRow(options) {
  return h("div", { class: "material" },
    h("input", { name: "material_name", placeholder: "Materiaal", "aria-label": "Materiaal", list: options }),
    h("input", { name: "material_quantity", type: "number", min: "0", step: "any", value: "1", "aria-label": "Aantal" }));
}

// Time spent so far: from his arrival to now (nothing known: empty, he fills it in).
export function minutesSince(iso) {
  if (!iso) return "";
  return String(Math.min(1440, Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000))));
}

function repairForm(job, act) {
  const options = `werkbon-materialen-${job.order_number}`;
  const materials = h("div", { class: "materials" }, materialRow(options));
  const form = h("form", {
    class: "repair",
    onsubmit: (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const names = data.getAll("material_name");
      const quantities = data.getAll("material_quantity");
      const items = names.map((name, i) => ({ name: String(name).trim(), quantity: Number(quantities[i]) })).filter((m) => m.name);
      act("add_repair_log", {
        cause: data.get("cause"),
        work_done: data.get("work_done"),
        materials: items,
        minutes: Number(data.get("minutes") || 0),
        fixed: data.get("fixed") === "ja",
      });
      form.reset();
      form.querySelector("input[name=minutes]").value = minutesSince(job.arrived_at);
    },
  },
    h("h3", {}, "Werkbon tussendoor"),
    h("p", { class: "muted" }, "Bij afsluiten vult u de werkbon van dit bezoek in; wat u hier opslaat, staat daar al klaar."),
    h("label", {}, "Oorzaak ", h("textarea", { name: "cause", rows: "2" })),
    h("label", {}, "Uitgevoerde werkzaamheden ", h("textarea", { name: "work_done", rows: "2", required: true })),
    h("fieldset", {}, h("legend", {}, "Materialen"), materials,
      h("datalist", { id: options }, (job.materials || []).map((name) => h("option", { value: name }))),
      h("button", { type: "button", class: "secondary", onclick: () => materials.append(materialRow(options)) }, "Materiaal toevoegen")),
    h("label", {}, "Bestede tijd (minuten) ", h("input", { name: "minutes", type: "number", min: "0", max: "1440", value: minutesSince(job.arrived_at) })),
    h("fieldset", {}, h("legend", {}, "Storing verholpen?"),
      h("label", {}, h("input", { type: "radio", name: "fixed", value: "ja", checked: true }), " Ja"),
      h("label", {}, h("input", { type: "radio", name: "fixed", value: "nee" }), " Nee")),
    h("button", { type: "submit" }, "Werkbon opslaan"));
  return form;
}

export function detailView(job, { act, addPhotos, photoUrl, sendChat, setOff, locating, closing }) {
  const chatText = h("textarea", { name: "text", rows: "2", "aria-label": "Bericht" });
  return h("article", { class: "detail", dataset: { job: job.order_number } },
    h("p", {}, h("a", { href: "#/" }, "← Opdrachten")),
    h("h1", {}, job.address.line, h("small", {}, ` ${job.address.postcode} ${job.address.city}`)),
    h("p", { class: "meta" }, job.order_number, " · ", PHASES[job.phase] || job.phase_label,
      job.urgency_label ? [" · ", urgencyBadge(job)] : null,
      job.appointment_start ? ` · Afspraak ${dateTime(job.appointment_start)}` : "",
      job.deadline_at ? ` · Uiterlijk ${dateTime(job.deadline_at)}` : ""),
    h("div", { class: "actions" }, navigation(job),
      job.contact.phone ? h("a", { class: "button secondary", href: `tel:${job.contact.phone}` }, `Bel ${job.contact.name}`) : null),
    h("section", {}, h("h2", {}, "Melding"), about(job) ? h("p", {}, about(job)) : null,
      h("p", { class: "pre" }, job.description), job.triage.outcome ? h("p", {}, "Triage: ", job.triage.outcome) : null),
    h("section", { class: "status" }, h("h2", {}, "Status"), statusButtons(job, { act, setOff, locating, closing })),
    h("section", {}, job.phase === "in_uitvoering" ? repairForm(job, act) : null,
      job.repair_logs.length ? [h("h3", {}, "Werkbonnen"), h("ul", { class: "logs" }, job.repair_logs.map((r) =>
        h("li", {}, dateTime(r.at), ` · ${r.minutes} min`, r.signed ? " · getekend door de huurder" : "",
          r.pending ? " (niet verzonden)" : "", h("br"), r.work_done,
          r.materials?.length ? h("br") : null, (r.materials || []).map((m) => `${m.quantity} × ${m.name}`).join(", "))))] : null),
    h("section", {}, h("h2", {}, "Foto's"),
      h("label", { class: "button" }, "Foto maken of kiezen",
        h("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, class: "sr", onchange: (e) => addPhotos([...e.target.files]) })),
      h("ul", { class: "photos" }, job.photos.map((p) => {
        const img = h("img", { alt: p.caption || "Foto", "data-client-id": p.client_id });
        photoUrl(p).then((url) => { if (url) img.src = url; });
        return h("li", {}, img, p.pending ? h("small", {}, "niet verzonden") : null);
      }))),
    h("section", { id: "chat" }, h("h2", {}, "Chat"),
      h("ol", { class: "chat" }, job.messages.map((m) =>
        h("li", { class: m.pending ? "pending" : "" }, h("strong", {}, m.author), ` ${dateTime(m.at)}`,
          // Written offline and sent later: when it was written, and when the others got it.
          m.late ? h("small", { class: "received" }, ` (ontvangen ${dateTime(m.received_at)})`) : null,
          h("br"), m.text))),
      h("form", { onsubmit: (e) => { e.preventDefault(); if (chatText.value.trim()) sendChat(chatText.value.trim()); chatText.value = ""; } },
        chatText, h("button", { type: "submit" }, "Versturen"))),
    job.history.length ? h("section", {}, h("h2", {}, "Eerdere bezoeken op dit adres"),
      h("ul", {}, job.history.map((v) => h("li", {}, `${dateTime(v.at)} · ${v.category}`, v.result ? ` · ${v.result}` : "",
        v.repair_logs.map((r) => [h("br"), r.work_done]),
        v.photos.length ? h("span", {}, ` · ${v.photos.length} foto's`) : null)))) : null,
  );
}
