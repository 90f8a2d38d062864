import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { bearerGql, insertApiToken } from "../../test/api-tokens";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { backgroundContext } from "../context";
import { VISITOR_COOKIE } from "../http/cookies";
import { loadHelpContent } from "./articles.service";
import { parseHelpContent } from "./content";
import { ftsQuery, searchArticles } from "./search.service";

const ctx = () => backgroundContext(env, { waitUntil: () => undefined });

// Words no real article uses, so these tests rank only their own articles.
const article = (fields: Record<string, string>, body: string) =>
  `---\n${Object.entries({
    audience: "Learners",
    author: "Laurel Support",
    updated: "2026-11-30",
    promoted: "false",
    position: "1",
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n---\n${body}\n`;

const FILES: Record<string, string> = {
  "catalogue.json": JSON.stringify({
    categories: [
      { slug: "zq-signing", name: "Zq signing", sections: [{ slug: "zq-codes", name: "Zq codes" }] },
      { slug: "zq-badges", name: "Zq badges", sections: [{ slug: "zq-sharing", name: "Zq sharing" }] },
    ],
  }),
  "zq-signing/zq-codes/zq-quokkaflux-title.md": article(
    { title: "Quokkaflux recovery", summary: "The quokkaflux in its title.", promoted: "true" },
    "Something about codes.",
  ),
  "zq-signing/zq-codes/zq-quokkaflux-body.md": article(
    { title: "Another page", summary: "Plain summary.", position: "2" },
    "## Steps\n\nThis page mentions quokkaflux once in a long body about <script>alert(1)</script> and more words.",
  ),
  "zq-signing/zq-codes/zq-draft.md": article({ title: "Draft quokkaflux", summary: "Not yet.", state: "draft" }, "Hidden quokkaflux."),
  "zq-badges/zq-sharing/zq-wombatrix.md": article(
    { title: "Sharing with wombatrix", summary: "Wombatrix and quokkaflux together." },
    "Share the wombatrix badge.",
  ),
};

const gql = async (client: TestClient, query: string, variables: Record<string, unknown> = {}) => client.gql(query, variables);

let ids: Record<string, string> = {};

beforeAll(async () => {
  await loadHelpContent(ctx(), parseHelpContent(FILES));
  const rows = await env.DB.prepare("SELECT id, slug FROM help_articles WHERE slug LIKE 'zq-%'").all<{ id: string; slug: string }>();
  ids = Object.fromEntries(rows.results.map((r) => [r.slug, r.id]));
});

