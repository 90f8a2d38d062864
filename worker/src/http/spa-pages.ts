import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { getConfig } from "../env";
import { escapeHtml } from "../lib/html";
import { MAILBOX_CSP, SPA_CSP, spaCspWithTurnstile } from "./security-headers";

/**
 * The SPA's pages as the Worker knows them: each path the router of `web/src/App.tsx` answers
 * (a test keeps the two lists equal), with the title and description a crawler or a link
 * preview sees before any script runs, and whether search engines may index it. A path that
 * is none of these gets the SPA's "Page not found" with a real 404.
 */
export interface SpaPage {
  path: string;
  title: string;
  description: string;
  /** Public pages worth finding in a search engine; the rest are personal or a step of a flow. */
  indexed?: boolean;
  /** Served only by a development build (the dev mailbox). */
  devOnly?: boolean;
}

export const SPA_PAGES: readonly SpaPage[] = [
  {
    path: "/",
    title: "Laurel",
    description: "Earn, keep and share micro-credentials: evidence-backed digital badges that anyone can verify.",
    indexed: true,
  },
  // Found by search ("Laurel sign in"); the steps after them are not.
  {
    path: "/sign-in",
    title: "Sign in",
    description: "Sign in to Laurel to see your badges, share them and award your own.",
    indexed: true,
  },
  { path: "/sign-in/setup", title: "Set up two-step sign-in", description: "Connect an authenticator app to your Laurel account." },
  { path: "/sign-in/code", title: "Enter your code", description: "The second step of signing in to Laurel." },
  { path: "/sign-in/continue", title: "Signing in", description: "Finishing your sign-in to Laurel." },
  {
    path: "/register",
    title: "Create your account",
    description: "Create a free Laurel account for the badges awarded to your email addresses.",
    indexed: true,
  },
  { path: "/register/verify", title: "Check your email", description: "Enter the code we emailed you to activate your Laurel account." },
  { path: "/forgot-password", title: "Forgot password", description: "Get a code by email to choose a new Laurel password." },
  { path: "/reset-password", title: "Choose a new password", description: "Choose a new password for your Laurel account." },
  { path: "/account", title: "Account", description: "Your name, profile, email addresses and sessions." },
  { path: "/account/security", title: "Security", description: "Two-step sign-in, recovery code and remembered devices." },
  { path: "/backpack", title: "Backpack", description: "Every badge awarded to your verified email addresses." },
  { path: "/backpack/:id", title: "Badge", description: "One of your badges: details, sharing and downloads." },
  { path: "/backpack/collections", title: "Collections", description: "Named selections of your badges, shareable as one page." },
  { path: "/backpack/collections/:id", title: "Collection", description: "Choose the badges of a collection and share it." },
  { path: "/issuers", title: "Issuers", description: "The issuers you award badges for." },
  { path: "/issuers/:id", title: "Issuer console", description: "Badge classes, awards and members of an issuer." },
  {
    path: "/issuers/:id/badge-classes/:classId",
    title: "Badge class",
    description: "One of an issuer's badge classes: its details, editing it, and its awards.",
  },
  { path: "/issuers/:id/reviews", title: "Submissions to review", description: "An issuer's micro-credential submissions, oldest first." },
  { path: "/issuers/:id/reviews/:submissionId", title: "Review", description: "Score a submission against the rubric and decide." },
  {
    path: "/issuers/:id/micro-credentials/:badgeClassId",
    title: "Micro-credential definition",
    description: "What learners submit for a micro-credential, and its rubric.",
  },
  {
    path: "/micro-credentials",
    title: "Micro-credentials",
    description: "Competency-based badges you earn by submitting evidence that an assessor judges against a rubric.",
    indexed: true,
  },
  {
    path: "/micro-credentials/:id",
    title: "Micro-credential",
    description: "A competency-based badge earned by submitting evidence that an assessor judges against a rubric.",
    indexed: true,
  },
  { path: "/submissions", title: "My submissions", description: "Your work towards micro-credentials and the assessors' feedback." },
  { path: "/submissions/:id", title: "Submission", description: "Your submission: answers, files, status and feedback." },
  {
    path: "/issuers/:id/pathways/:pathwayId",
    title: "Pathway builder",
    description: "Build a pathway's steps, publish it and invite learners.",
  },
  {
    path: "/pathways",
    title: "Pathways",
    description: "The pathways you follow, your invitations, and pathways that count a badge you hold.",
  },
  { path: "/pathways/:id", title: "Pathway", description: "A pathway's steps: what you have done and how to earn what is missing." },
  { path: "/invitations/:token", title: "Invitation", description: "An invitation to award badges for an issuer on Laurel." },
  { path: "/dev/mailbox", title: "Mailbox", description: "Emails Laurel sent in development.", devOnly: true },
  {
    path: "/verify",
    title: "Verify a badge",
    description: "Check that an Open Badges 2.0 or 3.0 badge is authentic, unrevoked and awarded to the person showing it.",
    indexed: true,
  },
  {
    path: "/help",
    title: "Help centre",
    description: "Answers about signing in, badges, pathways and micro-credentials on Laurel, with search.",
    indexed: true,
  },
  // Its title and description are the article's own (a lookup given to spaPages()); an unknown slug is a 404.
  { path: "/help/articles/:slug", title: "Help article", description: "An article of Laurel's help centre.", indexed: true },
  { path: "/help/requests/new", title: "Submit a request", description: "Ask Laurel support for help, signed in or not." },
  { path: "/help/requests", title: "My Tickets", description: "Your requests to Laurel support." },
  { path: "/help/requests/:id", title: "Support request", description: "One of your requests to Laurel support and its conversation." },
  { path: "/staff/tickets", title: "Support desk", description: "Laurel staff: the queue of support tickets." },
  { path: "/staff/tickets/:id", title: "Ticket", description: "Laurel staff: one support ticket and its requester's account." },
  { path: "/terms", title: "Terms of use", description: "The terms under which Laurel is offered.", indexed: true },
  { path: "/privacy", title: "Privacy", description: "What Laurel keeps about you, why, and for how long.", indexed: true },
];

