import type { AppContext } from "../context";
import { ValidationError } from "./errors";

// Cloudflare Turnstile's server side: the widget's token is checked with siteverify before a
// signed-out form (registration, password reset) does anything. Without a configured key the
// forms work as before. Tokens are single use and live 300 s, so they are checked only once
// the form's own fields are right: a refused field must not spend the visitor's challenge.

/** The form field the widget's token travels in, and where its error is shown. */
export const TURNSTILE_FIELD = "turnstileToken";

/** What siteverify answers (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/). */
interface SiteverifyAnswer {
  success: boolean;
  "error-codes"?: string[];
  action?: string;
  hostname?: string;
}

/**
 * Refuses, with a field error, a form whose Turnstile token siteverify does not accept for
 * this action. Nothing to do when Turnstile is off. An unreachable siteverify refuses too
 * (the form can be sent again): a check that cannot be made is not a pass.
 */
export async function requireHuman(
  ctx: Pick<AppContext, "config" | "ip">,
  token: string | null | undefined,
  action: string,
): Promise<void> {
  const turnstile = ctx.config.turnstile;
  if (!turnstile) return;
  const response = (token ?? "").trim();
  if (!response || response.length > 2048)
    throw ValidationError.field(TURNSTILE_FIELD, "Confirm that you are human, then send the form again.");
  const body = new URLSearchParams({ secret: turnstile.secretKey, response, idempotency_key: crypto.randomUUID() });
  if (ctx.ip) body.set("remoteip", ctx.ip);
  let answer: SiteverifyAnswer;
  try {
    const reply = await fetch(turnstile.siteverifyUrl, { method: "POST", body, signal: AbortSignal.timeout(10_000) });
    if (!reply.ok) throw new Error(`siteverify answered ${reply.status}`);
    answer = (await reply.json()) as SiteverifyAnswer;
  } catch (error) {
    console.error("turnstile: siteverify failed", error);
    throw ValidationError.field(TURNSTILE_FIELD, "We could not check the human test just now. Try it again in a moment.");
  }
  if (answer.success !== true || (answer.action !== undefined && answer.action !== action)) {
    const expired = answer["error-codes"]?.includes("timeout-or-duplicate");
    throw ValidationError.field(
      TURNSTILE_FIELD,
      expired
        ? "The human test expired. Complete it again, then send the form."
        : "The human test did not pass. Complete it again, then send the form.",
    );
  }
}