describe("help search", () => {
  it("ranks a title match above a body match (bm25, title weighted)", async () => {
    const hits = await searchArticles(ctx(), { query: "quokkaflux" });
    const slugs = hits.map((h) => h.slug);
    expect(slugs[0]).toBe("zq-quokkaflux-title");
    expect(slugs).toContain("zq-quokkaflux-body");
    expect(slugs.indexOf("zq-quokkaflux-title")).toBeLessThan(slugs.indexOf("zq-quokkaflux-body"));
  });

  it("matches prefixes while typing", async () => {
    for (const typed of ["quo", "quokk", "QUOKKAF", "wombat rix"]) {
      // "wombat rix": both words must match as prefixes, and "rix" starts no word: nothing.
      const hits = await searchArticles(ctx(), { query: typed });
      if (typed === "wombat rix") expect(hits).toEqual([]);
      else expect(hits.map((h) => h.slug)).toContain("zq-quokkaflux-title");
    }
    expect((await searchArticles(ctx(), { query: "wombat shar" })).map((h) => h.slug)).toEqual(["zq-wombatrix"]);
  });

  it("gives snippets with the matches marked and everything else escaped", async () => {
    const [hit] = (await searchArticles(ctx(), { query: "mentions" })).filter((h) => h.slug === "zq-quokkaflux-body");
    expect(hit?.snippetHtml).toContain("<mark>mentions</mark>");
    expect(hit?.snippetHtml).toContain("&lt;script&gt;");
    expect(hit?.snippetHtml).not.toContain("<script");
    const [title] = await searchArticles(ctx(), { query: "quokkaflux recov" });
    expect(title?.titleHtml).toBe("<mark>Quokkaflux</mark> <mark>recovery</mark>");
  });

  it("filters by category", async () => {
    const { results } = await env.DB.prepare("SELECT id, slug FROM help_categories WHERE slug LIKE 'zq-%'").all<{
      id: string;
      slug: string;
    }>();
    const badges = results.find((c) => c.slug === "zq-badges")!.id;
    const hits = await searchArticles(ctx(), { query: "quokkaflux", categoryId: badges });
    expect(hits.map((h) => h.slug)).toEqual(["zq-wombatrix"]);
  });

  it("never finds drafts", async () => {
    expect((await searchArticles(ctx(), { query: "hidden" })).map((h) => h.slug)).not.toContain("zq-draft");
    expect((await searchArticles(ctx(), { query: "draft quokkaflux" })).map((h) => h.slug)).toEqual([]);
  });

  it.each([
    '"',
    'quokkaflux"',
    "quokkaflux OR",
    "NEAR(quokkaflux wombatrix)",
    "title:quokkaflux",
    "{title}: x",
    "quokka*",
    "* AND -",
    "^quokkaflux",
    "'; DROP TABLE help_articles; --",
    ")(",
    "\u0000\uE000\uE001",
    "a".repeat(5000),
    "😀 ünïcödé",
  ])("answers hostile input %j without an error", async (typed) => {
    const client = new TestClient();
    const answer = await client.gqlResult("query ($q: String!) { searchHelp(query: $q) { slug snippetHtml } }", { q: typed });
    expect(answer.errors).toBeUndefined();
    expect(Array.isArray(answer.data.searchHelp)).toBe(true);
  });

  it("builds quoted prefix terms only", () => {
    expect(ftsQuery('title:"x" OR NEAR(a b)')).toBe('"title"* "x"* "or"* "near"* "a"* "b"*');
    expect(ftsQuery("  -*^ ")).toBeNull();
    expect(ftsQuery("e-mail")).toBe('"e"* "mail"*');
  });

  it("keeps the index equal to the published articles when an article changes", async () => {
    await loadHelpContent(
      ctx(),
      parseHelpContent({
        ...FILES,
        "zq-badges/zq-sharing/zq-wombatrix.md": article(
          { title: "Sharing with numbatzo", summary: "Renamed.", updated: "2026-12-01" },
          "Share it.",
        ),
      }),
    );
    expect((await searchArticles(ctx(), { query: "wombatrix" })).map((h) => h.slug)).toEqual([]);
    expect((await searchArticles(ctx(), { query: "numbat" })).map((h) => h.slug)).toEqual(["zq-wombatrix"]);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM help_search WHERE article_id = ?")
      .bind(ids["zq-wombatrix"])
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    await loadHelpContent(ctx(), parseHelpContent(FILES));
  });
});

const VOTE = `mutation ($id: ID!, $helpful: Boolean!) {
  voteOnHelpArticle(articleId: $id, helpful: $helpful) { __typename ... on HelpVotes { helpful total } ... on Error { message } }
}`;

