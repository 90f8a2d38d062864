// What a first visit downloads and what Cloudflare deploys, gzipped: the SPA's initial
// JavaScript (the entry chunk, its static imports, and the home route's chunk with its own)
// and the Worker bundle from `wrangler deploy --dry-run`. Fails when over budget.
// Run: pnpm bench:size
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

const SPA_BUDGET_KB = 30;
const WORKER_BUDGET_KB = 600;
const root = path.resolve(import.meta.dirname, "..");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const work = mkdtempSync(path.join(tmpdir(), "laurel-size-"));
const gzipKb = (file) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

try {
  const spaOut = path.join(work, "spa");
  run("pnpm", ["--filter", "web", "exec", "vite", "build", "--manifest", "--outDir", spaOut, "--emptyOutDir", "--logLevel", "error"]);
  const manifest = JSON.parse(readFileSync(path.join(spaOut, ".vite/manifest.json"), "utf8"));
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const homeKey = Object.keys(manifest).find((k) => /pages\/Home\.tsx$/.test(k));
  if (!entryKey) throw new Error("the manifest names no entry chunk");
  const initial = new Set();
  const visit = (key) => {
    if (initial.has(key)) return;
    initial.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(entryKey);
  // The home page is in the entry when App imports it statically; a lazy one is its own chunk.
  if (homeKey) visit(homeKey);
  const chunks = [...initial].map((k) => ({ chunk: manifest[k].file, "gzip KB": gzipKb(path.join(spaOut, manifest[k].file)) }));
  const spaKb = chunks.reduce((n, c) => n + c["gzip KB"], 0);

  const workerOut = path.join(work, "worker");
  run("pnpm", ["exec", "wrangler", "deploy", "--dry-run", "--outdir", workerOut]);
  const files = readdirSync(workerOut, { recursive: true })
    .map((f) => path.join(workerOut, String(f)))
    .filter((f) => statSync(f).isFile() && !f.endsWith(".map"));
  const workerKb = files.reduce((n, f) => n + gzipKb(f), 0);

  console.table(chunks.map((c) => ({ ...c, "gzip KB": c["gzip KB"].toFixed(1) })));
  console.log(`SPA initial JavaScript (entry + home route): ${spaKb.toFixed(1)} KB gzipped (budget ${SPA_BUDGET_KB} KB)`);
  console.log(`Worker bundle: ${workerKb.toFixed(1)} KB gzipped (budget ${WORKER_BUDGET_KB} KB)`);
  if (spaKb > SPA_BUDGET_KB || workerKb > WORKER_BUDGET_KB) {
    console.error("Over budget.");
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
