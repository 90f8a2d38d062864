declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    FUZZ_SEED: string;
    FUZZ_CASES: string;
    TURNSTILE_PEER_URL: string;
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

/** Vite's `import.meta.glob`, eager with `?raw`: every matching file's text by its path (the layers test). */
interface ImportMeta {
  glob<T = unknown>(pattern: string | string[], options: { query: "?raw"; import: "default"; eager: true }): Record<string, T>;
}
