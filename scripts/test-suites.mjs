// `pnpm test` runs the worker and browser suites at the same time, after one build: the browser
// suite spends most of its time waiting (for mail, for a code's minute to pass), so running
// them side by side keeps CI well under its 20 minutes. Fails if either fails.
import { spawn } from "node:child_process";

const suites = [
  { name: "worker", args: ["--filter", "worker", "test"] },
  { name: "browser", args: ["exec", "vitest", "run", "--config", "tests/vitest.config.ts"] },
];

const results = await Promise.all(
  suites.map(
    ({ name, args }) =>
      new Promise((resolve) => {
        const child = spawn("pnpm", args, { stdio: "inherit" });
        child.on("exit", (code, signal) => resolve({ name, ok: code === 0, code: code ?? signal }));
      }),
  ),
);
for (const r of results) console.log(`${r.name} suite: ${r.ok ? "passed" : `failed (${r.code})`}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
