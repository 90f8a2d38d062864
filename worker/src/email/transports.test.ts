import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { createDb } from "../database";
import { getConfig } from "../env";
import { buildMime } from "./mime";
import { createMailer } from "./transports";

const message = { to: "ana@example.org", subject: "Ünïcode subject", text: "Hello Ana", html: "<p>Hello Ana</p>" };

describe("email transports", () => {
  it("http: posts JSON with the API key to the provider (a real HTTP peer on loopback)", async () => {
    const url = inject("mailProviderUrl");
    const config = {
      ...getConfig(env),
      email: { transport: "http" as const, from: "Laurel <no-reply@laurel.test>", httpUrl: `${url}/emails`, apiKey: "test-mail-key" },
    };
    await createMailer(config, env, createDb(env.DB)).send(message);
    const received = (await (await fetch(`${url}/emails`)).json()) as { authorization: string; body: Record<string, unknown> }[];
    expect(received.at(-1)).toEqual({
      authorization: "Bearer test-mail-key",
      body: {
        from: "Laurel <no-reply@laurel.test>",
        to: ["ana@example.org"],
        subject: message.subject,
        text: message.text,
        html: message.html,
      },
    });
  });

  it("http: fails loudly when the provider refuses", async () => {
    const url = inject("mailProviderUrl");
    const config = {
      ...getConfig(env),
      email: { transport: "http" as const, from: "x@laurel.test", httpUrl: `${url}/emails`, apiKey: "wrong" },
    };
    await expect(createMailer(config, env, createDb(env.DB)).send(message)).rejects.toThrow(/401/);
  });

  it("outbox: keeps both parts in D1 for the dev mailbox", async () => {
    const to = `outbox-${crypto.randomUUID()}@example.org`;
    await createMailer(getConfig(env), env, createDb(env.DB)).send({ ...message, to });
    const row = await env.DB.prepare('select * from email_outbox where "to" = ?').bind(to).first();
    expect(row).toMatchObject({ subject: message.subject, text: message.text, html: message.html });
  });

  it("cloudflare: builds a multipart/alternative MIME message with both parts", () => {
    const mime = buildMime("Laurel <no-reply@laurel.test>", message, "id@laurel.test", new Date(0));
    expect(mime).toMatch(/^From: Laurel <no-reply@laurel.test>\r\nTo: ana@example.org\r\nSubject: =\?utf-8\?B\?/);
    expect(mime).toContain("Content-Type: multipart/alternative;");
    const parts = [...mime.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g)].map((m) =>
      new TextDecoder().decode(Uint8Array.from(atob(m[1]!.replace(/\r\n/g, "")), (c) => c.charCodeAt(0))),
    );
    expect(parts).toEqual([message.text, message.html]);
  });
});

describe("dev mailbox API", () => {
  it("lists sent mail outside production", async () => {
    const { exports } = await import("cloudflare:workers");
    const response = await exports.default.fetch("http://127.0.0.1:8787/dev/api/mailbox");
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty("messages");
  });
});
