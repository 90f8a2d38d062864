// The backpack of a learner with 1,000 badges (first page of 24, and of 100), next to a static
// asset served by the same wrangler dev process (warm-up, three rounds, medians); and bulk-awarding a 10,000-row CSV, timed
// end to end. Run: pnpm bench:badges
import { compare, gql, graphqlOk, queueDrained, reportCompared, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const laurel = await startLaurel({ port: 8798 });
try {
  const issuer = await signInDemo(laurel.url, "issuer@laurel.local");
  const learner = await signInDemo(laurel.url, "learner@laurel.local");
  const post = async (cookie, query, variables) => (await fetch(`${laurel.url}/graphql`, gql(query, variables, { cookie }))).json();
  const { data } = await post(issuer, "{ myIssuers { badgeClasses { id name } } }");
  const badgeClassId = data.myIssuers[0].badgeClasses[0].id;
  const BULK =
    "mutation ($b: ID!, $csv: String) { bulkAward(badgeClassId: $b, csv: $csv) { __typename ... on BulkAwardReport { created } ... on Error { message } } }";

  // 998 more badges for the learner (the seed gave 2): one CSV, rows made distinct by narrative.
  const learnerCsv = `email,narrative\n${Array.from({ length: 998 }, (_, i) => `learner@laurel.local,Bench award ${i}`).join("\n")}`;
  const seeded = await post(issuer, BULK, { b: badgeClassId, csv: learnerCsv });
  if (seeded.data.bulkAward.created !== 998) throw new Error(JSON.stringify(seeded));

  // The awards' emails go out through the queue; measure reads once it is quiet.
  await queueDrained(laurel.url);
  const backpack = (first) =>
    gql(
      `{ backpack(first: ${first}) { items { id status badgeClass { name imageUrl issuer { name } } } hasNextPage endCursor } }`,
      {},
      { cookie: learner },
    );
  const staticAsset = { url: `${laurel.url}/favicon.svg` };
  reportCompared([
    await compare("backpack, 1,000 badges, first 24", { url: `${laurel.url}/graphql`, ...backpack(24), check: graphqlOk }, staticAsset),
    await compare("backpack, 1,000 badges, first 100", { url: `${laurel.url}/graphql`, ...backpack(100), check: graphqlOk }, staticAsset),
  ]);

  console.log(`workerd resident memory after the run: ${workerdMemoryMiB(laurel)} MiB`);
} finally {
  laurel.stop();
}

// Bulk award timing: each run on a fresh server, so no earlier run's 10,000 queued emails
// compete with it (local wrangler dev runs the queue consumer in the same isolate).
const timings = [];
for (let run = 0; run < 3; run++) {
  const fresh = await startLaurel({ port: 8798 });
  try {
    const issuer = await signInDemo(fresh.url, "issuer@laurel.local");
    const post = async (query, variables) => (await fetch(`${fresh.url}/graphql`, gql(query, variables, { cookie: issuer }))).json();
    const { data } = await post("{ myIssuers { badgeClasses { id } } }");
    const csv = `email,name\n${Array.from({ length: 10_000 }, (_, i) => `bench${run}-${i}@example.org,Learner ${i}`).join("\n")}`;
    const started = performance.now();
    const result = await post(
      "mutation ($b: ID!, $csv: String) { bulkAward(badgeClassId: $b, csv: $csv) { __typename ... on BulkAwardReport { created } ... on Error { message } } }",
      { b: data.myIssuers[0].badgeClasses[0].id, csv },
    );
    timings.push(performance.now() - started);
    if (result.data.bulkAward.created !== 10_000) throw new Error(JSON.stringify(result));
    if (run === 2) console.log(`workerd resident memory after a 10,000-row award: ${workerdMemoryMiB(fresh)} MiB`);
  } finally {
    fresh.stop();
  }
}
const sorted = [...timings].sort((a, b) => a - b);
console.log(`bulkAward, 10,000 CSV rows: median ${Math.round(sorted[1])} ms (runs: ${timings.map((t) => Math.round(t)).join(", ")} ms)`);
