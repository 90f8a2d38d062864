declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    FUZZ_SEED: string;
    FUZZ_CASES: string;
  }
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
}

/** Vite's `?raw` imports: a file's text (the SPA's `_headers`, checked against the Worker's). */
declare module "*?raw" {
  const text: string;
  export default text;
}
