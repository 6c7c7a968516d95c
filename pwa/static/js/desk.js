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

// The work queue: arrows move from dossier to dossier (focus on its order number), Enter opens
// it. Only while nothing else has the focus, so arrows still scroll a field or a list.
const queue = document.querySelector("[data-queue]");
if (queue) {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (event.altKey || event.ctrlKey || event.metaKey || typing(document.activeElement)) return;
    const links = [...queue.querySelectorAll("tbody tr[data-order] td:first-child a")];
    const active = document.activeElement;
    if (!links.length || (active !== document.body && !queue.contains(active))) return;
    const at = links.indexOf(active);
    const next = at < 0 ? 0 : Math.max(0, Math.min(links.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)));
    event.preventDefault();
    links[next].focus();
  });
}

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
        skipFilled();
      } else {
        result.textContent = "Niet in het woningbestand: vul straat en plaats in.";
      }
    } catch (error) {
      if (error.name !== "AbortError") result.textContent = "Adres opzoeken lukte niet; vul straat en plaats zelf in.";
    }
  }
  // The address is found: nothing more to type there. Focus that has just tabbed on to the
  // suffix, street or city goes on to the first empty field after them (triage, or the caller).
  function skipFilled() {
    const active = document.activeElement;
    const here = ["suffix", "street", "city"].map(field);
    if (!here.includes(active) || (active === here[0] && active.value.trim())) return;
    const after = [...form.elements].slice([...form.elements].indexOf(here[2]) + 1);
    const next = after.find((el) => /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)
      && !["hidden", "radio", "checkbox", "submit", "button"].includes(el.type)
      && !el.disabled && el.getClientRects().length && !el.value);
    next?.focus();
  }
  for (const name of ["client", "postcode", "house_number", "suffix"]) field(name).addEventListener("change", lookup);
}

document.querySelectorAll("form[data-intake]").forEach(intake);

// A table wider than the screen scrolls in its own box; then the box takes the focus, so the
// keyboard can scroll it too (and a screen reader names it). Not when it fits: no idle stop.
function scrollables() {
  for (const box of document.querySelectorAll(".table-scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", box.dataset.label || "Tabel");
    } else if (box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
let pending = null;
const later = () => { cancelAnimationFrame(pending); pending = requestAnimationFrame(scrollables); };
scrollables();
addEventListener("resize", later);
// Pages that redraw themselves (dashboard, portal, opening a <details>) get it too.
new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
document.addEventListener("toggle", later, true);
