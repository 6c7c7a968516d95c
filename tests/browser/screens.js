// The layout and colour checks of tests/browser/screens.py, run in the page (evaluate).
// Returns one Dutch line per problem a user would notice.
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`de pagina schuift opzij: ${root.scrollWidth}px breed in een venster van ${root.clientWidth}px`);
  }
  const SKIP = new Set(["SCRIPT", "STYLE", "INPUT", "SELECT", "TEXTAREA", "OPTION", "CANVAS",
    "IFRAME", "IMG", "BR", "svg", "path", "circle", "g", "NOSCRIPT", "TEMPLATE"]);
  const name = (el) => {
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}> "${(el.innerText || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50)}"`;
  };
  // Visually hidden on purpose (.sr, the skip link): clipped to nothing, or off the page.
  const hiddenOnPurpose = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.position === "absolute" && (s.clip !== "auto" || parseFloat(s.left) < -100)) return true;
    }
    return false;
  };
  const shown = (el) => {
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden" || parseFloat(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  // The colour behind an element: backgrounds up the tree until an opaque one, laid over white.
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== "none") return null;  // a picture or gradient: cannot tell
      const c = rgba(s.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, la] of layers.reverse()) {
      r = lr * la + r * (1 - la); g = lg * la + g * (1 - la); b = lb * la + b * (1 - la);
    }
    return [r, g, b];
  };
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const spilling = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (SKIP.has(el.tagName) || el.closest(".leaflet-container, svg") || !shown(el) || hiddenOnPurpose(el)) continue;
    const s = getComputedStyle(el);
    if (s.display !== "inline" && s.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      spilling.push(el);
    }
    const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!text) continue;
    const fg = rgba(s.color);
    const bg = behind(el);
    if (!fg || !bg) continue;
    const a = fg[3];
    const seen = [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a)];
    if (ratio(seen, bg) < 1.5) {
      problems.push(`tekst in de kleur van de achtergrond: ${name(el)}, ${s.color} op rgb(${bg.map(Math.round).join(", ")})`);
    }
  }
  // A table left to the browser's own style (cells spaced apart, no lines): unreadable as a
  // list, as /planning's tables once were.
  for (const table of document.body.querySelectorAll("table")) {
    if (shown(table) && getComputedStyle(table).borderCollapse === "separate") {
      problems.push(`tabel zonder opmaak: ${name(table)}`);
    }
  }
  // Only the innermost: a box that spills because a child does is the child's problem.
  for (const el of spilling) {
    if (spilling.some((other) => other !== el && el.contains(other))) continue;
    problems.push(`tekst loopt uit zijn vak: ${name(el)}, ${el.scrollWidth}px in ${el.clientWidth}px`);
  }
  return problems;
}
