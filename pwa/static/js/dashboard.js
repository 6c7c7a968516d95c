// Dashboard charts (Chart.js, vendored) and live refresh over server-sent events.
const PALETTE = ["#0b5cad", "#1e7b34", "#b35c00", "#7b3fa0", "#b3261e", "#0f8b8d", "#5b6877", "#c2185b"];
let charts = [];

function render(root) {
  charts.forEach((c) => c.destroy());
  charts = [];
  const data = JSON.parse(root.dataset.charts || "[]");
  for (const chart of data) {
    const canvas = root.querySelector(`canvas[data-chart="${chart.key}"]`);
    if (canvas) charts.push(draw(canvas, chart));
  }
  root.querySelectorAll("table.heatmap").forEach(shade);
}

function draw(canvas, chart) {
  const labels = chart.rows.map((r) => r[0]);
  // Tables with several numeric columns (lead times) become grouped bars; skip count columns.
  const numeric = chart.columns.slice(1).map((name, i) => ({ name, i: i + 1 }))
    .filter(({ name }) => chart.columns.length === 2 || !/^(Aantal|Gesloten|Gemiddeld)$/.test(name));
  const datasets = numeric.map(({ name, i }, n) => ({
    label: name,
    data: chart.rows.map((r) => r[i]),
    backgroundColor: chart.kind === "doughnut" ? PALETTE : PALETTE[n % PALETTE.length],
  }));
  return new window.Chart(canvas, {
    type: chart.kind === "doughnut" ? "doughnut" : "bar",
    data: { labels, datasets },
    options: {
      locale: "nl-NL", // 84,2 and 1.234, as on the rest of the page
      animation: false,
      maintainAspectRatio: false,
      indexAxis: chart.key === "onderwerpen" || chart.key === "categorieen" ? "y" : "x",
      plugins: { legend: { display: datasets.length > 1 || chart.kind === "doughnut" } },
    },
  });
}

function shade(table) {
  const cells = [...table.querySelectorAll("td[data-n]")];
  const max = Math.max(1, ...cells.map((td) => Number(td.dataset.n)));
  for (const td of cells) {
    const share = Number(td.dataset.n) / max;
    td.style.backgroundColor = `rgba(11, 92, 173, ${share.toFixed(2)})`;
    td.style.color = share > 0.55 ? "#fff" : "";
  }
}

function live(root) {
  if (!window.EventSource || !root.dataset.live) return;
  let timer = null;
  const source = new EventSource(root.dataset.live);
  source.addEventListener("changed", () => {
    clearTimeout(timer);
    // Many changes in a burst cause one refresh.
    timer = setTimeout(refresh, 3000);
  });
}

async function refresh() {
  const response = await fetch(location.href, { headers: { accept: "text/html" } });
  if (!response.ok) return;
  const html = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = html.getElementById("dashboard");
  const root = document.getElementById("dashboard");
  if (!fresh || !root) return;
  root.dataset.charts = fresh.dataset.charts;
  root.innerHTML = fresh.innerHTML;
  render(root);
  const status = document.getElementById("live-status");
  if (status) status.textContent = `Bijgewerkt om ${new Date().toLocaleTimeString("nl-NL")}.`;
}

const root = document.getElementById("dashboard");
if (root) {
  render(root);
  live(root);
}
