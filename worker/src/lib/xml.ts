// A small, strict XML 1.0 + Namespaces parser for documents users upload (SVG). Workers have no
// DOM. It never expands anything but the five predefined entities and character references, so
// a DTD cannot make it fetch, loop or grow (billion laughs); a DOCTYPE with an internal subset is
// refused outright. Prefixes are resolved to namespace names, so callers decide on what an
// element *is*, never on how it is spelled.

export const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

export interface XmlAttribute {
  prefix: string | null;
  local: string;
  namespace: string | null;
  value: string;
}

export interface XmlElement {
  kind: "element";
  prefix: string | null;
  local: string;
  namespace: string | null;
  attributes: XmlAttribute[];
  children: XmlNode[];
}

export interface XmlText {
  kind: "text";
  text: string;
}

export type XmlNode = XmlElement | XmlText;

export interface XmlDocument {
  root: XmlElement;
  /** Processing instruction targets (`xml-stylesheet`, …), in document order; the XML declaration is not one. */
  instructions: string[];
  hasDoctype: boolean;
}

export class XmlError extends Error {
  override name = "XmlError";
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`${reason} (line ${line})`);
  }
}

export interface ParseOptions {
  /** Undeclared prefixes resolve to no namespace instead of failing: for reading other tools' files, never for sanitising. */
  tolerateUndeclaredPrefixes?: boolean;
  maxDepth?: number;
  maxNodes?: number;
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\n]*/y;
// Runs of ordinary characters, consumed in one step rather than one character at a time.
const TEXT_RUN = /[^<&\]]*/y;
const ATTRIBUTE_RUN: Record<string, RegExp> = { '"': /[^"<&\t\n]*/y, "'": /[^'<&\t\n]*/y };
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
/** The first character XML 1.0 does not allow anywhere (C0 controls but tab and newline, U+FFFE, U+FFFF), or -1. */
function forbiddenCharAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x9 && code !== 0xa) || code === 0xfffe || code === 0xffff) return i;
  }
  return -1;
}

const isXmlChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff);

export function parseXml(input: string, options: ParseOptions = {}): XmlDocument {
  return new Parser(input, options).document();
}

class Parser {
  private readonly text: string;
  private at = 0;
  private nodes = 0;
  private readonly instructions: string[] = [];
  private hasDoctype = false;

  constructor(
    input: string,
    private readonly options: ParseOptions,
  ) {
    this.text = input.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  }

  private fail(reason: string, at = this.at): never {
    let line = 1;
    for (let i = 0; i < at && i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) line++;
    throw new XmlError(reason, line);
  }

  private startsWith(token: string) {
    return this.text.startsWith(token, this.at);
  }

  private skipSpace() {
    SPACE.lastIndex = this.at;
    SPACE.exec(this.text);
    const moved = SPACE.lastIndex > this.at;
    this.at = SPACE.lastIndex;
    return moved;
  }

  private name(what: string): string {
    NAME.lastIndex = this.at;
    const match = NAME.exec(this.text);
    if (!match) this.fail(`expected ${what}`);
    this.at = NAME.lastIndex;
    return match[0];
  }

  private until(token: string, what: string): string {
    const end = this.text.indexOf(token, this.at);
    if (end < 0) this.fail(`${what} is not closed`);
    const body = this.text.slice(this.at, end);
    this.at = end + token.length;
    return body;
  }

  document(): XmlDocument {
    const bad = forbiddenCharAt(this.text);
    if (bad >= 0) this.fail("the file contains control characters that XML does not allow", bad);
    if (this.startsWith("<?xml") && /[\s?]/.test(this.text[5] ?? "")) {
      this.at += 5;
      this.until("?>", "the XML declaration");
    }
    this.misc(true);
    if (!this.startsWith("<")) this.fail(this.at >= this.text.length ? "the file has no root element" : "text before the root element");
    const root = this.element();
    this.misc(false);
    if (this.at < this.text.length) this.fail("content after the root element");
    return { root, instructions: this.instructions, hasDoctype: this.hasDoctype };
  }

  /** Comments, processing instructions, white space and (before the root only) one DOCTYPE. */
  private misc(beforeRoot: boolean) {
    for (;;) {
      this.skipSpace();
      if (this.startsWith("<!--")) this.comment();
      else if (this.startsWith("<?")) this.instruction();
      else if (beforeRoot && this.startsWith("<!DOCTYPE")) this.doctype();
      else return;
    }
  }

  private comment() {
    this.at += 4;
    this.until("-->", "a comment");
  }

  private instruction() {
    const start = this.at;
    this.at += 2;
    const target = this.name("a processing instruction target");
    if (target.toLowerCase() === "xml") this.fail("an XML declaration that is not at the start", start);
    this.until("?>", "a processing instruction");
    this.instructions.push(target);
  }

