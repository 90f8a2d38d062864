// Shared by every benchmark: start Laurel in `wrangler dev` (fresh local state, own port),
// run autocannon against it, and print percentiles and ratios against a baseline.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import * as OTPAuth from "otpauth";

const root = path.resolve(import.meta.dirname, "..");

export async function startLaurel({ port = 8797 } = {}) {
  const state = path.join(root, `bench/results/state-${port}`);
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const vars = path.join(root, `bench/results/bench-${port}.vars`);
  writeFileSync(
    vars,
    [
      "ENVIRONMENT=development",
      `APP_URL=http://127.0.0.1:${port}`,
      "EMAIL_TRANSPORT=outbox",
      "EMAIL_FROM=Laurel <no-reply@laurel.bench>",
      "APP_SECRET=YmVuY2htYXJrLWFwcC1zZWNyZXQtMzItYnl0ZXMtbG9uZyEh",
      "MFA_ENCRYPTION_KEY=YmVuY2gtbWZhLWtleS1leGFjdGx5LTMyLWJ5dGVzISE=",
      "EMAIL_API_KEY=",
    ].join("\n"),
  );
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
  const build = spawnSync("pnpm", ["--filter", "web", "build"], { cwd: root, env, encoding: "utf8" });
  if (build.status !== 0) throw new Error(build.stderr);
  const migrate = spawnSync("pnpm", ["exec", "wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(migrate.stderr);
  const server = spawn(
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
      vars,
      "--show-interactive-dev-session=false",
      "--log-level",
      "error",
    ],
    { cwd: root, env, stdio: "ignore", detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      const seeded = await fetch(`${url}/dev/api/seed`, { method: "POST", headers: { "x-laurel-csrf": "1" } });
      if (seeded.ok) return { url, stop: () => process.kill(-server.pid, "SIGTERM"), pid: server.pid };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  process.kill(-server.pid, "SIGTERM");
  throw new Error("wrangler dev did not start");
}

/** A POST of a GraphQL document with the CSRF header, as autocannon or fetch options. */
export const gql = (query, variables = {}, headers = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-laurel-csrf": "1", ...headers },
  body: JSON.stringify({ query, variables }),
});

/** The seeded demo accounts' authenticator secret (worker/src/dev/seed.ts). */
export const DEMO_TOTP_SECRET = "LAURELDEMOTOTPSECRETFORDEVONLY23";

/**
 * A full session for a seeded demo account, through the real mutations: password, then a
 * code from otpauth. Returns the Cookie header to send.
 */
export async function signInDemo(url, email, { offsetSteps = 0 } = {}) {
  const cookies = new Map();
  const post = async (query, variables) => {
    const response = await fetch(`${url}/graphql`, gql(query, variables, { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") }));
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response.json();
  };
  await post("mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { __typename } }", { e: email, p: "laurel-demo-2026" });
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });
  const verified = await post(
    "mutation ($c: String!) { verifySignInCode(code: $c, rememberDevice: false) { __typename ... on SignInStep { status } } }",
    { c: code },
  );
  if (verified.data?.verifySignInCode?.status !== "SIGNED_IN") throw new Error(`could not sign in ${email}: ${JSON.stringify(verified)}`);
  return `__Host-laurel_session=${cookies.get("__Host-laurel_session")}`;
}

/** Runs autocannon for a fixed duration; bounded in time and connections, loopback only. */
export async function load(title, options) {
  const result = await autocannon({ connections: 64, duration: 10, ...options, title });
  const non2xx = result.non2xx + result.errors;
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: non2xx,
    requests: result.requests.total,
  };
}

export function report(results, baseline) {
  const rows = results.map((r) => ({
    scenario: r.title,
    "req/s": r.rps.toFixed(0),
    "p50 ms": r.p50,
    "p99 ms": r.p99,
    "non-2xx+errors": r.errors,
    "rps vs baseline": baseline ? `${(r.rps / baseline.rps).toFixed(2)}x` : "",
    "p99 vs baseline": baseline ? `${(r.p99 / Math.max(1, baseline.p99)).toFixed(2)}x` : "",
  }));
  console.table(rows);
  return rows;
}

/** Resident memory of the benchmarked server's workerd process (its own process group only), in MiB. */
export function workerdMemoryMiB(laurel) {
  const out = spawnSync("sh", ["-c", `ps -eo pgid=,rss=,comm= | awk '$1 == ${laurel.pid} && $3 ~ /workerd/ {s+=$2} END {print s+0}'`], {
    encoding: "utf8",
  });
  return Math.round(Number(out.stdout.trim() || 0) / 1024);
}

/** Waits until the dev mailbox stops growing for five seconds. */
export async function queueDrained(url) {
  let last = "";
  for (let quiet = 0; quiet < 5; ) {
    await new Promise((r) => setTimeout(r, 1000));
    const { messages } = await (await fetch(`${url}/dev/api/mailbox`)).json();
    const newest = messages[0]?.id ?? "";
    quiet = newest === last ? quiet + 1 : 0;
    last = newest;
  }
}
