export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Milliseconds since the epoch; the single clock every service reads, so tests can reason about it. */
export function now(): number {
  return Date.now();
}
