/**
 * Records kept in KV under `<kind>:<id>`, with an index key per user
 * (`user-<kind>s:<userId>:<id>`) whose metadata is the record, so a user's records can
 * be listed without a read per record. Both keys expire together.
 */
export interface KvRecord {
  /** SHA-256 of the secret token: the only form in which a token is stored. */
  id: string;
  userId: string;
}

export function kvRecords<T extends KvRecord>(kind: string) {
  const key = (id: string) => `${kind}:${id}`;
  const indexPrefix = (userId: string) => `user-${kind}s:${userId}:`;
  return {
    /**
     * `cacheTtl` lets the data center keep a read for that many seconds (KV's floor, and its
     * default, is 60): a record deleted elsewhere may still be read here until then.
     */
    get: (kv: KVNamespace, id: string, cacheTtl = 60) => kv.get<T>(key(id), { type: "json", cacheTtl }),
    async put(kv: KVNamespace, record: T, expiresAtMs: number, now: number) {
      // KV's smallest TTL is 60 s; callers check expiry themselves.
      const expirationTtl = Math.max(60, Math.ceil((expiresAtMs - now) / 1000));
      await Promise.all([
        kv.put(key(record.id), JSON.stringify(record), { expirationTtl }),
        kv.put(`${indexPrefix(record.userId)}${record.id}`, "", { expirationTtl, metadata: record }),
      ]);
    },
    async delete(kv: KVNamespace, userId: string, id: string) {
      await Promise.all([kv.delete(key(id)), kv.delete(`${indexPrefix(userId)}${id}`)]);
    },
    async list(kv: KVNamespace, userId: string): Promise<T[]> {
      const records: T[] = [];
      let cursor: string | undefined;
      do {
        const page = await kv.list<T>({ prefix: indexPrefix(userId), cursor });
        for (const entry of page.keys) if (entry.metadata) records.push(entry.metadata);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return records;
    },
  };
}
