// Soak: ten minutes at 64 connections over a mix of what Laurel serves at once (password
// sign-ins, signed-in backpack reads, public verification reads, single awards), against one
// wrangler dev. Reports errors per stream (GraphQL errors inside a 200 count; the goal is
// zero), p50/p99 per stream, and workerd memory sampled every 30 s. SOAK_SECONDS shortens it.
// Run: pnpm bench:soak
import autocannon from "autocannon";
import { gql, graphqlOk, load, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const laurel = await startLaurel({ port: 8795 });
let failed = false;
try {
  const learner = await signInDemo(laurel.url, "learner@laurel.local");
  const issuer = await signInDemo(laurel.url, "issuer@laurel.local", { offsetSteps: 1 });
  const graphql = `${laurel.url}/graphql`;
  const post = async (cookie, query, variables) => (await fetch(graphql, gql(query, variables, { cookie }))).json();
  const { data } = await post(learner, "{ backpack(first: 1) { items { publicUrl credentialUrl } } }");
  const [{ publicUrl, credentialUrl }] = data.backpack.items;
  const { data: mine } = await post(issuer, "{ myIssuers { badgeClasses { id } } }");
  const badgeClassId = mine.myIssuers[0].badgeClasses[0].id;

  const staticBefore = await load("static asset /favicon.svg (before)", { url: `${laurel.url}/favicon.svg` });
  let awardNumber = 0;
  const run = (title, options) => {
    let bad = 0;
    const requests = (options.requests ?? [{}]).map((r) => ({
      ...r,
      onResponse: (status, body) => {
        if (status >= 300 || (options.check && !options.check(body))) bad++;
      },
    }));
    const instance = autocannon({ duration: SECONDS, ...options, requests, title });
    return new Promise((resolve, reject) =>
      instance.then(
        (result) =>
          resolve({
            title,
            connections: options.connections,
            requests: result.requests.total,
            rps: result.requests.average,
            p50: result.latency.p50,
            p99: result.latency.p99,
            errors: result.errors + bad,
          }),
        reject,
      ),
    );
  };
  const memory = [];
  const sampler = setInterval(() => memory.push({ at: memory.length * 30, mib: workerdMemoryMiB(laurel) }), 30_000);
  memory.push({ at: 0, mib: workerdMemoryMiB(laurel) });
  const streams = await Promise.all([
    run("signIn, right password (first factor, PBKDF2 100k)", {
      url: graphql,
      connections: 4,
      ...gql("mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { __typename ... on SignInStep { status } } }", {
        e: "learner@laurel.local",
        p: "laurel-demo-2026",
      }),
      check: (body) => body.includes("SECOND_FACTOR_REQUIRED"),
    }),
    run("backpack, first 24, signed in", {
      url: graphql,
      connections: 24,
      ...gql(
        "{ backpack(first: 24) { items { id status badgeClass { name imageUrl issuer { name } } } hasNextPage } }",
        {},
        { cookie: learner },
      ),
      check: graphqlOk,
    }),
    run("public assertion JSON-LD and OB 3.0 credential", {
      url: laurel.url,
      connections: 28,
      requests: [
        { method: "GET", path: new URL(publicUrl).pathname, headers: { accept: "application/ld+json" } },
        { method: "GET", path: new URL(credentialUrl).pathname, headers: { accept: "application/json" } },
      ],
    }),
    run("awardBadge, one award each (email through the outbox)", {
      url: graphql,
      connections: 8,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            ...gql(
              "mutation ($b: ID!, $i: AwardInput!) { awardBadge(badgeClassId: $b, input: $i) { __typename ... on Award { id } ... on Error { message } } }",
              { b: badgeClassId, i: { email: `soak-${awardNumber++}@example.org` } },
              { cookie: issuer },
            ),
          }),
        },
      ],
      check: (body) => body.includes('"__typename":"Award"'),
    }),
  ]);
  clearInterval(sampler);
  memory.push({ at: SECONDS, mib: workerdMemoryMiB(laurel) });
  const staticAfter = await load("static asset /favicon.svg (after)", { url: `${laurel.url}/favicon.svg` });

  console.log(`\nSoak of ${SECONDS} s at ${streams.reduce((n, s) => n + s.connections, 0)} connections`);
  console.table(
    streams.map((s) => ({
      stream: s.title,
      connections: s.connections,
      requests: s.requests,
      "req/s": s.rps.toFixed(0),
      "p50 ms": s.p50,
      "p99 ms": s.p99,
      errors: s.errors,
    })),
  );
  console.table(
    [staticBefore, staticAfter].map((s) => ({ baseline: s.title, "req/s": s.rps.toFixed(0), "p99 ms": s.p99, errors: s.errors })),
  );
  console.log("workerd resident memory (MiB) over time:", memory.map((m) => `${m.at}s ${m.mib}`).join(", "));
  const errors = streams.reduce((n, s) => n + s.errors, 0);
  console.log(errors === 0 ? "errors: 0" : `errors: ${errors} (the goal is zero)`);
  failed = errors > 0;
} finally {
  laurel.stop();
}
process.exitCode = failed ? 1 : 0;
