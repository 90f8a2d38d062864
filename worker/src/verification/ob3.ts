import type { Award, RubricResult } from "../badges/awards.table";
import type { BadgeClass } from "../badges/badge-classes.table";
import type { Issuer } from "../badges/issuers.table";
import { publicUrls } from "../lib/public-urls";
import { isoSeconds } from "../lib/time";
import { issuerDid } from "./did-web";
import { OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT, VC_V2_CONTEXT } from "./json-ld";

// Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/): every award is also an
// OpenBadgeCredential, a W3C Verifiable Credential 2.0 that Laurel signs on the issuer's behalf.
export const OB3_SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/** Bits per status list: the specification's minimum, 16 KiB, so one list hides among many awards. */
export const STATUS_LIST_SIZE = 131_072;

const image = (url: string) => ({ id: url, type: "Image" });

export function issuerProfile(appUrl: string, issuer: Issuer) {
  return {
    id: issuerDid(appUrl, issuer.id),
    type: ["Profile"],
    name: issuer.name,
    url: issuer.url,
    email: issuer.email,
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(issuer.imageKey ? { image: image(publicUrls(appUrl).image(issuer.imageKey)) } : {}),
  };
}

/** Ids for a rubric's parts, under the achievement's own URL. */
const rubricIds = (achievementId: string, r: RubricResult) => ({
  criterion: `${achievementId}#criterion-${r.criterionId}`,
  level: (index: number) => `${achievementId}#criterion-${r.criterionId}-level-${index}`,
});

/** An assessed award's rubric as OB 3.0 ResultDescriptions: levels low to high, and the passing one. */
function resultDescriptions(achievementId: string, results: RubricResult[]) {
  return results.map((r) => {
    const ids = rubricIds(achievementId, r);
    return {
      id: ids.criterion,
      type: ["ResultDescription"],
      name: r.name,
      resultType: "RubricCriterionLevel",
      rubricCriterionLevel: r.levels.map((name, index) => ({ id: ids.level(index), type: ["RubricCriterionLevel"], name })),
      requiredLevel: ids.level(r.requiredLevel),
    };
  });
}

/** The criteria as written, followed by what completes the badge when Laurel awards it (a pathway). */
export function criteriaNarrative(badgeClass: BadgeClass): string | null {
  const parts = [badgeClass.criteriaNarrative, badgeClass.completionRule?.narrative].filter(Boolean);
  return parts.length ? parts.join("\n\n") : null;
}

/** The badges a completion badge requires, as alignments a verifier can follow. */
export function requiredAchievements(appUrl: string, badgeClass: BadgeClass) {
  return (badgeClass.completionRule?.requires ?? []).map((r) => ({
    targetName: r.name,
    targetUrl: publicUrls(appUrl).badge(r.id),
    targetDescription: "Required to earn this achievement.",
  }));
}

export function achievement(appUrl: string, badgeClass: BadgeClass, results: RubricResult[] | null = null) {
  const id = publicUrls(appUrl).badge(badgeClass.id);
  return {
    id,
    type: ["Achievement"],
    achievementType: badgeClass.achievementType,
    name: badgeClass.name,
    description: badgeClass.description,
    image: image(publicUrls(appUrl).image(badgeClass.imageKey)),
    criteria: {
      ...(badgeClass.criteriaUrl ? { id: badgeClass.criteriaUrl } : {}),
      narrative: criteriaNarrative(badgeClass) ?? `Awarded by the issuer for: ${badgeClass.name}.`,
    },
    ...(badgeClass.tags.length ? { tag: badgeClass.tags } : {}),
    ...(badgeClass.alignments.length || badgeClass.completionRule?.requires.length
      ? {
          alignment: [
            ...badgeClass.alignments.map((a) => ({
              type: ["Alignment"],
              targetName: a.name,
              targetUrl: a.url,
              ...(a.code ? { targetCode: a.code } : {}),
              ...(a.framework ? { targetFramework: a.framework } : {}),
            })),
            ...requiredAchievements(appUrl, badgeClass).map((r) => ({ type: ["Alignment"], ...r })),
          ],
        }
      : {}),
    ...(results?.length ? { resultDescription: resultDescriptions(id, results) } : {}),
  };
}

/** The unsigned credential; `statusIndex` is the award's bit in its issuer's status lists. */
export function openBadgeCredential(appUrl: string, award: Award & { statusIndex: number }, badgeClass: BadgeClass, issuer: Issuer) {
  const urls = publicUrls(appUrl);
  const list = Math.floor(award.statusIndex / STATUS_LIST_SIZE);
  const statusListCredential = urls.statusList(issuer.id, list);
  return {
    "@context": [VC_V2_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT],
    id: urls.credential(award.id),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: badgeClass.name,
    description: badgeClass.description,
    image: image(publicUrls(appUrl).image(badgeClass.imageKey)),
    issuer: issuerProfile(appUrl, issuer),
    validFrom: isoSeconds(award.issuedOn),
    ...(award.expiresAt ? { validUntil: isoSeconds(award.expiresAt) } : {}),
    credentialSubject: {
      type: ["AchievementSubject"],
      // The recipient as OB 2.0 shows it: a salted hash of the email, never the email itself.
      identifier: [
        {
          type: "IdentityObject",
          hashed: true,
          identityHash: award.recipientHash,
          identityType: "emailAddress",
          salt: award.recipientSalt,
        },
      ],
      achievement: achievement(appUrl, badgeClass, award.results),
      ...(award.narrative ? { narrative: award.narrative } : {}),
      ...(award.results?.length
        ? {
            result: award.results.map((r) => {
              const ids = rubricIds(publicUrls(appUrl).badge(badgeClass.id), r);
              return { type: ["Result"], resultDescription: ids.criterion, achievedLevel: ids.level(r.achievedLevel) };
            }),
          }
        : {}),
    },
    ...(award.evidence.length
      ? {
          evidence: award.evidence.map((e) => ({
            ...(e.url ? { id: e.url } : {}),
            type: ["Evidence"],
            ...(e.narrative ? { narrative: e.narrative } : {}),
            ...(e.name ? { name: e.name } : {}),
            ...(e.description ? { description: e.description } : {}),
            ...(e.genre ? { genre: e.genre } : {}),
          })),
        }
      : {}),
    credentialSchema: [{ id: OB3_SCHEMA_URL, type: "1EdTechJsonSchemaValidator2019" }],
    credentialStatus: [
      {
        id: `${statusListCredential}#${award.statusIndex % STATUS_LIST_SIZE}`,
        type: "BitstringStatusListEntry",
        statusPurpose: "revocation",
        statusListIndex: String(award.statusIndex % STATUS_LIST_SIZE),
        statusListCredential,
      },
      { id: urls.revocationList(issuer.id), type: "1EdTechRevocationList" },
    ],
  };
}

export type OpenBadgeCredential = ReturnType<typeof openBadgeCredential>;

/** Every cached public document that a revocation changes. */
export function documentsChangedByRevocation(appUrl: string, award: Award): string[] {
  const urls = publicUrls(appUrl);
  return [
    urls.credential(award.id),
    urls.revocationList(award.issuerId),
    ...(award.statusIndex === null ? [] : [urls.statusList(award.issuerId, Math.floor(award.statusIndex / STATUS_LIST_SIZE))]),
  ];
}
