// The tenant signs on the phone's screen: a <canvas> drawn with pointer events (finger, pen or
// mouse alike). The strokes are kept as points from 0 to 1, so the drawing survives the screen
// being built again (a sync in the background) and any change of the canvas's size.
const WIDTH = 600;
const HEIGHT = 200;

function draw(canvas, strokes) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, WIDTH, HEIGHT);
  ctx.lineWidth = 3;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.strokeStyle = "#111";
  for (const stroke of strokes) {
    ctx.beginPath();
    stroke.forEach(([x, y], i) => (i ? ctx.lineTo(x * WIDTH, y * HEIGHT) : ctx.moveTo(x * WIDTH, y * HEIGHT)));
    // A tap is a dot.
    if (stroke.length === 1) ctx.lineTo(stroke[0][0] * WIDTH + 0.5, stroke[0][1] * HEIGHT);
    ctx.stroke();
  }
}

// A canvas that adds to `strokes` (an array it changes in place) and calls `changed` after
// each stroke.
export function signaturePad(strokes, changed) {
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  canvas.className = "signature-pad";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Handtekening van de huurder");
  let current = null;
  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
  };
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture?.(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    draw(canvas, strokes);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    current.push(point(event));
    draw(canvas, strokes);
  });
  const end = () => {
    if (!current) return;
    current = null;
    changed();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  draw(canvas, strokes);
  return canvas;
}

// The drawing as the server takes it: a PNG data: URL (the server crops and shrinks it).
export function signaturePng(strokes) {
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  draw(canvas, strokes);
  return canvas.toDataURL("image/png");
}
