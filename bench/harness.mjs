// Shared by every benchmark: start Laurel in `wrangler dev` (fresh local state, own port),
// run autocannon against it, and print percentiles and ratios against a baseline.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import autocannon from "autocannon";
import * as OTPAuth from "otpauth";

const root = path.resolve(import.meta.dirname, "..");

/** Refuses to start on a port something else holds: a stale server would be measured instead. */
async function ensurePortFree(port) {
  await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `Port ${port} is in use (another wrangler dev or benchmark?). Stop it, e.g. \`fuser -k ${port}/tcp\`, and run again.`
            : `Cannot listen on port ${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(resolve));
  });
}

/** Ends the server's whole process group; a group that already ended is not an error. */
function stopGroup(pid) {
  try {
    process.kill(-pid, "SIGTERM");
  } catch (error) {
    if (error.code !== "ESRCH") throw error;
  }
}

/** Where a benchmark server on `port` keeps its local D1, KV and R2, and its variables. */
const serverFiles = (port) => ({
  state: path.join(root, `bench/results/state-${port}`),
  vars: path.join(root, `bench/results/bench-${port}.vars`),
});

export async function startLaurel({ port = 8797 } = {}) {
  await ensurePortFree(port);
  const { state, vars } = serverFiles(port);
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
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
  return serveLaurel({ port, seed: true });
}

/**
 * `wrangler dev` on the state and variables `startLaurel` prepared for this port. Ready once the
 * dev seed answers (`seed`), or, on state that is already seeded, once the health check does.
 */
export async function serveLaurel({ port, seed }) {
  const { state, vars } = serverFiles(port);
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
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
      process.env.BENCH_SERVER_LOG ? "debug" : "error",
    ],
    { cwd: root, env, stdio: process.env.BENCH_SERVER_LOG ? ["ignore", "inherit", "inherit"] : "ignore", detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      const ready = seed
        ? await fetch(`${url}/dev/api/seed`, { method: "POST", headers: { "x-laurel-csrf": "1" } })
        : await fetch(`${url}/api/health`);
      if (ready.ok) return { url, stop: () => stopGroup(server.pid), pid: server.pid };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stopGroup(server.pid);
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

/**
 * Runs autocannon for a fixed duration; bounded in time and connections, loopback only.
 * `check(body, status)` returning false counts a 200 as an error too: GraphQL reports its
 * failures inside 200 responses.
 */
export async function load(title, { check, ...options }) {
  let rejected = 0;
  // The first few failed answers, so a report says what failed, not only how often.
  const samples = [];
  const sample = (status, body) => {
    if (samples.length < 3) samples.push(`${status} ${String(body).slice(0, 200)}`);
  };
  // Only checked scenarios read their bodies: reading them costs the client, which shares the
  // machine, so the static baseline is left unread.
  const requests = check
    ? (options.requests ?? [{}]).map((r) => ({
        ...r,
        onResponse: (status, body, context, headers) => {
          if (status >= 300 || !check(body, status)) {
            if (status < 300) rejected++;
            sample(status, body);
          }
          r.onResponse?.(status, body, context, headers);
        },
      }))
    : options.requests;
  const result = await autocannon({ connections: 64, duration: 10, ...options, ...(requests ? { requests } : {}), title });
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + rejected,
    // autocannon's `errors` are connection failures and timeouts (no answer in 10 s).
    errorKinds: { non2xx: result.non2xx, timeouts: result.timeouts, connectionErrors: result.errors - result.timeouts, rejected },
    samples,
    requests: result.requests.total,
  };
}

/** A GraphQL body with data and no errors. */
export const graphqlOk = (body) => {
  try {
    const parsed = JSON.parse(body);
    return parsed.data != null && !parsed.errors;
  } catch {
    return false;
  }
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * A scenario measured as the issue notes report it: a short warm-up, then RUNS rounds of
 * (baseline, scenario) back to back, so each ratio compares two runs made under the same load
 * on the machine. Reports the median of each figure and of each ratio, with the spread.
 * Options that cannot be repeated (for example `amount` over a fixed list) pass `runs: 1`.
 */
export async function compare(title, options, baselineOptions, { runs = 3, warmupSeconds = 2 } = {}) {
  if (warmupSeconds > 0 && !options.amount)
    await autocannon({ ...options, duration: warmupSeconds, connections: options.connections ?? 64 });
  const rounds = [];
  for (let run = 0; run < runs; run++) {
    const baseline = await load("baseline", baselineOptions);
    const scenario = await load(title, options);
    rounds.push({ baseline, scenario, rpsRatio: scenario.rps / baseline.rps, p99Ratio: scenario.p99 / Math.max(1, baseline.p99) });
  }
  const pick = (f) => rounds.map(f);
  return {
    title,
    runs,
    rps: median(pick((r) => r.scenario.rps)),
    p50: median(pick((r) => r.scenario.p50)),
    p99: median(pick((r) => r.scenario.p99)),
    errors: pick((r) => r.scenario.errors).reduce((a, b) => a + b, 0),
    errorKinds: pick((r) => r.scenario.errorKinds).reduce((sum, kinds) => {
      for (const [kind, n] of Object.entries(kinds)) sum[kind] = (sum[kind] ?? 0) + n;
      return sum;
    }, {}),
    samples: pick((r) => r.scenario.samples)
      .flat()
      .slice(0, 3),
    requests: pick((r) => r.scenario.requests).reduce((a, b) => a + b, 0),
    baselineRps: median(pick((r) => r.baseline.rps)),
    baselineP99: median(pick((r) => r.baseline.p99)),
    rpsRatio: median(pick((r) => r.rpsRatio)),
    rpsRatioSpread: [Math.min(...pick((r) => r.rpsRatio)), Math.max(...pick((r) => r.rpsRatio))],
    p99Ratio: median(pick((r) => r.p99Ratio)),
    p99RatioSpread: [Math.min(...pick((r) => r.p99Ratio)), Math.max(...pick((r) => r.p99Ratio))],
  };
}

/** Prints `compare` results: medians, and each ratio with its spread over the runs. */
export function reportCompared(results) {
  const spread = ([lo, hi]) => `${lo.toFixed(2)}–${hi.toFixed(2)}`;
  console.table(
    results.map((r) => ({
      scenario: r.title,
      runs: r.runs,
      "req/s (median)": r.rps.toFixed(0),
      "p50 ms": r.p50,
      "p99 ms": r.p99,
      "non-2xx+errors": r.errors,
      "static req/s": r.baselineRps.toFixed(0),
      "rps vs static": `${r.rpsRatio.toFixed(2)}x (${spread(r.rpsRatioSpread)})`,
      "p99 vs static": `${r.p99Ratio.toFixed(2)}x (${spread(r.p99RatioSpread)})`,
    })),
  );
  for (const r of results.filter((r) => r.errors > 0)) {
    console.log(`${r.title}: ${JSON.stringify(r.errorKinds)}`);
    for (const s of r.samples) console.log(`  e.g. ${s}`);
  }
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
