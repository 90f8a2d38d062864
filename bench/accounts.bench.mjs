// How much an authenticated GraphQL read and a password sign-in cost next to a static
// asset served by the same wrangler dev process (the ceiling). Run: pnpm bench:accounts
import { gql, load, report, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const laurel = await startLaurel({ port: 8797 });
try {
  // A real session, through the real sign-in mutations (password, then the authenticator code).
  const cookie = await signInDemo(laurel.url, "learner@laurel.local");

  const baseline = await load("static asset /favicon.svg", { url: `${laurel.url}/favicon.svg` });
  const results = [
    baseline,
    await load("GraphQL { termsVersion } (no session)", { url: `${laurel.url}/graphql`, ...gql("{ termsVersion }") }),
    await load("GraphQL { me } with a session (KV + D1)", {
      url: `${laurel.url}/graphql`,
      ...gql("{ me { id primaryEmail } }", {}, { cookie }),
    }),
    // PBKDF2 at 100,000 iterations is the point: few connections, it is CPU-bound by design.
    await load("signIn, wrong password (PBKDF2 100k)", {
      url: `${laurel.url}/graphql`,
      connections: 4,
      duration: 5,
      ...gql("mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { __typename } }", {
        e: "nobody@laurel.local",
        p: "wrong password here",
      }),
    }),
  ];
  report(results, baseline);
  console.log(`workerd resident memory after the run: ${workerdMemoryMiB(laurel)} MiB`);
} finally {
  laurel.stop();
}
