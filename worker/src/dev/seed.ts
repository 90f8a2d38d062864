import { getUserByEmail } from "../accounts/accounts.service";
import { newAccountInserts } from "../accounts/new-account";
import { hashPassword } from "../accounts/password";
import { profiles } from "../accounts/profile.table";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { loadHelpContent } from "../help/articles.service";
import { parseHelpContent } from "../help/content";
import { HELP_CONTENT_FILES } from "../help/content.generated";
import { insertAuthenticatorStatement, knownAuthenticator } from "../mfa/authenticators";
import { otpauthUri } from "../mfa/totp";
import { seedDemoBadges } from "./demo-badges";
import { seedDemoMicroCredentials } from "./demo-micro-credentials";
import { seedDemoPathway } from "./demo-pathways";
import { seedDemoTickets } from "./demo-tickets";

export const DEMO_PASSWORD = "laurel-demo-2026";
/**
 * The demo accounts' authenticator secret, so a developer can sign in at once
 * (`oathtool --totp -b <secret>`, or add it to an app). Development data only.
 */
export const DEMO_TOTP_SECRET = "LAURELDEMOTOTPSECRETFORDEVONLY23";

export const DEMO_ACCOUNTS = [
  {
    email: "learner@laurel.local",
    firstName: "Lena",
    lastName: "Learner",
    role: "learner" as const,
    note: "a learner with demo badges, her profile shown on her public pages",
    profile: {
      headline: "Science teacher, years 7–9",
      socialLinks: [{ label: "Portfolio", url: "https://lena.example.org/" }],
      institutions: ["Laurel Demo Academy"],
    },
  },
  {
    email: "issuer@laurel.local",
    firstName: "Ivan",
    lastName: "Issuer",
    role: "learner" as const,
    note: "owner of the issuer Laurel Demo Academy",
  },
  { email: "staff@laurel.local", firstName: "Sam", lastName: "Staff", role: "staff" as const, note: "Laurel staff (support tools)" },
];

/** Creates the demo accounts that do not exist yet; safe to run on every start. */
export async function seedDemoData(ctx: AppContext) {
  const created: string[] = [];
  const now = ctx.now();
  for (const { note: _note, ...entry } of DEMO_ACCOUNTS) {
    const { profile, ...account } = { profile: undefined, ...entry };
    if (await getUserByEmail(ctx, account.email)) continue;
    const { userId, statements } = newAccountInserts(
      ctx.db,
      { ...account, passwordHash: await hashPassword(DEMO_PASSWORD), termsVersion: ctx.config.termsVersion, termsAcceptedAt: now },
      now,
    );
    const authenticator = insertAuthenticatorStatement(ctx, await knownAuthenticator(ctx, userId, DEMO_TOTP_SECRET, now));
    await ctx.db.batch([
      ...statements,
      authenticator,
      ...(profile ? [ctx.db.insert(profiles).values({ userId, ...profile, shownPublicly: true, updatedAt: new Date(now) })] : []),
      auditInsert(ctx.db, { actorUserId: null, action: "account.seeded", subjectType: "user", subjectId: userId }, now),
    ]);
    created.push(account.email);
  }
  const badges = await seedDemoBadges(ctx);
  const microCredentials = await seedDemoMicroCredentials(ctx);
  const pathway = await seedDemoPathway(ctx);
  const demoTickets = await seedDemoTickets(ctx);
  // The help centre's articles, from the files bundled with the Worker; unchanged ones are skipped.
  const helpArticles = await loadHelpContent(ctx, parseHelpContent(HELP_CONTENT_FILES));
  return {
    created,
    demoBadges: badges,
    demoMicroCredentials: microCredentials,
    demoPathway: pathway,
    demoTickets,
    helpArticles,
    totpSecret: DEMO_TOTP_SECRET,
    otpauthUri: otpauthUri("demo accounts", DEMO_TOTP_SECRET),
    accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, password: DEMO_PASSWORD, role: a.role, note: a.note })),
  };
}
