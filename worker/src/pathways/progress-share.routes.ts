import { Hono } from "hono";
import { getUserById } from "../accounts/accounts.service";
import { getBadgeClasses } from "../badges/badge-classes.service";
import { getIssuer, getIssuers } from "../badges/issuers.service";
import { backgroundContext } from "../context";
import { escapeHtml } from "../lib/html";
import { publicUrls } from "../lib/public-urls";
import { publicPage } from "../verification/page";
import { earnUrl, type LearnerProgress, learnerProgress } from "./progress.service";
import { getProgressShare } from "./progress-shares.service";
import { badgeClassesOf, type NodeProgress } from "./requirements";

/** `GET /public/pathway-progress/:token`: a learner's shared progress on a pathway, for anyone with the link. */
export const progressShareRoutes = new Hono<{ Bindings: Env }>();

const date = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

interface Names {
  badges: Map<string, { name: string; issuer: string }>;
}

function nodeHtml(appUrl: string, progress: LearnerProgress, node: NodeProgress, names: Names, depth: number): string {
  const n = node.node;
  const status = node.met
    ? `<span class="status valid">Done</span>`
    : `<span class="status expired">${node.done} of ${node.required}</span>`;
  const junction = n.junction === "all" ? "All of these" : `At least ${node.required} of these`;
  const badges = n.badgeClassIds.map((id) => {
    const badge = names.badges.get(id);
    const held = progress.held.has(id);
    const href = earnUrl(appUrl, { badgeClassId: id, microCredential: progress.microCredentials.has(id) });
    return `<li>${held ? "✓ " : ""}<a href="${escapeHtml(href)}">${escapeHtml(badge?.name ?? "A badge")}</a>${
      badge ? ` <small>by ${escapeHtml(badge.issuer)}</small>` : ""
    } · ${held ? "earned" : "not yet"}</li>`;
  });
  const children = node.children.map((c) => nodeHtml(appUrl, progress, c, names, depth + 1));
  const heading = depth === 0 ? "The whole pathway" : escapeHtml(n.name);
  return `<li><p><strong>${heading}</strong> ${status} <small>${junction}</small></p>${
    depth > 0 && n.description ? `<p><small>${escapeHtml(n.description)}</small></p>` : ""
  }${badges.length || children.length ? `<ul>${badges.join("")}${children.join("")}</ul>` : ""}</li>`;
}

progressShareRoutes.get("/pathway-progress/:token", async (c) => {
  const ctx = backgroundContext(c.env, c.executionCtx);
  const share = await getProgressShare(ctx, c.req.param("token"));
  // Not cached anywhere: progress changes with every award, and a withdrawn link must stop at once.
  const headers = { "cache-control": "no-store", "x-robots-tag": "noindex" };
  if (!share) return c.json({ error: "Not found" }, 404, headers);
  const { pathway } = share;
  const [learner, issuer, progress] = await Promise.all([
    getUserById(ctx, share.userId),
    getIssuer(ctx, pathway.issuerId),
    learnerProgress(ctx, { id: share.userId }, pathway),
  ]);
  const badgeClasses = await getBadgeClasses(ctx, badgeClassesOf(progress.tree));
  const issuers = await getIssuers(ctx, [...new Set(badgeClasses.map((b) => b.issuerId))]);
  const names: Names = {
    badges: new Map(badgeClasses.map((b) => [b.id, { name: b.name, issuer: issuers.find((i) => i.id === b.issuerId)?.name ?? "" }])),
  };
  const appUrl = ctx.config.appUrl;
  const who = learner ? `${learner.firstName} ${learner.lastName}`.trim() : "A Laurel learner";
  const completed = progress.completions.get(pathway.id)?.completedAt;
  const summary = completed ? `Completed on ${date(completed)}.` : `${progress.root.done} of ${progress.root.required} steps done.`;
  const image = pathway.imageKey ? publicUrls(appUrl).image(pathway.imageKey) : `${appUrl}/favicon.svg`;
  const description = `${who}'s progress on the pathway "${pathway.name}"${issuer ? ` by ${issuer.name}` : ""}: ${summary}`.slice(0, 300);
  const body = publicPage(
    { title: `${pathway.name} · ${who}`, description, url: c.req.url, image },
    `${pathway.imageKey ? `<img src="${escapeHtml(image)}" alt="" width="200">` : ""}
<h1>${escapeHtml(pathway.name)}</h1>
<p>${escapeHtml(who)}'s progress on a pathway${issuer ? ` by ${escapeHtml(issuer.name)}` : ""}. <strong>${escapeHtml(summary)}</strong></p>
${pathway.description ? `<p>${escapeHtml(pathway.description)}</p>` : ""}
<div class="details"><h2>Steps</h2><ul>${nodeHtml(appUrl, progress, progress.root, names, 0)}</ul></div>
<p><small>Shared by the learner, who can withdraw this link. Each badge links to what it takes to earn it.</small></p>
`,
  );
  return c.html(body, 200, headers);
});
