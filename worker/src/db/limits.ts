/** D1 binds at most 100 values per statement: lists of ids go in slices of this many. */
export const IDS_PER_QUERY = 90;

/** Runs `query` once per slice of `ids` (none for no ids) and concatenates the rows. */
export async function inSlices<T>(ids: readonly string[], query: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const rows: T[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) rows.push(...(await query(unique.slice(i, i + IDS_PER_QUERY))));
  return rows;
}

/** `rows` as one list per key, in the keys' order: what a dataloader's batch function returns. */
export function listsFor<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const lists = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) lists.get(keyOf(row))?.push(row);
  return keys.map((key) => lists.get(key) ?? []);
}
