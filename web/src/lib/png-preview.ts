/** The side of the PNG drawn from an SVG badge: large enough for LinkedIn's and Facebook's cards. */
const PREVIEW_PX = 600;

const isSvg = (file: File) => file.type === "image/svg+xml" || /\.svg$/i.test(file.name);

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/**
 * A PNG of an SVG badge image, drawn by the browser with its own fonts, for link previews:
 * LinkedIn and Facebook render no SVG, and the Worker has no renderer of its own (ADR 030).
 * Null for a PNG (it is its own preview) or an SVG the browser cannot draw; the server still
 * checks the SVG, and without a preview the class's previews show Laurel's card.
 */
export async function pngPreviewOf(file: File | null): Promise<File | null> {
  if (!file || !isSvg(file)) return null;
  try {
    // A data: URL, as the page's CSP allows images from 'self' and data: only.
    const image = new Image();
    image.src = await readAsDataUrl(file);
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = PREVIEW_PX;
    canvas.height = PREVIEW_PX;
    const context = canvas.getContext("2d");
    if (!context) return null;
    // Previews show transparency as black on some sites: a white ground, as on Laurel's pages.
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, PREVIEW_PX, PREVIEW_PX);
    context.drawImage(image, 0, 0, PREVIEW_PX, PREVIEW_PX);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    return blob ? new File([blob], file.name.replace(/\.svg$/i, "") + "-preview.png", { type: "image/png" }) : null;
  } catch {
    return null;
  }
}
