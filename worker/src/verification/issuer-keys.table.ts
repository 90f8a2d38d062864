import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { issuers } from "../badges/issuers.table";

/**
 * An issuer's Ed25519 signing keys for Open Badges 3.0 credentials. The newest unretired key
 * signs; retired keys stay published in the issuer's DID document so credentials signed
 * earlier keep verifying. Private keys are sealed (AES-GCM) under a key derived from APP_SECRET.
 */
export const issuerSigningKeys = sqliteTable(
  "issuer_signing_keys",
  {
    id: text("id").primaryKey(),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    /** `key-<number>` is the fragment of the verification method id in the DID document. */
    number: integer("number").notNull(),
    /** Multikey: `z` + base58btc(0xed01 + 32-byte public key). */
    publicKeyMultibase: text("public_key_multibase").notNull(),
    privateKeySealed: text("private_key_sealed").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    retiredAt: integer("retired_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("issuer_signing_keys_number_unique").on(t.issuerId, t.number)],
);

export type IssuerSigningKey = typeof issuerSigningKeys.$inferSelect;
