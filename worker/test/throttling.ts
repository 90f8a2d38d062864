import { env } from "cloudflare:workers";
import type { AttemptKey } from "../src/throttling/policies";

/** Moves these keys' windows and pauses `ms` into the past, as if that much time had gone by for them. */
export async function ageAttempts(keys: AttemptKey[], ms: number): Promise<void> {
  await env.DB.batch(
    keys.map((k) =>
      env.DB.prepare(
        `update attempt_windows set window_started_at = window_started_at - ?1,
          paused_until = paused_until - ?1, expires_at = expires_at - ?1 where key = ?2`,
      ).bind(ms, k.key),
    ),
  );
}

export async function attemptRow(key: AttemptKey) {
  return env.DB.prepare("select * from attempt_windows where key = ?")
    .bind(key.key)
    .first<{ attempts: number; paused_until: number | null; window_started_at: number }>();
}
