// The assessor queue of an issuer with 10,000 submissions waiting (first page of 25, oldest
// first, with counts) and a learner's submission list (first page of 50 of 200), next to a static
// asset served by the same wrangler dev process (warm-up, three rounds, medians). The
// submissions are written straight into the local D1 (one INSERT … SELECT each) while the server
// is stopped, since making 10,000 learners through the API would measure sign-up, not the queue;
// the server then starts again on the same state. Run: pnpm bench:microcredentials
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { compare, gql, graphqlOk, reportCompared, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const PORT = 8852;
const root = path.join(import.meta.dirname, "..");
let laurel = await startLaurel({ port: PORT });
const state = path.join(root, `bench/results/state-${PORT}`);

/** wrangler dev again on the state the harness made (its sessions in KV still sign us in). */
async function restart() {
  const server = spawn(
    "pnpm",
    [
      "exec",
      "wrangler",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(PORT),
      "--persist-to",
      state,
      "--env-file",
      path.join(root, `bench/results/bench-${PORT}.vars`),
      "--show-interactive-dev-session=false",
      "--log-level",
      "error",
    ],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, stdio: "ignore", detached: true },
  );
  const stop = () => {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  };
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${laurel.url}/api/health`)).ok) return { url: laurel.url, stop, pid: server.pid };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error("wrangler dev did not start again");
}

function sql(command) {
  const result = spawnSync("pnpm", ["exec", "wrangler", "d1", "execute", "DB", "--local", "--persist-to", state, "--command", command], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr || result.stdout);
}

try {
  const issuer = await signInDemo(laurel.url, "issuer@laurel.local");
  const learner = await signInDemo(laurel.url, "learner@laurel.local");
  const post = async (cookie, query, variables) => (await fetch(`${laurel.url}/graphql`, gql(query, variables, { cookie }))).json();
  const { data } = await post(issuer, "{ me { id } myIssuers { id badgeClasses { id } } }");
  const issuerId = data.myIssuers[0].id;
  const badgeClassId = data.myIssuers[0].badgeClasses[0].id;
  const set = await post(
    issuer,
    `mutation ($b: ID!, $input: MicroCredentialInput!) { setMicroCredential(badgeClassId: $b, input: $input) { __typename ... on Error { message } } }`,
    {
      b: badgeClassId,
      input: {
        competency: "Bench competency.",
        keyMethod: "Bench method.",
        parts: [{ title: "Overview", prompt: "Describe.", kind: "TEXT" }],
        criteria: [{ name: "Shows it", partIds: ["0"], levels: [{ name: "Not yet" }, { name: "Yes" }], requiredLevel: 1 }],
      },
    },
  );
  if (set.data.setMicroCredential.__typename !== "MicroCredential") throw new Error(JSON.stringify(set));
  const learnerId = (await post(learner, "{ me { id } }")).data.me.id;

  laurel.stop();
  await new Promise((r) => setTimeout(r, 2000));
  const now = Date.now();
  const n = (count) => `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count}) select i from n`;
  // 10,000 learners, each with one submission waiting, handed in over the last 30 days.
  sql(`insert into users (id, first_name, last_name, role, status, terms_version, terms_accepted_at, credentials_changed_at, created_at, updated_at)
       select 'bench-learner-' || i, 'Bench', 'Learner ' || i, 'learner', 'active', 'bench', ${now}, ${now}, ${now}, ${now} from (${n(10_000)})`);
  sql(`insert into submissions (id, badge_class_id, issuer_id, learner_id, state, round, answers, last_event_id, submitted_at, created_at, updated_at)
       select lower(hex(randomblob(16))), '${badgeClassId}', '${issuerId}', 'bench-learner-' || i,
         case i % 3 when 0 then 'resubmitted' else 'submitted' end, 1, '{}', 'bench', ${now} - i * 259200, ${now}, ${now}
       from (${n(10_000)})`);
  // The learner's own list: 200 submissions (withdrawn, so the one-live-submission rule allows them).
  sql(`insert into submissions (id, badge_class_id, issuer_id, learner_id, state, round, answers, last_event_id, created_at, updated_at)
       select lower(hex(randomblob(16))), '${badgeClassId}', '${issuerId}', '${learnerId}', 'withdrawn', 0, '{}', 'bench', ${now}, ${now} - i
       from (${n(200)})`);

  laurel = await restart();
  const queue = gql(
    `query ($i: ID!) { issuer(id: $i) { submissionQueue(first: 25) { items { id state daysWaiting learnerName claimed submittedAt }
       hasNextPage endCursor counts { submitted resubmitted inReview } } } }`,
    { i: issuerId },
    { cookie: issuer },
  );
  const check = await (await fetch(`${laurel.url}/graphql`, queue)).json();
  const counts = check.data?.issuer?.submissionQueue?.counts;
  if (!counts || counts.submitted + counts.resubmitted !== 10_000) throw new Error(JSON.stringify(check));
  const mine = gql("{ mySubmissions(first: 50) { id state updatedAt badgeClass { name } } }", {}, { cookie: learner });
  const staticAsset = { url: `${laurel.url}/favicon.svg` };
  reportCompared([
    await compare("assessor queue, 10,000 waiting, first 25", { url: `${laurel.url}/graphql`, ...queue, check: graphqlOk }, staticAsset),
    await compare("learner's submissions, 200, first 50", { url: `${laurel.url}/graphql`, ...mine, check: graphqlOk }, staticAsset),
  ]);
  console.log(`workerd resident memory after the run: ${workerdMemoryMiB(laurel)} MiB`);
} finally {
  laurel.stop();
}
