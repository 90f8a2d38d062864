import type { Context } from "hono";
import { getConfig } from "../env";

/** Our own origin: the configured APP_URL's, or the one the request was sent to. */
export function isOwnOrigin(c: Context<{ Bindings: Env }>, origin: string): boolean {
  return origin === getConfig(c.env).appOrigin || origin === new URL(c.req.url).origin;
}
