import { PRESENTATION } from "./svg-allow-list";

// CSS inside an SVG (`<style>` and `style` attributes), rebuilt from what is allowed: plain rule
// sets of presentation properties. No at-rules (`@import` fetches, `@font-face` too), no `url()`
// but to a `#fragment` of the same document, no escapes (`\69mport`, `u\72l(`) that could spell
// either in a way a filter does not see.

export type Report = (active: boolean, what: string) => void;

const FRAGMENT = /^#[A-Za-z_\u00C0-\uFFFF][-\w.:\u00B7\u00C0-\uFFFF]*$/;
const URL_FUNCTION = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]*))\s*\)/gi;
const SELECTOR = /^[-\w\s.#:,>+~*()[\]="'|^$%]+$/;

const short = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

/** A reference is allowed when it is a fragment of this document: `#id`. */
export const isFragment = (value: string) => FRAGMENT.test(value.trim());

/** Whether a value (CSS or a presentation attribute) only refers to this document's fragments; reports what it does not. */
export function localReferencesOnly(value: string, report: Report): boolean {
  // Most values (numbers, colours, path data) cannot refer to anything: no escape, call or scheme.
  if (!/[\\(:]/.test(value)) return true;
  if (/\\/.test(value)) {
    report(true, `a CSS escape in "${short(value)}"`);
    return false;
  }
  if (/expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:/i.test(value)) {
    report(true, `script in CSS ("${short(value)}")`);
    return false;
  }
  const calls = value.match(/url\s*\(/gi)?.length ?? 0;
  let fragments = 0;
  for (const match of value.matchAll(URL_FUNCTION)) {
    const target = match[1] ?? match[2] ?? match[3] ?? "";
    if (!isFragment(target)) {
      report(true, `a link to another file (url(${short(target)}))`);
      return false;
    }
    fragments++;
  }
  if (calls !== fragments) {
    report(true, `a malformed url() in "${short(value)}"`);
    return false;
  }
  return true;
}

/** Splits on `;` outside quotes and parentheses. */
function declarationsOf(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === ";" && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

// CSS functions a presentation value may call: colours, maths, transforms, filters, shapes.
// Image functions (`image-set("…")`, `cross-fade`, `element`, `paint`, `src`) could fetch, `var`/`attr` indirect.
const FUNCTIONS = new Set(
  (
    "url rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix calc min max clamp " +
    "matrix matrix3d translate translatex translatey translate3d scale scalex scaley rotate skew skewx skewy " +
    "blur brightness contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia " +
    "inset circle ellipse polygon path rect xywh"
  ).split(" "),
);
const STRINGS_ALLOWED = new Set(["font", "font-family"]);

/** Whether a CSS value for an allowed property is safe to keep; reports why not. */
export function cleanValue(property: string, value: string, report: Report): boolean {
  if (!localReferencesOnly(value, report)) return false;
  if (!value.trim() || /[<>{}@;]/.test(value)) {
    report(false, `the CSS value "${short(value)}" of ${property}`);
    return false;
  }
  for (const [, name = ""] of value.matchAll(/([-\w]+)\s*\(/g)) {
    if (!FUNCTIONS.has(name.toLowerCase())) {
      report(true, `the CSS function ${short(name)}() in ${property}`);
      return false;
    }
  }
  if (!STRINGS_ALLOWED.has(property) && /["']/.test(value.replace(URL_FUNCTION, ""))) {
    report(false, `a quoted string in ${property}`);
    return false;
  }
  return true;
}

/** A `style` attribute (or a rule's body), keeping only allowed properties with safe values. */
export function cleanDeclarations(text: string, report: Report): string {
  const kept: string[] = [];
  for (const declaration of declarationsOf(text)) {
    if (!declaration.trim()) continue;
    const colon = declaration.indexOf(":");
    const property = (colon < 0 ? declaration : declaration.slice(0, colon)).trim().toLowerCase();
    const value = colon < 0 ? "" : declaration.slice(colon + 1).trim();
    // References are checked before the property, so a link to another file is reported even on a property that is dropped.
    if (!localReferencesOnly(declaration, report)) continue;
    if (!PRESENTATION.has(property)) {
      report(false, `the CSS property ${short(property)}`);
      continue;
    }
    if (cleanValue(property, value, report)) kept.push(`${property}:${value}`);
  }
  return kept.join(";");
}

/** The index just past the block that opens at `open` (a `{`), or the end of the text. */
function blockEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i + 1;
  }
  return text.length;
}

/** A `<style>` element's text, as rule sets of allowed declarations only. */
export function cleanStylesheet(input: string, report: Report): string {
  // Comments first (an unclosed one runs to the end, as in CSS), then the HTML-compatibility tokens.
  const text = input.replace(/\/\*[\s\S]*?(\*\/|$)/g, " ").replace(/<!--|-->/g, " ");
  const rules: string[] = [];
  let at = 0;
  while (at < text.length) {
    while (at < text.length && /\s/.test(text[at]!)) at++;
    if (at >= text.length) break;
    if (text[at] === "@") {
      const semicolon = text.indexOf(";", at);
      const open = text.indexOf("{", at);
      const end = open < 0 || (semicolon >= 0 && semicolon < open) ? (semicolon < 0 ? text.length : semicolon + 1) : blockEnd(text, open);
      const rule = text.slice(at, end);
      const name = /^@([-\w\\]+)/.exec(rule)?.[1] ?? "";
      if (/^import$/i.test(name) || /\\/.test(name)) report(true, `a CSS import (${short(rule.trim())})`);
      else if (localReferencesOnly(rule, report)) report(false, `the CSS rule @${name}`);
      at = end;
      continue;
    }
    const open = text.indexOf("{", at);
    if (open < 0) {
      report(false, "a CSS fragment without a rule");
      break;
    }
    const end = blockEnd(text, open);
    const selector = text.slice(at, open).trim();
    const body = text.slice(open + 1, end - 1);
    at = end;
    if (body.includes("{")) {
      // Nested rules: not needed for badges, and a second grammar to get right.
      localReferencesOnly(body, report);
      report(false, `the nested CSS rule ${short(selector)}`);
      continue;
    }
    if (!SELECTOR.test(selector)) {
      localReferencesOnly(selector, report);
      report(false, `the CSS selector ${short(selector)}`);
      continue;
    }
    const declarations = cleanDeclarations(body, report);
    if (declarations) rules.push(`${selector.replace(/\s+/g, " ")}{${declarations}}`);
  }
  return rules.join("\n");
}
