export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** XML Schema dateTime in whole seconds (`2026-11-24T10:00:00Z`), as credentials write it. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Milliseconds since the epoch; the single clock every service reads, so tests can reason about it. */
export function now(): number {
  return Date.now();
}
