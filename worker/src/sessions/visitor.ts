import { getUserWithPrimaryEmail } from "../accounts/accounts.service";
import { primaryEmails } from "../accounts/emails.service";
import type { AppContext } from "../context";
import { SESSION_COOKIE } from "../http/cookies";
import { getSession } from "./sessions.service";

/** The signed-in user of a request, from its session cookie (`requestContext` calls this). */
export async function attachSession(app: AppContext): Promise<void> {
  const token = app.cookies.get(SESSION_COOKIE);
  const session = token ? await getSession(app, token, app.now()) : null;
  if (!session) return;
  const found = await getUserWithPrimaryEmail(app, session.userId);
  if (!found) return;
  const { user, primaryEmail } = found;
  // A password change, a staff MFA reset or a merge ends older sessions at once, without
  // waiting for KV's deletes to reach every edge.
  if (user.status === "active" && user.credentialsChangedAt.getTime() <= session.createdAt) {
    app.session = session;
    app.user = user;
    if (primaryEmail !== null) primaryEmails(app).prime(user.id, primaryEmail);
  }
}
