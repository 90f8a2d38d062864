// `pnpm dev`: one command from a fresh clone to a running Laurel on http://127.0.0.1:8787.
// Applies local D1 migrations, builds the SPA (and rebuilds it on change), starts
// `wrangler dev` and seeds the demo data once the server answers.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

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
function shutdown(code = 0) {
  shuttingDown = true;
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

if (!existsSync(`${root}.dev.vars`)) {
  copyFileSync(`${root}.dev.vars.example`, `${root}.dev.vars`);
  console.log("Created .dev.vars from .dev.vars.example (development keys, dev mailbox on).");
}
run("pnpm", ["exec", "wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("pnpm", ["--filter", "web", "build"]);
start("pnpm", ["--filter", "web", "exec", "vite", "build", "--watch", "--logLevel", "warn"]);
start("pnpm", ["exec", "wrangler", "dev", "--ip", "127.0.0.1", "--port", "8787"]);

const seeded = await seed();
console.log(`
  Laurel is running on ${url}
  Dev mailbox:  ${url}/dev/mailbox
  Demo accounts (password: ${seeded.accounts[0]?.password}):
${seeded.accounts.map((a) => `    ${a.role.padEnd(8)} ${a.email}`).join("\n")}
  Their two-step sign-in code: \`oathtool --totp -b ${seeded.totpSecret}\`
    (or add the key ${seeded.totpSecret} to an authenticator app).
  Stop with Ctrl+C.
`);

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
