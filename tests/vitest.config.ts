import { defineConfig } from "vitest/config";

// Browser tests (Node drives Debian's Chromium) and interoperability tests (independent libraries
// check what Laurel serves) against a real `wrangler dev`, started once in global-setup.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["browser/**/*.test.ts", "interop/**/*.test.ts"],
    globalSetup: ["support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
