import { env } from "cloudflare:workers";
import { buildSchema } from "graphql";
import { beforeAll, describe, expect, it, vi } from "vitest";
import sdl from "../../../schema/schema.graphql?raw";
import { AWARD, issuerWithBadgeClass } from "../../test/badges";
import { TestClient } from "../../test/client";
import { createUser, signInAs, type TestUser } from "../../test/fixtures";
import { Fuzzer, type Operation, operation, type Pools, rootFields } from "../../test/graphql-fuzz";

// A fuzz test of the GraphQL API: every query and mutation of the printed schema, with random,
// boundary and hostile arguments, as a visitor and as a signed-in user, plus hostile documents
// and requests. Seeded and bounded: the same run for the same seed (printed; FUZZ_SEED=<n>
// replays one), well under a minute. Every answer must be a clear one: no 500, no masked
// "Unexpected error", no stack trace or SQL; and a refused call must change nothing in D1.

const SEED = Number(env.FUZZ_SEED) || 20261201;
const CASES_PER_FIELD = Number(env.FUZZ_CASES) || 3;

// Tables a refused call may change: a guess is reserved in the brute-force counters before it
// is checked, on purpose (docs/decisions/012-attempt-reservation.md).
const MAY_CHANGE_WHEN_REFUSED = new Set(["attempt_windows"]);
// And when a refusal is the one that locks (RateLimitedError), the lock's audit entry and notice.
const MAY_CHANGE_WHEN_LOCKED = new Set(["audit_log", "outbox_events", "email_outbox"]);

interface Identity {
  name: "visitor" | "signed-in";
  client: () => Promise<TestClient>;
}

let tables: string[] = [];
let digestMs = 0;
let signedIn: TestUser;
let pools: Pools;
let othersRows: () => Promise<string>;
const COLLECTION = `mutation { createCollection(input: { name: "Fuzzed" }) { ... on Collection { id } } }`;

async function digest(): Promise<Map<string, string>> {
  const results = await env.DB.batch(tables.map((t) => env.DB.prepare(`select * from "${t}" order by rowid`)));
  return new Map(tables.map((t, i) => [t, JSON.stringify(results[i]?.results)]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return tables.filter((t) => before.get(t) !== after.get(t));
}

async function send(client: TestClient, op: Operation): Promise<Response> {
  const names = Object.keys(op.files);
  if (names.length === 0) {
    return client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query: op.query, variables: op.variables }),
    });
  }
  const form = new FormData();
  form.set("operations", JSON.stringify({ query: op.query, variables: op.variables }));
  form.set("map", JSON.stringify(Object.fromEntries(names.map((name, i) => [String(i), [`variables.${name}`]]))));
  for (const [i, name] of names.entries()) form.set(String(i), op.files[name] as File);
  return client.request("/graphql", { method: "POST", headers: { "x-laurel-csrf": "1" }, body: form });
}

// What must never reach a client: stack frames, file paths, database errors, SQL from drizzle.
const LEAKS = [
  /\bat [\w$.<>]+ \(/,
  /\.(ts|js|mjs):\d+:\d+/,
  /node_modules|worker\/src\//,
  // Case matters for the codes: a hostile input echoed in a validation error names sqlite_master.
  /SQLITE_[A-Z]+|D1_ERROR/,
  /no such (table|column)|constraint failed|syntax error at|near ".*": syntax/i,
  /Failed query:|params: /,
  // drizzle's SQL quotes every name; a hostile input echoed back ("FROM users --") does not.
  /\b(from|into|update|join) "[a-z_]+"/i,
];

interface Outcome {
  status: number;
  body: string;
  refused: boolean;
  locked: boolean;
}

/** Reads the answer and checks it is a clear one. */
async function check(label: string, response: Response): Promise<Outcome> {
  const body = await response.text();
  const where = `${label} (seed ${SEED}) answered ${response.status}: ${body.slice(0, 500)}`;
  expect(response.status, where).toBeLessThan(500);
  for (const leak of LEAKS) expect(body, where).not.toMatch(leak);
  let json: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] } | null = null;
  try {
    json = JSON.parse(body);
  } catch {
    // Non-JSON answers come only from the HTTP layer (a refused request before GraphQL).
    expect(response.status, where).toBeGreaterThanOrEqual(400);
  }
  for (const error of json?.errors ?? []) {
    expect(error.extensions?.code, where).not.toBe("INTERNAL_SERVER_ERROR");
    expect(error.message, where).not.toMatch(/^Unexpected error/);
  }
  const results = Object.values(json?.data ?? {}) as ({ __typename?: string } | null)[];
  const typenames = results.map((r) => (r && typeof r === "object" ? r.__typename : undefined));
  return {
    status: response.status,
    body,
    refused: response.status >= 400 || Boolean(json?.errors?.length) || typenames.some((t) => t?.endsWith("Error")),
    locked: typenames.includes("RateLimitedError"),
  };
}

/**
 * Waits until the outbox has delivered what earlier calls committed (the queue consumer writes
 * outbox_events, email_outbox and signed_credentials in the background), so that what changes
 * during the next call is that call's doing.
 */
