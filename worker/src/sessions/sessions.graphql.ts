import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { endSession } from "./session-cookie";
import { listLiveSessions, revokeAllSessions, revokeSession, type Session } from "./sessions.service";

const SessionType = builder.objectRef<Session & { current: boolean }>("Session").implement({
  description: "A signed-in browser or device.",
  fields: (t) => ({
    id: t.exposeID("id"),
    current: t.exposeBoolean("current"),
    createdAt: t.field({ type: "DateTime", resolve: (s) => s.createdAt }),
    lastSeenAt: t.field({ type: "DateTime", resolve: (s) => s.lastSeenAt }),
    expiresAt: t.field({ type: "DateTime", resolve: (s) => s.expiresAt }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    ip: t.exposeString("ip", { nullable: true }),
  }),
});

builder.queryField("mySessions", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: [SessionType],
    resolve: async (_root, _args, ctx) => (await listLiveSessions(ctx, ctx.user)).map((s) => ({ ...s, current: s.id === ctx.session?.id })),
  }),
);

builder.mutationField("signOut", (t) =>
  t.boolean({
    description: "Ends this session. Always true: signing out twice is harmless.",
    resolve: async (_root, _args, ctx) => {
      await endSession(ctx);
      return true;
    },
  }),
);

const SessionRevoked = builder.objectRef<{ id: string }>("SessionRevoked").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
});

builder.mutationField("revokeSession", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: SessionRevoked,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx) => {
      const sessions = await listLiveSessions(ctx, ctx.user);
      if (!sessions.some((s) => s.id === id)) throw new NotFoundError("That session has already ended.");
      if (id === ctx.session?.id) await endSession(ctx);
      else await revokeSession(ctx, ctx.user.id, String(id));
      return { id: String(id) };
    },
  }),
);

builder.mutationField("signOutOtherSessions", (t) =>
  t.withAuth({ signedIn: true }).int({
    description: "Ends every other session of the signed-in user; returns how many ended.",
    resolve: (_root, _args, ctx) => revokeAllSessions(ctx, ctx.user.id, ctx.session?.id),
  }),
);
