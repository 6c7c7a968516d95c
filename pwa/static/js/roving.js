// A list of buttons that is one tab stop: arrows (and Home, End) move within it, so the
// keyboard does not tab through every choice. The button last moved to keeps the tab stop.
// Call it again after filling the list anew.
export function roving(list) {
  const buttons = () => [...list.querySelectorAll("button")];
  buttons().forEach((b, i) => { b.tabIndex = i === 0 ? 0 : -1; });
  if (list.dataset.roving) return; // a list filled again keeps its one listener
  list.dataset.roving = "on";
  list.addEventListener("keydown", (event) => {
    const all = buttons();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    const back = event.key === "ArrowUp" || event.key === "ArrowLeft";
    const ahead = event.key === "ArrowDown" || event.key === "ArrowRight";
    const to = back ? at - 1 : ahead ? at + 1 : event.key === "Home" ? 0 : event.key === "End" ? all.length - 1 : null;
    if (to === null) return;
    event.preventDefault();
    const next = all[Math.max(0, Math.min(all.length - 1, to))];
    all.forEach((b) => { b.tabIndex = b === next ? 0 : -1; });
    next.focus();
  });
}
