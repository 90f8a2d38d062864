import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingContext, runQuery } from "../../test/counting";
import { createUser } from "../../test/fixtures";
import { SESSION_COOKIE } from "../http/cookies";
import { createSession } from "./sessions.service";
import { attachSession } from "./visitor";

// The signed-in path is every page's first request: one KV read for the session and one
// indexed D1 read for the user and their primary address, which is what `me` asks for.
describe("the visitor of a request", () => {
  it("finds the user and answers { me } with one D1 query", async () => {
    const user = await createUser();
    const { token } = await createSession({ kv: env.KV }, { userId: user.id, userAgent: "vitest", ip: null }, Date.now());
    const { ctx, queries } = countingContext();
    ctx.cookies = { get: (name) => (name === SESSION_COOKIE ? token : undefined), set: () => {}, clear: () => {} };

    await attachSession(ctx);
    const data = await runQuery(ctx, "{ me { id primaryEmail firstName } }");

    expect(data.me).toEqual({ id: user.id, primaryEmail: user.email, firstName: expect.any(String) });
    expect(queries()).toBe(1);
  });

  it("signs nobody in for an unknown token, without reading D1", async () => {
    const { ctx, queries } = countingContext();
    ctx.cookies = { get: (name) => (name === SESSION_COOKIE ? "not-a-session" : undefined), set: () => {}, clear: () => {} };
    await attachSession(ctx);
    expect(ctx.user).toBeNull();
    expect(queries()).toBe(0);
  });
});
