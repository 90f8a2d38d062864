import type { PublicProfile } from "../accounts/profile.service";
import type { Award } from "../badges/awards.table";
import { awardStatus } from "../badges/awards.table";
import type { BadgeClass } from "../badges/badge-classes.table";
import type { Issuer } from "../badges/issuers.table";
import { escapeHtml } from "../lib/html";
import { publicUrls } from "../lib/public-urls";
import { linkedInShareUrl } from "./sharing";

const date = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

const STATUS_TEXT = {
  pending: ["valid", "Valid"],
  accepted: ["valid", "Valid"],
  expired: ["expired", "Expired"],
  revoked: ["revoked", "Revoked"],
} as const;

/**
 * The human face of an assertion URL: what a browser, a LinkedIn preview or a recruiter sees.
 * Server-rendered with Open Graph and Twitter card tags, no script; every value escaped.
 */
export function assertionPage(
  appUrl: string,
  award: Award,
  badgeClass: BadgeClass,
  issuer: Issuer,
  now: number,
  profile: PublicProfile | null = null,
): string {
  const status = awardStatus(award, now);
  const [statusClass, statusLabel] = STATUS_TEXT[status];
  const url = publicUrls(appUrl).assertion(award.id);
  const image = publicUrls(appUrl).image(badgeClass.imageKey);
  const earner = award.recipientName ?? "The recipient";
  const title = `${badgeClass.name} · ${issuer.name}`;
  const description = `${earner} earned "${badgeClass.name}" from ${issuer.name}. ${badgeClass.description}`.slice(0, 300);
  const revoked =
    status === "revoked" ? `<p class="notice">Revoked by ${escapeHtml(issuer.name)}: ${escapeHtml(award.revocationReason ?? "")}</p>` : "";
  return publicPage(
    { title, description, url, image: publicUrls(appUrl).previewImage(badgeClass), alternate: url },
    `
<img src="${escapeHtml(image)}" alt="${escapeHtml(badgeClass.name)} badge" width="200" height="200">
<h1>${escapeHtml(badgeClass.name)}</h1>
<p><span class="status ${statusClass}">${statusLabel}</span></p>
${revoked}
<p>${escapeHtml(earner)} earned this ${escapeHtml(badgeClass.achievementType.toLowerCase())} from <a href="${escapeHtml(issuer.url)}" rel="noopener">${escapeHtml(issuer.name)}</a>.</p>
<dl><dt>Issued</dt><dd>${date(award.issuedOn)}</dd><dt>Expires</dt><dd>${award.expiresAt ? date(award.expiresAt) : "Never"}</dd>
<dt>Criteria</dt><dd>${escapeHtml(badgeClass.criteriaNarrative ?? "")}${badgeClass.criteriaUrl ? ` <a href="${escapeHtml(badgeClass.criteriaUrl)}" rel="noopener">Details</a>` : ""}</dd></dl>
<p>${escapeHtml(badgeClass.description)}</p>
${learningDetails(award, badgeClass)}
${profile ? profileSection(appUrl, profile, "Earned by") : ""}
<p><a href="${escapeHtml(url)}?format=json" type="application/ld+json">Open Badges 2.0 assertion (JSON-LD)</a> · <a href="${escapeHtml(publicUrls(appUrl).credential(award.id))}?download">Open Badges 3.0 credential</a> · <a href="${escapeHtml(linkedInShareUrl(appUrl, award))}" rel="noopener">Share on LinkedIn</a></p>
`,
  );
}

