// Photos are scaled down on the phone (long side 1600 px, JPEG) before they are queued: a
// 12 MP photo becomes a few hundred kB, quick to send from a cellar with one bar of signal.
const LONG_SIDE = 1600;

export async function scaleDown(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("Foto verkleinen lukte niet."))), "image/jpeg", 0.85);
  });
}
