// Public verification reads next to a static asset served by the same wrangler dev process
// (the ceiling): the Open Badges 2.0 assertion (JSON-LD, edge-cached after the first read),
// its human page, the signed Open Badges 3.0 credential (edge-cached after the first signing),
// the credential signed fresh on every request (cache bypassed: the cost of signing), and full
// POST /api/verify runs for both generations. Run: pnpm bench:verification
import { compare, gql, queueDrained, reportCompared, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const laurel = await startLaurel({ port: 8796 });
try {
  const learner = await signInDemo(laurel.url, "learner@laurel.local");
  const { data } = await (
    await fetch(`${laurel.url}/graphql`, gql("{ backpack(first: 1) { items { publicUrl credentialUrl } } }", {}, { cookie: learner }))
  ).json();
  const assertionUrl = data.backpack.items[0].publicUrl;
  const credentialUrl = data.backpack.items[0].credentialUrl;
  const credential = await (await fetch(credentialUrl, { headers: { accept: "application/json" } })).json();

  // Credentials are signed on first read, then served from the edge cache: 2,000 fresh awards
  // measure the signing path, each read once.
  const issuer = await signInDemo(laurel.url, "issuer@laurel.local");
  const post = async (query, variables) => (await fetch(`${laurel.url}/graphql`, gql(query, variables, { cookie: issuer }))).json();
  const { data: mine } = await post("{ myIssuers { id badgeClasses { id } } }");
  const [{ id: issuerId, badgeClasses }] = mine.myIssuers;
  const csv = `email\n${Array.from({ length: 2000 }, (_, i) => `bench-${i}@example.org`).join("\n")}`;
  await post("mutation ($b: ID!, $csv: String) { bulkAward(badgeClassId: $b, csv: $csv) { __typename } }", { b: badgeClasses[0].id, csv });
  const fresh = [];
  for (let offset = 0; fresh.length < 2000; offset += 100) {
    const page = await post(
      "query ($id: ID!, $o: Int) { issuer(id: $id) { awards(limit: 100, offset: $o) { items { credentialUrl } } } }",
      {
        id: issuerId,
        o: offset,
      },
    );
    const items = page.data.issuer.awards.items;
    if (items.length === 0) break;
    fresh.push(...items.map((a) => new URL(a.credentialUrl).pathname));
  }
  let next = 0;
  // The awards' emails go out through the queue, in this same process: measure once it is quiet.
  await queueDrained(laurel.url);
  const staticAsset = { url: `${laurel.url}/favicon.svg` };
  const verifyOk = (body) => JSON.parse(body).valid === true;
  reportCompared([
    await compare("assertion JSON-LD (edge cache)", { url: assertionUrl, headers: { accept: "application/ld+json" } }, staticAsset),
    await compare("assertion page (text/html, edge cache)", { url: assertionUrl, headers: { accept: "text/html" } }, staticAsset),
    await compare("OB 3.0 credential (edge cache)", { url: credentialUrl, headers: { accept: "application/json" } }, staticAsset),
    // Each fresh credential is read once, so this scenario cannot be repeated on one server.
    await compare(
      `OB 3.0 credential, first read of each (${fresh.length} awards)`,
      {
        url: laurel.url,
        amount: fresh.length,
        requests: [
          { setupRequest: (request) => ({ ...request, path: fresh[next++ % fresh.length], headers: { accept: "application/json" } }) },
        ],
      },
      staticAsset,
      { runs: 1, warmupSeconds: 0 },
    ),
    await compare(
      "POST /api/verify (hosted check, 3 documents)",
      {
        url: `${laurel.url}/api/verify`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: assertionUrl }),
        check: verifyOk,
      },
      staticAsset,
    ),
    await compare(
      "POST /api/verify (OB 3.0: proof, DID, status list, schema)",
      {
        url: `${laurel.url}/api/verify`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ assertion: credential }),
        check: verifyOk,
      },
      staticAsset,
    ),
  ]);
  console.log(`workerd resident memory after the run: ${workerdMemoryMiB(laurel)} MiB`);
} finally {
  laurel.stop();
}
