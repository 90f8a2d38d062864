import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { startOidcProvider } from "../../tests/oidc-provider/provider.mjs";
import { startTurnstilePeer } from "../../tests/turnstile-peer/peer.mjs";
import { startWebhookReceiver } from "../../tests/webhook-receiver/receiver.mjs";

/**
 * Real protocol peers on loopback for the workerd tests (runs in Node, once per run).
 * A mail provider that accepts the HTTP transport's JSON POSTs and lets tests read them back,
 * and an OpenID provider (two issuers) whose URL vitest.config.ts passes to the Worker.
 */
export async function setup(project: TestProject) {
  const received: { authorization: string | undefined; body: unknown }[] = [];
  const server = createServer(async (req, res) => {
    if (req.method === "POST" && req.url === "/emails") {
      received.push({ authorization: req.headers.authorization, body: JSON.parse(await readBody(req)) });
      const ok = req.headers.authorization === "Bearer test-mail-key";
      res
        .writeHead(ok ? 200 : 401, { "content-type": "application/json" })
        .end(JSON.stringify(ok ? { id: received.length } : { error: "bad key" }));
    } else if (req.method === "GET" && req.url === "/emails") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("mailProviderUrl", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const oidc = await startOidcProvider({ testHooks: true });
  project.provide("oidcProviderUrl", oidc.url);
  // Turnstile is off in the tests' bindings; test/turnstile.ts turns it on for the tests about it.
  const turnstile = await startTurnstilePeer({ testHooks: true });
  project.provide("turnstilePeerUrl", turnstile.url);
  const receiver = await startWebhookReceiver();
  project.provide("webhookReceiverUrl", receiver.url);
  return async () => {
    await receiver.close();
    await turnstile.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await oidc.close();
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    mailProviderUrl: string;
    oidcProviderUrl: string;
    turnstilePeerUrl: string;
    webhookReceiverUrl: string;
  }
}
