import { Lexer, type Token, type Tokens } from "marked";
import { escapeHtml } from "./html";

/**
 * Markdown to safe HTML by allow-list. marked only parses; this file decides what each token
 * may become, so nothing marked (or the author) adds by accident reaches a page: raw HTML is
 * shown as text, links keep only http(s), mailto and relative targets, images become their
 * alt text, and every attribute value is escaped here. Whatever tag or attribute is not
 * written below cannot appear in the output.
 */
export interface RenderedMarkdown {
  html: string;
  /** The words a reader sees, for full-text search and for a summary. */
  text: string;
  /** The headings' anchors (`#id`), so links to them can be checked. */
  anchors: string[];
}

export interface MarkdownOptions {
  /** Absolute http(s) links to this origin are not marked external. */
  siteOrigin?: string;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  colon: ":",
  tab: "\t",
  newline: "\n",
};

/**
 * CommonMark lets text and link targets carry entities (`&amp;`, `&#106;`); marked leaves them
 * as written. They are decoded once here and the result escaped on output, so `&#106;avascript:`
 * is judged as the `javascript:` it is, and `&amp;lt;` can never turn into a tag.
 */
export function decodeEntities(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      // Surrogates, out-of-range and NUL become U+FFFD, as in HTML.
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[name] ?? whole;
  });
}

export type SafeLink = { href: string; external: boolean };

/**
 * The target a link may have, or null: http(s) and mailto URLs, and relative paths and anchors.
 * Control characters and spaces are removed first, since browsers ignore them inside a scheme
 * (`java\tscript:`).
 */
export function safeLink(rawHref: string, options: MarkdownOptions = {}): SafeLink | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is removed.
  const href = decodeEntities(rawHref).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  // A backslash is a slash to browsers, and an entity left undecoded is one browsers may know: neither is a plain path.
  if (href === "" || href.includes("\\") || /&[a-zA-Z]+;/.test(href)) return null;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    // "//host/path" is another site in a relative disguise.
    if (href.startsWith("//")) return null;
    return { href, external: false };
  }
  if (scheme === "mailto") return { href, external: false };
  if (scheme !== "http" && scheme !== "https") return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return { href: url.href, external: !options.siteOrigin || url.origin !== options.siteOrigin };
}

/** A heading's anchor: lower-case words joined by dashes (`## Trouble scanning?` → `trouble-scanning`). */
export function anchorOf(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/[\s-]+/g, "-");
}

class Renderer {
  readonly anchors: string[] = [];
  readonly words: string[] = [];
  constructor(private readonly options: MarkdownOptions) {}

  blocks(tokens: Token[]): string {
    return tokens.map((token) => this.block(token)).join("");
  }

