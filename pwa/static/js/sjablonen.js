// Message texts: a field button puts "[naam huurder]" where the cursor was in the text.
import { roving } from "./roving.js";

const text = document.querySelector("[data-template-text]");
let caret = text ? { start: text.value.length, end: text.value.length } : null;
// Keep where the cursor was: a click on a button moves the focus away from the text.
text?.addEventListener("blur", () => { caret = { start: text.selectionStart, end: text.selectionEnd }; });

for (const list of document.querySelectorAll("[data-chips]")) {
  roving(list);
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-insert]");
    if (!button || !text) return;
    text.setRangeText(button.dataset.insert, caret.start, caret.end, "end");
    caret = { start: text.selectionStart, end: text.selectionEnd };
    text.focus();
  });
}
