import type { Problems } from "./errors";

// Field checks shared by every domain's inputs (issuers, badge classes, awards, profiles, collections). Each adds a message and returns the clean value.

export function checkText(
  problems: Problems,
  field: string,
  label: string,
  raw: string | null | undefined,
  max: number,
  required = true,
): string {
  const value = (raw ?? "").trim();
  if (required && !value) problems.add(field, `Enter ${label}.`);
  else if (value.length > max) problems.add(field, `${label[0]!.toUpperCase()}${label.slice(1)} can be at most ${max} characters.`);
  return value;
}

export function checkUrl(problems: Problems, field: string, raw: string | null | undefined, required = false): string | null {
  const value = (raw ?? "").trim();
  if (!value) {
    if (required) problems.add(field, "Enter a web address.");
    return null;
  }
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return url.toString();
  } catch {
    // falls through to the message
  }
  problems.add(field, "Enter a full web address starting with https://.");
  return null;
}

/** A calendar date (YYYY-MM-DD) or a full ISO date-time, as midnight UTC or that instant. */
export function checkDate(problems: Problems, field: string, raw: string | null | undefined): Date | null {
  const value = (raw ?? "").trim();
  if (!value) return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    problems.add(field, "Enter a date as YYYY-MM-DD.");
    return null;
  }
  return date;
}

export function checkList(
  problems: Problems,
  field: string,
  label: string,
  raw: string[] | null | undefined,
  maxItems: number,
  maxLength: number,
): string[] {
  const values = (raw ?? []).map((v) => v.trim()).filter(Boolean);
  if (values.length > maxItems) problems.add(field, `At most ${maxItems} ${label}.`);
  if (values.some((v) => v.length > maxLength)) problems.add(field, `Each of the ${label} can be at most ${maxLength} characters.`);
  return values;
}

/** Adds `months` calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes()));
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return result;
}
