import { AwardType } from "../badges/award.graphql";
import { IssuerType, myRoleIn } from "../badges/issuer.graphql";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { publicUrls } from "../lib/public-urls";
import { issuerDid, verificationMethodId } from "./did-web";
import { listIssuerKeys, rotateSigningKey } from "./issuer-keys.service";
import type { IssuerSigningKey } from "./issuer-keys.table";

// Open Badges 3.0 in the API: where an award's signed credential is, and the issuer's keys.
const IssuerSigningKeyType = builder.objectRef<IssuerSigningKey>("IssuerSigningKey").implement({
  description: "An Ed25519 key that signs the issuer's Open Badges 3.0 credentials.",
  fields: (t) => ({
    number: t.exposeInt("number"),
    verificationMethod: t.string({
      description: "The key's id in the issuer's DID document, as credentials' proofs name it.",
      resolve: (k, _x, ctx) => verificationMethodId(issuerDid(ctx.config.appUrl, k.issuerId), k.number),
    }),
    publicKeyMultibase: t.exposeString("publicKeyMultibase"),
    createdAt: t.field({ type: "DateTime", resolve: (k) => k.createdAt }),
    retiredAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it stopped (or stops) signing new credentials; it still verifies what it signed.",
      resolve: (k) => k.retiredAt,
    }),
  }),
});

builder.objectFields(AwardType, (t) => ({
  credentialUrl: t.string({
    description: "The award as a signed Open Badges 3.0 credential (JSON); add ?download for a file.",
    resolve: (a, _x, ctx) => publicUrls(ctx.config.appUrl).credential(a.id),
  }),
}));

builder.objectFields(IssuerType, (t) => ({
  did: t.string({
    description: "The issuer's did:web identifier, which Laurel hosts.",
    resolve: (i, _x, ctx) => issuerDid(ctx.config.appUrl, i.id),
  }),
  signingKeys: t.field({
    type: [IssuerSigningKeyType],
    nullable: true,
    description: "Every key the issuer has signed with, oldest first; null unless you are an owner.",
    resolve: async (i, _x, ctx) => ((await myRoleIn(ctx, i.id)) === "owner" ? listIssuerKeys(ctx, i.id) : null),
  }),
}));

builder.mutationFields((t) => ({
  rotateIssuerSigningKey: t.withAuth({ signedIn: true }).field({
    type: IssuerSigningKeyType,
    description: "Signs new credentials with a fresh key; credentials signed before keep verifying.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id() },
    resolve: (_r, args, ctx) => rotateSigningKey(ctx, ctx.user, String(args.issuerId)),
  }),
}));
