import {
  ACTIVE_ELEMENTS,
  ACTIVE_NAMESPACES,
  ATTRIBUTES,
  ELEMENTS,
  PRESENTATION,
  RASTER_HREF_ELEMENTS,
  SVG_NS,
  XLINK_NS,
} from "./svg-allow-list";
import { cleanDeclarations, cleanStylesheet, cleanValue, isFragment, localReferencesOnly, type Report } from "./svg-css";
import { cdataSection, escapeXmlAttribute, escapeXmlText, parseXml, XML_NS, type XmlElement, XmlError } from "./xml";

// SVG sanitising by allow-list: the upload is parsed as namespaced XML, and a new document is
// written from the elements, attributes and CSS that are allowed, so nothing the parser did not
// understand, and nothing spelled to slip past a pattern (prefixes, references, case, escapes),
// can reach the output. See docs/decisions/016-svg-allow-list.md.

export { SVG_NS, XLINK_NS };

/** Stored with each sanitised SVG; an object without it (or with an older one) is sanitised again when served. */
export const SVG_SANITISER_VERSION = "1";

/** Something the sanitiser left out; `active` when it would have run script or fetched something. */
export interface SvgFinding {
  active: boolean;
  what: string;
}

/** An element written first inside the root (baked metadata), with its own namespace. */
export interface LeadingElement {
  prefix: string;
  namespace: string;
  local: string;
  attributes?: Record<string, string>;
  /** Written as a CDATA section. */
  text?: string;
}

export interface CleanSvg {
  svg: string;
  findings: SvgFinding[];
  /** The size the root declares: width and height in user units or pixels, else its viewBox. */
  size: { width: number; height: number } | null;
}

/** The SVG could not be read as XML, or is not an SVG. */
export class SvgError extends Error {
  override name = "SvgError";
}

const RASTER = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/\s]*={0,2}\s*$/;

const short = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

class Writer {
  readonly findings: SvgFinding[] = [];
  usesXlink = false;
  readonly report: Report = (active, what) => {
    if (!this.findings.some((f) => f.what === what)) this.findings.push({ active, what });
  };

  constructor(private readonly unnamespaced: boolean) {}

  /** SVG's namespace; a root `<svg>` without one puts the whole file in it, as browsers do inline. */
  private isSvg(element: XmlElement) {
    return element.namespace === SVG_NS || (this.unnamespaced && element.namespace === null);
  }

  private href(element: XmlElement, value: string): string | null {
    if (isFragment(value)) return value.trim();
    if (RASTER_HREF_ELEMENTS.has(element.local) && RASTER.test(value.trim())) return value.trim().replace(/\s+/g, "");
    this.report(true, `a link to ${short(value.trim()) || "nothing"} (<${element.local}>)`);
    return null;
  }

  attributes(element: XmlElement): string {
    let out = "";
    for (const attribute of element.attributes) {
      const { local, namespace } = attribute;
      let { value } = attribute;
      let name = local;
      if (/^on/i.test(local)) {
        this.report(true, `an event handler (${attribute.prefix ? `${attribute.prefix}:` : ""}${local})`);
        continue;
      }
      if ((namespace === null || namespace === XLINK_NS) && local === "href") {
        const href = this.href(element, value);
        if (href === null) continue;
        value = href;
        if (namespace === XLINK_NS) {
          name = "xlink:href";
          this.usesXlink = true;
        }
      } else if (namespace === XML_NS && (local === "space" || local === "lang")) name = `xml:${local}`;
      else if (namespace === null && local === "style") {
        value = cleanDeclarations(value, this.report);
        if (!value) continue;
      } else if (namespace === null && ATTRIBUTES.has(local)) {
        if (PRESENTATION.has(local) ? !cleanValue(local, value, this.report) : !localReferencesOnly(value, this.report)) continue;
      } else {
        if (namespace === XML_NS && local === "base") this.report(true, "a base address for links (xml:base)");
        else this.report(false, `the attribute ${attribute.prefix ? `${attribute.prefix}:` : ""}${local}`);
        continue;
      }
      out += ` ${name}="${escapeXmlAttribute(value)}"`;
    }
    return out;
  }

  element(element: XmlElement): string {
    const label = `${element.prefix ? `${element.prefix}:` : ""}${element.local}`;
    if (!this.isSvg(element)) {
      const kind = element.namespace === null ? undefined : ACTIVE_NAMESPACES.get(element.namespace);
      if (kind) this.report(true, `${kind} (<${label}>)`);
      else this.report(false, `the element <${label}>`);
      return "";
    }
    const active = ACTIVE_ELEMENTS.get(element.local);
    if (active) {
      this.report(true, active);
      return "";
    }
    if (!ELEMENTS.has(element.local)) {
      this.report(false, `the element <${label}>`);
      return "";
    }
    if (element.local === "style") return this.style(element);
    const attributes = this.attributes(element);
    const content = this.content(element);
    return content ? `<${element.local}${attributes}>${content}</${element.local}>` : `<${element.local}${attributes}/>`;
  }

