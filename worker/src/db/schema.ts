// Every table, for drizzle's relational queries. Tables are defined beside their domain.
export * from "../accounts/accounts.table";
export * from "../accounts/codes.table";
export * from "../accounts/merges.table";
export * from "../accounts/profile.table";
export * from "../audit/audit.table";
export * from "../auth/pending-sign-ins.table";
export * from "../badges/awards.table";
export * from "../badges/badge-classes.table";
export * from "../badges/issuers.table";
export * from "../collections/collections.table";
export * from "../email/outbox.table";
export * from "../mfa/mfa.table";
export * from "../outbox/outbox.table";
export * from "../sso/sso.table";
export * from "../throttling/attempts.table";
export * from "../verification/issuer-keys.table";
export * from "../verification/signed-credentials.table";
