// My Pathways for a learner with 1,000 badges who follows 20 pathways of 50 steps, and an
// issuer's progress view of a pathway with 10,000 subscribers (first page of 50), next to a
// static asset served by the same wrangler dev process (warm-up, three rounds, medians). The
// data is written straight into the local D1 while the server is stopped: INSERT … SELECT
// statements over a counter (one per table), all in one `wrangler d1 execute --file`, since
// making it through the API would measure awarding and sign-up, not pathways; the server then
// starts again on the same state.
// The D1 queries per request are counted by worker/src/pathways/invitations.test.ts.
// Run: pnpm bench:pathways (BENCH_BADGES, BENCH_PATHWAYS, BENCH_STEPS, BENCH_SUBSCRIBERS,
// BENCH_SECONDS, BENCH_RUNS and BENCH_CONNECTIONS make it smaller for a quick check).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { compare, gql, graphqlOk, reportCompared, serveLaurel, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const PORT = 8854;
const BADGES = Number(process.env.BENCH_BADGES ?? 1_000);
const PATHWAYS = Number(process.env.BENCH_PATHWAYS ?? 20);
const STEPS = Number(process.env.BENCH_STEPS ?? 50);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const BIG_STEPS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

const root = path.join(import.meta.dirname, "..");
const state = path.join(root, `bench/results/state-${PORT}`);

