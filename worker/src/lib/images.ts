import type { AppContext } from "../context";
import { ValidationError } from "./errors";
import { newId } from "./ids";
import { type CleanSvg, SVG_SANITISER_VERSION, SvgError, sanitiseSvg } from "./svg";

// Image checks and storage shared by badge classes, issuers, pathways and profile photos (served by badges/images.routes.ts).
export type ImageFolder = "badges" | "issuers" | "profiles" | "pathways";

export const MAX_IMAGE_BYTES = 512 * 1024;
export const MIN_IMAGE_PX = 90;
export const MAX_IMAGE_PX = 2048;

export interface CheckedImage {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: "image/png" | "image/svg+xml";
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  // The first chunk must be IHDR: width and height are its first two big-endian words.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.slice(12, 16)) !== "IHDR") return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Checks an uploaded image: PNG or SVG, at most 512 KB, 90–2048 px, and square unless `square` is
 * false. An SVG comes back sanitised (rebuilt from the allow-list), and is refused if it had anything active.
 */
export function checkImage(field: string, bytes: Uint8Array<ArrayBuffer>, declaredType: string, { square = true } = {}): CheckedImage {
  if (bytes.length === 0) throw ValidationError.field(field, "Choose an image file.");
  if (bytes.length > MAX_IMAGE_BYTES) throw ValidationError.field(field, "The image is larger than 512 KB. Export it smaller.");
  const png = pngSize(bytes);
  let stored = bytes;
  let contentType: CheckedImage["contentType"];
  let size: { width: number; height: number } | null;
  if (png) {
    contentType = "image/png";
    size = png;
  } else {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw ValidationError.field(field, "Use a PNG or SVG image (an SVG saved as UTF-8).");
    }
    if (!/<svg\b/.test(text) || !/svg/i.test(declaredType || "svg")) throw ValidationError.field(field, "Use a PNG or SVG image.");
    let clean: CleanSvg;
    try {
      clean = sanitiseSvg(text);
    } catch (error) {
      if (error instanceof SvgError) throw ValidationError.field(field, error.message);
      throw error;
    }
    // Refused rather than cleaned, so an issuer learns their file had active content; editor
    // metadata and other inert extras are dropped quietly (ADR 016).
    const active = clean.findings.filter((f) => f.active).map((f) => f.what);
    if (active.length > 0) {
      const listed = active.length > 3 ? `${active.slice(0, 3).join(", ")} and more` : active.join(", ");
      throw ValidationError.field(
        field,
        `The SVG contains ${listed}. Export a plain SVG without scripts, animations, embedded HTML or links to other files.`,
      );
    }
    stored = new TextEncoder().encode(clean.svg);
    contentType = "image/svg+xml";
    size = clean.size;
  }
  if (!size) throw ValidationError.field(field, "The image has no readable width and height.");
  if (size.width < MIN_IMAGE_PX || size.height < MIN_IMAGE_PX)
    throw ValidationError.field(field, "The image must be at least 90 × 90 pixels.");
  if (size.width > MAX_IMAGE_PX || size.height > MAX_IMAGE_PX)
    throw ValidationError.field(field, "The image must be at most 2048 × 2048 pixels.");
  if (square && Math.abs(size.width - size.height) > Math.max(size.width, size.height) * 0.02)
    throw ValidationError.field(field, "Badge images must be square.");
  return { bytes: stored, contentType, ...size };
}

/** Stores a checked image under a new key; images are immutable, so a key never changes content. */
export async function storeImage(ctx: Pick<AppContext, "env">, prefix: ImageFolder, image: CheckedImage): Promise<string> {
  const key = `${prefix}/${newId()}.${image.contentType === "image/png" ? "png" : "svg"}`;
  await ctx.env.FILES.put(key, image.bytes, {
    httpMetadata: { contentType: image.contentType, cacheControl: "public, max-age=31536000, immutable" },
    customMetadata: image.contentType === "image/svg+xml" ? { svgSanitiser: SVG_SANITISER_VERSION } : {},
  });
  return key;
}

/** Reads a File (GraphQL multipart upload), checks and stores it. */
export async function uploadImage(
  ctx: Pick<AppContext, "env">,
  field: string,
  prefix: ImageFolder,
  file: File,
  options?: { square?: boolean },
): Promise<string> {
  return storeImage(ctx, prefix, checkImage(field, new Uint8Array(await file.arrayBuffer()), file.type, options));
}
