import type { AppContext } from "../context";
import { ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";

export type ImageFolder = "badges" | "issuers" | "profiles";

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
 * The size an SVG declares (width/height, else its viewBox). SVG is a document that can carry
 * script, so anything active or external is refused rather than cleaned: issuers re-export.
 */
function svgSize(text: string): { width: number; height: number } | null {
  const root = /<svg\b[^>]*>/i.exec(text)?.[0];
  if (!root) return null;
  const number = (name: string) => {
    const value = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([\\d.]+)(px)?\\s*["']`, "i").exec(root)?.[1];
    return value ? Number(value) : null;
  };
  const viewBox = /viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*["']/i.exec(root);
  const width = number("width") ?? (viewBox ? Number(viewBox[1]) : null);
  const height = number("height") ?? (viewBox ? Number(viewBox[2]) : null);
  return width && height ? { width, height } : null;
}

const ACTIVE_SVG = /<script\b|<foreignObject\b|\son[a-z]+\s*=|javascript:|<!ENTITY|(?:xlink:)?href\s*=\s*["'](?!#|data:image\/)/i;

/** Checks an uploaded image: PNG or SVG, at most 512 KB, 90–2048 px, and square unless `square` is false. */
export function checkImage(field: string, bytes: Uint8Array<ArrayBuffer>, declaredType: string, { square = true } = {}): CheckedImage {
  if (bytes.length === 0) throw ValidationError.field(field, "Choose an image file.");
  if (bytes.length > MAX_IMAGE_BYTES) throw ValidationError.field(field, "The image is larger than 512 KB. Export it smaller.");
  const png = pngSize(bytes);
  let contentType: CheckedImage["contentType"];
  let size: { width: number; height: number } | null;
  if (png) {
    contentType = "image/png";
    size = png;
  } else {
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    if (!/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg\b/i.test(text) || !/svg/i.test(declaredType || "svg")) {
      throw ValidationError.field(field, "Use a PNG or SVG image.");
    }
    if (ACTIVE_SVG.test(text)) throw ValidationError.field(field, "The SVG contains scripts or external links. Export a plain SVG.");
    contentType = "image/svg+xml";
    size = svgSize(text);
  }
  if (!size) throw ValidationError.field(field, "The image has no readable width and height.");
  if (size.width < MIN_IMAGE_PX || size.height < MIN_IMAGE_PX)
    throw ValidationError.field(field, "The image must be at least 90 × 90 pixels.");
  if (size.width > MAX_IMAGE_PX || size.height > MAX_IMAGE_PX)
    throw ValidationError.field(field, "The image must be at most 2048 × 2048 pixels.");
  if (square && Math.abs(size.width - size.height) > Math.max(size.width, size.height) * 0.02)
    throw ValidationError.field(field, "Badge images must be square.");
  return { bytes, contentType, ...size };
}

/** Stores a checked image under a new key; images are immutable, so a key never changes content. */
export async function storeImage(ctx: Pick<AppContext, "env">, prefix: ImageFolder, image: CheckedImage): Promise<string> {
  const key = `${prefix}/${newId()}.${image.contentType === "image/png" ? "png" : "svg"}`;
  await ctx.env.FILES.put(key, image.bytes, {
    httpMetadata: { contentType: image.contentType, cacheControl: "public, max-age=31536000, immutable" },
  });
  return key;
}

export const imageUrl = (appUrl: string, key: string) => `${appUrl}/public/images/${key}`;

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
