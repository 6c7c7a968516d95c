// Online reporting: photos are scaled in the browser (canvas) before they are sent, so a phone's
// 12 MP photo travels as a few hundred kB. The form still works without this script.
const LONG_SIDE = 1600;
const QUALITY = 0.85;

const form = document.querySelector("[data-photos]");
const input = form?.querySelector("input[type=file]");
const status = form?.querySelector("[data-photo-status]");

async function scaled(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const factor = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * factor);
  canvas.height = Math.round(bitmap.height * factor);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
  return new File([blob], name, { type: "image/jpeg" });
}

if (input && typeof DataTransfer !== "undefined") {
  input.addEventListener("change", async () => {
    const files = [...input.files];
    const max = Number(form.dataset.max);
    if (files.length > max) {
      status.textContent = form.dataset.tooMany;
      input.value = "";
      return;
    }
    status.textContent = form.dataset.busy;
    const ready = new DataTransfer();
    try {
      for (const file of files) ready.items.add(await scaled(file));
    } catch {
      status.textContent = form.dataset.unreadable;
      input.value = "";
      return;
    }
    input.files = ready.files;
    status.textContent = files.map((f) => f.name).join(", ");
  });
}