  content(element: XmlElement): string {
    let out = "";
    for (const child of element.children) out += child.kind === "text" ? escapeXmlText(child.text) : this.element(child);
    return out;
  }

  private style(element: XmlElement): string {
    const type = element.attributes
      .find((a) => a.local === "type" && a.namespace === null)
      ?.value.trim()
      .toLowerCase();
    if (type && type !== "text/css") {
      this.report(false, `a stylesheet of type ${short(type)}`);
      return "";
    }
    if (element.children.some((c) => c.kind === "element")) this.report(false, "markup inside <style>");
    const css = cleanStylesheet(element.children.map((c) => (c.kind === "text" ? c.text : "")).join(""), this.report);
    return css ? `<style>${escapeXmlText(css)}</style>` : "";
  }
}

function declaredSize(root: XmlElement): CleanSvg["size"] {
  const attribute = (name: string) => root.attributes.find((a) => a.local === name && a.namespace === null)?.value ?? "";
  const length = (value: string) => {
    const match = /^\s*(\d+(?:\.\d+)?|\.\d+)(?:px)?\s*$/.exec(value);
    return match ? Number(match[1]) : null;
  };
  const box = attribute("viewBox")
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const fromBox = box.length === 4 && box.every(Number.isFinite) ? { width: box[2]!, height: box[3]! } : null;
  const width = length(attribute("width")) ?? fromBox?.width ?? null;
  const height = length(attribute("height")) ?? fromBox?.height ?? null;
  return width && height ? { width, height } : null;
}

/** Namespace declarations for the leading elements: on the root for the first use of a prefix, else on the element itself. */
function leadingMarkup(leading: LeadingElement[]): { rootDeclarations: string; markup: string } {
  const bound = new Map<string, string>();
  let rootDeclarations = "";
  let markup = "";
  for (const element of leading) {
    let declaration = "";
    const existing = bound.get(element.prefix);
    if (existing === undefined) {
      bound.set(element.prefix, element.namespace);
      rootDeclarations += ` xmlns:${element.prefix}="${escapeXmlAttribute(element.namespace)}"`;
    } else if (existing !== element.namespace) declaration = ` xmlns:${element.prefix}="${escapeXmlAttribute(element.namespace)}"`;
    const attributes = Object.entries(element.attributes ?? {})
      .map(([name, value]) => ` ${name}="${escapeXmlAttribute(value)}"`)
      .join("");
    const name = `${element.prefix}:${element.local}`;
    markup +=
      element.text === undefined
        ? `<${name}${declaration}${attributes}/>`
        : `<${name}${declaration}${attributes}>${cdataSection(element.text)}</${name}>`;
  }
  return { rootDeclarations, markup };
}

/**
 * Parses `text` as an SVG and writes it again from what the allow-list keeps. Throws SvgError
 * when it is not well-formed XML or its root is not `<svg>`; returns what was left out.
 */
export function sanitiseSvg(text: string, options: { leading?: LeadingElement[] } = {}): CleanSvg {
  let document: ReturnType<typeof parseXml>;
  try {
    document = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw new SvgError(`The SVG could not be read: ${error.message}. Export it again as a plain SVG.`);
    throw error;
  }
  const { root } = document;
  if (root.local !== "svg" || (root.namespace !== SVG_NS && root.namespace !== null)) throw new SvgError("The file is not an SVG image.");
  const writer = new Writer(root.namespace === null);
  for (const target of document.instructions) {
    if (target.toLowerCase() === "xml-stylesheet") writer.report(true, "a linked stylesheet (<?xml-stylesheet?>)");
    else writer.report(false, `the processing instruction <?${short(target)}?>`);
  }
  const { rootDeclarations, markup } = leadingMarkup(options.leading ?? []);
  const attributes = writer.attributes(root);
  // Written before the root's declarations, which depend on whether any element used xlink:href.
  const content = writer.content(root);
  const declarations = ` xmlns="${SVG_NS}"${writer.usesXlink ? ` xmlns:xlink="${XLINK_NS}"` : ""}${rootDeclarations}`;
  return {
    svg: `<?xml version="1.0" encoding="UTF-8"?>\n<svg${declarations}${attributes}>${markup}${content}</svg>\n`,
    findings: writer.findings,
    size: declaredSize(root),
  };
}
