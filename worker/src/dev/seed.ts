import { getUserByEmail } from "../accounts/accounts.service";
import { newAccountInserts } from "../accounts/new-account";
import { hashPassword } from "../accounts/password";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";

export const DEMO_PASSWORD = "laurel-demo-2026";

export const DEMO_ACCOUNTS = [
  { email: "learner@laurel.local", firstName: "Lena", lastName: "Learner", role: "learner" as const },
  { email: "issuer@laurel.local", firstName: "Ivan", lastName: "Issuer", role: "learner" as const },
  { email: "staff@laurel.local", firstName: "Sam", lastName: "Staff", role: "staff" as const },
];

/** Creates the demo accounts that do not exist yet; safe to run on every start. */
export async function seedDemoData(ctx: AppContext) {
  const created: string[] = [];
  const now = ctx.now();
  for (const account of DEMO_ACCOUNTS) {
    if (await getUserByEmail(ctx, account.email)) continue;
    const { userId, statements } = newAccountInserts(
      ctx.db,
      { ...account, passwordHash: await hashPassword(DEMO_PASSWORD), termsVersion: ctx.config.termsVersion, termsAcceptedAt: now },
      now,
    );
    await ctx.db.batch([
      ...statements,
      auditInsert(ctx.db, { actorUserId: null, action: "account.seeded", subjectType: "user", subjectId: userId }, now),
    ]);
    created.push(account.email);
  }
  return { created, accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, password: DEMO_PASSWORD, role: a.role })) };
}
