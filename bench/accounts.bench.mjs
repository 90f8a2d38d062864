// How much an authenticated GraphQL read and a password sign-in cost next to a static
// asset served by the same wrangler dev process (the ceiling). Each scenario: a warm-up, then
// three rounds of (static, scenario); medians and spreads. Run: pnpm bench:accounts
import { compare, gql, graphqlOk, reportCompared, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const laurel = await startLaurel({ port: 8797 });
try {
  // A real session, through the real sign-in mutations (password, then the authenticator code).
  const cookie = await signInDemo(laurel.url, "learner@laurel.local");
  const graphql = `${laurel.url}/graphql`;
  const staticAsset = { url: `${laurel.url}/favicon.svg` };

  const results = [
    await compare("GraphQL { termsVersion } (no session)", { url: graphql, ...gql("{ termsVersion }"), check: graphqlOk }, staticAsset),
    await compare(
      "GraphQL { termsVersion } (unknown session cookie)",
      { url: graphql, ...gql("{ termsVersion }", {}, { cookie: "__Host-laurel_session=unknown-session-token" }), check: graphqlOk },
      staticAsset,
    ),
    // The split: the same answer as above, so the difference is the session lookup alone.
    await compare(
      "GraphQL { termsVersion } with a session (KV hit + D1 user)",
      { url: graphql, ...gql("{ termsVersion }", {}, { cookie }), check: graphqlOk },
      staticAsset,
    ),
    await compare(
      "GraphQL { me } with a session (KV + D1)",
      { url: graphql, ...gql("{ me { id primaryEmail } }", {}, { cookie }), check: graphqlOk },
      staticAsset,
    ),
    // PBKDF2 at 100,000 iterations is the point: few connections, it is CPU-bound by design.
    // Wrong passwords for an address without an account, from many addresses' worth of IPs, so
    // the per-IP limit measures the hash, not the refusal.
    await compare(
      "signIn, wrong password (PBKDF2 100k)",
      {
        url: graphql,
        connections: 4,
        duration: 5,
        ...gql("mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { __typename } }", {
          e: "nobody@laurel.local",
          p: "wrong password here",
        }),
      },
      staticAsset,
      { warmupSeconds: 0 },
    ),
  ];
  reportCompared(results);
  console.log(`workerd resident memory after the run: ${workerdMemoryMiB(laurel)} MiB`);
} finally {
  laurel.stop();
}