const matchers = SPA_PAGES.map((page) => ({
  page,
  pattern: new RegExp(`^${page.path.replace(/:[^/]+/g, "[^/]+")}/?$`),
}));

/** The SPA page a path shows, or null for an unknown path. */
export function findSpaPage(pathname: string, options: { development: boolean }): SpaPage | null {
  for (const { page, pattern } of matchers) {
    if (pattern.test(pathname) && (!page.devOnly || options.development)) return page;
  }
  return null;
}

/** Paths the Worker answers itself: never the SPA's HTML, also when unknown (a JSON 404). */
const API_PREFIXES = ["/graphql", "/api/", "/public/", "/auth/", "/dev/api/", "/.well-known/", "/__scheduled"];

/**
 * robots.txt from the same table: the public pages, and the badge and collection pages under
 * /public/, may be crawled; accounts, the steps of a flow and the API may not.
 */
export function robotsTxt(): string {
  const disallowed = new Set(["/graphql", "/api/", "/auth/"]);
  for (const page of SPA_PAGES) {
    // Up to its first parameter: "/sign-in/code" keeps crawlers off that step, not off /sign-in.
    if (!page.indexed) disallowed.add(page.path.replace(/\/:.*$/, "") || "/");
  }
  // A rule is a prefix: one under another adds nothing.
  const rules = [...disallowed].filter((path) => ![...disallowed].some((other) => other !== path && path.startsWith(`${other}/`)));
  return ["User-agent: *", "Allow: /", ...rules.sort().map((path) => `Disallow: ${path}`), ""].join("\n");
}

/** What a page's HTML says before any script runs. */
export interface PageHead {
  title: string;
  description: string;
}

