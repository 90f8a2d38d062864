import { describe, expect, it } from "vitest";

// The layering rule of README's layout table, checked on the source text: lower layers import
// no domain, and sign-in's building blocks (sessions/, mfa/) never call back into auth/.
const LOWER_LAYERS = ["lib", "http", "db", "email", "audit", "throttling", "outbox"];
// Shared roots every layer may use: configuration, the request context, and (types only) the database.
const SHARED_ROOTS = ["context.ts", "env.ts"];
const SHARED_TYPES = ["database.ts"];
const FORBIDDEN: Record<string, string[]> = { sessions: ["auth", "mfa"], mfa: ["auth", "sessions"] };

const sources = import.meta.glob<string>("./**/*.ts", { query: "?raw", import: "default", eager: true });

/** `a/b/../c.ts` → `a/c.ts`, for paths below src/. */
function resolve(from: string, specifier: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** Each relative import of a file: where it points (below src/) and whether it is type-only. */
function importsOf(path: string, text: string): { target: string; typeOnly: boolean }[] {
  const found: { target: string; typeOnly: boolean }[] = [];
  const pattern =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)|(?:^|\n)\s*import\s+"(\.[^"]+)"/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[3] ?? match[4] ?? match[5]!;
    found.push({ target: resolve(path, specifier), typeOnly: Boolean(match[2]) });
  }
  return found;
}

/** Every import that breaks the rule, as `file → target`; `files` maps paths below src/ to their text. */
function layerViolations(files: Record<string, string>): string[] {
  const violations: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith(".test.ts")) continue;
    const folder = path.includes("/") ? path.split("/")[0]! : null;
    for (const { target, typeOnly } of importsOf(path, text)) {
      if (target.startsWith("../")) continue; // test helpers and the SPA, outside src/
      const targetFolder = target.includes("/") ? target.split("/")[0]! : null;
      const targetFile = `${target.replace(/\.ts$/, "")}.ts`;
      if (folder && LOWER_LAYERS.includes(folder)) {
        const allowed =
          (targetFolder !== null && LOWER_LAYERS.includes(targetFolder)) ||
          SHARED_ROOTS.includes(targetFile) ||
          (typeOnly && SHARED_TYPES.includes(targetFile));
        if (!allowed) violations.push(`${path} → ${target}`);
      }
      if (folder && targetFolder && FORBIDDEN[folder]?.includes(targetFolder)) violations.push(`${path} → ${target}`);
    }
  }
  return violations.sort();
}

const below = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([path, text]) => [path.slice(2), text]));

describe("layers", () => {
  it("reads the source tree", () => {
    expect(Object.keys(sources)).toContain("./lib/images.ts");
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });

  it("lower layers import no domain, and sessions/ and mfa/ import neither auth/ nor each other", () => {
    expect(layerViolations(below(sources))).toEqual([]);
  });

  it("catches a lower layer importing a domain, a runtime import of the table registry, and mfa/ importing auth/", () => {
    expect(
      layerViolations({
        "lib/images.ts": 'import { uploadImage } from "../badges/images";\nimport { now } from "./time";',
        "http/cookies.ts": 'import type { User } from "../accounts/accounts.table";',
        "outbox/deliver.ts": 'import { createDb } from "../database";\nimport type { Db } from "../database";',
        "email/mime.ts": 'export { x } from "../sso/flows";',
        "mfa/totp.ts": 'import type { PendingSignIn } from "../auth/pending-sign-in";',
        "sessions/visitor.ts": 'const m = await import("../mfa/remembered-devices");',
        "badges/awards.service.ts": 'import { signIn } from "../auth/sign-in.service";',
        "db/read-replicas.test.ts": 'import { TestClient } from "../../test/client";\nimport { x } from "../badges/x";',
      }),
    ).toEqual([
      "email/mime.ts → sso/flows",
      "http/cookies.ts → accounts/accounts.table",
      "lib/images.ts → badges/images",
      "mfa/totp.ts → auth/pending-sign-in",
      "outbox/deliver.ts → database",
      "sessions/visitor.ts → mfa/remembered-devices",
    ]);
  });
});
