import { getPrimaryEmail } from "../accounts/accounts.service";
import { builder } from "../graphql/builder";
import { abandonPendingSignIn, getPendingSignIn, type PendingStage } from "./pending-sign-in";

const PendingStageType = builder.enumType("PendingSignInStage", {
  values: {
    SETUP: { value: "setup", description: "Set up an authenticator app." },
    SECOND_FACTOR: { value: "second-factor", description: "Enter a code or the recovery code." },
    ACKNOWLEDGE: { value: "acknowledge", description: "Confirm the recovery code shown was saved." },
  } as const,
});

const PendingSignInType = builder.objectRef<{ stage: PendingStage; expiresAt: Date; email: string }>("PendingSignIn").implement({
  description: "This browser is between the first factor and a session.",
  fields: (t) => ({
    stage: t.field({ type: PendingStageType, resolve: (p) => p.stage }),
    expiresAt: t.field({ type: "DateTime", resolve: (p) => p.expiresAt }),
    email: t.exposeString("email"),
  }),
});

builder.queryField("pendingSignIn", (t) =>
  t.field({
    type: PendingSignInType,
    nullable: true,
    description: "The sign-in this browser is in the middle of, or null.",
    resolve: async (_root, _args, ctx) => {
      const pending = await getPendingSignIn(ctx);
      return pending ? { stage: pending.stage, expiresAt: pending.expiresAt, email: await getPrimaryEmail(ctx, pending.userId) } : null;
    },
  }),
);

builder.mutationField("cancelSignIn", (t) =>
  t.boolean({
    description: "Abandons the pending sign-in of this browser. Always true.",
    resolve: async (_root, _args, ctx) => {
      await abandonPendingSignIn(ctx);
      return true;
    },
  }),
);