async function settle() {
  await vi.waitFor(
    async () => {
      const due = await env.DB.prepare("select count(*) as n from outbox_events where status = 'pending' and available_at <= ?")
        .bind(Date.now())
        .first<{ n: number }>();
      if (due?.n) throw new Error(`${due.n} outbox events still due`);
    },
    { timeout: 15_000, interval: 25 },
  );
}

/** Sends, checks, and for a refusal compares D1 before and after. */
async function run(identity: Identity, label: string, request: (client: TestClient) => Promise<Response>) {
  const client = await identity.client();
  await settle();
  const d0 = performance.now();
  const before = await digest();
  digestMs += performance.now() - d0;
  const outcome = await check(`${identity.name}: ${label}`, await request(client));
  if (outcome.refused) {
    const allowed = (t: string) => MAY_CHANGE_WHEN_REFUSED.has(t) || (outcome.locked && MAY_CHANGE_WHEN_LOCKED.has(t));
    const changed = changedTables(before, await digest()).filter((t) => !allowed(t));
    expect(changed, `${identity.name}: ${label} (seed ${SEED}) was refused (${outcome.body.slice(0, 300)}) but changed`).toEqual([]);
  }
  return outcome;
}

beforeAll(async () => {
  const { results } = await env.DB.prepare(
    // FTS5's WITHOUT ROWID shadow tables cannot be read in rowid order; their virtual table (help_search) is compared instead.
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' and name != 'd1_migrations' and sql not like '%WITHOUT ROWID%' order by name",
  ).all<{ name: string }>();
  tables = results.map((r) => r.name);

  // The signed-in user owns an issuer with a badge class, holds a badge and a collection;
  // another user holds a badge too. Their ids feed the fuzzer as "valid" values.
  signedIn = await createUser({ firstName: "Fuzz" });
  const other = await createUser({ firstName: "Other" });
  const owner = new TestClient();
  await signInAs(owner, signedIn);
  const { issuer, badgeClass } = await issuerWithBadgeClass(owner);
  const mine = (await owner.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: signedIn.email } })).awardBadge;
  const theirs = (await owner.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: other.email } })).awardBadge;
  const collection = (await owner.gql(COLLECTION)).createCollection;
  // The other user's own issuer, badge class, badge and collection: the signed-in user may
  // name them, and must never change them.
  const otherClient = new TestClient();
  await signInAs(otherClient, other);
  const foreign = await issuerWithBadgeClass(otherClient);
  const foreignAward = (await otherClient.gql(AWARD, { badgeClassId: foreign.badgeClass.id, input: { email: other.email } })).awardBadge;
  const foreignCollection = (await otherClient.gql(COLLECTION)).createCollection;
  othersRows = () =>
    env.DB.batch([
      env.DB.prepare("select * from users where id = ?").bind(other.id),
      env.DB.prepare("select * from emails where user_id = ? order by id").bind(other.id),
      env.DB.prepare("select * from issuers where id = ?").bind(foreign.issuer.id),
      env.DB.prepare("select * from issuer_members where issuer_id = ? order by user_id").bind(foreign.issuer.id),
      env.DB.prepare("select * from badge_classes where id = ?").bind(foreign.badgeClass.id),
      env.DB.prepare("select * from awards where id = ?").bind(foreignAward.id),
      env.DB.prepare("select * from collections where id = ?").bind(foreignCollection.id),
    ]).then((results) => JSON.stringify(results.map((r) => r.results)));
  const { me } = await owner.gql("{ me { emails { id } } }");
  const { mySessions } = await owner.gql("{ mySessions { id } }");
  pools = {
    ids: {
      issuer: [issuer.id, foreign.issuer.id],
      badgeClass: [badgeClass.id, foreign.badgeClass.id],
      award: [mine.id, theirs.id, foreignAward.id],
      collection: [collection.id, foreignCollection.id],
      email: [me.emails[0].id],
      session: [mySessions[0].id],
      user: [signedIn.id, other.id],
    },
    emails: [signedIn.email, other.email, "nobody@example.org"],
  };
}, 60_000);

const identities: Identity[] = [
  { name: "visitor", client: async () => new TestClient() },
  {
    name: "signed-in",
    // A fresh session per case: a fuzzed signOut or revokeSession must not turn the rest into visitors.
    client: async () => {
      const client = new TestClient();
      await signInAs(client, signedIn);
      return client;
    },
  },
];

