// Desk keyboard support and the address lookup on the intake form. The pages work without it.

const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

document.addEventListener("keydown", (event) => {
  if (event.key === "/" && !typing(document.activeElement)) {
    const search = document.querySelector("[data-shortcut='/']");
    if (search) { event.preventDefault(); search.focus(); search.select(); }
  }
  // Alt+letter follows the link with that accesskey, the same in every browser.
  if (event.altKey && !event.ctrlKey && event.key.length === 1) {
    const target = document.querySelector(`[accesskey="${event.key.toLowerCase()}"]`);
    if (target) { event.preventDefault(); target.click(); }
  }
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    const form = document.activeElement && document.activeElement.closest("form");
    if (form) { event.preventDefault(); form.requestSubmit(); }
  }
});

function intake(form) {
  const field = (name) => form.elements.namedItem(name);
  const result = form.querySelector("[data-address-result]");
  let pending = null;

  async function lookup() {
    const client = field("client").value;
    const postcode = field("postcode").value.trim();
    const number = field("house_number").value.trim();
    if (!client || !postcode || !number) { result.textContent = ""; return; }
    const query = new URLSearchParams({ client, postcode, house_number: number, suffix: field("suffix").value.trim() });
    pending?.abort();
    pending = new AbortController();
    try {
      const response = await fetch(`/api/v1/addresses?${query}`, { signal: pending.signal, headers: { accept: "application/json" } });
      const body = await response.json();
      if (!response.ok) { result.textContent = body.error.message; return; }
      if (body.items.length === 1) {
        const a = body.items[0];
        field("street").value = a.street;
        field("city").value = a.city;
        result.textContent = `In woningbestand: ${a.label}${a.complex ? ` (complex ${a.complex})` : ""}`;
      } else {
        result.textContent = "Niet in het woningbestand: vul straat en plaats in.";
      }
    } catch (error) {
      if (error.name !== "AbortError") result.textContent = "Adres opzoeken lukte niet; vul straat en plaats zelf in.";
    }
  }
  for (const name of ["client", "postcode", "house_number", "suffix"]) field(name).addEventListener("change", lookup);
}

document.querySelectorAll("form[data-intake]").forEach(intake);
