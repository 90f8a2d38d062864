import { env } from "cloudflare:workers";
import { Lexer, type Token } from "marked";
import { beforeAll, describe, expect, it } from "vitest";
import { backgroundContext } from "../context";
import { findSpaPage } from "../http/spa-pages";
import { renderMarkdown } from "../lib/markdown";
import { listPublishedArticles, loadHelpContent } from "./articles.service";
import { parseHelpContent } from "./content";
import { HELP_CONTENT_FILES } from "./content.generated";

// The files themselves, read by Vite at test time: what `pnpm help:content` must have bundled.
const onDisk = import.meta.glob<string>("./content/**/*.{md,json}", { query: "?raw", import: "default", eager: true });
// Every source file of the SPA: the labels an article quotes must be on its screens.
const spaSources = Object.values(
  import.meta.glob<string>("../../../web/src/**/*.{ts,tsx}", { query: "?raw", import: "default", eager: true }),
);

const content = parseHelpContent(HELP_CONTENT_FILES);
const ctx = () => backgroundContext(env, { waitUntil: () => undefined });

beforeAll(async () => {
  await loadHelpContent(ctx(), content);
});

function walk(tokens: Token[] | undefined, visit: (token: Token) => void) {
  for (const token of tokens ?? []) {
    visit(token);
    if ("tokens" in token) walk(token.tokens as Token[], visit);
    if (token.type === "list") for (const item of token.items) walk(item.tokens, visit);
    if (token.type === "table") for (const cell of [...token.header, ...token.rows.flat()]) walk(cell.tokens, visit);
  }
}

describe("the help centre's content", () => {
  it("content.generated.ts bundles exactly the files in content/ (run `pnpm help:content`)", () => {
    const files = Object.fromEntries(Object.entries(onDisk).map(([path, text]) => [path.replace(/^\.\/content\//, ""), text]));
    expect(Object.keys(HELP_CONTENT_FILES).sort()).toEqual(Object.keys(files).sort());
    for (const [path, text] of Object.entries(files)) expect(HELP_CONTENT_FILES[path], path).toBe(text);
  });

  it("loads every article into D1, published, with a rendered body", async () => {
    expect(content.articles.length).toBeGreaterThan(0);
    const published = await listPublishedArticles(ctx());
    for (const file of content.articles.filter((a) => a.state === "published")) {
      const row = published.find((a) => a.slug === file.slug);
      expect(row, file.slug).toBeDefined();
      expect(row!.bodyHtml.length, file.slug).toBeGreaterThan(0);
      expect(file.summary.length, `${file.slug}: summary at most 160 characters`).toBeLessThanOrEqual(160);
    }
  });

  it("loading again changes nothing", async () => {
    expect(await loadHelpContent(ctx(), content)).toEqual({ created: 0, updated: 0 });
  });

  // Drafts wait for the screens they describe (an article may be written before its feature
  // lands); once published, an article's links and labels must be real.
  const published = content.articles.filter((a) => a.state === "published");

  it("every link in every published article resolves: SPA pages, other published articles, anchors", () => {
    const anchors = new Map(published.map((a) => [a.slug, new Set(renderMarkdown(a.body).anchors)]));
    const broken: string[] = [];
    for (const article of published) {
      walk(Lexer.lex(article.body), (token) => {
        if (token.type !== "link") return;
        const href: string = token.href;
        if (/^(https?:|mailto:)/.test(href)) return;
        const [pathAndQuery = "", anchor] = href.split("#");
        const path = pathAndQuery.split("?")[0]!;
        const target = path === "" ? article.slug : /^\/help\/articles\/([^/]+)$/.exec(path)?.[1];
        if (target !== undefined) {
          if (!anchors.has(target)) broken.push(`${article.slug}: ${href} (no such article)`);
          else if (anchor && !anchors.get(target)!.has(anchor)) broken.push(`${article.slug}: ${href} (no such heading)`);
          return;
        }
        if (!path.startsWith("/") || !findSpaPage(path, { development: false })) broken.push(`${article.slug}: ${href} (no such page)`);
        else if (anchor) broken.push(`${article.slug}: ${href} (anchors only into articles)`);
      });
    }
    expect(broken).toEqual([]);
  });

  it("every **Label** a published article quotes is in the SPA's source", () => {
    const normalise = (text: string) =>
      text.replace(/\s+/g, " ").replaceAll("&apos;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    const sources = spaSources.map(normalise).join("\n");
    const missing: string[] = [];
    for (const article of published) {
      walk(Lexer.lex(article.body), (token) => {
        if (token.type !== "strong") return;
        const label = normalise(token.text.replace(/\\(.)/g, "$1"));
        const candidates = [label, label.replaceAll("'", "’"), label.replaceAll("’", "'")];
        if (!candidates.some((c) => sources.includes(c))) missing.push(`${article.slug}: **${label}**`);
      });
    }
    expect(missing).toEqual([]);
  });
});
