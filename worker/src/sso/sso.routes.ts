import { Hono } from "hono";
import { reportError } from "../http/report-error";
import type { AppEnv } from "../http/request-context";
import { safeReturnTo } from "./flows";
import { getSsoProvider } from "./providers";
import { finishSsoFlow, type SsoOutcome, startSsoFlow } from "./sso.service";
import { SsoError } from "./sso-error";

const DEFAULT_RETURN = { "sign-in": "/", link: "/account/security" } as const;

/** The browser's round trip through a provider: `/auth/sso/:provider/start` and `/callback`. */
export const ssoRoutes = new Hono<AppEnv>();

ssoRoutes.get("/:provider/start", async (c) => {
  const ctx = c.var.app;
  const purpose = c.req.query("purpose") === "link" ? "link" : "sign-in";
  const returnTo = safeReturnTo(ctx.config.appUrl, c.req.query("returnTo"), DEFAULT_RETURN[purpose]);
  try {
    const provider = getSsoProvider(ctx.config, c.req.param("provider"));
    if (!provider) throw new SsoError("unknown-provider", `no provider ${c.req.param("provider")}`);
    return redirect(await startSsoFlow(ctx, provider, { purpose, returnTo }));
  } catch (error) {
    return failed(error, `start ${c.req.param("provider")}`, purpose === "link" ? returnTo : null);
  }
});

ssoRoutes.get("/:provider/callback", async (c) => {
  const ctx = c.var.app;
  try {
    const provider = getSsoProvider(ctx.config, c.req.param("provider"));
    if (!provider) throw new SsoError("unknown-provider", `no provider ${c.req.param("provider")}`);
    const outcome = await finishSsoFlow(ctx, provider, {
      code: c.req.query("code"),
      state: c.req.query("state"),
      error: c.req.query("error"),
    });
    return redirect(destination(outcome));
  } catch (error) {
    return failed(error, `callback ${c.req.param("provider")}`, null);
  }
});

function destination(outcome: SsoOutcome): string {
  if (outcome.kind === "linked") return withQuery(outcome.returnTo, "ssoLinked", "1");
  if (outcome.step.kind === "signed-in") return outcome.returnTo;
  // The SPA asks `pendingSignIn` which step comes next (authenticator set-up or a code).
  return `/sign-in/continue?next=${encodeURIComponent(outcome.returnTo)}`;
}

/** Every failure ends on a page of ours with a short code: never a provider's text or a stack trace. */
function failed(error: unknown, where: string, fallbackReturnTo: string | null): Response {
  if (error instanceof SsoError) {
    const page = error.returnTo ?? fallbackReturnTo;
    if (error.code === "unavailable") reportError(error, `SSO ${where}`);
    return redirect(page ? withQuery(page, "ssoError", error.code) : `/sign-in?ssoError=${error.code}`);
  }
  reportError(error, `SSO ${where}`);
  return redirect("/sign-in?ssoError=unavailable");
}

function withQuery(path: string, key: string, value: string): string {
  const url = new URL(path, "http://laurel.invalid");
  url.searchParams.set(key, value);
  return `${url.pathname}${url.search}${url.hash}`;
}

function redirect(location: string): Response {
  // no-referrer: the callback URL carries the authorization code.
  return new Response(null, { status: 302, headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}
