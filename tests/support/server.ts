import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface LaurelServer {
  base: string;
  /** What wrangler printed so far, for a failure the browser cannot explain. */
  log(): string;
  stop(): void;
}

/**
 * Starts Laurel exactly as `pnpm dev` does (migrations, wrangler dev, seed), on its own port
 * with its own throwaway state and these development variables (`KEY=value` lines), so
 * browser tests never touch a developer's data.
 */
export async function startLaurelServer(port: number, vars: string[]): Promise<LaurelServer> {
  const state = path.join(root, `tests/.artifacts/wrangler-state-${port}`);
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
  const varsFile = path.join(root, `tests/.artifacts/test-${port}.vars`);
  writeFileSync(
    varsFile,
    [
      "ENVIRONMENT=development",
      `APP_URL=http://127.0.0.1:${port}`,
      "EMAIL_TRANSPORT=outbox",
      "EMAIL_FROM=Laurel <no-reply@laurel.test>",
      "APP_SECRET=YnJvd3Nlci10ZXN0LWFwcC1zZWNyZXQtMzItYnl0ZXMtbG9uZyE=",
      "MFA_ENCRYPTION_KEY=YnJvd3Nlci10ZXN0LW1mYS1rZXktMzItYnl0ZXMhISE=",
      "EMAIL_API_KEY=",
      ...vars,
    ].join("\n"),
  );
  const migrate = spawnSync("pnpm", ["exec", "wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  const server: ChildProcess = spawn(
    "pnpm",
    [
      "exec",
      "wrangler",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      "--env-file",
      varsFile,
      "--show-interactive-dev-session=false",
    ],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let log = "";
  server.stdout?.on("data", (d) => {
    log += d;
  });
  server.stderr?.on("data", (d) => {
    log += d;
  });
  const stop = () => {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`${base}/dev/api/seed`, { method: "POST", headers: { "x-laurel-csrf": "1" } });
      if (response.ok) return { base, log: () => log, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error(`wrangler dev did not start:\n${log}`);
}
