// Guided triage during a call: subject, then question by question, then the outcome to read back.
//
// Works on any element with [data-triage] inside a form. It asks the JSON API
// (POST /api/v1/triage/evaluate) after every answer and writes the finished triage into hidden
// inputs (triage_subject, triage_answers, triage_at) that the form posts. Keys, when not typing
// in a field: 1..9 choose an answer, Backspace goes back one question.

import { getJSON, postJSON, typing } from "./api.js";

const WHEN = { timeZone: "Europe/Amsterdam", weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

function pairs(raw) {
  try {
    const value = JSON.parse(raw || "{}");
    return value && typeof value === "object" ? Object.entries(value).map(([q, v]) => [q, String(v)]) : [];
  } catch {
    return [];
  }
}

let counter = 0;

class Triage {
  constructor(root) {
    this.root = root;
    this.form = root.closest("form");
    this.mode = root.dataset.mode || "intake";
    this.clientField = root.dataset.clientField ? this.form?.elements.namedItem(root.dataset.clientField) : null;
    this.client = root.dataset.client || this.clientField?.value || "";
    this.address = root.dataset.address ? Number(root.dataset.address) : null;
    this.subject = root.dataset.subject || "";
    this.answers = pairs(root.dataset.answers);
    this.subjects = [];
    this.result = null;
    this.pending = null;
    this.warned = false;
    this.submit = this.form?.querySelector("[data-triage-submit]") || null;
    this.build();
    this.bind();
    this.loading = this.load();
    this.loading.then(() => { if (this.subject) this.evaluate(false); });
  }

  build() {
    this.root.querySelectorAll("[data-fallback]").forEach((node) => node.remove());
    const id = `triage-${++counter}`;
    this.version = el("p", { class: "muted triage-version", "aria-live": "polite" });
    this.filter = el("input", {
      id: `${id}-filter`, type: "search", autocomplete: "off", class: "triage-filter",
      placeholder: "Typ om te zoeken, Enter kiest", "aria-controls": `${id}-subjects`,
    });
    this.list = el("ol", { id: `${id}-subjects`, class: "triage-subjects" });
    this.chooser = el("div", { class: "triage-chooser" },
      el("label", { for: `${id}-filter`, text: "Onderwerp" }), this.filter, this.list);
    this.chosen = el("div", { class: "triage-chosen", hidden: true });
    this.path = el("ol", { class: "triage-path", "aria-label": "Gegeven antwoorden" });
    this.stage = el("div", { class: "triage-stage", tabindex: "-1", "aria-live": "polite" });
    this.error = el("p", { class: "error", role: "alert", hidden: true });
    this.inputs = Object.fromEntries(["subject", "answers", "at"].map((name) => [name, el("input", { type: "hidden", name: `triage_${name}` })]));
    this.root.append(this.version, this.chooser, this.chosen, this.path, this.error, this.stage, ...Object.values(this.inputs));
  }

  bind() {
    this.filter.addEventListener("input", () => this.renderSubjects());
    this.filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        // A quick typist may press Enter before the client's protocol has arrived: choose then.
        const pick = () => {
          const first = this.list.querySelector("button");
          if (first) this.choose(first.dataset.subject);
        };
        if (this.loading) this.loading.then(pick); else pick();
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        this.list.querySelector("button")?.focus();
      }
    });
    this.list.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      event.preventDefault();
      const buttons = [...this.list.querySelectorAll("button")];
      const at = buttons.indexOf(document.activeElement) + (event.key === "ArrowDown" ? 1 : -1);
      if (at < 0) this.filter.focus(); else buttons[Math.min(at, buttons.length - 1)]?.focus();
    });
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button || !this.root.contains(button)) return;
      if (button.dataset.subject) this.choose(button.dataset.subject);
      else if (button.dataset.value !== undefined) this.answer(button.dataset.value);
      else if (button.dataset.backTo) this.backTo(button.dataset.backTo);
      else if (button.dataset.action === "back") this.back();
      else if (button.dataset.action === "subject") this.reset(true);
    });
    document.addEventListener("keydown", (event) => this.key(event));
    const clientChanged = () => {
      if (this.clientField.value === this.client) return;
      this.client = this.clientField.value;
      this.reset(false);
      this.loading = this.load();
    };
    this.clientField?.addEventListener("input", clientChanged);
    this.clientField?.addEventListener("change", clientChanged);
    this.form?.addEventListener("submit", (event) => this.guard(event));
  }

  key(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || !this.subject) return;
    const active = document.activeElement;
    if (typing(active)) return;
    if (active && active !== document.body && active !== this.submit && !this.root.contains(active)) return;
    const question = this.result?.next_question;
    if (/^[1-9]$/.test(event.key) && question) {
      const option = question.options[Number(event.key) - 1];
      if (option) { event.preventDefault(); this.answer(option.value); }
    } else if (event.key === "Backspace") {
      event.preventDefault();
      this.back();
    }
  }

  // An unfinished triage is easy to miss: the first submit warns, the second goes through.
  guard(event) {
    if (this.mode !== "intake" || !this.subject || this.result?.complete || this.warned) return;
    event.preventDefault();
    this.warned = true;
    this.showError("De triage is nog niet af. Beantwoord de vragen, of verstuur nogmaals om het dossier zonder triage aan te maken.");
    this.stage.focus();
  }

  async load() {
    this.subjects = [];
    if (!this.client) {
      this.version.textContent = "Kies eerst de opdrachtgever; dan volgt het protocol.";
      this.renderSubjects();
      return;
    }
    try {
      const protocol = await getJSON(`/api/v1/protocols/${encodeURIComponent(this.client)}`);
      this.subjects = Object.entries(protocol.protocol.subjects).map(([id, s]) => ({ id, label: s.label, help: s.help || "" }));
      this.version.textContent = `Protocol ${protocol.client}, versie ${protocol.version}`;
      this.hideError();
    } catch (error) {
      this.showError(`Het protocol laden lukte niet: ${error.message}`);
    }
    this.renderSubjects();
  }

  renderSubjects() {
    const words = this.filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = this.subjects.filter((s) => words.every((w) => `${s.label} ${s.id}`.toLowerCase().includes(w)));
    this.list.replaceChildren(...shown.map((s) => el("li", {}, el("button", { type: "button", class: "choice", "data-subject": s.id, title: s.help || null, text: s.label }))));
    if (this.client && !shown.length) this.list.append(el("li", { class: "muted", text: "Geen onderwerp gevonden." }));
    this.chooser.hidden = Boolean(this.subject);
  }

  choose(subject) {
    this.subject = subject;
    this.answers = [];
    this.warned = false;
    const category = this.form?.elements.namedItem("category");
    if (category?.options && [...category.options].some((o) => o.value === subject)) category.value = subject;
    this.evaluate(true);
  }

  answer(value) {
    const question = this.result?.next_question;
    if (!question) return;
    this.answers.push([question.id, value]);
    this.evaluate(true);
  }

  back() {
    if (this.answers.length) {
      this.answers.pop();
      this.evaluate(true);
    } else {
      this.reset(true);
    }
  }

  backTo(questionId) {
    const at = this.answers.findIndex(([q]) => q === questionId);
    if (at >= 0) { this.answers = this.answers.slice(0, at); this.evaluate(true); }
  }

  reset(focus) {
    this.subject = "";
    this.answers = [];
    this.result = null;
    this.filter.value = "";
    this.render();
    this.renderSubjects();
    if (focus) this.filter.focus();
  }

  async evaluate(focus) {
    this.pending?.abort();
    this.pending = new AbortController();
    const body = { client: this.client, subject: this.subject, answers: Object.fromEntries(this.answers) };
    if (this.address) body.address = this.address;
    this.root.setAttribute("aria-busy", "true");
    try {
      this.result = await postJSON("/api/v1/triage/evaluate", body, { signal: this.pending.signal });
      // Only the answers on the path count, in the order they were asked.
      this.answers = this.result.path.filter((s) => s.kind === "answer").map((s) => [s.question_id, s.answer_value]);
      this.hideError();
    } catch (error) {
      if (error.name === "AbortError") return;
      this.showError(error.message);
      if (error.field === "subject") { this.reset(true); return; }
      const wrong = error.field?.startsWith("answers.") ? error.field.slice(8) : null;
      if (wrong) { this.backTo(wrong); return; }
    } finally {
      this.root.removeAttribute("aria-busy");
    }
    this.render();
    if (focus) this.focus();
  }

  focus() {
    if (this.result?.complete && this.submit) this.submit.focus();
    else this.stage.focus();
  }

  render() {
    const result = this.subject ? this.result : null;
    const subject = this.subjects.find((s) => s.id === this.subject);
    this.chosen.hidden = !this.subject;
    this.chosen.replaceChildren(
      el("span", { text: "Onderwerp: " }), el("strong", { text: subject?.label || this.subject }), " ",
      el("button", { type: "button", class: "secondary", "data-action": "subject", text: "Ander onderwerp" }),
    );
    this.chooser.hidden = Boolean(this.subject);
    this.path.replaceChildren(...(result?.path || []).map((step) => this.step(step)));
    const stage = result?.next_question ? this.question(result) : result?.outcome ? this.outcome(result) : [];
    this.stage.replaceChildren(...stage.filter(Boolean));
    const done = Boolean(result?.complete);
    this.inputs.subject.value = done ? this.subject : "";
    this.inputs.answers.value = done ? JSON.stringify(Object.fromEntries(this.answers)) : "";
    this.inputs.at.value = done ? result.at : "";
    if (this.submit) this.submit.hidden = !done;
    this.root.classList.toggle("triage-done", done);
  }

  step(step) {
    if (step.kind === "condition") return el("li", { class: "triage-condition", text: step.explanation });
    return el("li", {}, el("button", { type: "button", class: "triage-step", "data-back-to": step.question_id, title: "Dit antwoord wijzigen" },
      el("span", { text: step.question_text }), " ", el("strong", { text: step.answer_label })));
  }

  question(result) {
    const q = result.next_question;
    const number = this.answers.length + 1;
    return [
      el("p", { class: "triage-label", text: `Vraag ${number} · lees voor` }),
      el("p", { class: "script", text: q.text }),
      q.help ? el("p", { class: "help", text: q.help }) : null,
      el("ol", { class: "triage-options" }, ...q.options.map((o, i) => el("li", {},
        el("button", { type: "button", class: "choice", "data-value": o.value }, i < 9 ? el("kbd", { text: String(i + 1) }) : null, " ", o.label)))),
      el("button", { type: "button", class: "secondary", "data-action": "back" }, "Terug ", el("kbd", { text: "⌫" })),
    ];
  }

  outcome(result) {
    const o = result.outcome;
    const facts = [
      ["Actie", o.action_label],
      ["Uiterlijk", result.deadline ? new Date(result.deadline).toLocaleString("nl-NL", WHEN) : null],
      ["Vakdiscipline", o.trade_label || o.trade],
      ["Ordersoort", o.order_type_label || o.order_type],
      ["Verwachte arbeidstijd", o.labour_minutes ? `${o.labour_minutes} minuten` : null],
    ].filter(([, value]) => value);
    return [
      el("p", { class: "triage-label", text: "Uitkomst" }),
      el("h2", { class: "triage-outcome" }, el("span", { class: `urgency urgency-${o.urgency}`, text: o.urgency_label }), " ", o.label),
      o.inform_client ? el("p", { class: "notice", text: result.habitability_in_danger
        ? "Bewoonbaarheid in gevaar: de opdrachtgever wordt direct geïnformeerd."
        : "De opdrachtgever wordt direct geïnformeerd." }) : null,
      el("dl", {}, ...facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })])),
      el("p", { class: "triage-label", text: "Voorlezen aan de melder" }),
      el("p", { class: "script", text: result.read_back }),
      el("p", { class: "muted" }, el("strong", { text: "Omschrijving: " }), result.description),
      ...result.notes.map((note) => el("p", { class: "muted", text: note })),
      el("button", { type: "button", class: "secondary", "data-action": "back" }, "Terug ", el("kbd", { text: "⌫" })),
    ];
  }

  showError(message) { this.error.textContent = message; this.error.hidden = false; }
  hideError() { this.error.hidden = true; this.error.textContent = ""; }
}

document.querySelectorAll("[data-triage]").forEach((root) => new Triage(root));
