// The client's open dossiers, refreshed when one of them changes (server-sent events).
const root = document.getElementById("open-dossiers");
let timer = null;

async function refresh() {
  const response = await fetch(location.href, { headers: { accept: "text/html" } });
  if (!response.ok) return;
  const html = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = html.getElementById("open-dossiers");
  if (!fresh) return;
  root.innerHTML = fresh.innerHTML;
  const status = document.getElementById("live-status");
  if (status) status.textContent = `bijgewerkt om ${new Date().toLocaleTimeString("nl-NL")}`;
}

if (root && window.EventSource) {
  const source = new EventSource(root.dataset.live);
  source.addEventListener("dossier", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 1000);
  });
}
