import { ValidationError } from "../lib/errors";

/**
 * The help centre's articles as files: `catalogue.json` names the categories and their
 * sections, in order, and each article is `<category>/<section>/<slug>.md`: front matter
 * (title, summary, audience, author, updated, promoted, position, optionally state) and a
 * Markdown body. `pnpm help:content` bundles the folder `content/` into
 * `content.generated.ts`, which the dev seed and the tests load into D1.
 */
export interface CatalogueSection {
  slug: string;
  name: string;
  description?: string;
  /** 1 first; the catalogue's order when absent. */
  position?: number;
}

export interface CatalogueCategory {
  slug: string;
  name: string;
  description?: string;
  position?: number;
  sections: CatalogueSection[];
}

export interface Catalogue {
  categories: CatalogueCategory[];
}

export interface ArticleFile {
  category: string;
  section: string;
  slug: string;
  title: string;
  summary: string;
  audience: string;
  author: string;
  /** "Updated <date>" as the author wrote it (YYYY-MM-DD). */
  updated: Date;
  promoted: boolean;
  position: number;
  state: "draft" | "published";
  body: string;
}

export interface HelpContent {
  catalogue: Catalogue;
  articles: ArticleFile[];
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Front matter as the files write it: `key: value` lines between `---` lines; values may be quoted. */
export function parseFrontMatter(source: string): { fields: Record<string, string>; body: string } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source.replace(/^\uFEFF/, ""));
  if (!match) return null;
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon < 1) return null;
    // Values are taken as written, quotes included (FORMAT.md: no quotes needed).
    fields[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { fields, body: match[2]! };
}

/**
 * Reads the bundled files (paths relative to `content/`), and refuses the whole set with every
 * problem named when a file is wrong: a half-loaded help centre would be worse than none.
 */
export function parseHelpContent(files: Record<string, string>): HelpContent {
  const problems: { field: string; message: string }[] = [];
  const catalogueSource = files["catalogue.json"];
  let catalogue: Catalogue = { categories: [] };
  if (catalogueSource === undefined) problems.push({ field: "catalogue.json", message: "catalogue.json is missing." });
  else {
    try {
      catalogue = JSON.parse(catalogueSource) as Catalogue;
      if (!Array.isArray(catalogue.categories)) throw new Error("no categories");
    } catch (error) {
      problems.push({ field: "catalogue.json", message: `catalogue.json is not valid: ${(error as Error).message}` });
      catalogue = { categories: [] };
    }
  }
  for (const category of catalogue.categories) {
    if (!SLUG.test(category.slug ?? "") || !category.name)
      problems.push({ field: "catalogue.json", message: `Category ${category.slug}: slug and name.` });
    for (const section of category.sections ?? []) {
      if (!SLUG.test(section.slug ?? "") || !section.name)
        problems.push({ field: "catalogue.json", message: `Section ${category.slug}/${section.slug}: slug and name.` });
    }
  }
  const articles: ArticleFile[] = [];
  for (const [path, source] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.endsWith(".md")) continue;
    const parts = path.split("/");
    // README.md or FORMAT.md beside the articles are notes for authors, not articles.
    if (parts.length !== 3) continue;
    const [category, section, file] = parts as [string, string, string];
    const slug = file.slice(0, -3);
    const problem = (message: string) => problems.push({ field: path, message: `${path}: ${message}` });
    if (!SLUG.test(slug)) problem("the file name must be a slug (lower-case words joined by dashes).");
    if (!catalogue.categories.find((c) => c.slug === category)?.sections?.some((s) => s.slug === section)) {
      problem(`${category}/${section} is not a section in catalogue.json.`);
    }
    const parsed = parseFrontMatter(source);
    if (!parsed) {
      problem("it must start with front matter between --- lines.");
      continue;
    }
    const { fields, body } = parsed;
    for (const key of ["title", "summary", "audience", "author", "updated"]) {
      if (!fields[key]) problem(`front matter needs ${key}.`);
    }
    const updated = new Date(`${fields.updated}T00:00:00Z`);
    if (fields.updated && (!/^\d{4}-\d{2}-\d{2}$/.test(fields.updated) || Number.isNaN(updated.getTime()))) {
      problem("updated must be a date, YYYY-MM-DD.");
    }
    const position = fields.position === undefined ? 0 : Number(fields.position);
    if (!Number.isInteger(position)) problem("position must be a whole number.");
    const state = fields.state ?? "published";
    if (state !== "draft" && state !== "published") problem("state must be draft or published.");
    if (articles.some((a) => a.slug === slug)) problem(`the slug ${slug} is used twice.`);
    articles.push({
      category,
      section,
      slug,
      title: fields.title ?? "",
      summary: fields.summary ?? "",
      audience: fields.audience ?? "",
      author: fields.author ?? "",
      updated,
      promoted: fields.promoted === "true",
      position,
      state: state as ArticleFile["state"],
      body: body.trim(),
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { catalogue, articles };
}