/** Runs SQL (a file of statements) on the stopped server's local D1; returns each statement's rows. */
function d1(args) {
  const result = spawnSync("pnpm", ["exec", "wrangler", "d1", "execute", "DB", "--local", "--persist-to", state, "--json", ...args], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(result.stderr || result.stdout);
  return JSON.parse(result.stdout).map((r) => r.results ?? []);
}

/** Reads, one wrangler run for all of them (each run costs seconds of start-up; the SQL itself takes milliseconds). */
const read = (...statements) => {
  const file = path.join(root, `bench/results/read-${PORT}.sql`);
  writeFileSync(file, statements.map((st) => `${st};`).join("\n"));
  return d1(["--file", file]);
};

/** The writes, gathered and then run as one file. */
const writes = [];
const sql = (statement) => writes.push(`${statement};`);
function runWrites() {
  const file = path.join(root, `bench/results/seed-${PORT}.sql`);
  writeFileSync(file, writes.join("\n"));
  d1(["--file", file]);
}

/** `select i from n`: the integers 0 … count-1. */
const n = (count) => `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${count - 1}) select i from n`;

/**
 * INSERT … SELECT copying one row of `table` once per counter value, with `overrides`
 * (column → SQL expression over `i`) replacing columns; every other column keeps the template's
 * value, so the copy stays valid whatever columns the table gains.
 */
function copyRows(table, columns, templateId, count, overrides) {
  const values = columns.map((c) => (c in overrides ? overrides[c] : `t.${c}`));
  sql(
    `insert into ${table} (${columns.join(", ")}) select ${values.join(", ")} from ${table} t, (${n(count)}) where t.id = '${templateId}'`,
  );
}

let laurel = await startLaurel({ port: PORT });
try {
  const issuer = await signInDemo(laurel.url, "issuer@laurel.local");
  const learner = await signInDemo(laurel.url, "learner@laurel.local");
  const post = async (cookie, query) => (await fetch(`${laurel.url}/graphql`, gql(query, {}, { cookie }))).json();
  const { data } = await post(issuer, "{ me { id } myIssuers { id } }");
  const issuerUserId = data.me.id;
  const issuerId = data.myIssuers[0].id;
  const learnerId = (await post(learner, "{ me { id } }")).data.me.id;
  laurel.stop();
  await new Promise((r) => setTimeout(r, 2000));

  const seeded = performance.now();
  const [templates, [{ top }], awardColumns, classColumns] = read(
    `select a.id, a.badge_class_id from awards a join badge_classes b on b.id = a.badge_class_id
     where a.recipient_email = 'learner@laurel.local' and b.issuer_id = '${issuerId}' limit 1`,
    "select coalesce(max(status_index), 0) as top from awards",
    "select name from pragma_table_info('awards')",
    "select name from pragma_table_info('badge_classes')",
  );
  const [template] = templates;
  if (!template) throw new Error("the dev seed gave the learner no award of the demo issuer");
  const columns = { awards: awardColumns.map((c) => c.name), badge_classes: classColumns.map((c) => c.name) };
  const now = Date.now();
  // Twice as many badge classes as the learner holds: the pathways' steps need held and missing ones.
  copyRows("badge_classes", columns.badge_classes, template.badge_class_id, 2 * BADGES, {
    id: "'bench-bc-' || i",
    name: "'Bench badge ' || i",
  });
  const award = (id, badgeClass, email, offset) => ({
    id,
    badge_class_id: badgeClass,
    recipient_email: email,
    source_key: `'bench-' || ${id}`,
    idempotency_key: "null",
    request_hash: "null",
    revoked_at: "null",
    revoked_by: "null",
    revocation_reason: "null",
    expires_at: "null",
    hidden_at: "null",
    status_index: `${top + 1 + offset} + i`,
  });
  // The learner's badges: one of each even-numbered class.
  copyRows("awards", columns.awards, template.id, BADGES, award("'bench-aw-' || i", "'bench-bc-' || (2 * i)", "'learner@laurel.local'", 0));
  const ids = (p) => `'bench-pw-' || ${p}`;
  sql(`insert into pathways (id, issuer_id, name, description, junction, state, version, created_by, created_at, updated_at, published_at)
       select ${ids("i")}, '${issuerId}', 'Bench pathway ' || i, 'Bench.', 'all', 'published', 1, '${issuerUserId}', ${now}, ${now}, ${now}
       from (${n(PATHWAYS)})
       union all select 'bench-pw-big', '${issuerId}', 'Bench cohort pathway', 'Bench.', 'all', 'published', 1, '${issuerUserId}', ${now}, ${now}, ${now}`);
  // Step k of all the learner's pathways requires class k: half of them held.
  const steps = `select p.i as p, s.i as s, p.i * ${STEPS} + s.i as k from (${n(PATHWAYS)}) p, (${n(STEPS)}) s
    union all select 'big', s.i, s.i from (${n(BIG_STEPS)}) s`;
  sql(`insert into pathway_steps (id, pathway_id, parent_id, position, name, description, junction, created_at)
       select 'bench-pw-' || p || '-s-' || s, 'bench-pw-' || p, 'bench-pw-' || p, s, 'Step ' || s, '', 'all', ${now} from (${steps})`);
  sql(`insert into pathway_requirements (pathway_id, node_id, badge_class_id, position)
       select 'bench-pw-' || p, 'bench-pw-' || p || '-s-' || s, 'bench-bc-' || (k % ${2 * BADGES}), 0 from (${steps})`);
  sql(
    `insert into pathway_subscriptions (pathway_id, user_id, created_at) select ${ids("i")}, '${learnerId}', ${now} from (${n(PATHWAYS)})`,
  );
  // The cohort: learners with a verified email, each following the big pathway with one of its badges.
  sql(`insert into users (id, first_name, last_name, role, status, terms_version, terms_accepted_at, credentials_changed_at, created_at, updated_at)
       select 'bench-user-' || i, 'Bench', 'Learner ' || i, 'learner', 'active', 'bench', ${now}, ${now}, ${now}, ${now} from (${n(SUBSCRIBERS)})`);
  sql(`insert into emails (id, user_id, address, is_primary, verified_at, created_at)
       select 'bench-email-' || i, 'bench-user-' || i, 'bench-user-' || i || '@example.org', 1, ${now}, ${now} from (${n(SUBSCRIBERS)})`);
  sql(`insert into pathway_subscriptions (pathway_id, user_id, created_at)
       select 'bench-pw-big', 'bench-user-' || i, ${now} - i from (${n(SUBSCRIBERS)})`);
  copyRows(
    "awards",
    columns.awards,
    template.id,
    SUBSCRIBERS,
    award("'bench-cohort-aw-' || i", `'bench-bc-' || (i % ${BIG_STEPS})`, "'bench-user-' || i || '@example.org'", BADGES),
  );
  runWrites();
  console.log(`seeded in ${Math.round((performance.now() - seeded) / 1000)} s`);

  // wrangler dev again on the state the harness made (its sessions in KV still sign us in).
  laurel = await serveLaurel({ port: PORT, seed: false });
  const mine = gql(
    `{ myPathways { subscribed { pathway { id name } stepsDone stepsRequired next { name }
       nodes { name met done required badges { held earnUrl badgeClass { name issuer { name } } } } } invitations { pathway { id } } opportunities { pathway { id } } } }`,
    {},
    { cookie: learner },
  );
  const subscribers = gql(
    `{ pathway(id: "bench-pw-big") { subscribers(first: 50) { total completed noLongerQualifying
       items { name email met stepsDone stepsRequired completedAt noLongerQualifies } } } }`,
    {},
    { cookie: issuer },
  );
  const checkMine = (await (await fetch(`${laurel.url}/graphql`, mine)).json()).data?.myPathways;
  const benchPathways = checkMine?.subscribed.filter((p) => p.pathway.name.startsWith("Bench pathway")) ?? [];
  if (benchPathways.length !== PATHWAYS || benchPathways[0].nodes.length !== STEPS + 1) {
    throw new Error(`My Pathways is not what was seeded: ${JSON.stringify(checkMine)?.slice(0, 300)}`);
  }
  const checkView = (await (await fetch(`${laurel.url}/graphql`, subscribers)).json()).data?.pathway?.subscribers;
  if (checkView?.total !== SUBSCRIBERS)
    throw new Error(`The progress view is not what was seeded: ${JSON.stringify(checkView)?.slice(0, 300)}`);

  const staticAsset = { url: `${laurel.url}/favicon.svg`, duration: SECONDS, connections: CONNECTIONS };
  const options = { runs: RUNS, warmupSeconds: Math.min(2, SECONDS) };
  reportCompared([
    await compare(
      `My Pathways, ${BADGES} badges, ${PATHWAYS} pathways of ${STEPS} steps`,
      { url: `${laurel.url}/graphql`, ...mine, check: graphqlOk, duration: SECONDS, connections: CONNECTIONS },
      staticAsset,
      options,
    ),
    await compare(
      `pathway progress view, ${SUBSCRIBERS} subscribers, first 50`,
      { url: `${laurel.url}/graphql`, ...subscribers, check: graphqlOk, duration: SECONDS, connections: CONNECTIONS },
      staticAsset,
      options,
    ),
  ]);
  console.log(`workerd resident memory after the run: ${workerdMemoryMiB(laurel)} MiB`);
} finally {
  laurel.stop();
}
