// `pnpm dev`: one command from a fresh clone to a running Laurel on http://127.0.0.1:8787.
// Applies local D1 migrations, builds the SPA (and rebuilds it on change), starts
// `wrangler dev` and seeds the demo data once the server answers.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { startOidcProvider } from "../tests/oidc-provider/provider.mjs";
import { startTurnstilePeer } from "../tests/turnstile-peer/peer.mjs";

const root = new URL("..", import.meta.url).pathname;
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const url = "http://127.0.0.1:8787";
const children = [];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function start(command, args) {
  const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
  children.push(child);
  child.on("exit", (code) => {
    if (!shuttingDown) {
      console.error(`${command} ${args.join(" ")} exited with ${code}`);
      shutdown(code ?? 1);
    }
  });
  return child;
}

let shuttingDown = false;
let oidc = null;
let turnstile = null;
function shutdown(code = 0) {
  shuttingDown = true;
  oidc?.close();
  turnstile?.close();
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

if (!existsSync(`${root}.dev.vars`)) {
  copyFileSync(`${root}.dev.vars.example`, `${root}.dev.vars`);
  console.log("Created .dev.vars from .dev.vars.example (development keys, dev mailbox on).");
} else {
  // Settings added to the example since this .dev.vars was made are appended, never overwritten.
  const keys = (text) =>
    new Set(
      text
        .split("\n")
        .map((line) => line.split("=")[0].trim())
        .filter((k) => k && !k.startsWith("#")),
    );
  const have = keys(readFileSync(`${root}.dev.vars`, "utf8"));
  const missing = readFileSync(`${root}.dev.vars.example`, "utf8")
    .split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line) && !have.has(line.split("=")[0]));
  if (missing.length) {
    appendFileSync(`${root}.dev.vars`, `\n${missing.join("\n")}\n`);
    console.log(`Added to .dev.vars: ${missing.map((l) => l.split("=")[0]).join(", ")}`);
  }
}
// The stand-in for Google and Microsoft sign-in (see .dev.vars.example).
oidc = await startOidcProvider({ port: 8799 });
// The stand-in for Cloudflare Turnstile, used once TURNSTILE_SITE_KEY is set in .dev.vars.
turnstile = await startTurnstilePeer({ port: 8797 });
run("pnpm", ["exec", "wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("pnpm", ["--filter", "web", "build"]);
start("pnpm", ["--filter", "web", "exec", "vite", "build", "--watch", "--logLevel", "warn"]);
// `--test-scheduled` lets us fire the Cron Trigger (wrangler dev does not run crons by itself):
// the outbox's retries and anything a request could not queue go out as they would deployed.
start("pnpm", ["exec", "wrangler", "dev", "--ip", "127.0.0.1", "--port", "8787", "--test-scheduled"]);

const seeded = await seed();
setInterval(runCron, 60_000);
console.log(`
  Laurel is running on ${url}
  Dev mailbox:  ${url}/dev/mailbox
  Google / Microsoft sign-in: a local OpenID Connect provider on ${oidc.url}
  Turnstile: a local stand-in on ${turnstile.url} (on once TURNSTILE_SITE_KEY is set in .dev.vars)
  Demo accounts (password: ${seeded.accounts[0]?.password}):
${seeded.accounts.map((a) => `    ${a.email.padEnd(22)} ${a.note}`).join("\n")}
  Their two-step sign-in code: \`oathtool --totp -b ${seeded.totpSecret}\`
    (or add the key ${seeded.totpSecret} to an authenticator app).
  Stop with Ctrl+C.
`);

async function runCron() {
  try {
    await fetch(`${url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
  } catch {
    // wrangler dev is restarting; the next minute runs it
  }
}

async function seed() {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const response = await fetch(`${url}/dev/api/seed`, { method: "POST", headers: { "x-laurel-csrf": "1" } });
      if (response.ok) return response.json();
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error("wrangler dev did not answer within 60 seconds");
  shutdown(1);
}
