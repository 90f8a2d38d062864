import type { Award } from "../badges/awards.table";
import type { BadgeClass } from "../badges/badge-classes.table";
import type { Issuer } from "../badges/issuers.table";
import { publicUrls } from "../lib/public-urls";
import { criteriaNarrative, requiredAchievements } from "./ob3";

// Open Badges 2.0 hosted verification documents (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html).
export const OB2_CONTEXT = "https://w3id.org/openbadges/v2";

const iso = (date: Date) => date.toISOString();

export function issuerDocument(appUrl: string, issuer: Issuer) {
  return {
    "@context": OB2_CONTEXT,
    type: "Issuer",
    id: publicUrls(appUrl).issuer(issuer.id),
    name: issuer.name,
    url: issuer.url,
    email: issuer.email,
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(issuer.imageKey ? { image: publicUrls(appUrl).image(issuer.imageKey) } : {}),
  };
}

export function badgeClassDocument(appUrl: string, badgeClass: BadgeClass) {
  return {
    "@context": OB2_CONTEXT,
    type: "BadgeClass",
    id: publicUrls(appUrl).badge(badgeClass.id),
    name: badgeClass.name,
    description: badgeClass.description,
    image: publicUrls(appUrl).image(badgeClass.imageKey),
    criteria: {
      ...(badgeClass.criteriaUrl ? { id: badgeClass.criteriaUrl } : {}),
      ...(criteriaNarrative(badgeClass) ? { narrative: criteriaNarrative(badgeClass) } : {}),
    },
    issuer: publicUrls(appUrl).issuer(badgeClass.issuerId),
    ...(badgeClass.tags.length ? { tags: badgeClass.tags } : {}),
    ...(badgeClass.alignments.length || badgeClass.completionRule?.requires.length
      ? {
          alignment: [
            ...badgeClass.alignments.map((a) => ({
              targetName: a.name,
              targetUrl: a.url,
              ...(a.code ? { targetCode: a.code } : {}),
              ...(a.framework ? { targetFramework: a.framework } : {}),
            })),
            ...requiredAchievements(appUrl, badgeClass),
          ],
        }
      : {}),
  };
}

/** The Assertion: the recipient appears only as a salted hash. */
export function assertionDocument(appUrl: string, award: Award, badgeClass: BadgeClass) {
  return {
    "@context": OB2_CONTEXT,
    type: "Assertion",
    id: publicUrls(appUrl).assertion(award.id),
    recipient: { type: "email", hashed: true, salt: award.recipientSalt, identity: award.recipientHash },
    badge: publicUrls(appUrl).badge(award.badgeClassId),
    verification: { type: "hosted" },
    issuedOn: iso(award.issuedOn),
    image: publicUrls(appUrl).image(badgeClass.imageKey),
    ...(award.expiresAt ? { expires: iso(award.expiresAt) } : {}),
    ...(award.narrative ? { narrative: award.narrative } : {}),
    ...(award.evidence.length
      ? {
          evidence: award.evidence.map((e) => ({
            type: "Evidence",
            ...(e.url ? { id: e.url } : {}),
            ...(e.narrative ? { narrative: e.narrative } : {}),
            ...(e.name ? { name: e.name } : {}),
            ...(e.description ? { description: e.description } : {}),
            ...(e.genre ? { genre: e.genre } : {}),
          })),
        }
      : {}),
  };
}

/** The reason every revocation document gives: the issuer's, or a plain default. */
export const revocationReasonOf = (reason: string | null) => reason ?? "Revoked by the issuer.";

/** What a revoked assertion's URL answers, with 410 Gone. */
export function revokedDocument(appUrl: string, award: Award) {
  return {
    "@context": OB2_CONTEXT,
    id: publicUrls(appUrl).assertion(award.id),
    revoked: true,
    revocationReason: revocationReasonOf(award.revocationReason),
  };
}
