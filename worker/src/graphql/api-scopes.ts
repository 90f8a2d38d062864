/**
 * What an API token may do. An issuer's token acts for that issuer only; a personal token
 * reads its owner's own backpack. A field open to tokens names the one scope it needs
 * (`t.withAuth({ actor: "awards:write" })`); every other signed-in field refuses tokens.
 */
export const ISSUER_SCOPES = [
  "issuer:read",
  "badge_classes:write",
  "awards:read",
  "awards:write",
  "submissions:review",
  "pathways:write",
  "webhooks:write",
] as const;
export const PERSONAL_SCOPES = ["backpack:read"] as const;
export const API_SCOPES = [...ISSUER_SCOPES, ...PERSONAL_SCOPES] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  "issuer:read": "Read the issuer and its badge classes.",
  "badge_classes:write": "Create and edit the issuer's badge classes.",
  "awards:read": "List the issuer's awards.",
  "awards:write": "Award badges, one by one or in bulk, and revoke them.",
  "submissions:review": "Read and decide submissions of the issuer's micro-credentials.",
  "pathways:write": "Build and edit the issuer's pathways.",
  "webhooks:write": "Manage the issuer's webhook endpoints, read their deliveries and redeliver them.",
  "backpack:read": "Read the badges in your own backpack.",
};

export const isApiScope = (value: string): value is ApiScope => (API_SCOPES as readonly string[]).includes(value);
