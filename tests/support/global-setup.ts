import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startOidcProvider } from "../oidc-provider/provider.mjs";

const root = path.resolve(import.meta.dirname, "../..");
// LAUREL_TEST_PORT lets several checkouts (or developers) run browser tests side by side.
export const PORT = Number(process.env.LAUREL_TEST_PORT ?? 8790);
const state = path.join(root, `tests/.artifacts/wrangler-state-${PORT}`);

let server: ChildProcess | undefined;
let log = "";
let oidc: Awaited<ReturnType<typeof startOidcProvider>> | undefined;

/**
 * Starts Laurel exactly as `pnpm dev` does (migrations, wrangler dev, seed), but on its own
 * port with its own throwaway state, so browser tests never touch a developer's data.
 */
export async function setup(project: TestProject) {
  oidc = await startOidcProvider({ clients: { "laurel-browser-test": "browser-test-secret" } });
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
  const varsFile = path.join(root, `tests/.artifacts/test-${PORT}.vars`);
  writeFileSync(
    varsFile,
    [
      "ENVIRONMENT=development",
      `APP_URL=http://127.0.0.1:${PORT}`,
      "EMAIL_TRANSPORT=outbox",
      "EMAIL_FROM=Laurel <no-reply@laurel.test>",
      "APP_SECRET=YnJvd3Nlci10ZXN0LWFwcC1zZWNyZXQtMzItYnl0ZXMtbG9uZyE=",
      "MFA_ENCRYPTION_KEY=YnJvd3Nlci10ZXN0LW1mYS1rZXktMzItYnl0ZXMhISE=",
      "EMAIL_API_KEY=",
      `SSO_PROVIDERS=${JSON.stringify([
        { name: "google", label: "Google", issuer: oidc.issuer("google"), clientId: "laurel-browser-test" },
        { name: "microsoft", label: "Microsoft", issuer: oidc.issuer("microsoft"), clientId: "laurel-browser-test", multiTenant: true },
      ])}`,
      "SSO_GOOGLE_CLIENT_SECRET=browser-test-secret",
      "SSO_MICROSOFT_CLIENT_SECRET=browser-test-secret",
    ].join("\n"),
  );
  const migrate = spawnSync("pnpm", ["exec", "wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  server = spawn(
    "pnpm",
    [
      "exec",
      "wrangler",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(PORT),
      "--persist-to",
      state,
      "--env-file",
      varsFile,
      "--show-interactive-dev-session=false",
    ],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  log = "";
  server.stdout?.on("data", (d) => {
    log += d;
  });
  server.stderr?.on("data", (d) => {
    log += d;
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`${base}/dev/api/seed`, { method: "POST", headers: { "x-laurel-csrf": "1" } });
      if (response.ok) {
        project.provide("baseUrl", base);
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`wrangler dev did not start:\n${log}`);
}

export async function teardown() {
  // The server's own account of the run, for a failure the browser cannot explain.
  writeFileSync(path.join(root, `tests/.artifacts/wrangler-${PORT}.log`), log);
  await oidc?.close();
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