describe("Was this article helpful?", () => {
  it("counts 20 concurrent voters exactly, and a changed vote once", async () => {
    const id = ids["zq-quokkaflux-body"]!;
    const voters = Array.from({ length: 20 }, () => new TestClient());
    const answers = await Promise.all(voters.map((client, i) => gql(client, VOTE, { id, helpful: i < 13 })));
    // The batches commit one after another: each answer counts itself and those before it.
    expect(answers.map((a) => a.voteOnHelpArticle.total).sort((a: number, b: number) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const read = async () =>
      (
        await gql(new TestClient(), "query ($slug: String!) { helpArticle(slug: $slug) { votes { helpful total } } }", {
          slug: "zq-quokkaflux-body",
        })
      ).helpArticle.votes;
    expect(await read()).toEqual({ helpful: 13, total: 20 });
    // One voter changes their mind, several times at once: still one vote, the last one written.
    const changer = voters[0]!;
    await Promise.all([0, 1, 2, 3, 4].map(() => gql(changer, VOTE, { id, helpful: false })));
    expect(await read()).toEqual({ helpful: 12, total: 20 });
    expect((await gql(changer, 'query { helpArticle(slug: "zq-quokkaflux-body") { myVote } }')).helpArticle.myVote).toBe(false);
    await gql(changer, VOTE, { id, helpful: true });
    expect(await read()).toEqual({ helpful: 13, total: 20 });
  });

  it("gives a visitor a random cookie and stores only its hash", async () => {
    const client = new TestClient();
    await gql(client, VOTE, { id: ids["zq-wombatrix"], helpful: true });
    const cookie = client.cookies.get(VISITOR_COOKIE);
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await env.DB.prepare("SELECT voter_key FROM help_votes WHERE article_id = ?")
      .bind(ids["zq-wombatrix"])
      .all<{ voter_key: string }>();
    expect(stored.results.map((r) => r.voter_key).join()).not.toContain(cookie);
    expect(stored.results.some((r) => /^visitor:[0-9a-f]{64}$/.test(r.voter_key))).toBe(true);
  });

  it("counts a signed-in user as themselves, whatever browser", async () => {
    const user = await createUser();
    const [a, b] = [new TestClient(), new TestClient()];
    await signInAs(a, user);
    await signInAs(b, user);
    const id = ids["zq-quokkaflux-title"]!;
    const first = await gql(a, VOTE, { id, helpful: true });
    const second = await gql(b, VOTE, { id, helpful: false });
    expect(second.voteOnHelpArticle.total).toBe(first.voteOnHelpArticle.total);
    expect(second.voteOnHelpArticle.helpful).toBe(first.voteOnHelpArticle.helpful - 1);
    expect(a.cookies.has(VISITOR_COOKIE)).toBe(false);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM help_votes WHERE voter_key = ?")
      .bind(`user:${user.id}`)
      .first<{ n: number }>();
    expect(row?.n).toBe(1);
  });

  it("refuses votes on drafts and unknown articles", async () => {
    for (const id of [ids["zq-draft"], "no-such-article"]) {
      const answer = await gql(new TestClient(), VOTE, { id, helpful: true });
      expect(answer.voteOnHelpArticle.__typename).toBe("NotFoundError");
    }
    const row = await env.DB.prepare("SELECT count(*) AS n FROM help_votes WHERE article_id = ?")
      .bind(ids["zq-draft"])
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});

const FEEDBACK = `mutation ($id: ID!, $message: String!) {
  sendHelpFeedback(articleId: $id, message: $message) {
    __typename ... on HelpFeedbackSent { id } ... on Error { message } ... on ValidationError { fieldErrors { field message } }
  }
}`;

describe("feedback", () => {
  it("reaches staff with its article; others cannot list it", async () => {
    const reader = new TestClient();
    const sent = await gql(reader, FEEDBACK, { id: ids["zq-quokkaflux-body"], message: "  The steps skip the QR code.  " });
    expect(sent.sendHelpFeedback.__typename).toBe("HelpFeedbackSent");
    const staff = new TestClient();
    await signInAs(staff, await createUser({ role: "staff" }));
    const list = await gql(staff, "{ helpFeedback { id message fromSignedInUser article { slug title } } }");
    expect(list.helpFeedback).toContainEqual({
      id: sent.sendHelpFeedback.id,
      message: "The steps skip the QR code.",
      fromSignedInUser: false,
      article: { slug: "zq-quokkaflux-body", title: "Another page" },
    });
    const learner = new TestClient();
    await signInAs(learner, await createUser());
    expect((await learner.gqlResult("{ helpFeedback { id } }")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await new TestClient().gqlResult("{ helpFeedback { id } }")).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses empty feedback and feedback on drafts, and writes nothing", async () => {
    const client = new TestClient();
    const empty = await gql(client, FEEDBACK, { id: ids["zq-quokkaflux-body"], message: "   " });
    expect(empty.sendHelpFeedback.fieldErrors).toEqual([{ field: "message", message: "Write what was missing or wrong." }]);
    const draft = await gql(client, FEEDBACK, { id: ids["zq-draft"], message: "x" });
    expect(draft.sendHelpFeedback.__typename).toBe("NotFoundError");
    const row = await env.DB.prepare("SELECT count(*) AS n FROM help_feedback WHERE article_id = ?")
      .bind(ids["zq-draft"])
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
  });

  it("is rate-limited per reader by the attempt guard", async () => {
    const client = new TestClient();
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await gql(client, FEEDBACK, { id: ids["zq-wombatrix"], message: `note ${i}` }));
    expect(results.slice(0, 5).every((r) => r.sendHelpFeedback.__typename === "HelpFeedbackSent")).toBe(true);
    expect(results[5].sendHelpFeedback.__typename).toBe("RateLimitedError");
    expect(results[5].sendHelpFeedback.message).toMatch(/You can send more in \d+ minutes?/);
  });
});

describe("articles", () => {
  const ARTICLE = `query ($slug: String!) { helpArticle(slug: $slug) { title state bodyHtml audience authorName section { name category { name } } related { slug } } }`;

  it("hides drafts from everyone but staff", async () => {
    expect((await gql(new TestClient(), ARTICLE, { slug: "zq-draft" })).helpArticle).toBeNull();
    const learner = new TestClient();
    await signInAs(learner, await createUser());
    expect((await gql(learner, ARTICLE, { slug: "zq-draft" })).helpArticle).toBeNull();
    const staff = new TestClient();
    await signInAs(staff, await createUser({ role: "staff" }));
    expect((await gql(staff, ARTICLE, { slug: "zq-draft" })).helpArticle.state).toBe("draft");
    // A staff member's API token is no browser session: it reads what visitors read.
    const staffUser = await createUser({ role: "staff" });
    const { token } = await insertApiToken({ userId: staffUser.id, scopes: ["backpack:read"] });
    const byToken = await bearerGql(token, ARTICLE, { slug: "zq-draft" });
    expect(byToken.errors).toBeUndefined();
    expect(byToken.data.helpArticle).toBeNull();
    const centre = await gql(
      new TestClient(),
      "{ helpCentre { categories { slug sections { slug articles { slug } } } promoted { slug } } }",
    );
    const slugs = JSON.stringify(centre);
    expect(slugs).toContain("zq-quokkaflux-body");
    expect(slugs).not.toContain("zq-draft");
    expect(centre.helpCentre.promoted.map((a: { slug: string }) => a.slug)).toContain("zq-quokkaflux-title");
  });

  it("serves the article with its section, sanitised body and related articles", async () => {
    const { helpArticle } = await gql(new TestClient(), ARTICLE, { slug: "zq-quokkaflux-body" });
    expect(helpArticle.section).toEqual({ name: "Zq codes", category: { name: "Zq signing" } });
    expect(helpArticle.bodyHtml).toContain("&lt;script&gt;");
    expect(helpArticle.bodyHtml).not.toContain("<script");
    expect(helpArticle.related).toEqual([{ slug: "zq-quokkaflux-title" }]);
    expect(helpArticle.audience).toBe("Learners");
  });

  it("sends the article's real title and description in the page's HTML, and 404 for unknown slugs", async () => {
    const page = await exports.default.fetch(new Request("http://127.0.0.1:8787/help/articles/zq-quokkaflux-title"));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>Quokkaflux recovery · Laurel</title>");
    expect(html).toContain('<meta name="description" content="The quokkaflux in its title." />');
    for (const path of ["/help/articles/no-such-article", "/help/articles/zq-draft", "/help/articles/%3Cscript%3E"]) {
      const missing = await exports.default.fetch(new Request(`http://127.0.0.1:8787${path}`));
      expect(missing.status, path).toBe(404);
      expect(await missing.text()).toContain("Page not found · Laurel");
    }
  });

  it("purges the cached page head when the article changes", async () => {
    const url = "http://127.0.0.1:8787/help/articles/zq-quokkaflux-title";
    expect(await (await exports.default.fetch(new Request(url))).text()).toContain("<title>Quokkaflux recovery · Laurel</title>");
    await loadHelpContent(
      ctx(),
      parseHelpContent({
        ...FILES,
        "zq-signing/zq-codes/zq-quokkaflux-title.md": article(
          { title: "Quokkaflux renamed", summary: "New summary.", promoted: "true", updated: "2026-12-01" },
          "Something about codes.",
        ),
      }),
    );
    // The purge runs after the commit, beside the response: give it its turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await (await exports.default.fetch(new Request(url))).text()).toContain("<title>Quokkaflux renamed · Laurel</title>");
    await loadHelpContent(ctx(), parseHelpContent(FILES));
  });
});
