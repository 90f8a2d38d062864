/**
 * Headers for every image response (R2 images, baked downloads). An SVG opened on its own is a
 * document: even sanitised, it gets no script, no fetches and no plugins, and the browser must
 * not sniff it (or a PNG) into anything else. `sandbox` also gives it an opaque origin.
 */
export const IMAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  "x-content-type-options": "nosniff",
} as const;
