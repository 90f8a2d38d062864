import type { Award } from "../badges/awards.table";
import type { BadgeClass } from "../badges/badge-classes.table";
import type { Issuer } from "../badges/issuers.table";
import { escapeHtml } from "../lib/html";
import { publicUrls } from "../lib/public-urls";

/**
 * LinkedIn's "Add to profile" form for a certification, pre-filled: name, organisation,
 * issue and expiry month (1–12), credential id and URL. Dates are the award's UTC calendar dates.
 */
export function linkedInAddToProfileUrl(appUrl: string, award: Award, badgeClass: BadgeClass, issuer: Issuer): string {
  const params = new URLSearchParams({
    startTask: "CERTIFICATION_NAME",
    name: badgeClass.name,
    organizationName: issuer.name,
    issueYear: String(award.issuedOn.getUTCFullYear()),
    issueMonth: String(award.issuedOn.getUTCMonth() + 1),
    certUrl: publicUrls(appUrl).assertion(award.id),
    certId: award.id,
  });
  if (award.expiresAt) {
    params.set("expirationYear", String(award.expiresAt.getUTCFullYear()));
    params.set("expirationMonth", String(award.expiresAt.getUTCMonth() + 1));
  }
  return `https://www.linkedin.com/profile/add?${params}`;
}

export const linkedInShareUrl = (appUrl: string, award: Award) =>
  `https://www.linkedin.com/sharing/share-offsite/?${new URLSearchParams({ url: publicUrls(appUrl).assertion(award.id) })}`;

/** A snippet other sites can paste: the image, linked to the public verification page. */
export function embedSnippet(appUrl: string, award: Award, badgeClass: BadgeClass, imageSrc: string): string {
  return `<a href="${escapeHtml(publicUrls(appUrl).assertion(award.id))}" title="${escapeHtml(badgeClass.name)}"><img src="${escapeHtml(imageSrc)}" alt="${escapeHtml(badgeClass.name)} badge" width="120" height="120"></a>`;
}
