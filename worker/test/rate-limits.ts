/** The API_RATE_LIMIT binding's limit in tests (vitest.config.ts), small so a test reaches it. */
export const TEST_API_RATE_LIMIT = 20;