  private block(token: Token): string {
    switch (token.type) {
      case "heading": {
        const t = token as Tokens.Heading;
        // The page's title is its h1; article headings start at h2, and deeper than h4 reads as h4.
        const level = Math.min(Math.max(t.depth, 2), 4);
        const inner = this.inline(t.tokens);
        const base = anchorOf(plainText(t.tokens)) || "section";
        let id = base;
        for (let n = 2; this.anchors.includes(id); n++) id = `${base}-${n}`;
        this.anchors.push(id);
        this.words.push("\n");
        return `<h${level} id="${escapeHtml(id)}">${inner}</h${level}>\n`;
      }
      case "paragraph":
        this.words.push("\n");
        return `<p>${this.inline((token as Tokens.Paragraph).tokens)}</p>\n`;
      case "text": {
        const t = token as Tokens.Text;
        return t.tokens ? this.inline(t.tokens) : this.text(t.text);
      }
      case "list": {
        const t = token as Tokens.List;
        const tag = t.ordered ? "ol" : "ul";
        const start = t.ordered && typeof t.start === "number" && t.start !== 1 ? ` start="${Math.trunc(t.start)}"` : "";
        const items = t.items.map((item) => `<li>${this.blocks(item.tokens)}</li>\n`).join("");
        return `<${tag}${start}>\n${items}</${tag}>\n`;
      }
      case "blockquote":
        return `<blockquote>\n${this.blocks((token as Tokens.Blockquote).tokens)}</blockquote>\n`;
      case "code": {
        const t = token as Tokens.Code;
        this.words.push(t.text, "\n");
        return `<pre><code>${escapeHtml(t.text)}</code></pre>\n`;
      }
      case "table": {
        const t = token as Tokens.Table;
        const head = t.header.map((cell) => `<th scope="col">${this.inline(cell.tokens)}</th>`).join("");
        const rows = t.rows.map((row) => `<tr>${row.map((cell) => `<td>${this.inline(cell.tokens)}</td>`).join("")}</tr>\n`).join("");
        return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}</tbody>\n</table>\n`;
      }
      case "hr":
        return "<hr>\n";
      case "html":
        // Raw HTML is the author's text, shown as written.
        this.words.push("\n");
        return `<p>${this.text((token as Tokens.HTML).text)}</p>\n`;
      case "space":
      case "def":
        return "";
      default:
        return "raw" in token && typeof token.raw === "string" ? `<p>${this.text(token.raw)}</p>\n` : "";
    }
  }

  private inline(tokens: Token[] | undefined): string {
    return (tokens ?? []).map((token) => this.inlineToken(token)).join("");
  }

  private inlineToken(token: Token): string {
    switch (token.type) {
      case "text": {
        const t = token as Tokens.Text;
        return t.tokens ? this.inline(t.tokens) : this.text(t.text);
      }
      case "escape":
        return this.text((token as Tokens.Escape).text);
      case "strong":
        return `<strong>${this.inline((token as Tokens.Strong).tokens)}</strong>`;
      case "em":
        return `<em>${this.inline((token as Tokens.Em).tokens)}</em>`;
      case "del":
        return `<del>${this.inline((token as Tokens.Del).tokens)}</del>`;
      case "codespan": {
        // Code shows entities as written, so it is escaped without decoding.
        const text = (token as Tokens.Codespan).text;
        this.words.push(text);
        return `<code>${escapeHtml(text)}</code>`;
      }
      case "br":
        return "<br>";
      case "link": {
        const t = token as Tokens.Link;
        const inner = this.inline(t.tokens);
        const link = safeLink(t.href, this.options);
        if (!link) return inner;
        const title = t.title ? ` title="${escapeHtml(decodeEntities(t.title))}"` : "";
        if (!link.external) return `<a href="${escapeHtml(link.href)}"${title}>${inner}</a>`;
        return `<a href="${escapeHtml(link.href)}"${title} rel="noopener noreferrer" class="external">${inner}<span class="external-mark" aria-hidden="true"> ↗</span><span class="visually-hidden"> (external link)</span></a>`;
      }
      case "image":
        // Articles carry no images: an image is its description.
        return this.text((token as Tokens.Image).text);
      case "html":
        return this.text((token as Tokens.HTML).text);
      default:
        return "raw" in token && typeof token.raw === "string" ? this.text(token.raw) : "";
    }
  }

  private text(raw: string): string {
    const decoded = decodeEntities(raw);
    this.words.push(decoded);
    return escapeHtml(decoded);
  }
}

function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      if ("tokens" in token && Array.isArray(token.tokens)) return plainText(token.tokens);
      return "text" in token && typeof token.text === "string" ? decodeEntities(token.text) : "";
    })
    .join("");
}

/** Renders Markdown (GitHub-flavoured: tables, strike-through, autolinks) to allow-listed HTML. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const renderer = new Renderer(options);
  const tokens = Lexer.lex(markdown, { gfm: true, breaks: false });
  const html = renderer.blocks(tokens);
  const text = renderer.words
    .join("")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
  return { html, text, anchors: renderer.anchors };
}
