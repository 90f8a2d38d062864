// Public verification reads next to a static asset served by the same wrangler dev process
// (the ceiling): the Open Badges 2.0 assertion (JSON-LD, edge-cached after the first read),
// its human page, and a full POST /api/verify. Run: pnpm bench:verification
import { gql, load, report, signInDemo, startLaurel, workerdMemoryMiB } from "./harness.mjs";

const laurel = await startLaurel({ port: 8801 });
try {
  const learner = await signInDemo(laurel.url, "learner@laurel.local");
  const { data } = await (
    await fetch(`${laurel.url}/graphql`, gql("{ backpack(first: 1) { items { publicUrl } } }", {}, { cookie: learner }))
  ).json();
  const assertionUrl = data.backpack.items[0].publicUrl;
  const baseline = await load("static asset /favicon.svg", { url: `${laurel.url}/favicon.svg` });
  const results = [
    baseline,
    await load("assertion JSON-LD (edge cache)", { url: assertionUrl, headers: { accept: "application/ld+json" } }),
    await load("assertion page (text/html, edge cache)", { url: assertionUrl, headers: { accept: "text/html" } }),
    await load("POST /api/verify (hosted check, 3 documents)", {
      url: `${laurel.url}/api/verify`,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: assertionUrl }),
    }),
  ];
  report(results, baseline);
  console.log(`workerd resident memory after the run: ${workerdMemoryMiB(laurel)} MiB`);
} finally {
  laurel.stop();
}
