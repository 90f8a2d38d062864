import { createMiddleware } from "hono/factory";
import type { AppContext } from "../context";
import type { AppEnv } from "../http/request-context";
import { authenticateApiToken } from "./api-tokens.service";
import { ACCESS_TOKEN_PREFIX, authenticateOAuthAccessToken } from "./oauth-tokens.service";

/**
 * The caller of a bearer request: the token's rights, on behalf of its creator. An API token
 * and an OAuth access token are told apart by their prefix, so either costs one D1 read.
 */
export async function attachApiCaller(app: AppContext): Promise<void> {
  if (app.bearerToken === null) return;
  const token = app.bearerToken;
  const found = token.startsWith(ACCESS_TOKEN_PREFIX)
    ? await authenticateOAuthAccessToken(app, token)
    : await authenticateApiToken(app, token);
  if (!found) return;
  app.apiToken = found.caller;
  app.user = found.user;
}

/**
 * A bearer request whose token does not work gets 401 before any GraphQL runs (RFC 6750
 * §3.1), so an integration learns at once that its token was revoked or has expired.
 */
export function refuseInvalidBearer() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const app = c.var.app;
    if (app.bearerToken !== null && app.apiToken === null) {
      return c.json(
        {
          errors: [{ message: "The API token is not valid: it is unknown, revoked or expired.", extensions: { code: "INVALID_TOKEN" } }],
        },
        401,
        { "WWW-Authenticate": 'Bearer realm="laurel", error="invalid_token"' },
      );
    }
    await next();
  });
}