const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul>` : "");
const link = (href: string, text: string) => `<a href="${escapeHtml(href)}" rel="noopener nofollow">${escapeHtml(text)}</a>`;

/**
 * What the backpack shows of a badge, for anyone the learner shares it with: the awarder's
 * narrative and evidence, the class's outcomes, alignments and tags. Empty parts are left out.
 */
function learningDetails(award: Award, badgeClass: BadgeClass): string {
  const parts: string[] = [];
  if (award.narrative) parts.push(`<h2>About this award</h2><p>${escapeHtml(award.narrative)}</p>`);
  const evidence = award.evidence.map((e) =>
    [e.url ? link(e.url, e.url) : "", e.narrative ? escapeHtml(e.narrative) : ""].filter(Boolean).join(": "),
  );
  if (evidence.length) parts.push(`<h2>Evidence</h2>${list(evidence)}`);
  if (badgeClass.learningOutcomes.length) parts.push(`<h2>Learning outcomes</h2>${list(badgeClass.learningOutcomes.map(escapeHtml))}`);
  const alignments = badgeClass.alignments.map((a) => `${link(a.url, a.name)}${a.code ? ` (${escapeHtml(a.code)})` : ""}`);
  if (alignments.length) parts.push(`<h2>Aligned to</h2>${list(alignments)}`);
  if (badgeClass.tags.length)
    parts.push(`<p class="tags">${badgeClass.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join(" ")}</p>`);
  return parts.length ? `<section class="details">${parts.join("\n")}</section>` : "";
}

/**
 * The learner as they chose to be seen (their profile, shown only when they switched it on):
 * name, photo, headline, links and educational providers. Links are the learner's, not ours:
 * nofollow, and `me` so profile sites can tell they point back at their owner.
 */
export function profileSection(appUrl: string, profile: PublicProfile, heading: string): string {
  const photo = profile.photoKey
    ? `<img class="avatar" src="${escapeHtml(publicUrls(appUrl).image(profile.photoKey))}" alt="${escapeHtml(profile.name)}" width="72" height="72">`
    : "";
  const links = profile.socialLinks.map((l) => `<a href="${escapeHtml(l.url)}" rel="me noopener nofollow">${escapeHtml(l.label)}</a>`);
  return `<section class="profile" aria-label="${escapeHtml(heading)} ${escapeHtml(profile.name)}">${photo}<div>
<p class="profile__name">${escapeHtml(heading)} <strong>${escapeHtml(profile.name)}</strong></p>
${profile.headline ? `<p>${escapeHtml(profile.headline)}</p>` : ""}
${profile.institutions.length ? `<p>Studied with ${profile.institutions.map(escapeHtml).join(", ")}</p>` : ""}
${links.length ? `<p>${links.join(" · ")}</p>` : ""}
</div></section>`;
}

export interface PageMeta {
  title: string;
  description: string;
  url: string;
  /** A PNG (or JPEG): link previews render no SVG. */
  image: string;
  /** The JSON-LD twin of the page, when it has one. */
  alternate?: string;
}

/**
 * A public page: no script, Open Graph and Twitter card tags so LinkedIn and others preview it,
 * every value escaped by the caller or here. `body` is trusted HTML built with escapeHtml.
 */
export function publicPage(meta: PageMeta, body: string): string {
  const { title, description, url, image } = meta;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<link rel="canonical" href="${escapeHtml(url)}"><link rel="icon" href="/favicon.svg" type="image/svg+xml">
${meta.alternate ? `<link rel="alternate" type="application/ld+json" href="${escapeHtml(meta.alternate)}">` : ""}
<meta property="og:type" content="website"><meta property="og:site_name" content="Laurel">
<meta property="og:title" content="${escapeHtml(title)}"><meta property="og:description" content="${escapeHtml(description)}">
<meta property="og:url" content="${escapeHtml(url)}"><meta property="og:image" content="${escapeHtml(image)}">
<meta name="twitter:card" content="summary"><meta name="twitter:title" content="${escapeHtml(title)}">
<meta name="twitter:description" content="${escapeHtml(description)}"><meta name="twitter:image" content="${escapeHtml(image)}">
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1d2a24;background:#f4f7f5;margin:0}main{max-width:40rem;margin:0 auto;padding:2rem 1rem}
.card{background:#fff;border:1px solid #d5ddd8;border-radius:8px;padding:1.5rem;text-align:center}img{max-width:200px;height:auto}
.status{display:inline-block;border-radius:999px;padding:.1rem .75rem;font-weight:700}.valid{background:#e6f4ea;color:#0d5323}.expired{background:#fef7e0;color:#6b5300}.revoked{background:#fce8e6;color:#8c1d18}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;text-align:left}dt{color:#56645d}dd{margin:0;overflow-wrap:anywhere}.notice{color:#8c1d18;font-weight:600}a{color:#17573a}
.details{text-align:left}.details h2{font-size:1rem;margin:1.25rem 0 .25rem}.details a{overflow-wrap:anywhere}
.tag{display:inline-block;background:#e8efe9;border-radius:999px;padding:0 .6rem;font-size:.875rem}.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:1rem}.grid img{width:100%;max-width:120px}
.profile{display:flex;gap:1rem;align-items:center;text-align:left;border-top:1px solid #d5ddd8;margin-top:1.25rem;padding-top:1rem}.profile p{margin:.15rem 0;overflow-wrap:anywhere}.avatar{border-radius:50%;object-fit:cover;width:72px;height:72px}</style>
</head><body><main><div class="card">
${body}</div></main></body></html>`;
}
