// Forms with files (a werkbon with photos): the CSRF check cannot read the token inside a
// multipart body, so the form is sent by script with the token as the x-csrf-token header
// (server/web/csrf.py). The answer replaces the page as a normal submit would: the next
// page after a redirect, or the form again with its message and what was typed.
function bind(root) {
  for (const form of root.querySelectorAll("form[data-upload]")) {
    form.addEventListener("submit", (event) => send(event, form));
  }
}

async function send(event, form) {
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  const body = new FormData(form);
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body,
      headers: { "x-csrf-token": String(body.get("csrf_token") || "") },
    });
    if (response.redirected) {
      location.assign(response.url);
      return;
    }
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    document.title = html.title;
    document.body.replaceWith(html.body);
    bind(document.body);
    document.querySelector("[role=alert]")?.scrollIntoView();
  } catch {
    if (button) button.disabled = false;
    alert("Versturen is niet gelukt. Controleer de verbinding en probeer het opnieuw.");
  }
}

bind(document);
