// The dossier chat: new messages appear live (the page's server-sent events, see dossier.js);
// sending stays on the page.
import { postJSON } from "/static/js/api.js";

function time(iso) {
  return new Date(iso).toLocaleString("nl-NL", { weekday: "short", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

// `source`: the dossier's EventSource; chat messages arrive as its "message" events.
export function startChat(source) {
  const list = document.querySelector("ol.chat[data-live]");
  const form = document.querySelector("form.chat-form");
  if (!list) return;

  function show(message) {
    if (list.querySelector(`li[data-id="${message.id}"]`)) return;
    const item = document.createElement("li");
    item.dataset.id = message.id;
    const when = document.createElement("time");
    when.dateTime = message.at;
    when.textContent = time(message.at);
    item.append(when, " ");
    if (message.late) {
      // Written offline in the app: shown at when it was written, and when it arrived.
      const received = document.createElement("small");
      received.className = "received";
      received.textContent = `(ontvangen ${time(message.received_at)})`;
      item.append(received, " ");
    }
    const who = document.createElement("strong");
    who.textContent = message.author;
    const text = document.createElement("span");
    text.className = "pre";
    text.textContent = message.text;
    item.append(who, " ", text);
    list.append(item);
  }

  source.addEventListener("message", (event) => show(JSON.parse(event.data)));
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = form.querySelector("textarea");
    try {
      show(await postJSON(list.dataset.post, { text: field.value }));
      field.value = "";
    } catch (error) {
      field.setCustomValidity(error.message);
      field.reportValidity();
      field.addEventListener("input", () => field.setCustomValidity(""), { once: true });
    }
  });
}