/**
 * For pages whose head depends on what the path names (an article's slug): the head, or null
 * when the path names nothing, which answers 404. `params` holds the path's `:name` parts.
 */
export type PageHeadLookup = (c: Context<{ Bindings: Env }>, params: Record<string, string>) => Promise<PageHead | null>;

function paramsOf(page: SpaPage, pathname: string): Record<string, string> {
  const names = page.path.split("/");
  const values = pathname.replace(/\/$/, "").split("/");
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name.startsWith(":")) {
      try {
        params[name.slice(1)] = decodeURIComponent(values[i] ?? "");
      } catch {
        params[name.slice(1)] = "";
      }
    }
  });
  return params;
}

/** The SPA's HTML with the page's title and description written in, so a crawler sees them. */
async function renderShell(
  assets: Fetcher,
  request: Request,
  page: SpaPage | null,
  status: number,
  turnstileScript: string | null,
  head?: PageHead,
): Promise<Response> {
  const shell = await assets.fetch(new Request(new URL("/", request.url), { headers: { accept: "text/html" } }));
  const title = head
    ? `${head.title} · Laurel`
    : page
      ? page.path === "/"
        ? "Laurel"
        : `${page.title} · Laurel`
      : "Page not found · Laurel";
  const description = head?.description ?? page?.description ?? "There is no page at this address.";
  const rewritten = new HTMLRewriter()
    .on("title", {
      element(element) {
        element.setInnerContent(title);
        element.after(`<meta property="og:description" content="${escapeHtml(description)}" />`, { html: true });
        element.after(`<meta property="og:title" content="${escapeHtml(title)}" />`, { html: true });
        element.after(`<meta name="description" content="${escapeHtml(description)}" />`, { html: true });
        if (!page?.indexed) element.after(`<meta name="robots" content="noindex" />`, { html: true });
      },
    })
    .transform(shell);
  const headers = new Headers(rewritten.headers);
  headers.set("content-type", "text/html; charset=utf-8");
  // The shell changes with every deploy: a browser asks each time, the asset files are immutable.
  headers.set("cache-control", "no-cache");
  headers.delete("etag");
  // The shell's own policy (scripts and styles from files only); the mailbox shows emails' inline styles.
  headers.set(
    "content-security-policy",
    page?.path === "/dev/mailbox" ? MAILBOX_CSP : turnstileScript ? spaCspWithTurnstile(turnstileScript) : SPA_CSP,
  );
  headers.set("cross-origin-opener-policy", "same-origin");
  return new Response(request.method === "HEAD" ? null : rewritten.body, { status, headers });
}

/**
 * Answers every GET of a path that is not the API's: a known SPA route with its HTML (200), an
 * unknown one with the SPA's not-found page and a 404, and `/robots.txt`. The asset files
 * themselves (/assets/*, the icon) never reach the Worker (`run_worker_first` in wrangler.toml).
 */
export function spaPages(lookups: Record<string, PageHeadLookup> = {}) {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const { pathname } = new URL(c.req.url);
    if ((c.req.method !== "GET" && c.req.method !== "HEAD") || API_PREFIXES.some((prefix) => pathname.startsWith(prefix))) {
      return next();
    }
    if (pathname === "/robots.txt") return c.text(robotsTxt(), 200, { "cache-control": "public, max-age=3600" });
    const config = getConfig(c.env);
    const page = findSpaPage(pathname, { development: config.environment !== "production" });
    const turnstileScript = config.turnstile?.scriptUrl ?? null;
    const lookup = page ? lookups[page.path] : undefined;
    if (page && lookup) {
      const head = await lookup(c, paramsOf(page, pathname));
      return head
        ? renderShell(c.env.ASSETS, c.req.raw, page, 200, turnstileScript, head)
        : renderShell(c.env.ASSETS, c.req.raw, null, 404, turnstileScript);
    }
    return renderShell(c.env.ASSETS, c.req.raw, page, page ? 200 : 404, turnstileScript);
  });
}
