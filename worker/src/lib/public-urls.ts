// Every public address Laurel serves (the public routes in index.ts). Badges, verification,
// collections and profiles all link to them, so they are built here and nowhere else.
/** Laurel's own card (a static asset), for previews of what has no PNG of its own. */
export const PREVIEW_CARD = "/preview-card.png";

export const publicUrls = (appUrl: string) => ({
  assertion: (awardId: string) => `${appUrl}/public/assertions/${awardId}`,
  badge: (badgeClassId: string) => `${appUrl}/public/badges/${badgeClassId}`,
  issuer: (issuerId: string) => `${appUrl}/public/issuers/${issuerId}`,
  image: (key: string) => `${appUrl}/public/images/${key}`,
  /** What link previews show of a badge: a PNG, as LinkedIn and Facebook render no SVG. */
  previewImage: (image: { imageKey: string; previewImageKey: string | null }) => {
    const png = image.imageKey.endsWith(".png") ? image.imageKey : image.previewImageKey;
    return png ? `${appUrl}/public/images/${png}` : `${appUrl}${PREVIEW_CARD}`;
  },
  collection: (slug: string) => `${appUrl}/public/collections/${slug}`,
  pathwayProgress: (token: string) => `${appUrl}/public/pathway-progress/${token}`,
  credential: (awardId: string) => `${appUrl}/public/credentials/${awardId}`,
  statusList: (issuerId: string, list: number) => `${appUrl}/public/status-lists/${issuerId}/${list}`,
  revocationList: (issuerId: string) => `${appUrl}/public/revocation-lists/${issuerId}`,
  didDocument: (issuerId: string) => `${appUrl}/public/issuers/${issuerId}/did.json`,
  helpArticle: (slug: string) => `${appUrl}/help/articles/${encodeURIComponent(slug)}`,
});
