// Live checking of a protocol being edited: problems with their line, and the change against the
// current version, while typing. The server checks again when publishing; this only helps.

import { postJSON } from "./api.js";

const DELAY_MS = 400;

function lineStart(text, line) {
  let at = 0;
  for (let n = 1; n < line && at >= 0; n++) at = text.indexOf("\n", at) + 1 || -1;
  return Math.max(at, 0);
}

function editor(form) {
  const text = form.elements.namedItem("text");
  const problems = form.querySelector("[data-problems]");
  const diffBox = form.querySelector("[data-diff-box]");
  const publish = form.querySelector("[data-publish]");
  const fileBox = form.querySelector("[data-file]");
  const fileInput = form.querySelector("[data-file-input]");
  let timer = null;
  let sequence = 0;

  function jump(line) {
    const start = lineStart(text.value, line);
    const end = text.value.indexOf("\n", start);
    text.focus();
    text.setSelectionRange(start, end < 0 ? text.value.length : end);
    const height = parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, (line - 5) * height);
  }

  function showProblems(list) {
    if (!list.length) {
      problems.replaceChildren(Object.assign(document.createElement("p"), { className: "ok", textContent: "Geen problemen gevonden." }));
      return;
    }
    const summary = Object.assign(document.createElement("p"), {
      className: "error",
      textContent: `${list.length} ${list.length === 1 ? "probleem" : "problemen"}; zo kan het niet gepubliceerd worden.`,
    });
    const items = document.createElement("ol");
    items.className = "problems";
    for (const p of list) {
      const li = document.createElement("li");
      const where = [p.line ? `regel ${p.line}` : null, p.path || null].filter(Boolean).join(", ");
      if (p.line) {
        const button = Object.assign(document.createElement("button"), { type: "button", textContent: where, title: "Naar deze regel" });
        button.addEventListener("click", () => jump(p.line));
        li.append(button, `: ${p.message}`);
      } else {
        li.textContent = where ? `${where}: ${p.message}` : p.message;
      }
      items.append(li);
    }
    problems.replaceChildren(summary, items);
  }

  function showDiff(diff) {
    if (!diff) {
      diffBox.replaceChildren(Object.assign(document.createElement("p"), { className: "muted", textContent: "Geen wijzigingen." }));
      return;
    }
    const pre = document.createElement("pre");
    pre.className = "diff";
    for (const line of diff.replace(/\n$/, "").split("\n")) {
      const kind = /^(\+\+\+|---)/.test(line) ? "file" : line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "same";
      pre.append(Object.assign(document.createElement("span"), { className: kind, textContent: line }));
    }
    diffBox.replaceChildren(pre);
  }

  async function check() {
    const mine = ++sequence;
    try {
      const result = await postJSON(form.dataset.checkUrl, { text: text.value });
      if (mine !== sequence) return;
      showProblems(result.problems);
      showDiff(result.diff);
      publish.hidden = !(result.ok && result.diff);
    } catch (error) {
      if (mine === sequence) problems.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: `Controleren lukte niet: ${error.message}` }));
    }
  }

  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, DELAY_MS);
  });
  if (fileBox && fileInput) {
    fileBox.hidden = false;
    fileInput.addEventListener("change", async () => {
      const file = fileInput.files[0];
      if (!file) return;
      text.value = await file.text();
      check();
    });
  }
  check();
}

document.querySelectorAll("form[data-protocol-editor]").forEach(editor);
