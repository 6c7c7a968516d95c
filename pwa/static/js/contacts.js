// Registering a contact: the chosen client's result codes, and the cursor on the first field
// still empty, so a contact is registered in a few keystrokes (Ctrl+Enter sends, desk.js).

function register(form) {
  const codes = JSON.parse(form.dataset.codes || "{}");
  const client = form.elements.namedItem("client");
  const select = form.querySelector("[data-result-codes]");

  function offer() {
    const chosen = select.value;
    const list = codes[client.value] || [];
    const options = [new Option("— kies —", "")].concat(list.map((c) => new Option(c.label, c.code)));
    select.replaceChildren(...options);
    if (list.some((c) => c.code === chosen)) select.value = chosen;
  }

  // Articles: the shared ones and the chosen client's own.
  const articles = form.querySelector("[data-articles]");
  function offerArticles() {
    for (const option of articles?.options || []) {
      option.hidden = Boolean(option.dataset.client) && option.dataset.client !== client.value;
    }
  }

  client.addEventListener("change", offer);
  client.addEventListener("change", offerArticles);
  if (client.value) offer();
  offerArticles();
  // Autofocus may have placed the cursor already, and the agent may be typing before this
  // module runs: never pull the cursor out of a field of this form.
  if (form.contains(document.activeElement)) return;
  const first = [...form.querySelectorAll("select[required], input[required]")].find((el) => !el.value);
  (first || form.querySelector("textarea[name=note]"))?.focus();
}

document.querySelectorAll("form[data-register]").forEach(register);