  private doctype() {
    if (this.hasDoctype) this.fail("a second DOCTYPE");
    this.hasDoctype = true;
    this.at += 9;
    if (!this.skipSpace()) this.fail("a malformed DOCTYPE");
    this.name("the DOCTYPE's name");
    this.skipSpace();
    for (const keyword of ["PUBLIC", "SYSTEM"]) {
      if (!this.startsWith(keyword)) continue;
      this.at += keyword.length;
      for (let literals = keyword === "PUBLIC" ? 2 : 1; literals > 0; literals--) {
        this.skipSpace();
        const quote = this.text[this.at];
        if (quote !== '"' && quote !== "'") {
          if (keyword === "PUBLIC" && literals === 1) break; // the system literal may be omitted in SGML-ish files
          this.fail("a malformed DOCTYPE");
        }
        this.at++;
        this.until(quote, "a DOCTYPE literal");
      }
      this.skipSpace();
    }
    // Entity and other declarations are where XML's dangers live (expansion, external fetches): none are read.
    if (this.startsWith("[")) this.fail("a DOCTYPE with entity declarations, which are not accepted");
    if (!this.startsWith(">")) this.fail("a malformed DOCTYPE");
    this.at++;
  }

  private reference(): string {
    const start = this.at;
    const end = this.text.indexOf(";", this.at);
    if (end < 0 || end - this.at > 12) this.fail("a bare & (write &amp;amp;)", start);
    const body = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    if (body.startsWith("#")) {
      const code = /^#x[0-9a-fA-F]+$/.test(body)
        ? Number.parseInt(body.slice(2), 16)
        : /^#[0-9]+$/.test(body)
          ? Number(body.slice(1))
          : Number.NaN;
      if (!isXmlChar(code)) this.fail(`an invalid character reference &${body};`, start);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[body];
    if (value === undefined) this.fail(`an undefined entity &${body};`, start);
    return value;
  }

  private run(pattern: RegExp): string {
    pattern.lastIndex = this.at;
    pattern.exec(this.text);
    const chunk = this.text.slice(this.at, pattern.lastIndex);
    this.at = pattern.lastIndex;
    return chunk;
  }

  private attributeValue(): string {
    const quote = this.text[this.at];
    if (quote !== '"' && quote !== "'") this.fail("an attribute value without quotes");
    this.at++;
    let value = "";
    for (;;) {
      value += this.run(ATTRIBUTE_RUN[quote]!);
      const c = this.text[this.at];
      if (c === undefined) this.fail("an attribute value is not closed");
      if (c === quote) break;
      if (c === "<") this.fail("a < inside an attribute value");
      if (c === "&") value += this.reference();
      else {
        // Attribute-value normalisation: literal white space becomes a space; references keep theirs.
        value += " ";
        this.at++;
      }
    }
    this.at++;
    return value;
  }

  private element(): XmlElement {
    const maxDepth = this.options.maxDepth ?? 256;
    const maxNodes = this.options.maxNodes ?? 50_000;
    const stack: { element: XmlElement; qname: string; scope: Map<string, string> }[] = [];
    let scope = new Map<string, string>([["xml", XML_NS]]);
    let root: XmlElement | null = null;
    for (;;) {
      if (++this.nodes > maxNodes) this.fail("too many elements");
      // A start tag.
      const tagStart = this.at;
      this.at++;
      const qname = this.name("an element name");
      const raw: { name: string; value: string; at: number }[] = [];
      let selfClosing = false;
      for (;;) {
        const spaced = this.skipSpace();
        if (this.startsWith("/>")) {
          this.at += 2;
          selfClosing = true;
          break;
        }
        if (this.startsWith(">")) {
          this.at++;
          break;
        }
        if (!spaced) this.fail(`a malformed start tag <${qname}>`);
        const at = this.at;
        const name = this.name("an attribute name");
        this.skipSpace();
        if (this.text[this.at] !== "=") this.fail(`the attribute ${name} has no value`);
        this.at++;
        this.skipSpace();
        if (raw.some((a) => a.name === name)) this.fail(`the attribute ${name} appears twice`, at);
        raw.push({ name, value: this.attributeValue(), at });
      }
      const own = this.scopeOf(raw, scope, tagStart);
      const element = this.resolve(qname, raw, own, tagStart);
      if (stack.length === 0) root = element;
      else stack.at(-1)!.element.children.push(element);
      if (!selfClosing) {
        if (stack.length >= maxDepth) this.fail("elements nested too deeply");
        scope = own;
        stack.push({ element, qname, scope });
      }
      // Content up to the next start tag, or closing elements until the stack empties.
      for (;;) {
        if (stack.length === 0) return root!;
        const top = stack.at(-1)!;
        if (this.at >= this.text.length) this.fail(`<${top.qname}> is not closed`);
        if (this.startsWith("</")) {
          const closeAt = this.at;
          this.at += 2;
          const name = this.name("an end tag name");
          this.skipSpace();
          if (!this.startsWith(">")) this.fail(`a malformed end tag </${name}>`);
          this.at++;
          if (name !== top.qname) this.fail(`</${name}> closes <${top.qname}>`, closeAt);
          stack.pop();
          scope = stack.at(-1)?.scope ?? new Map([["xml", XML_NS]]);
        } else if (this.startsWith("<!--")) this.comment();
        else if (this.startsWith("<![CDATA[")) {
          this.at += 9;
          this.pushText(top.element, this.until("]]>", "a CDATA section"));
        } else if (this.startsWith("<?")) this.instruction();
        else if (this.startsWith("<!")) this.fail("a declaration inside an element");
        else if (this.startsWith("<")) break;
        else this.pushText(top.element, this.characterData());
      }
    }
  }

  private characterData(): string {
    let out = "";
    for (;;) {
      out += this.run(TEXT_RUN);
      const c = this.text[this.at];
      if (c === undefined || c === "<") return out;
      if (c === "&") out += this.reference();
      else {
        if (this.startsWith("]]>")) this.fail("]]> in text");
        out += c;
        this.at++;
      }
    }
  }

  private pushText(element: XmlElement, text: string) {
    if (!text) return;
    const last = element.children.at(-1);
    if (last?.kind === "text") last.text += text;
    else element.children.push({ kind: "text", text });
  }

  private scopeOf(raw: { name: string; value: string; at: number }[], parent: Map<string, string>, at: number) {
    let scope = parent;
    for (const { name, value } of raw) {
      if (name !== "xmlns" && !name.startsWith("xmlns:")) continue;
      if (scope === parent) scope = new Map(parent);
      const prefix = name === "xmlns" ? "" : name.slice(6);
      if (prefix === "xmlns" || (prefix === "xml") !== (value === XML_NS) || value === XMLNS_NS)
        this.fail(`a reserved namespace declaration ${name}`, at);
      if (value === "" && prefix !== "") this.fail(`the prefix ${prefix} is declared empty`, at);
      if (value === "") scope.delete("");
      else scope.set(prefix, value);
    }
    return scope;
  }

  /** A qualified name's prefix, local part and namespace; unprefixed attributes are in no namespace. */
  private qualify(name: string, scope: Map<string, string>, isElement: boolean, at: number) {
    const colon = name.indexOf(":");
    if (colon < 0) return { prefix: null, local: name, namespace: isElement ? (scope.get("") ?? null) : null };
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    if (!prefix || !local || local.includes(":")) this.fail(`a malformed name ${name}`, at);
    const namespace = scope.get(prefix);
    if (namespace === undefined && !this.options.tolerateUndeclaredPrefixes) this.fail(`the prefix ${prefix}: is not declared`, at);
    return { prefix, local, namespace: namespace ?? null };
  }

  private resolve(qname: string, raw: { name: string; value: string; at: number }[], scope: Map<string, string>, at: number): XmlElement {
    const attributes: XmlAttribute[] = [];
    const seen = new Set<string>();
    for (const { name, value, at: where } of raw) {
      if (name === "xmlns" || name.startsWith("xmlns:")) continue;
      const { prefix, local, namespace } = this.qualify(name, scope, false, where);
      if (namespace !== null) {
        // Two prefixes for one namespace make the same attribute twice.
        const expanded = `${namespace} ${local}`;
        if (seen.has(expanded)) this.fail(`the attribute ${name} appears twice`, where);
        seen.add(expanded);
      }
      attributes.push({ prefix, local, namespace, value });
    }
    const { prefix, local, namespace } = this.qualify(qname, scope, true, at);
    return { kind: "element", prefix, local, namespace, attributes, children: [] };
  }
}

/** Escapes text content. `>` too, so `]]>` can never appear. */
export const escapeXmlText = (value: string) => value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Escapes a double-quoted attribute value; white space as references so it survives normalisation. */
export const escapeXmlAttribute = (value: string) =>
  escapeXmlText(value).replaceAll('"', "&quot;").replaceAll("\t", "&#9;").replaceAll("\n", "&#10;").replaceAll("\r", "&#13;");

/** A CDATA section holding any text, `]]>` included (split across two sections). */
export const cdataSection = (text: string) => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/** All text inside an element, in document order. */
export function textContent(element: XmlElement): string {
  return element.children.map((child) => (child.kind === "text" ? child.text : textContent(child))).join("");
}

/** The first element, in document order, for which `test` holds. */
export function findElement(root: XmlElement, test: (element: XmlElement) => boolean): XmlElement | null {
  if (test(root)) return root;
  for (const child of root.children) {
    if (child.kind !== "element") continue;
    const found = findElement(child, test);
    if (found) return found;
  }
  return null;
}