describe("GraphQL fuzz", () => {
  it(
    `answers ${CASES_PER_FIELD} generated calls of every query and mutation clearly, as a visitor and signed in`,
    async () => {
      console.log(`[fuzz] seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`);
      const fuzzer = new Fuzzer(SEED, pools);
      const fields = rootFields(buildSchema(sdl));
      await settle();
      const othersBefore = await othersRows();
      expect(fields.length).toBeGreaterThan(60);
      let refused = 0;
      let total = 0;
      const started = performance.now();
      for (const { kind, field } of fields) {
        for (const identity of identities) {
          for (let i = 0; i < CASES_PER_FIELD; i++) {
            const op = operation(fuzzer, kind, field);
            const outcome = await run(identity, `${op.label} ${JSON.stringify(op.variables).slice(0, 200)}`, (client) => send(client, op));
            total++;
            if (outcome.refused) refused++;
          }
        }
      }
      // Most generated calls are refused (that is the point); some must get through, or the
      // generator tests nothing but validation.
      console.log(
        `[fuzz] digest ${Math.round(digestMs)} ms; ${total} calls, ${refused} refused, ${Math.round(performance.now() - started)} ms`,
      );
      expect(await othersRows(), `the other user's objects changed (seed ${SEED})`).toBe(othersBefore);
      expect(refused).toBeGreaterThan(total / 3);
      expect(refused).toBeLessThan(total);
    },
    300_000 * Math.max(1, CASES_PER_FIELD / 3),
  );

  it("answers hostile documents and requests with clear errors", async () => {
    const nested = (levels: number) => {
      let selection = "name";
      for (let level = levels - 1; level > 1; level--) selection = `${level % 2 ? "issuer" : "badgeClasses"} { ${selection} }`;
      return `{ myIssuers { ${selection} } }`;
    };
    const json =
      (body: unknown, headers: Record<string, string> = {}) =>
      (client: TestClient) =>
        client.request("/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", "x-laurel-csrf": "1", ...headers },
          body: typeof body === "string" ? body : JSON.stringify(body),
        });
    const cases: [string, (client: TestClient) => Promise<Response>][] = [
      ["50 levels deep", json({ query: nested(50) })],
      ["1,000 aliases", json({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { id }`).join(" ")} }` })],
      ["fragment cycle", json({ query: "{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }" })],
      ["a megabyte document", json({ query: `{ me { id } } # ${"x".repeat(1_000_000)}` })],
      ["a megabyte string literal", json({ query: `{ badgeClass(id: "${"x".repeat(1_000_000)}") { id } }` })],
      ["many directives", json({ query: `{ me ${"@include(if: true) ".repeat(200)} { id } }` })],
      ["an unknown directive", json({ query: "{ me @defer { id } }" })],
      ["a batch", json([{ query: "{ me { id } }" }, { query: "mutation { signOut }" }])],
      ["query is a number", json({ query: 123 })],
      ["no query", json({ variables: {} })],
      ["broken JSON", json('{"query": "{ me { id } }"')],
      ["variables are an array", json({ query: "query ($id: ID!) { badgeClass(id: $id) { id } }", variables: [1] })],
      [
        "variables with __proto__",
        json('{"query":"query ($id: ID!) { badgeClass(id: $id) { id } }","variables":{"__proto__":{"id":"x"}}}'),
      ],
      ["an unknown operationName", json({ query: "query A { me { id } } query B { termsVersion }", operationName: "C" })],
      ["two anonymous operations", json({ query: "{ me { id } } { termsVersion }" })],
      ["a subscription", json({ query: "subscription { me { id } }" })],
      ["an Int beyond 32 bits", json({ query: "{ backpack(first: 99999999999) { hasNextPage } }" })],
      [
        "first: -1 and a huge page",
        json({ query: "query ($n: Int) { backpack(first: $n) { items { id } } }", variables: { n: 2 ** 31 - 1 } }),
      ],
      ["a negative page", json({ query: "query ($n: Int) { backpack(first: $n) { items { id } } }", variables: { n: -5 } })],
      ["a forged cursor", json({ query: `{ backpack(after: "${"%ff".repeat(50)}") { items { id } } }` })],
      ["extensions garbage", json({ query: "{ termsVersion }", extensions: { persistedQuery: { sha256Hash: "x", version: 1 } } })],
      ["text/plain body", json("{ termsVersion }", { "content-type": "text/plain" })],
      ["graphql body", json("{ termsVersion }", { "content-type": "application/graphql" })],
      [
        "a mutation over GET",
        (client) =>
          client.request(`/graphql?query=${encodeURIComponent("mutation { signOutOtherSessions }")}`, {
            headers: { "x-laurel-csrf": "1" },
          }),
      ],
      [
        "GET with broken variables",
        (client) => client.request("/graphql?query=%7Bme%7Bid%7D%7D&variables=%7B", { headers: { "x-laurel-csrf": "1" } }),
      ],
      [
        "multipart with a broken map",
        (client) => {
          const form = new FormData();
          form.set(
            "operations",
            JSON.stringify({ query: "mutation ($p: File) { setProfilePhoto(photo: $p) { __typename } }", variables: { p: null } }),
          );
          form.set("map", '{"0": ["variables.nothing.here"]}');
          form.set("0", new File(["x"], "x.png", { type: "image/png" }));
          return client.request("/graphql", { method: "POST", headers: { "x-laurel-csrf": "1" }, body: form });
        },
      ],
      [
        "multipart without operations",
        (client) => {
          const form = new FormData();
          form.set("map", "{}");
          return client.request("/graphql", { method: "POST", headers: { "x-laurel-csrf": "1" }, body: form });
        },
      ],
    ];
    for (const identity of identities) {
      for (const [label, request] of cases) await run(identity, label, request);
    }
  }, 60_000);
});
