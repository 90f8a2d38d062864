import { writeFileSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startOidcProvider } from "../oidc-provider/provider.mjs";
import { startWebhookReceiver, type WebhookReceiver } from "../webhook-receiver/receiver.mjs";
import { type LaurelServer, startLaurelServer } from "./server";

const root = path.resolve(import.meta.dirname, "../..");
// LAUREL_TEST_PORT lets several checkouts (or developers) run browser tests side by side.
export const PORT = Number(process.env.LAUREL_TEST_PORT ?? 8790);

let server: LaurelServer | undefined;
let oidc: Awaited<ReturnType<typeof startOidcProvider>> | undefined;
let receiver: WebhookReceiver | undefined;

/** Laurel as `pnpm dev` runs it, with the loopback OpenID provider for Google and Microsoft. */
export async function setup(project: TestProject) {
  oidc = await startOidcProvider({ clients: { "laurel-browser-test": "browser-test-secret" } });
  server = await startLaurelServer(PORT, [
    `SSO_PROVIDERS=${JSON.stringify([
      { name: "google", label: "Google", issuer: oidc.issuer("google"), clientId: "laurel-browser-test" },
      { name: "microsoft", label: "Microsoft", issuer: oidc.issuer("microsoft"), clientId: "laurel-browser-test", multiTenant: true },
    ])}`,
    "SSO_GOOGLE_CLIENT_SECRET=browser-test-secret",
    "SSO_MICROSOFT_CLIENT_SECRET=browser-test-secret",
  ]);
  project.provide("baseUrl", server.base);
  // Where the webhook tests point their endpoints (loopback http is allowed in development).
  receiver = await startWebhookReceiver();
  project.provide("webhookReceiverUrl", receiver.url);
}

export async function teardown() {
  // The server's own account of the run, for a failure the browser cannot explain.
  writeFileSync(path.join(root, `tests/.artifacts/wrangler-${PORT}.log`), server?.log() ?? "");
  await oidc?.close();
  await receiver?.close();
  server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    webhookReceiverUrl: string;
  }
}
